"""Admin: the audit trail is read-only; outbox messages can be queued again."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.core import audit, outbox
from people.core.models import Audience, AuditEntry, OutboxMessage, OutboxStatus
from tests import factories

pytestmark = pytest.mark.django_db

delivered: list[dict] = []


@outbox.handler("test.admin")
def _deliver(payload):
    delivered.append(payload)


@pytest.fixture
def entry(operator):
    team = factories.TeamFactory()
    return audit.record(actor=operator, action="team.update", target=team, changes={"name": ["a", "b"]}, audience=Audience.OPERATOR)


def test_audit_entries_cannot_be_added_changed_or_deleted(client, entry):
    change = reverse("admin:core_auditentry_change", args=[entry.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # view only
    assert client.post(change, {"action": "forged"}).status_code == 403
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "team.update"
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_changelist_filters(client, operator, entry):
    other = factories.UserFactory()
    audit.record(actor=other, action="user.update", target=other, audience=Audience.SCIM)
    url = reverse("admin:core_auditentry_changelist")

    def shown(**params):
        return {row.pk for row in client.get(url, params).context["cl"].result_list}

    assert len(shown()) == 2
    assert shown(audience__exact="operator") == {entry.pk}
    assert shown(target_type__exact="identity.user") != shown(target_type__exact="teams.team")
    assert shown(actor__id__exact=str(other.pk)) == shown(audience__exact="scim")
    assert shown(q=entry.target_id) == {entry.pk}
    assert shown(action__exact="user.update") == shown(audience__exact="scim")


def test_retry_now_action_queues_a_failed_message_and_delivers_it(
    client, operator, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_MODE = "eager"
    delivered.clear()
    message = OutboxMessage.objects.create(
        kind="test.admin", payload={"n": 1}, status=OutboxStatus.FAILED, attempts=3, max_attempts=3,
        next_attempt_at=timezone.now() + timedelta(hours=1), last_error="TransientError: down",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:core_outboxmessage_changelist"),
            {"action": "retry_now", "_selected_action": [str(message.pk)]},
            follow=True,
        )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert delivered == [{"n": 1}]
    assert AuditEntry.objects.filter(action="outboxmessage.retry", target_id=str(message.pk), audience="operator").exists()


def test_outbox_change_page_shows_delivery_state(client, operator):
    message = OutboxMessage.objects.create(kind="test.admin", payload={}, attempts=2, last_error="peer refused")
    page = client.get(reverse("admin:core_outboxmessage_change", args=[message.pk])).content.decode()
    for text in ("test.admin", "peer refused", "pending"):
        assert text in page
    assert client.get(reverse("admin:core_outboxmessage_add")).status_code == 403
