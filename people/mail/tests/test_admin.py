"""Operators read mail domains in the admin, and check, disable and enable them through the
services (audited as operators')."""

import pytest
from django.urls import reverse

from people.core.models import Audience, AuditEntry, OutboxMessage
from people.mail.models import MailDomainStatus
from tests.factories import MailDomainFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:mail_maildomain_changelist"


def act(client, action, *domains):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [str(domain.pk) for domain in domains]}, follow=True
    )


def test_disable_then_enable_again(client, operator):
    domain = MailDomainFactory(status=MailDomainStatus.ENABLED)
    response = act(client, "disable", domain)
    assert response.status_code == 200
    domain.refresh_from_db()
    assert domain.status == MailDomainStatus.DISABLED
    entry = AuditEntry.objects.get(action="mail_domain.disable")
    assert (entry.audience, entry.actor_id) == (Audience.OPERATOR, operator.pk)
    assert OutboxMessage.objects.filter(kind="mail.domain_status_email").count() == 1
    act(client, "enable", domain)
    domain.refresh_from_db()
    assert domain.status == MailDomainStatus.PENDING  # until its check, queued now
    assert OutboxMessage.objects.filter(kind="mail.domain_sync", payload__domain_id=str(domain.pk)).exists()


def test_check_again(client, operator):
    domain = MailDomainFactory()
    assert "1 domain will be checked." in act(client, "check_again", domain).content.decode()
    assert OutboxMessage.objects.filter(kind="mail.domain_sync").count() == 1


def test_pages_are_read_only(client, operator):
    domain = MailDomainFactory()
    page = client.get(reverse("admin:mail_maildomain_change", args=[domain.pk]))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.get(reverse("admin:mail_maildomain_add")).status_code == 403
