"""Rate limit of the resource-server API: one budget per calling service and user, 429 when spent."""

from __future__ import annotations

import warnings

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.core.exceptions import ImproperlyConfigured

from people.portal.api.resource_server.scim import ERROR_SCHEMA
from people.resource_server.throttling import ServiceUserRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = "/resource-server/v1.0/users/me/"
TEAMS = "/resource-server/v1.0/teams/"
SCIM_ME = "/resource-server/v1.0/scim/Me"


@pytest.fixture
def rate(settings):
    settings.THROTTLE_SERVICE_RATE = "2/minute"
    return settings


def test_a_spent_budget_is_a_429_with_retry_after(service, rate):
    client = service.client_for(UserFactory(sub="agent-1"))
    assert [client.get(ME).status_code for _ in range(2)] == [200, 200]
    response = client.get(ME)
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_budget_is_shared_by_every_route(service, rate):
    client = service.client_for(UserFactory(sub="agent-1"))
    assert client.get(ME).status_code == 200
    assert client.get(TEAMS).status_code == 200
    assert client.get(TEAMS).status_code == 429
    assert client.post(TEAMS, {"name": "Docs"}, format="json").status_code == 429


def test_scim_me_answers_429_in_the_scim_envelope(service, rate):
    client = service.client_for(UserFactory(sub="agent-1"))
    assert [client.get(SCIM_ME).status_code for _ in range(2)] == [200, 200]
    response = client.get(SCIM_ME)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/scim+json"
    assert response["Retry-After"]
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == "429"
    assert "throttled" in body["detail"]


def test_one_service_does_not_spend_the_budget_of_another(service, rate):
    user = UserFactory(sub="agent-1")
    as_a = service.client_for(user, audience="service-a")
    assert [as_a.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert service.client_for(user, audience="service-b").get(ME).status_code == 200


def test_one_user_does_not_spend_the_budget_of_another(service, rate):
    first = service.client_for(UserFactory(sub="agent-1"))
    assert [first.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    assert service.client_for(UserFactory(sub="agent-2")).get(ME).status_code == 200


def test_another_token_of_the_same_service_and_user_shares_the_budget(service, rate):
    user = UserFactory(sub="agent-1")
    assert [service.client_for(user).get(ME).status_code for _ in range(3)] == [200, 200, 429]


def test_the_budget_comes_back_after_the_period(service, rate, monkeypatch):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(ServiceUserRateThrottle, "timer", lambda self: clock[0])
    client = service.client_for(UserFactory(sub="agent-1"))
    assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 429]
    clock[0] += 61
    assert client.get(ME).status_code == 200


def test_refused_tokens_are_401_not_counted(service, rate):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-known-token-xxxxxxxx")
    assert [client.get(ME).status_code for _ in range(3)] == [401, 401, 401]


def test_no_rate_means_no_limit(service, settings):
    settings.THROTTLE_SERVICE_RATE = None
    client = service.client_for(UserFactory(sub="agent-1"))
    assert {client.get(ME).status_code for _ in range(25)} == {200}


def test_odd_audiences_make_valid_cache_keys(service, rate):
    client = service.client_for(UserFactory(sub="agent-1"), audience="service with spaces\u00e9/:" + "x" * 230)
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # what memcached would refuse
        assert [client.get(ME).status_code for _ in range(3)] == [200, 200, 429]


# --- The setting ------------------------------------------------------------------------------


def _load(monkeypatch, value: str | None):
    from config.env import load
    from config.resource_server import ResourceServerEnv

    if value is None:
        monkeypatch.delenv("THROTTLE_SERVICE_RATE", raising=False)
    else:
        monkeypatch.setenv("THROTTLE_SERVICE_RATE", value)
    return load(ResourceServerEnv).THROTTLE_SERVICE_RATE


def test_default_rate(monkeypatch):
    assert _load(monkeypatch, None) == "600/minute"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("100/second", "100/second"), (" 30/Hour ", "30/hour"), ("5/d", "5/d"), ("none", None), ("", None)],
)
def test_accepted_rates(monkeypatch, value, expected):
    assert _load(monkeypatch, value) == expected


@pytest.mark.parametrize("value", ["600", "600/month", "0/minute", "-1/minute", "ten/minute", "600/minute/2"])
def test_refused_rates_are_a_clear_start_up_error(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured, match="THROTTLE_SERVICE_RATE"):
        _load(monkeypatch, value)
