"""A new user's pending domain invitations become accesses, whatever door created the user
(the step the portal registers with identity's lifecycle, like team invitations')."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.core.models import AuditEntry
from people.identity import lifecycle
from people.identity.services import user_create
from people.mail.models import MailDomainAccess, MailDomainInvitation, MailDomainRole
from people.portal.accounts import user_welcome
from tests.factories import MailDomainInvitationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_welcome_step_is_registered():
    assert user_welcome in lifecycle.user_created_steps()


def test_pending_invitations_become_accesses_at_creation():
    fresh = MailDomainInvitationFactory(email="new.agent@example.fr", role=MailDomainRole.ADMIN)
    other = MailDomainInvitationFactory(email="NEW.agent@example.fr")
    expired = MailDomainInvitationFactory(email="new.agent@example.fr", expires_at=timezone.now() - timedelta(hours=1))
    user = user_create(actor=None, email="New.Agent@example.fr", organization=OrganizationFactory())
    accesses = {access.domain_id: access.role for access in MailDomainAccess.objects.filter(user=user)}
    assert accesses == {fresh.domain_id: MailDomainRole.ADMIN, other.domain_id: MailDomainRole.VIEWER}
    assert list(MailDomainInvitation.objects.values_list("pk", flat=True)) == [expired.pk]  # left to refresh
    assert AuditEntry.objects.filter(action="mail_domain_invitation.accept").count() == 2


def test_a_user_without_address_gets_nothing():
    MailDomainInvitationFactory()
    user = user_create(actor=None, email=None, organization=OrganizationFactory())
    assert not MailDomainAccess.objects.filter(user=user).exists()
