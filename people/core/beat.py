"""The periodic jobs of CELERY_BEAT_SCHEDULE, run by the in-process worker of the embedded mode.

In production Celery beat sends them to the workers. The embedded mode (`make run`,
PEOPLE_JOBS_MODE=thread) has no beat: its outbox worker thread calls `run_due()` at each turn,
which runs in that thread each job whose interval has passed since it last ran there. Each
serving process runs its own, so a job may run once per process: the jobs are written to be
run twice (they queue work only where none is on its way). Schedules other than a number of
seconds are left to Celery beat.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings

logger = logging.getLogger("people.beat")

# The outbox worker sweeps the outbox itself.
SKIPPED = frozenset({"people.core.tasks.outbox_deliver_due"})

_last_run: dict[str, float] = {}


def run_due(*, now: float | None = None) -> list[str]:
    """Run the jobs of the schedule that are due; their names. A failing job is logged and
    tried again at its next interval."""
    from celery import current_app

    now = time.monotonic() if now is None else now
    ran = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule: Any = entry.get("schedule")
        task = entry.get("task")
        if task in SKIPPED or not isinstance(schedule, int | float):
            continue
        last = _last_run.get(name)
        if last is not None and now - last < schedule:
            continue
        _last_run[name] = now
        try:
            current_app.tasks[task]()
        except Exception:  # noqa: BLE001 - the worker must survive anything
            logger.exception("periodic job failed", extra={"job": name})
        ran.append(name)
    return ran


def reset() -> None:
    _last_run.clear()
