"""The collector's pause: restored as it was, and what was built meanwhile is neither lost to
nor walked by the next young-generation collection."""

import gc
import weakref

from skinspire.reconciliation.engine.memory import cyclic_gc_paused


def test_the_collector_is_back_on_after_the_pause_and_off_during_it():
    assert gc.isenabled()

    with cyclic_gc_paused():
        during = gc.isenabled()

    assert (during, gc.isenabled()) == (False, True)


def test_an_outer_pause_is_left_in_place():
    gc.disable()
    try:
        with cyclic_gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_was_built_goes_to_the_oldest_generation_and_cycles_are_still_collected():
    class Node:
        pass

    with cyclic_gc_paused():
        kept = [[index] for index in range(1000)]
        cycle = Node()
        cycle.itself = cycle
    gone = weakref.ref(cycle)

    assert any(item is kept[0] for item in gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0
    del cycle
    gc.collect()
    assert gone() is None


def test_objects_someone_froze_stay_frozen():
    # Not the freeze count before and after: another thread (a test server's, a COPY's) may
    # free frozen objects meanwhile. One we hold must still be out of the generations, where
    # gc.unfreeze would have put it (the oldest one).
    held = [object()]
    gc.freeze()
    try:
        with cyclic_gc_paused():
            [[index] for index in range(100)]
        assert not any(item is held for item in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
    assert any(item is held for item in gc.get_objects(generation=2))
