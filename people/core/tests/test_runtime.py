"""`prepare_collector`: what a serving process loaded is out of the cycle collector's walks,
and the collector runs less often."""

import gc

from people.core.runtime import COLLECTOR_THRESHOLDS, prepare_collector


def test_freezes_what_is_loaded_and_raises_the_thresholds():
    thresholds = gc.get_threshold()
    try:
        frozen = prepare_collector()
        # Frozen objects freed since (by another thread of the test process) leave the count:
        # it is read again, not compared to the exact number.
        assert frozen > 10_000
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == COLLECTOR_THRESHOLDS
        assert COLLECTOR_THRESHOLDS[0] > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
