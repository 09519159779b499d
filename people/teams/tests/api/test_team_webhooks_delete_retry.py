"""DELETE /api/v1.0/teams/{team_id}/webhooks/{id}/ and POST .../retry/: owners and
administrators stop telling a service, or have its deliveries tried again now (what waits in
backoff at once, then the group in full)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.core import outbox
from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.teams import services, webhooks
from people.teams.models import TeamWebhook
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(webhook, action=""):
    return f"/api/v1.0/teams/{webhook.team_id}/webhooks/{webhook.pk}/{action}"


@pytest.fixture
def webhook(crew):
    return TeamWebhook.objects.create(
        team=crew.team, url="https://service.example.test/scim/v2", secret="s", remote_id="g-1"
    )


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_delete_a_webhook(client_for, crew, webhook, who):
    assert client_for(getattr(crew, who)).delete(url(webhook)).status_code == 204
    assert not TeamWebhook.objects.filter(pk=webhook.pk).exists()
    assert AuditEntry.objects.filter(action="team_webhook.delete", target_id=str(webhook.pk)).exists()


def test_members_cannot_delete_nor_retry(client_for, crew, webhook):
    client = client_for(crew.member)
    assert client.delete(url(webhook)).status_code == 403
    assert client.post(url(webhook, "retry/")).status_code == 403
    assert TeamWebhook.objects.filter(pk=webhook.pk).exists()
    assert not OutboxMessage.objects.exists()


def test_outsiders_get_404(client_for, crew, webhook):
    client = client_for(crew.outsider)
    assert client.delete(url(webhook)).status_code == 404
    assert client.post(url(webhook, "retry/")).status_code == 404
    assert TeamWebhook.objects.filter(pk=webhook.pk).exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_retry_makes_waiting_changes_due_then_queues_a_full_sync(client_for, crew, webhook, who):
    user = UserFactory(organization=crew.team.organization)
    services.team_access_create(actor=crew.owner, team=crew.team, user=user)
    waiting = OutboxMessage.objects.get(ordering_key=webhooks.webhook_key(webhook.pk))
    later = timezone.now() + timedelta(hours=3)
    OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=later, attempts=4)
    failed = outbox.enqueue(
        webhooks.WEBHOOK_DELIVER, {"webhook_id": str(webhook.pk), "op": "remove", "members": []},
        ordering_key=webhooks.webhook_key(webhook.pk),
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)

    response = client_for(getattr(crew, who)).post(url(webhook, "retry/"))
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    waiting.refresh_from_db()
    assert waiting.next_attempt_at <= timezone.now()
    assert waiting.pk in outbox.due_ids()
    ops = list(
        OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk))
        .order_by("created_at").values_list("payload__op", flat=True)
    )
    assert ops == ["add", "remove", "sync"]
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED  # not resent out of order
    assert AuditEntry.objects.filter(action="team_webhook.retry", target_id=str(webhook.pk)).exists()
