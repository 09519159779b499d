"""Per-user rate limits on the directory endpoints (contract §0.5)."""

import pytest

from people.identity.api.throttling import DirectoryRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1.0/users/", "/api/v1.0/contacts/", "/api/v1.0/service-providers/"])
def test_burst_limit_answers_429(client_for, monkeypatch, url):
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_burst": "2/minute"})
    client = client_for(UserFactory())
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]


def test_organization_endpoint_is_throttled(client_for, monkeypatch):
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_sustained": "1/hour"})
    me = UserFactory()
    url = f"/api/v1.0/organizations/{me.organization.pk}/"
    client = client_for(me)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_limits_are_per_user(client_for, monkeypatch):
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_burst": "1/minute"})
    first, second = client_for(UserFactory()), client_for(UserFactory())
    assert first.get("/api/v1.0/users/").status_code == 200
    assert first.get("/api/v1.0/users/").status_code == 429
    assert second.get("/api/v1.0/users/").status_code == 200


def test_both_windows_hold_and_the_wait_is_the_longest(client_for, monkeypatch):
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_burst": "3/minute", "user_sustained": "2/hour"})
    client = client_for(UserFactory())
    assert [client.get("/api/v1.0/users/me/").status_code for _ in range(3)] == [200, 200, 429]
    assert 3540 < int(client.get("/api/v1.0/users/me/")["Retry-After"]) <= 3600  # the hour's window


def test_a_refused_request_spends_nothing(client_for, monkeypatch):
    clock = [1_800_000_000.0]
    monkeypatch.setattr(DirectoryRateThrottle, "timer", lambda self: clock[0])
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_burst": "1/minute", "user_sustained": "2/hour"})
    client = client_for(UserFactory())
    assert client.get("/api/v1.0/users/me/").status_code == 200
    assert [client.get("/api/v1.0/users/me/").status_code for _ in range(5)] == [429] * 5
    clock[0] += 61  # the minute has passed; the refused ones took nothing of the hour's two
    assert client.get("/api/v1.0/users/me/").status_code == 200
    clock[0] += 61
    assert client.get("/api/v1.0/users/me/").status_code == 429
