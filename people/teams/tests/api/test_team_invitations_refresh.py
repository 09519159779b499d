"""POST /api/v1.0/teams/{team_id}/invitations/{id}/refresh/: extend the validity, send again."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from people.core.models import AuditEntry
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests.factories import InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(invitation):
    return f"/api/v1.0/teams/{invitation.team_id}/invitations/{invitation.pk}/refresh/"


def test_refresh_moves_the_expiry_and_resends(client_for, crew, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(team=crew.team, expires_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(crew.admin).post(url(invitation))
    assert response.status_code == 200
    assert response.json()["is_expired"] is False
    invitation.refresh_from_db()  # persisted, not only reported
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="invitation.refresh").count() == 1


def test_refresh_when_the_email_became_a_user_creates_the_access(client_for, crew):
    invitation = InvitationFactory(team=crew.team, email="later@example.fr", role=TeamRole.ADMIN)
    user = UserFactory(email="later@example.fr")
    response = client_for(crew.owner).post(url(invitation))
    assert response.status_code == 201
    assert response.json()["detail"].startswith("Email already known.")
    assert TeamAccess.objects.get(team=crew.team, user=user).role == TeamRole.ADMIN
    assert not Invitation.objects.exists()


def test_member_gets_403_outsider_404(client_for, crew):
    invitation = InvitationFactory(team=crew.team)
    before = invitation.expires_at
    assert client_for(crew.member).post(url(invitation)).status_code == 403
    assert client_for(crew.outsider).post(url(invitation)).status_code == 404
    invitation.refresh_from_db()
    assert invitation.expires_at == before


def test_bad_ids_are_404(client_for, crew):
    client = client_for(crew.owner)
    assert client.post(f"/api/v1.0/teams/{crew.team.pk}/invitations/nope/refresh/").status_code == 404
    foreign = InvitationFactory()
    assert client.post(f"/api/v1.0/teams/{crew.team.pk}/invitations/{foreign.pk}/refresh/").status_code == 404


def test_anonymous_gets_401_and_nothing_changes(anonymous, crew):
    invitation = InvitationFactory(team=crew.team)
    before = invitation.expires_at
    response = anonymous.post(url(invitation))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    invitation.refresh_from_db()
    assert invitation.expires_at == before
    assert mail.outbox == []


def test_get_on_refresh_is_405(client_for, crew):
    assert client_for(crew.owner).get(url(InvitationFactory(team=crew.team))).status_code == 405
