"""The resource-server API reads bodies like the client API: too deep, not Unicode, or a NUL
character in a text field (refused by PostgreSQL) is a 400 that changes nothing."""

import pytest
from rest_framework.test import APIClient

from people.core.untrusted import MAX_JSON_DEPTH
from people.resource_server.services import account_service_create
from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory
from tests.write_endpoints import snapshot

pytestmark = pytest.mark.django_db

DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def calls(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[(user, "owner")])
    team.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    return service.client_for(user), team


@pytest.mark.parametrize(
    ("method", "path", "raw", "code"),
    [
        ("POST", "teams/", DEEP, "json_too_deep"),
        ("POST", "teams/", '{"name": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}", "json_too_deep"),
        ("PATCH", "teams/{team}/", DEEP, "json_too_deep"),
        ("POST", "teams/{team}/invitations/", DEEP, "json_too_deep"),
        ("POST", "teams/", '{"name": "\\ud800"}', "invalid_unicode"),
        ("PATCH", "teams/{team}/", '{"name": "x\\udc00"}', "invalid_unicode"),
        ("POST", "teams/{team}/invitations/", '{"email": "a@ville.fr", "role": "\\ud800"}', "invalid_unicode"),
        ("POST", "teams/", '{"name": "x\\u0000"}', None),
        ("PATCH", "teams/{team}/", '{"name": "\\u0000"}', None),
        ("POST", "teams/{team}/invitations/", '{"email": "a\\u0000@ville.fr", "role": "member"}', None),
    ],
)
def test_service_bodies(calls, method, path, raw, code):
    client, team = calls
    before = snapshot()
    url = "/resource-server/v1.0/" + path.format(team=team.pk)
    response = client.generic(method, url, raw, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response.json().get("code") == code
    assert snapshot() == before


@pytest.mark.parametrize(
    "raw",
    [
        DEEP,
        '{"email": "a@ville.fr", "role": "\\ud800"}',
        '{"email": "a\\u0000@ville.fr", "role": "member"}',
        '{"sub": "agent\\u0000", "role": "member"}',
        '{"email": "a@ville.fr", "role": "member\\u0000"}',
    ],
)
def test_api_key_route(raw):
    team = TeamFactory()
    _account, key = account_service_create(actor=None, name="Mail", scopes=["team-accesses:create"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    before = snapshot()
    response = client.generic(
        "POST", f"/resource-server/v1.0/teams/{team.pk}/accesses/", raw, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert snapshot() == before
