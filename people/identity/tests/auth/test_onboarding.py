"""Onboarding of new accounts: the HTTP contact backend and its delivery through the outbox.

The e-mailing service is an external SaaS that cannot run here: it is mocked with `responses`.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import requests
import responses
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxStatus
from people.identity import onboarding
from people.identity.onboarding import HttpContactBackend, NoOpBackend, get_backend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "https://mailing.example.test/v3/contacts"


@pytest.fixture
def http_backend(settings):
    settings.ONBOARDING_BACKEND = "http"
    settings.ONBOARDING_API_URL = API
    settings.ONBOARDING_API_KEY = "api-key-1"
    settings.ONBOARDING_LIST_ID = 7
    return settings


def test_contact_creation_request(http_backend):
    user = UserFactory(email="new@example.fr", name="Nina Perrin", short_name="Nina")
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=201, json={"id": 1})
        HttpContactBackend().user_created(user=user)
        request = mocked.calls[0].request
    assert request.headers["api-key"] == "api-key-1"
    assert json.loads(request.body) == {
        "email": "new@example.fr",
        "attributes": {"FIRSTNAME": "Nina", "LASTNAME": "Perrin"},
        "listIds": [7],
        "updateEnabled": True,
    }


def test_existing_contact_counts_as_done(http_backend):
    user = UserFactory()
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=400, json={"code": "duplicate_parameter", "message": "Contact already exist"})
        HttpContactBackend().user_created(user=user)


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 500}, outbox.TransientError),
        ({"status": 503}, outbox.TransientError),
        ({"status": 429}, outbox.TransientError),
        ({"body": requests.ConnectTimeout()}, outbox.TransientError),
        ({"status": 401, "json": {"code": "unauthorized"}}, outbox.PermanentError),
        ({"status": 400, "json": {"code": "invalid_parameter"}}, outbox.PermanentError),
        ({"status": 404, "body": "not json"}, outbox.PermanentError),
    ],
)
def test_failures_are_typed(http_backend, answer, error):
    with responses.RequestsMock() as mocked:
        mocked.post(API, **answer)
        with pytest.raises(error):
            HttpContactBackend().user_created(user=UserFactory())


def test_http_backend_needs_its_settings(settings):
    settings.ONBOARDING_API_URL = None
    with pytest.raises(outbox.PermanentError):
        HttpContactBackend()


def test_backend_selection(settings):
    settings.ONBOARDING_BACKEND = "none"
    assert isinstance(get_backend(), NoOpBackend)
    settings.ONBOARDING_BACKEND = "people.identity.onboarding.NoOpBackend"
    assert isinstance(get_backend(), NoOpBackend)
    settings.ONBOARDING_BACKEND = "collections.OrderedDict"
    with pytest.raises(outbox.PermanentError):
        get_backend()


def test_delivery_is_retried_then_succeeds(http_backend):
    user = UserFactory()
    message = onboarding.onboarding_enqueue(user=user)
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=502)
        assert outbox.deliver(message.pk) == OutboxStatus.PENDING
    message.refresh_from_db()
    assert message.attempts == 1
    assert "502" in message.last_error
    message.next_attempt_at = message.created_at
    message.save(update_fields=["next_attempt_at"])
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=201, json={"id": 1})
        assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED


def test_permanent_refusal_is_recorded(http_backend):
    message = onboarding.onboarding_enqueue(user=UserFactory())
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=401, json={"code": "unauthorized"})
        assert outbox.deliver(message.pk) == OutboxStatus.FAILED


def test_deleted_account_has_nothing_to_onboard(http_backend):
    user = UserFactory()
    message = onboarding.onboarding_enqueue(user=user)
    user.delete()
    with responses.RequestsMock():  # no request may be sent
        assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED


def test_nothing_enqueued_without_backend_or_email(settings, http_backend):
    assert onboarding.onboarding_enqueue(user=UserFactory(email=None)) is None
    settings.ONBOARDING_BACKEND = "none"
    assert onboarding.onboarding_enqueue(user=UserFactory()) is None


def test_every_attempt_carries_the_same_idempotency_key(http_backend):
    message = onboarding.onboarding_enqueue(user=UserFactory())
    assert message.recipient == "mailing.example.test"  # operators find it by the peer's host
    with responses.RequestsMock() as mocked:
        mocked.post(API, status=503)
        mocked.post(API, status=201)
        assert outbox.deliver(message.pk) == OutboxStatus.PENDING
        message.refresh_from_db()
        with freeze_time(message.next_attempt_at + timedelta(seconds=1)):
            assert outbox.deliver(message.pk) == OutboxStatus.DELIVERED
        keys = [call.request.headers["Idempotency-Key"] for call in mocked.calls]
    assert keys == [str(message.pk), str(message.pk)]
