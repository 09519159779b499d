"""DELETE /api/v1.0/teams/{team_id}/invitations/{id}/: owners and administrators."""

import pytest

from people.core.models import AuditEntry
from people.teams.models import Invitation
from tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def url(invitation):
    return f"/api/v1.0/teams/{invitation.team_id}/invitations/{invitation.pk}/"


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_delete(client_for, crew, who):
    invitation = InvitationFactory(team=crew.team)
    assert client_for(getattr(crew, who)).delete(url(invitation)).status_code == 204
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    entry = AuditEntry.objects.get(action="invitation.delete")
    assert entry.target_id == str(invitation.pk)


def test_member_gets_403(client_for, crew):
    invitation = InvitationFactory(team=crew.team)
    response = client_for(crew.member).delete(url(invitation))
    assert response.status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_outsider_and_bad_ids_get_404(client_for, crew):
    invitation = InvitationFactory(team=crew.team)
    assert client_for(crew.outsider).delete(url(invitation)).status_code == 404
    assert client_for(crew.owner).delete(f"/api/v1.0/teams/{crew.team.pk}/invitations/nope/").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_anonymous_gets_401_and_nothing_is_deleted(anonymous, crew):
    invitation = InvitationFactory(team=crew.team)
    response = anonymous.delete(url(invitation))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Invitation.objects.filter(pk=invitation.pk).exists()
