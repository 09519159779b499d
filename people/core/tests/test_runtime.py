"""`freeze_loaded_objects`: what a serving process loaded is out of the cycle collector's walks."""

import gc

from people.core.runtime import freeze_loaded_objects


def test_freezes_what_is_loaded():
    try:
        frozen = freeze_loaded_objects()
        assert frozen == gc.get_freeze_count() > 10_000
        before = len(gc.get_objects())  # tracked objects the collector still walks
        assert before < frozen  # most of the process is frozen
    finally:
        gc.unfreeze()
