import pytest
from rest_framework.test import APIClient

from tests.factories import UNKNOWN_ID, ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(provider_id):
    return f"/api/v1.0/service-providers/{provider_id}/"


def test_anonymous_gets_401():
    assert APIClient().get(url(ServiceProviderFactory().pk)).status_code == 401


def test_provider_of_own_organization(client_for):
    me = UserFactory()
    provider = ServiceProviderFactory(name="Docs", audience_id="docs")
    me.organization.service_providers.add(provider)
    response = client_for(me).get(url(provider.pk))
    assert response.status_code == 200
    assert response.json() == {"id": str(provider.pk), "audience_id": "docs", "name": "Docs"}


def test_provider_only_used_by_a_team_is_404(client_for):
    me = UserFactory()
    provider = ServiceProviderFactory()
    TeamFactory(organization=me.organization, users=[me]).service_providers.add(provider)
    response = client_for(me).get(url(provider.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "No ServiceProvider matches the given query."


@pytest.mark.parametrize("provider_id", [UNKNOWN_ID, "abc", "1"], ids=["unknown", "malformed", "integer"])
def test_unknown_or_malformed_id_is_404(client_for, provider_id):
    assert client_for(UserFactory()).get(url(provider_id)).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_writes_are_405(client_for, method):
    me = UserFactory()
    provider = ServiceProviderFactory(name="Docs")
    me.organization.service_providers.add(provider)
    response = getattr(client_for(me), method)(url(provider.pk), {"name": "x"}, format="json")
    assert response.status_code == 405
    provider.refresh_from_db()
    assert provider.name == "Docs"
