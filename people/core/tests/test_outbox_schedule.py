"""The outbox schedule comes from settings; a lock that expires means a second delivery of the
same message (at least once), with the same identity."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

seen: list[tuple] = []


@outbox.handler("test.schedule")
def _handler(payload):
    seen.append((payload, outbox.current_message_id()))
    if payload.get("fail"):
        raise outbox.TransientError("peer down")


@pytest.fixture(autouse=True)
def _reset():
    seen.clear()


def test_backoff_base_and_ceiling_come_from_settings(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 60
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 200
    assert timedelta(seconds=48) <= outbox.backoff(1) <= timedelta(seconds=72)
    assert timedelta(seconds=96) <= outbox.backoff(2) <= timedelta(seconds=144)
    assert outbox.backoff(9) <= timedelta(seconds=240)  # the ceiling, jittered


def test_max_attempts_come_from_settings(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("test.schedule", {"fail": True}, recipient="peer.example.test")
    message.refresh_from_db()
    assert (message.max_attempts, message.status, message.recipient) == (2, OutboxStatus.PENDING, "peer.example.test")
    with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver(message.pk) == OutboxStatus.FAILED


def test_lock_lasts_the_configured_time_then_the_message_is_delivered_again(settings):
    """A worker that died after the peer accepted leaves the lock: once it expires the message
    goes out again, as the same message."""
    settings.OUTBOX_LOCK_SECONDS = 120
    message = OutboxMessage.objects.create(kind="test.schedule", payload={"n": 1})
    claimed = outbox._claim(message.pk)  # the worker took it, sent it, and died
    assert claimed.locked_until - claimed.last_attempt_at == timedelta(seconds=120)
    assert outbox.deliver(message.pk) is None  # held by the dead worker
    with freeze_time(timezone.now() + timedelta(seconds=119)):
        assert outbox.deliver(message.pk) is None
    with freeze_time(timezone.now() + timedelta(seconds=121)):
        assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED
    message.refresh_from_db()
    assert message.attempts == 2
    assert seen == [({"n": 1}, message.pk)]


def test_the_message_id_is_the_same_at_every_attempt():
    message = OutboxMessage.objects.create(kind="test.schedule", payload={"fail": True})
    outbox.deliver(message.pk)
    with freeze_time(timezone.now() + timedelta(minutes=5)):
        outbox.deliver(message.pk)
    assert [identity for _, identity in seen] == [message.pk, message.pk]
    assert outbox.current_message_id() is None  # only during a delivery
