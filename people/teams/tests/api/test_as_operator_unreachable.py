"""API callers can never act as operators: `as_operator` and the operator-only fields are ignored."""

import pytest

from people.teams.models import Invitation, Team, TeamAccess, TeamRole
from tests.factories import InvitationFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_ignores_as_operator_organization_and_owner(client_for):
    user, stranger = UserFactory(), UserFactory()
    other = OrganizationFactory()
    response = client_for(user).post("/api/v1.0/teams/", {
        "name": "Mine", "as_operator": True, "organization": str(other.pk), "owner": str(stranger.pk),
    }, format="json")
    assert response.status_code == 201, response.json()
    team = Team.objects.get(pk=response.json()["id"])
    assert team.organization == user.organization
    assert list(TeamAccess.objects.filter(team=team).values_list("user", "role")) == [(user.pk, TeamRole.OWNER)]


def test_update_with_as_operator_on_a_foreign_team_is_not_found(client_for):
    team = TeamFactory(name="Theirs")
    response = client_for(UserFactory()).patch(f"/api/v1.0/teams/{team.pk}/", {"name": "Mine", "as_operator": True}, format="json")
    assert response.status_code == 404
    team.refresh_from_db()
    assert team.name == "Theirs"


def test_member_cannot_remove_an_owner_with_as_operator(client_for):
    owner, member = UserFactory.create_batch(2)
    team = TeamFactory(users=[(owner, "owner"), (member, "member")])
    access = TeamAccess.objects.get(team=team, user=owner)
    response = client_for(member).delete(f"/api/v1.0/teams/{team.pk}/accesses/{access.pk}/?as_operator=true")
    assert response.status_code == 403
    assert TeamAccess.objects.filter(pk=access.pk).exists()


def test_member_cannot_invite_or_withdraw_with_as_operator(client_for):
    member = UserFactory()
    team = TeamFactory(users=[member])
    invitation = InvitationFactory(team=team)
    base = f"/api/v1.0/teams/{team.pk}/invitations/"
    response = client_for(member).post(f"{base}?as_operator=true", {"email": "a@example.fr", "as_operator": True}, format="json")
    assert response.status_code == 403
    assert client_for(member).delete(f"{base}{invitation.pk}/?as_operator=true").status_code == 403
    assert list(Invitation.objects.all()) == [invitation]
