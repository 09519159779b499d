"""PUT/PATCH /api/v1.0/teams/{team_id}/accesses/{id}/: role changes, within the caller's rights."""

import pytest

from people.core.models import AuditEntry
from people.teams.models import TeamAccess, TeamRole
from tests.factories import TeamAccessFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(access):
    return f"/api/v1.0/teams/{access.team_id}/accesses/{access.pk}/"


def access_of(crew, user):
    return TeamAccess.objects.get(team=crew.team, user=user)


def test_owner_promotes_a_member(client_for, crew):
    access = access_of(crew, crew.member)
    response = client_for(crew.owner).patch(url(access), {"role": "owner"}, format="json")
    assert response.status_code == 200, response.json()
    access.refresh_from_db()
    assert access.role == TeamRole.OWNER
    body = response.json()
    assert body["role"] == "owner"
    assert body["user"]["id"] == str(crew.member.pk)  # nested shape, as in reads
    entry = AuditEntry.objects.get(action="team_access.update")
    assert entry.changes == {"role": ["member", "owner"]}


def test_administrator_sets_member_and_administrator_but_not_owner(client_for, crew):
    access = access_of(crew, crew.member)
    client = client_for(crew.admin)
    assert client.put(url(access), {"role": "administrator", "user": str(crew.member.pk)}, format="json").status_code == 200
    access.refresh_from_db()
    assert access.role == TeamRole.ADMIN
    response = client.patch(url(access), {"role": "owner"}, format="json")
    assert response.status_code == 403
    access.refresh_from_db()
    assert access.role == TeamRole.ADMIN


def test_administrator_cannot_touch_an_owner(client_for, crew):
    access = access_of(crew, crew.owner)
    response = client_for(crew.admin).patch(url(access), {"role": "member"}, format="json")
    assert response.status_code == 403
    assert access_of(crew, crew.owner).role == TeamRole.OWNER


def test_owner_cannot_demote_another_owner(client_for, crew):
    other = TeamAccessFactory(team=crew.team, role=TeamRole.OWNER)
    response = client_for(crew.owner).patch(url(other), {"role": "member"}, format="json")
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.role == TeamRole.OWNER


def test_owner_steps_down_when_another_owner_remains(client_for, crew):
    TeamAccessFactory(team=crew.team, role=TeamRole.OWNER)
    access = access_of(crew, crew.owner)
    response = client_for(crew.owner).patch(url(access), {"role": "member"}, format="json")
    assert response.status_code == 200
    assert response.json()["abilities"]["set_role_to"] == []  # a member changes nothing any more
    assert access_of(crew, crew.owner).role == TeamRole.MEMBER


def test_last_owner_cannot_step_down(client_for, crew):
    access = access_of(crew, crew.owner)
    response = client_for(crew.owner).patch(url(access), {"role": "administrator"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "last_owner"
    assert access_of(crew, crew.owner).role == TeamRole.OWNER
    assert not AuditEntry.objects.filter(action="team_access.update").exists()


def test_same_role_is_a_no_op(client_for, crew):
    access = access_of(crew, crew.member)
    response = client_for(crew.admin).patch(url(access), {"role": "member"}, format="json")
    assert response.status_code == 200
    assert response.json()["role"] == "member"
    assert not AuditEntry.objects.filter(action="team_access.update").exists()
    # Even the last owner may "set" owner again.
    owner = access_of(crew, crew.owner)
    assert client_for(crew.owner).patch(url(owner), {"role": "owner"}, format="json").status_code == 200


def test_member_gets_403(client_for, crew):
    access = access_of(crew, crew.admin)
    response = client_for(crew.member).patch(url(access), {"role": "member"}, format="json")
    assert response.status_code == 403
    assert access_of(crew, crew.admin).role == TeamRole.ADMIN


def test_outsiders_get_404(client_for, crew):
    access = access_of(crew, crew.member)
    assert client_for(crew.outsider).patch(url(access), {"role": "administrator"}, format="json").status_code == 404
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert client_for(crew.outsider).patch(url(access), {"role": "administrator"}, format="json").status_code == 404
    assert access_of(crew, crew.member).role == TeamRole.MEMBER


@pytest.mark.parametrize("body", [{"role": "king"}, {"role": None}, {"role": 1}, {}])
def test_bad_role_on_put_is_a_400(client_for, crew, body):
    access = access_of(crew, crew.member)
    response = client_for(crew.owner).put(url(access), body, format="json")
    assert response.status_code == 400
    assert "role" in response.json()


def test_patch_without_role_changes_nothing(client_for, crew):
    access = access_of(crew, crew.member)
    response = client_for(crew.owner).patch(url(access), {"user": str(crew.owner.pk)}, format="json")
    assert response.status_code == 200
    access.refresh_from_db()
    assert (access.user, access.role) == (crew.member, TeamRole.MEMBER)


def test_bad_ids_are_404(client_for, crew):
    client = client_for(crew.owner)
    assert client.patch(f"/api/v1.0/teams/{crew.team.pk}/accesses/nope/", {"role": "member"}, format="json").status_code == 404
    assert client.patch("/api/v1.0/teams/nope/accesses/nope/", {"role": "member"}, format="json").status_code == 404


@pytest.mark.parametrize("method", ["put", "patch"])
def test_anonymous_gets_401_and_nothing_changes(anonymous, crew, method):
    access = TeamAccess.objects.get(team=crew.team, user=crew.member)
    response = getattr(anonymous, method)(url(access), {"role": "owner"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    access.refresh_from_db()
    assert access.role == TeamRole.MEMBER
