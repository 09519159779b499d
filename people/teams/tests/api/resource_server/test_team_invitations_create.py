"""POST /resource-server/v1.0/teams/{team_id}/invitations/."""

import pytest
from django.core import mail

from people.teams.models import Invitation, TeamAccess
from people.teams.tests.api.resource_server.shared import invitations_url, linked_team
from tests.factories import InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


_url = invitations_url


def _linked_team(user, role="owner", **kwargs):
    return linked_team(user, role, **kwargs)


@pytest.mark.parametrize("role", ["owner", "administrator"])
def test_managers_invite_and_an_email_goes_out(service, role, django_capture_on_commit_callbacks):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user, role)
    with django_capture_on_commit_callbacks(execute=True):
        response = service.client_for(user).post(
            _url(team.pk), {"email": "New.Person@example.gouv.fr", "role": "member"}, format="json"
        )
    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.team, invitation.issuer) == ("new.person@example.gouv.fr", team, user)
    assert response.json()["id"] == str(invitation.pk)
    assert [message.to for message in mail.outbox] == [["new.person@example.gouv.fr"]]


def test_member_cannot_invite(service):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user, "member")
    response = service.client_for(user).post(_url(team.pk), {"email": "x@example.gouv.fr"}, format="json")
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_team_not_linked_to_the_service_is_404(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[(user, "owner")], is_visible_all_services=True)
    response = service.client_for(user).post(_url(team.pk), {"email": "x@example.gouv.fr"}, format="json")
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_existing_user_gets_the_access_at_once(service):
    user = UserFactory(sub="agent-1")
    known = UserFactory(email="known@example.gouv.fr")
    team = _linked_team(user)
    response = service.client_for(user).post(_url(team.pk), {"email": "known@example.gouv.fr"}, format="json")
    assert response.status_code == 201
    assert "detail" in response.json()
    assert TeamAccess.objects.filter(team=team, user=known, role="member").exists()
    assert not Invitation.objects.exists()


def test_already_invited_is_400(service):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user)
    InvitationFactory(team=team, email="x@example.gouv.fr")
    response = service.client_for(user).post(_url(team.pk), {"email": "x@example.gouv.fr"}, format="json")
    assert response.status_code == 400
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    "body", [{}, {"email": "not-an-email"}, {"email": "x@example.gouv.fr", "role": "king"}, {"email": ["a"]}]
)
def test_bad_input_is_400(service, body):
    user = UserFactory(sub="agent-1")
    team = _linked_team(user)
    assert service.client_for(user).post(_url(team.pk), body, format="json").status_code == 400
    assert not Invitation.objects.exists()
