"""GET /api/v1.0/teams/{team_id}/invitations/{id}/: any member; anyone else gets a 404."""

import pytest

from tests.factories import UNKNOWN_ID, InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def url(invitation):
    return f"/api/v1.0/teams/{invitation.team_id}/invitations/{invitation.pk}/"


@pytest.mark.parametrize("who", ["owner", "admin", "member"])
def test_members_retrieve(client_for, crew, who):
    invitation = InvitationFactory(team=crew.team, issuer=crew.owner)
    response = client_for(getattr(crew, who)).get(url(invitation))
    assert response.status_code == 200
    assert response.json()["email"] == invitation.email
    assert response.json()["issuer"] == str(crew.owner.pk)


def test_non_members_get_404(client_for, crew):
    invitation = InvitationFactory(team=crew.team)
    assert client_for(crew.outsider).get(url(invitation)).status_code == 404
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert client_for(crew.outsider).get(url(invitation)).status_code == 404


@pytest.mark.parametrize("invitation_id", ["nope", UNKNOWN_ID], ids=["malformed", "unknown"])
def test_bad_ids_are_404(client_for, crew, invitation_id):
    response = client_for(crew.owner).get(f"/api/v1.0/teams/{crew.team.pk}/invitations/{invitation_id}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "No Invitation matches the given query."


def test_invitation_of_another_team_is_404(client_for, crew):
    foreign = InvitationFactory()
    response = client_for(crew.owner).get(f"/api/v1.0/teams/{crew.team.pk}/invitations/{foreign.pk}/")
    assert response.status_code == 404


def test_update_is_not_offered(client_for, crew):
    invitation = InvitationFactory(team=crew.team)
    assert client_for(crew.owner).patch(url(invitation), {"role": "owner"}, format="json").status_code == 405
    assert client_for(crew.owner).put(url(invitation), {"role": "owner"}, format="json").status_code == 405


def test_anonymous_gets_401(anonymous):
    response = anonymous.get(url(InvitationFactory()))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
