"""The outbox: delivered after commit, retried with backoff, failures recorded, never raised."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

calls: list[dict] = []


@outbox.handler("test.record")
def _record(payload):
    calls.append(payload)
    if payload.get("fail") == "transient":
        raise outbox.TransientError("peer down")
    if payload.get("fail") == "permanent":
        raise outbox.PermanentError("peer refused")


@pytest.fixture(autouse=True)
def _reset():
    calls.clear()


def test_enqueue_delivers_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue("test.record", {"n": 1})
    assert calls == []  # nothing sent before the commit
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert calls == [{"n": 1}]
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 1
    assert message.delivered_at is not None


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no outbox handler"):
        outbox.enqueue("test.unknown", {})
    assert not OutboxMessage.objects.exists()


def test_transient_failure_is_retried_with_growing_backoff():
    message = OutboxMessage.objects.create(kind="test.record", payload={"fail": "transient"}, max_attempts=3)
    assert outbox.deliver(message.pk) == OutboxStatus.PENDING
    message.refresh_from_db()
    assert message.last_error == "TransientError: peer down"
    first_delay = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=7) < first_delay < timedelta(seconds=13)
    # Not due yet: not attempted again.
    assert outbox.deliver(message.pk) is None
    with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver(message.pk) == OutboxStatus.PENDING
        message.refresh_from_db()
        assert message.next_attempt_at - timezone.now() > first_delay
    with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 3
    assert len(calls) == 3


def test_permanent_failure_stops_at_once():
    message = OutboxMessage.objects.create(kind="test.record", payload={"fail": "permanent"})
    assert outbox.deliver(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 1
    assert "peer refused" in message.last_error


def test_deliver_due_skips_messages_not_due_and_delivered_ones():
    due = OutboxMessage.objects.create(kind="test.record", payload={"n": "due"})
    OutboxMessage.objects.create(kind="test.record", payload={"n": "later"}, next_attempt_at=timezone.now() + timedelta(hours=1))
    OutboxMessage.objects.create(kind="test.record", payload={"n": "done"}, status=OutboxStatus.DELIVERED)
    assert outbox.deliver_due() == 1
    assert calls == [{"n": "due"}]
    due.refresh_from_db()
    assert due.status == OutboxStatus.DELIVERED


def test_retry_now_requeues_a_failed_message(django_capture_on_commit_callbacks):
    message = OutboxMessage.objects.create(kind="test.record", payload={"n": 2}, status=OutboxStatus.FAILED, attempts=10, max_attempts=10)
    with django_capture_on_commit_callbacks(execute=True):
        outbox.retry_now(message)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert calls == [{"n": 2}]
