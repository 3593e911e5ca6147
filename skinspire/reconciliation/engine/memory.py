"""Python's cyclic garbage collector, paused while a run builds millions of rows.

The collector runs whenever allocations outnumber deallocations by a threshold, and its full
passes walk every live container: with two million row tuples alive, building a million more
objects set it walking them again and again (half of the engine's time at 100,000 rows,
bench/bench_reconciliation.py). Rows, outcomes and pairings form no reference cycles, so
nothing is left for the collector to find; reference counting frees them as before.

When the pause ends, what was built meanwhile (a run's million outcomes) would still be walked
three times, once as the young generation, once as the middle one, and then at the next full
collection with everything else. It is moved to the oldest generation straight away instead
(gc.freeze then gc.unfreeze: two list splices, nothing walked), so only full collections see
it: about a second less at 1M payments (bench/bench_recon_engine.py), and nothing is lost,
since cyclic garbage there is still found by the next full collection.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _to_oldest_generation()
        if was_enabled:  # left off if the caller (or an outer pause) had it off
            gc.enable()


def _to_oldest_generation() -> None:
    # Only when nothing is frozen already: unfreeze would also release what someone else
    # froze on purpose (a pre-forking server keeps its startup objects out of collections).
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()
