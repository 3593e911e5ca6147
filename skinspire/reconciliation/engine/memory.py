"""Python's cyclic garbage collector, paused while a run builds millions of rows.

The collector runs whenever allocations outnumber deallocations by a threshold, and its full
passes walk every live container: with two million row tuples alive, building a million more
objects set it walking them again and again (half of the engine's time at 100,000 rows,
bench/bench_reconciliation.py). Rows, outcomes and pairings form no reference cycles, so
nothing is left for the collector to find; reference counting frees them as before.
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
        if was_enabled:  # left off if the caller (or an outer pause) had it off
            gc.enable()
