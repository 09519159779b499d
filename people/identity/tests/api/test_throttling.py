"""Per-user rate limits on the directory endpoints (contract §0.5)."""

import pytest

from people.identity.api.throttling import BurstRateThrottle, SustainedRateThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1.0/users/", "/api/v1.0/contacts/", "/api/v1.0/service-providers/"])
def test_burst_limit_answers_429(client_for, monkeypatch, url):
    monkeypatch.setattr(BurstRateThrottle, "THROTTLE_RATES", {"user_burst": "2/minute"})
    client = client_for(UserFactory())
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert response.status_code == 429
    assert "throttled" in response.json()["detail"]


def test_organization_endpoint_is_throttled(client_for, monkeypatch):
    monkeypatch.setattr(SustainedRateThrottle, "THROTTLE_RATES", {"user_sustained": "1/hour"})
    me = UserFactory()
    url = f"/api/v1.0/organizations/{me.organization.pk}/"
    client = client_for(me)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_limits_are_per_user(client_for, monkeypatch):
    monkeypatch.setattr(BurstRateThrottle, "THROTTLE_RATES", {"user_burst": "1/minute"})
    first, second = client_for(UserFactory()), client_for(UserFactory())
    assert first.get("/api/v1.0/users/").status_code == 200
    assert first.get("/api/v1.0/users/").status_code == 429
    assert second.get("/api/v1.0/users/").status_code == 200
