"""`invitation_accept_pending`: at sign-in, unexpired invitations become accesses."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.core.models import AuditEntry
from people.teams import services
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests.factories import InvitationFactory, TeamAccessFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_pending_invitations_become_accesses_with_the_invited_role():
    first = InvitationFactory(email="new@example.fr", role=TeamRole.ADMIN)
    second = InvitationFactory(email="new@example.fr")
    user = UserFactory(email="NEW@example.fr")
    accesses = services.invitation_accept_pending(user=user)
    assert {(a.team_id, a.role) for a in accesses} == {(first.team_id, TeamRole.ADMIN), (second.team_id, TeamRole.MEMBER)}
    assert TeamAccess.objects.filter(user=user).count() == 2
    assert not Invitation.objects.exists()
    assert AuditEntry.objects.filter(action="invitation.accept").count() == 2
    assert AuditEntry.objects.filter(action="team_access.create", actor=user).count() == 2


def test_expired_invitations_are_not_accepted():
    expired = InvitationFactory(email="late@example.fr", expires_at=timezone.now() - timedelta(seconds=1))
    user = UserFactory(email="late@example.fr")
    assert services.invitation_accept_pending(user=user) == []
    assert not TeamAccess.objects.filter(user=user).exists()
    assert Invitation.objects.filter(pk=expired.pk).exists()


def test_other_emails_are_untouched():
    other = InvitationFactory(email="someone@example.fr")
    user = UserFactory(email="me@example.fr")
    assert services.invitation_accept_pending(user=user) == []
    assert Invitation.objects.filter(pk=other.pk).exists()


def test_existing_access_is_kept_and_the_invitation_consumed():
    team = TeamFactory()
    user = UserFactory(email="dup@example.fr")
    TeamAccessFactory(team=team, user=user, role=TeamRole.OWNER)
    InvitationFactory(team=team, email="dup@example.fr", role=TeamRole.MEMBER)
    assert services.invitation_accept_pending(user=user) == []
    assert TeamAccess.objects.get(team=team, user=user).role == TeamRole.OWNER
    assert not Invitation.objects.exists()


def test_user_without_email_accepts_nothing():
    InvitationFactory()
    assert services.invitation_accept_pending(user=UserFactory(email=None)) == []
    assert Invitation.objects.count() == 1
