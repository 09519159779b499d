"""POST /api/v1.0/teams/{team_id}/invitations/: owners and administrators invite by e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/invitations/"


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_invite_and_the_email_leaves_after_commit(client_for, crew, who, django_capture_on_commit_callbacks):
    issuer = getattr(crew, who)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(issuer).post(url(crew.team.pk), {"email": "New.Comer@Example.gouv.fr"}, format="json")
    assert response.status_code == 201, response.json()
    invitation = Invitation.objects.get()
    assert invitation.email == "new.comer@example.gouv.fr"
    assert invitation.role == TeamRole.MEMBER
    assert invitation.issuer == issuer
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    body = response.json()
    assert body["id"] == str(invitation.pk)
    assert body["is_expired"] is False
    assert body["issuer"] == str(issuer.pk)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.comer@example.gouv.fr"]
    assert OutboxMessage.objects.get().status == OutboxStatus.DELIVERED
    assert AuditEntry.objects.filter(action="invitation.create", target_id=str(invitation.pk)).exists()


def test_owner_invites_an_owner_but_an_administrator_cannot(client_for, crew):
    response = client_for(crew.admin).post(url(crew.team.pk), {"email": "a@example.fr", "role": "owner"}, format="json")
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    response = client_for(crew.owner).post(url(crew.team.pk), {"email": "a@example.fr", "role": "owner"}, format="json")
    assert response.status_code == 201
    assert Invitation.objects.get().role == TeamRole.OWNER


def test_member_gets_403_and_outsider_404(client_for, crew):
    assert client_for(crew.member).post(url(crew.team.pk), {"email": "a@example.fr"}, format="json").status_code == 403
    assert client_for(crew.outsider).post(url(crew.team.pk), {"email": "a@example.fr"}, format="json").status_code == 404
    assert client_for(crew.owner).post(url("nope"), {"email": "a@example.fr"}, format="json").status_code == 404
    assert not Invitation.objects.exists()


def test_pending_duplicate_is_a_400(client_for, crew):
    InvitationFactory(team=crew.team, email="dup@example.fr")
    response = client_for(crew.owner).post(url(crew.team.pk), {"email": "DUP@example.fr"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "already_invited"
    assert Invitation.objects.count() == 1


def test_expired_invitation_is_replaced(client_for, crew):
    old = InvitationFactory(team=crew.team, email="late@example.fr", expires_at=timezone.now() - timedelta(hours=1))
    response = client_for(crew.owner).post(url(crew.team.pk), {"email": "late@example.fr"}, format="json")
    assert response.status_code == 201
    invitation = Invitation.objects.get()
    assert invitation.pk != old.pk
    assert invitation.is_expired is False


def test_known_email_creates_the_access_directly(client_for, crew, django_capture_on_commit_callbacks):
    known = UserFactory(email="known@example.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(crew.admin).post(
            url(crew.team.pk), {"email": "KNOWN@example.fr", "role": "administrator"}, format="json"
        )
    assert response.status_code == 201
    access = TeamAccess.objects.get(team=crew.team, user=known)
    assert access.role == TeamRole.ADMIN
    body = response.json()
    assert body["detail"] == "Email already known. Invitation not sent but access created instead."
    assert body["id"] == str(access.pk)
    assert body["user"]["id"] == str(known.pk)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_known_email_of_a_member_is_a_400(client_for, crew):
    response = client_for(crew.owner).post(url(crew.team.pk), {"email": crew.member.email}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "already_member"


@pytest.mark.parametrize(
    "body",
    [{}, {"email": "not-an-email"}, {"email": ""}, {"email": ["a@b.fr"]}, {"email": "a" * 300 + "@example.fr"},
     {"email": "a@example.fr", "role": "king"}, {"email": "nul\x00@example.fr"}],
)
def test_bad_input_is_a_400(client_for, crew, body):
    response = client_for(crew.owner).post(url(crew.team.pk), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) & {"email", "role"}
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("raw", ["[]", '"a@b.fr"', "null", "{bad json"])
def test_non_object_bodies_are_a_400(client_for, crew, raw):
    response = client_for(crew.owner).post(url(crew.team.pk), raw, content_type="application/json")
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_anonymous_gets_401_and_nothing_is_sent(anonymous, crew):
    response = anonymous.post(url(crew.team.pk), {"email": "a@example.fr"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.exists()
