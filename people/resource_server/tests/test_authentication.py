"""Bearer authentication of services, seen through GET /resource-server/v1.0/users/me/."""

import base64

import pytest
import requests
import responses
from rest_framework.test import APIClient

from people.core.models import AuditEntry
from people.identity.models import ServiceProvider
from tests.factories import ServiceProviderFactory, UserFactory

from .conftest import INTROSPECTION_URL

pytestmark = pytest.mark.django_db

URL = "/resource-server/v1.0/users/me/"


def test_valid_token_authenticates_the_user(service):
    user = UserFactory(sub="agent-1")
    response = service.client_for(user).get(URL)
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)


def test_no_credentials_is_a_401_with_a_challenge(rs_settings):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer a b", "Bearer not-a-known-token-xxxxxxxx", "Bearer " + "x" * 5000, "Bearer t\u00e9st"],
)
def test_refused_token_is_a_401_invalid_token(service, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Login failed", "code": "invalid_token"}
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_unknown_user_is_a_401_and_is_not_created(service):
    ghost = UserFactory.build(sub="ghost")
    response = service.client_for(ghost).get(URL)
    assert response.status_code == 401
    assert response.json()["code"] == "unknown_user"
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'


def test_base64_encoded_token_is_accepted(service):
    user = UserFactory(sub="agent-1")
    client = service.client_for(user)
    client.credentials(HTTP_AUTHORIZATION="Bearer " + base64.b64encode(client.token.encode()).decode())
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("failure", [requests.ConnectionError("down"), requests.Timeout("slow")])
def test_provider_down_is_a_503(rs_settings, failure):
    UserFactory(sub="agent-1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer some-token-value-123456789")
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, INTROSPECTION_URL, body=failure)
        response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["code"] == "identity_provider_unavailable"


def test_session_is_not_accepted_on_the_resource_server(rs_settings):
    user = UserFactory()
    client = APIClient()
    client.force_login(user)
    assert client.get(URL).status_code == 401


def test_first_call_of_a_service_creates_its_provider_row(service):
    user = UserFactory(sub="agent-1")
    assert not ServiceProvider.objects.filter(audience_id="service-new").exists()
    service.client_for(user, audience="service-new").get(URL)
    service.client_for(user, audience="service-new").get(URL)
    provider = ServiceProvider.objects.get(audience_id="service-new")
    assert provider.name == "service-new"
    assert not provider.organizations.exists()
    assert not provider.teams.exists()


def test_a_cached_token_reads_only_its_user_on_users_me(service, django_assert_num_queries):
    """The calling service's row is read where a view needs it (teams), not on `users/me/`: a
    service's every page asks for it."""
    client = service.client_for(UserFactory(sub="agent-1"), audience="service-new")
    assert client.get(URL).status_code == 200  # introspected: the service's row is made
    assert ServiceProvider.objects.filter(audience_id="service-new").exists()
    with django_assert_num_queries(1):  # the user, with their organization
        assert client.get(URL).status_code == 200
    ServiceProvider.objects.filter(audience_id="service-new").delete()  # an operator removed it
    assert client.get("/resource-server/v1.0/teams/").status_code == 200  # made again when needed
    assert ServiceProvider.objects.filter(audience_id="service-new").exists()


def test_known_service_keeps_its_row(service):
    existing = ServiceProviderFactory(audience_id="service-a", name="Documents")
    service.client_for(UserFactory(sub="agent-1")).get(URL)
    assert ServiceProvider.objects.get(audience_id="service-a") == existing
    assert ServiceProvider.objects.get(audience_id="service-a").name == "Documents"


def test_changes_are_audited_as_the_service(service):
    user = UserFactory(sub="agent-1")
    response = service.client_for(user, audience="service-a").post(
        "/resource-server/v1.0/teams/", {"name": "Audited"}, format="json"
    )
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="team.create")
    assert (entry.audience, entry.service, entry.actor_id) == ("service", "service-a", user.pk)


def test_cached_token_does_not_call_the_provider_again(service):
    client = service.client_for(UserFactory(sub="agent-1"))
    for _ in range(3):
        assert client.get(URL).status_code == 200
    assert service.provider.calls_to(INTROSPECTION_URL) == 1
