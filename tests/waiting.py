"""Waiting, with a deadline, for what another thread or process does (a notification heard, a
server up, a job delivered)."""

from __future__ import annotations

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2) -> None:
    """Return once `condition()` is true; TimeoutError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(interval)
