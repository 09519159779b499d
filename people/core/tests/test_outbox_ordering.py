"""Messages of one ordering key go out one after another, in the order they were enqueued,
however long the first waits; other keys, and messages without a key, do not wait."""

from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

delivered: list[str] = []
failing: dict[str, str] = {}  # name -> "transient" | "permanent"


@outbox.handler("test.ordered")
def _handler(payload):
    name = payload["name"]
    mode = failing.get(name)
    if mode == "transient":
        raise outbox.TransientError(f"{name}: peer down")
    if mode == "permanent":
        raise outbox.PermanentError(f"{name}: refused")
    delivered.append(name)


@pytest.fixture(autouse=True)
def _reset():
    delivered.clear()
    failing.clear()


def enqueue(name, key="object-1", *, capture):
    with capture(execute=True):
        return outbox.enqueue("test.ordered", {"name": name}, ordering_key=key)


def test_a_later_message_waits_for_an_earlier_one_in_backoff(django_capture_on_commit_callbacks):
    failing["first"] = "transient"
    first = enqueue("first", capture=django_capture_on_commit_callbacks)
    second = enqueue("second", capture=django_capture_on_commit_callbacks)
    assert delivered == []  # the second was kicked, but its key's first is pending
    assert outbox.deliver(second.pk) is None
    assert second.pk not in outbox.due_ids()
    first.refresh_from_db()
    failing.clear()  # the peer is back
    with freeze_time(first.next_attempt_at + timedelta(seconds=1)):
        assert outbox.deliver_due() == 1  # the first; the second goes at once after it
    assert delivered == ["first", "second"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}


def test_a_message_refused_for_good_lets_the_next_one_go(django_capture_on_commit_callbacks):
    failing["first"] = "permanent"
    first = enqueue("first", capture=django_capture_on_commit_callbacks)
    enqueue("second", capture=django_capture_on_commit_callbacks)
    first.refresh_from_db()
    assert first.status == OutboxStatus.FAILED
    assert delivered == ["second"]


def test_keys_and_unkeyed_messages_are_independent(django_capture_on_commit_callbacks):
    failing["a1"] = "transient"
    enqueue("a1", "object-a", capture=django_capture_on_commit_callbacks)
    enqueue("a2", "object-a", capture=django_capture_on_commit_callbacks)
    enqueue("b1", "object-b", capture=django_capture_on_commit_callbacks)
    enqueue("free", "", capture=django_capture_on_commit_callbacks)
    assert delivered == ["b1", "free"]


def test_order_is_kept_when_the_clock_does_not_move(django_capture_on_commit_callbacks):
    """Two messages written in the same microsecond (or by a machine whose clock is behind) are
    still dated in the order they were enqueued."""
    with freeze_time("2026-01-01 10:00:00"):
        first = outbox.enqueue("test.ordered", {"name": "first"}, ordering_key="k")
        second = outbox.enqueue("test.ordered", {"name": "second"}, ordering_key="k")
    with freeze_time("2026-01-01 09:59:00"):
        third = outbox.enqueue("test.ordered", {"name": "third"}, ordering_key="k")
    assert first.created_at < second.created_at < third.created_at
    outbox.deliver_due()
    assert delivered == ["first", "second", "third"]


def test_the_sweep_skips_blocked_messages_without_starving_others(django_capture_on_commit_callbacks):
    failing["head"] = "transient"
    enqueue("head", capture=django_capture_on_commit_callbacks)
    for index in range(3):
        enqueue(f"blocked{index}", capture=django_capture_on_commit_callbacks)
    free = OutboxMessage.objects.create(kind="test.ordered", payload={"name": "free"})
    assert outbox.due_ids(limit=1) == [free.pk]
    with freeze_time(timezone.now() + timedelta(days=1)):
        failing.clear()
        outbox.deliver_due()
    assert delivered == ["free", "head", "blocked0", "blocked1", "blocked2"]
