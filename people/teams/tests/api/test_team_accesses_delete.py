"""DELETE /api/v1.0/teams/{team_id}/accesses/{id}/: editors remove members; anyone leaves, but the last owner."""

import pytest

from people.core.models import AuditEntry
from people.teams.models import TeamAccess, TeamRole
from tests.factories import TeamAccessFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(access):
    return f"/api/v1.0/teams/{access.team_id}/accesses/{access.pk}/"


def access_of(crew, user):
    return TeamAccess.objects.get(team=crew.team, user=user)


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_remove_a_member(client_for, crew, who):
    access = access_of(crew, crew.member)
    response = client_for(getattr(crew, who)).delete(url(access))
    assert response.status_code == 204
    assert not TeamAccess.objects.filter(pk=access.pk).exists()
    entry = AuditEntry.objects.get(action="team_access.delete")
    assert entry.target_id == str(access.pk)
    assert entry.changes["role"] == "member"


def test_member_cannot_remove_anyone(client_for, crew):
    access = access_of(crew, crew.admin)
    assert client_for(crew.member).delete(url(access)).status_code == 403
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_member_cannot_remove_another_member(client_for, crew):
    other = TeamAccessFactory(team=crew.team, role=TeamRole.MEMBER)
    response = client_for(crew.member).delete(url(other))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert TeamAccess.objects.filter(pk=other.pk).exists()
    assert not AuditEntry.objects.filter(action="team_access.delete").exists()


@pytest.mark.parametrize("who", ["member", "admin"])
def test_members_and_administrators_leave(client_for, crew, who):
    user = getattr(crew, who)
    access = access_of(crew, user)
    response = client_for(user).delete(url(access))
    assert response.status_code == 204
    assert not TeamAccess.objects.filter(pk=access.pk).exists()
    entry = AuditEntry.objects.get(action="team_access.delete")
    assert (entry.actor_id, entry.target_id) == (user.pk, str(access.pk))
    assert entry.changes["role"] == access.role
    # Having left, the team is no longer theirs to see.
    assert client_for(user).get(f"/api/v1.0/teams/{crew.team.pk}/").status_code == 404


def test_administrator_cannot_remove_an_owner(client_for, crew):
    access = access_of(crew, crew.owner)
    assert client_for(crew.admin).delete(url(access)).status_code == 403
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_owner_cannot_remove_another_owner(client_for, crew):
    other = TeamAccessFactory(team=crew.team, role=TeamRole.OWNER)
    assert client_for(crew.owner).delete(url(other)).status_code == 403
    assert TeamAccess.objects.filter(pk=other.pk).exists()


def test_owner_leaves_when_another_owner_remains(client_for, crew):
    TeamAccessFactory(team=crew.team, role=TeamRole.OWNER)
    access = access_of(crew, crew.owner)
    assert client_for(crew.owner).delete(url(access)).status_code == 204
    assert not TeamAccess.objects.filter(pk=access.pk).exists()


def test_last_owner_cannot_leave(client_for, crew):
    access = access_of(crew, crew.owner)
    response = client_for(crew.owner).delete(url(access))
    assert response.status_code == 400
    assert response.json()["code"] == "last_owner"
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_outsiders_get_404(client_for, crew):
    access = access_of(crew, crew.member)
    assert client_for(crew.outsider).delete(url(access)).status_code == 404
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert client_for(crew.outsider).delete(url(access)).status_code == 404
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_bad_and_foreign_ids_are_404(client_for, crew):
    client = client_for(crew.owner)
    foreign = TeamAccessFactory()
    assert client.delete(f"/api/v1.0/teams/{crew.team.pk}/accesses/{foreign.pk}/").status_code == 404
    assert client.delete(f"/api/v1.0/teams/{crew.team.pk}/accesses/nope/").status_code == 404
    assert TeamAccess.objects.filter(pk=foreign.pk).exists()


def test_anonymous_gets_401_and_nothing_is_deleted(anonymous, crew):
    access = TeamAccess.objects.get(team=crew.team, user=crew.member)
    response = anonymous.delete(url(access))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert TeamAccess.objects.filter(pk=access.pk).exists()


# (caller, access) -> may delete: one's own access but the last owner's, editors any non-owner.
DELETE_MATRIX = {
    ("owner", "owner"): False, ("owner", "admin"): True, ("owner", "member"): True,
    ("admin", "owner"): False, ("admin", "admin"): True, ("admin", "member"): True,
    ("member", "owner"): False, ("member", "admin"): False, ("member", "member"): True,
}


@pytest.mark.parametrize(("who", "target"), list(DELETE_MATRIX))
def test_delete_ability_of_each_row_says_what_the_server_accepts(client_for, crew, who, target):
    client = client_for(getattr(crew, who))
    access = access_of(crew, getattr(crew, target))
    rows = client.get(f"/api/v1.0/teams/{crew.team.pk}/accesses/").json()["results"]
    can_delete = next(row["abilities"]["delete"] for row in rows if row["id"] == str(access.pk))
    assert can_delete is DELETE_MATRIX[(who, target)]
    response = client.delete(url(access))
    assert (response.status_code == 204) is can_delete
    assert TeamAccess.objects.filter(pk=access.pk).exists() is not can_delete
