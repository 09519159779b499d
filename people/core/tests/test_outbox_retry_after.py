"""A peer's `Retry-After` sets the next attempt (never sooner than asked, never past the
backoff's ceiling), and a kind with a maximum age is given up once that old."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import requests
import responses
from django.utils import timezone
from freezegun import freeze_time

from people.core import delivery, outbox
from people.core.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

URL = "https://peer.example.test/hook"


@outbox.handler("test.retry_after")
def _call_peer(payload):
    delivery.http_call("POST", URL, peer="test peer", timeout=1)


@outbox.handler("test.max_age", max_age=lambda: timedelta(hours=1))
def _always_down(payload):
    raise outbox.TransientError("peer down")


def answer(**kwargs) -> requests.Response:
    with responses.RequestsMock() as mocked:
        mocked.get(URL, **kwargs)
        return requests.get(URL, timeout=1)


@pytest.mark.parametrize(("header", "seconds"), [("120", 120.0), ("0", 0.0), (" 7 ", 7.0)])
def test_retry_after_in_seconds(header, seconds):
    assert delivery.retry_after_seconds(answer(status=429, headers={"Retry-After": header})) == seconds


@freeze_time("2026-03-01 12:00:00")
def test_retry_after_as_an_http_date():
    when = format_datetime(datetime(2026, 3, 1, 12, 5, tzinfo=UTC), usegmt=True)
    assert delivery.retry_after_seconds(answer(status=503, headers={"Retry-After": when})) == 300.0
    past = format_datetime(datetime(2026, 3, 1, 11, 0, tzinfo=UTC), usegmt=True)
    assert delivery.retry_after_seconds(answer(status=503, headers={"Retry-After": past})) == 0.0


@pytest.mark.parametrize("header", [None, "", "soon", "-5", "1.5"])
def test_unreadable_or_absent_retry_after_is_none(header):
    headers = {"Retry-After": header} if header is not None else {}
    assert delivery.retry_after_seconds(answer(status=429, headers=headers)) is None


def test_a_429_is_transient_with_the_wait_it_asks_for():
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=429, headers={"Retry-After": "600"})
        with pytest.raises(delivery.TransientError) as raised:
            delivery.http_call("POST", URL, peer="test peer", timeout=1)
    assert raised.value.retry_after == 600.0


def test_the_next_attempt_waits_as_long_as_the_peer_asked(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 1
    message = outbox.enqueue("test.retry_after", {})
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=429, headers={"Retry-After": "900"})
        before = timezone.now()
        assert outbox.deliver(message.pk) == OutboxStatus.PENDING
    message.refresh_from_db()
    assert message.next_attempt_at >= before + timedelta(seconds=900)
    assert message.pk not in outbox.due_ids()


def test_a_wait_longer_than_the_ceiling_is_cut_to_it(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 1
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 60
    message = outbox.enqueue("test.retry_after", {})
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=503, headers={"Retry-After": "86400"})
        before = timezone.now()
        outbox.deliver(message.pk)
    message.refresh_from_db()
    assert before + timedelta(seconds=59) <= message.next_attempt_at <= timezone.now() + timedelta(seconds=73)


def test_a_kind_with_a_maximum_age_is_retried_until_that_old():
    message = outbox.enqueue("test.max_age", {}, max_attempts=1000)
    assert outbox.deliver(message.pk) == OutboxStatus.PENDING
    with freeze_time(timezone.now() + timedelta(minutes=59)):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert outbox.deliver(message.pk) == OutboxStatus.PENDING
    with freeze_time(timezone.now() + timedelta(minutes=61)):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        assert outbox.deliver(message.pk) == OutboxStatus.FAILED
    message.refresh_from_db()
    assert message.attempts == 3
    assert message.last_error == "TransientError: peer down"
