"""Admin: outbox rows listed by recipient, kind, state and age; a locked row says why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.core.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def changelist(client, **params):
    response = client.get(reverse("admin:core_outboxmessage_changelist"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_list_shows_recipients_and_filters_by_kind_and_state(client, operator):
    OutboxMessage.objects.create(kind="teams.invitation_email", recipient="gone@example.fr", status=OutboxStatus.FAILED)
    OutboxMessage.objects.create(kind="identity.onboarding", recipient="mailing.example.test")
    page = changelist(client)
    assert "gone@example.fr" in page
    assert "mailing.example.test" in page
    failed = changelist(client, status__exact="failed")
    assert "gone@example.fr" in failed
    assert "mailing.example.test" not in failed
    onboarding = changelist(client, kind__exact="identity.onboarding")
    assert "mailing.example.test" in onboarding
    assert "gone@example.fr" not in onboarding
    found = changelist(client, q="gone@")
    assert "gone@example.fr" in found
    assert "mailing.example.test" not in found


def test_list_is_newest_first(client, operator):
    OutboxMessage.objects.create(kind="k", recipient="old@example.fr", created_at=timezone.now() - timedelta(days=2))
    OutboxMessage.objects.create(kind="k", recipient="new@example.fr")
    page = changelist(client)
    assert page.index("new@example.fr") < page.index("old@example.fr")


def test_a_locked_row_says_who_holds_it_until_when(client, operator):
    now = timezone.now()
    locked = OutboxMessage.objects.create(
        kind="k", recipient="held@example.fr", attempts=3, last_attempt_at=now - timedelta(seconds=30),
        locked_until=now + timedelta(seconds=270), last_error="TransientError: mail server unreachable",
    )
    page = client.get(reverse("admin:core_outboxmessage_change", args=[locked.pk])).content.decode()
    assert "held by a worker since" in page
    assert "(attempt 3)" in page
    assert "mail server unreachable" in page
    free = OutboxMessage.objects.create(kind="k", locked_until=now - timedelta(seconds=1))
    page = client.get(reverse("admin:core_outboxmessage_change", args=[free.pk])).content.decode()
    assert "held by a worker" not in page
