"""POST /api/v1.0/teams/{team_id}/accesses/: owners and administrators add colleagues by id."""

import uuid

import pytest

from people.core.models import AuditEntry
from people.teams.models import TeamAccess, TeamRole
from tests.factories import UNKNOWN_ID, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/accesses/"


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_add_a_member(client_for, crew, who):
    newcomer = UserFactory(organization=crew.team.organization)
    response = client_for(getattr(crew, who)).post(url(crew.team.pk), {"user": str(newcomer.pk)}, format="json")
    assert response.status_code == 201, response.json()
    access = TeamAccess.objects.get(team=crew.team, user=newcomer)
    assert access.role == TeamRole.MEMBER
    body = response.json()
    # Same nested shape as reads.
    assert body["id"] == str(access.pk)
    assert body["user"] == {"id": str(newcomer.pk), "email": newcomer.email, "name": newcomer.name}
    assert body["role"] == "member"
    assert "set_role_to" in body["abilities"]
    entry = AuditEntry.objects.get(action="team_access.create")
    assert entry.target_id == str(access.pk)
    assert entry.changes["role"] == "member"


def test_owner_adds_another_owner(client_for, crew):
    newcomer = UserFactory(organization=crew.team.organization)
    response = client_for(crew.owner).post(url(crew.team.pk), {"user": str(newcomer.pk), "role": "owner"}, format="json")
    assert response.status_code == 201
    assert TeamAccess.objects.get(team=crew.team, user=newcomer).role == TeamRole.OWNER


def test_administrator_cannot_add_an_owner(client_for, crew):
    newcomer = UserFactory(organization=crew.team.organization)
    response = client_for(crew.admin).post(url(crew.team.pk), {"user": str(newcomer.pk), "role": "owner"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only owners of a team can assign other users as owners."
    assert not TeamAccess.objects.filter(user=newcomer).exists()


def test_member_gets_403(client_for, crew):
    newcomer = UserFactory(organization=crew.team.organization)
    response = client_for(crew.member).post(url(crew.team.pk), {"user": str(newcomer.pk)}, format="json")
    assert response.status_code == 403
    assert response.json() == {
        "detail": "You are not allowed to manage accesses for this team.",
        "code": "permission_denied",
    }


def test_ancestor_only_viewer_gets_403(client_for, crew):
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    response = client_for(crew.outsider).post(url(crew.team.pk), {"user": str(crew.outsider.pk)}, format="json")
    assert response.status_code == 403
    assert not TeamAccess.objects.filter(team=crew.team, user=crew.outsider).exists()


def test_outsider_gets_404(client_for, crew):
    response = client_for(crew.outsider).post(url(crew.team.pk), {"user": str(crew.outsider.pk)}, format="json")
    assert response.status_code == 404
    assert not TeamAccess.objects.filter(user=crew.outsider).exists()


def test_existing_member_is_a_400(client_for, crew):
    response = client_for(crew.owner).post(url(crew.team.pk), {"user": str(crew.member.pk), "role": "administrator"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "already_member"
    assert TeamAccess.objects.get(team=crew.team, user=crew.member).role == TeamRole.MEMBER


@pytest.mark.parametrize(
    "user_value",
    [None, "not-a-uuid", 42, UNKNOWN_ID, ["x"], "MISSING"],
    ids=["null", "malformed", "integer", "unknown", "list", "missing"],
)
def test_bad_user_is_a_400(client_for, crew, user_value):
    body = {} if user_value == "MISSING" else {"user": user_value}
    before = TeamAccess.objects.count()
    response = client_for(crew.owner).post(url(crew.team.pk), body, format="json")
    assert response.status_code == 400
    assert "user" in response.json()
    assert TeamAccess.objects.count() == before


@pytest.mark.parametrize("role", ["king", ["owner"], None, 1])
def test_bad_role_is_a_400(client_for, crew, role):
    newcomer = UserFactory(organization=crew.team.organization)
    response = client_for(crew.owner).post(url(crew.team.pk), {"user": str(newcomer.pk), "role": role}, format="json")
    assert response.status_code == 400
    assert "role" in response.json()
    assert not TeamAccess.objects.filter(user=newcomer).exists()


def test_inactive_user_is_a_400(client_for, crew):
    sleeper = UserFactory(organization=crew.team.organization, is_active=False)
    response = client_for(crew.owner).post(url(crew.team.pk), {"user": str(sleeper.pk)}, format="json")
    assert response.status_code == 400
    assert "user" in response.json()


def test_user_of_another_organization_is_refused_like_an_unknown_id(client_for, crew):
    stranger = UserFactory()
    assert stranger.organization_id != crew.team.organization_id
    client = client_for(crew.owner)
    refused = client.post(url(crew.team.pk), {"user": str(stranger.pk)}, format="json")
    unknown = client.post(url(crew.team.pk), {"user": str(uuid.uuid4())}, format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json() == unknown.json() == {"user": ["No active user has this id."]}
    assert stranger.email not in refused.content.decode()
    assert not TeamAccess.objects.filter(user=stranger).exists()
    assert not AuditEntry.objects.filter(action="team_access.create").exists()


def test_user_of_another_organization_joins_through_an_invitation_by_email(client_for, crew):
    stranger = UserFactory()
    response = client_for(crew.owner).post(
        f"/api/v1.0/teams/{crew.team.pk}/invitations/", {"email": stranger.email}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["user"]["id"] == str(stranger.pk)
    assert TeamAccess.objects.filter(team=crew.team, user=stranger, role=TeamRole.MEMBER).exists()


def test_non_uuid_team_is_404(client_for, crew):
    response = client_for(crew.owner).post(url("abc"), {"user": str(crew.outsider.pk)}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize("raw", ["[]", '"x"', "null", "7"])
def test_non_object_bodies_are_a_400(client_for, crew, raw):
    before = TeamAccess.objects.count()
    response = client_for(crew.owner).post(url(crew.team.pk), raw, content_type="application/json")
    assert response.status_code == 400
    assert TeamAccess.objects.count() == before


def test_anonymous_gets_401_and_nothing_is_created(anonymous, crew):
    response = anonymous.post(url(crew.team.pk), {"user": str(crew.outsider.pk)}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert TeamAccess.objects.filter(team=crew.team).count() == 3
