"""Whatever a service sends to the resource-server API, the answer is never a server error."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.resource_server.services import account_service_create
from tests.factories import InvitationFactory, ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=300),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=20), children, max_size=4),
    max_leaves=10,
)
BODY = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {},
        optional={
            "name": JSON,
            "is_visible_all_services": JSON,
            "email": JSON,
            "role": JSON,
            "sub": JSON,
            "service_providers": JSON,
        },
    ),
)
SEGMENT = st.one_of(st.uuids().map(str), st.text(alphabet="abc-123%.", min_size=1, max_size=40))
FUZZ = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


@pytest.fixture
def calls(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[(user, "owner")])
    team.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    invitation = InvitationFactory(team=team)
    client = service.client_for(user)
    _account, key = account_service_create(actor=None, name="Fuzz", scopes=["team-accesses:create"])
    return client, key, str(team.pk), str(invitation.pk)


@FUZZ
@given(body=BODY, segment=SEGMENT, method=st.sampled_from(["post", "put", "patch", "delete", "get"]))
def test_team_routes(calls, body, segment, method):
    client, _key, team_id, invitation_id = calls
    for path in (
        "/resource-server/v1.0/teams/",
        f"/resource-server/v1.0/teams/{segment}/",
        f"/resource-server/v1.0/teams/{team_id}/",
        f"/resource-server/v1.0/teams/{team_id}/invitations/",
        f"/resource-server/v1.0/teams/{segment}/invitations/{invitation_id}/",
        f"/resource-server/v1.0/teams/{team_id}/invitations/{segment}/",
    ):
        if method == "get":
            response = client.get(path)
        else:
            response = getattr(client, method)(path, body, format="json")
        assert response.status_code < 500, (method, path, body, response.content[:300])


@FUZZ
@given(body=BODY, segment=SEGMENT, query=st.dictionaries(st.sampled_from(["page", "page_size", "ordering"]), st.text(max_size=30)))
def test_reads_and_api_key_route(calls, body, segment, query):
    from rest_framework.test import APIClient

    client, key, team_id, _invitation_id = calls
    for path in ("/resource-server/v1.0/teams/", "/resource-server/v1.0/users/me/", "/resource-server/v1.0/scim/Me"):
        assert client.get(path, query).status_code < 500
    keyed = APIClient()
    keyed.credentials(HTTP_AUTHORIZATION=f"ApiKey {key}")
    for path in (f"/resource-server/v1.0/teams/{team_id}/accesses/", f"/resource-server/v1.0/teams/{segment}/accesses/"):
        response = keyed.post(path, body, format="json")
        assert response.status_code < 500, (path, body, response.content[:300])
