"""GET /api/v1.0/teams/{id}/: visible teams only, everything else is a 404."""

import pytest

from people.teams.models import TeamRole
from tests.factories import UNKNOWN_ID, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/"


@pytest.mark.parametrize(
    ("role", "abilities"),
    [
        (TeamRole.MEMBER, {"get": True, "patch": False, "put": False, "delete": False, "manage_accesses": False}),
        (TeamRole.ADMIN, {"get": True, "patch": True, "put": True, "delete": False, "manage_accesses": True}),
        (TeamRole.OWNER, {"get": True, "patch": True, "put": True, "delete": True, "manage_accesses": True}),
    ],
)
def test_members_see_the_team_with_their_abilities(client_for, role, abilities):
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, role)])
    response = client_for(user).get(url(team.pk))
    assert response.status_code == 200
    assert response.json()["abilities"] == abilities
    assert response.json()["role"] == role


def test_ancestor_is_visible_read_only(client_for):
    user = UserFactory()
    parent = TeamFactory(organization=user.organization)
    TeamFactory(organization=user.organization, parent=parent, users=[user])
    response = client_for(user).get(url(parent.pk))
    assert response.status_code == 200
    assert response.json()["abilities"]["get"] is True
    assert response.json()["abilities"]["patch"] is False


def test_child_of_own_team_is_hidden(client_for):
    user = UserFactory()
    parent = TeamFactory(organization=user.organization, users=[user])
    child = TeamFactory(organization=user.organization, parent=parent)
    assert client_for(user).get(url(child.pk)).status_code == 404


@pytest.mark.parametrize("team_id", ["not-a-uuid", UNKNOWN_ID, "1234"], ids=["malformed", "unknown", "integer"])
def test_unknown_or_malformed_ids_are_404(client_for, team_id):
    response = client_for(UserFactory()).get(url(team_id))
    assert response.status_code == 404
    assert response.json()["detail"] == "No Team matches the given query."


def test_other_organization_team_is_404(client_for):
    team = TeamFactory(users=[UserFactory()])
    assert client_for(UserFactory()).get(url(team.pk)).status_code == 404


def test_anonymous_gets_401(anonymous):
    response = anonymous.get(url(TeamFactory().pk))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
