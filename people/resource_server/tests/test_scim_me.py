"""GET /resource-server/v1.0/scim/Me: the user as a SCIM resource, groups scoped to the service."""

import pytest
from rest_framework.test import APIClient

from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/resource-server/v1.0/scim/Me"


def test_scim_me(service):
    user = UserFactory(sub="agent-1", email="ada@example.gouv.fr", name="Ada")
    provider = ServiceProviderFactory(audience_id="service-a")
    linked = TeamFactory(users=[user], name="B linked")
    linked.service_providers.add(provider)
    shared = TeamFactory(users=[user], name="A shared", is_visible_all_services=True)
    TeamFactory(users=[user], name="private")
    other = TeamFactory(users=[user], name="of b")
    other.service_providers.add(ServiceProviderFactory(audience_id="service-b"))
    TeamFactory(parent=linked, organization=linked.organization, name="child without access")

    response = service.client_for(user).get(URL, HTTP_ACCEPT="application/scim+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:User"]
    assert (body["id"], body["userName"], body["displayName"], body["active"]) == (str(user.pk), "agent-1", "Ada", True)
    assert body["emails"] == [{"value": "ada@example.gouv.fr", "primary": True, "type": "work"}]
    assert body["groups"] == [
        {"value": str(shared.external_id), "display": "A shared", "type": "direct"},
        {"value": str(linked.external_id), "display": "B linked", "type": "direct"},
    ]
    assert body["meta"]["resourceType"] == "User"
    assert body["meta"]["location"].endswith(URL)


def test_trailing_slash_and_json_accept_also_work(service):
    client = service.client_for(UserFactory(sub="agent-1", email=None))
    response = client.get(URL + "/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/scim+json"
    assert response.json()["emails"] == []


def test_errors_use_the_scim_envelope(service):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/scim+json"
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == "401"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_405_in_the_scim_envelope(service, method):
    response = getattr(service.client_for(UserFactory(sub="agent-1")), method)(URL)
    assert response.status_code == 405
    assert response.json()["status"] == "405"
    assert response["Content-Type"] == "application/scim+json"


def test_query_count_is_constant(service, django_assert_max_num_queries):
    user = UserFactory(sub="agent-1")
    for _ in range(20):
        TeamFactory(users=[user], is_visible_all_services=True)
    client = service.client_for(user)
    client.get(URL)
    with django_assert_max_num_queries(3):
        assert len(client.get(URL).json()["groups"]) == 20
