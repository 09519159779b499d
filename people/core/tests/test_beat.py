"""The embedded mode's worker runs the periodic jobs of CELERY_BEAT_SCHEDULE at their interval,
as Celery beat does in production."""

import pytest
from celery import shared_task

from people.core import beat

runs: list[str] = []


@shared_task(name="people.core.tests.test_beat.job")
def job() -> None:
    runs.append("job")


@shared_task(name="people.core.tests.test_beat.broken")
def broken() -> None:
    runs.append("broken")
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _schedule(settings):
    runs.clear()
    beat.reset()
    settings.CELERY_BEAT_SCHEDULE = {
        "every-minute": {"task": "people.core.tests.test_beat.job", "schedule": 60.0},
        "broken": {"task": "people.core.tests.test_beat.broken", "schedule": 30},
        "sweep": {"task": "people.core.tasks.outbox_deliver_due", "schedule": 15.0},
        "crontab": {"task": "people.core.tests.test_beat.job", "schedule": object()},
    }
    yield
    beat.reset()


def test_jobs_run_at_start_then_at_their_interval():
    assert beat.run_due(now=1000.0) == ["every-minute", "broken"]  # the sweep is the worker's own
    assert beat.run_due(now=1029.0) == []
    assert beat.run_due(now=1031.0) == ["broken"]
    assert beat.run_due(now=1061.0) == ["every-minute", "broken"]
    assert runs == ["job", "broken", "broken", "job", "broken"]  # a failing job does not stop the others


def test_the_mail_jobs_are_in_the_real_schedule(settings):
    from config import settings as real

    names = {entry["task"] for entry in real.CELERY_BEAT_SCHEDULE.values()}
    assert {"people.mail.tasks.mail_domains_check_due", "people.mail.tasks.mail_import_all"} <= names
