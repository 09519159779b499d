"""Operators add webhooks, see where their deliveries stand (on the team's page too) and retry
them from the admin, through the same services as the API."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry, OutboxMessage
from people.teams import webhooks
from people.teams.models import TeamWebhook, WebhookStatus
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_operator_adds_a_webhook_through_the_service(client, operator):
    team = factories.TeamFactory()
    response = client.post(reverse("admin:teams_teamwebhook_add"), {
        "team": str(team.pk), "url": "https://service.example.test/scim/v2", "secret": "tok", "protocol": "scim",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    webhook = TeamWebhook.objects.get(team=team)
    assert webhook.secret == "tok"
    assert OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk), payload__op="sync").exists()
    assert AuditEntry.objects.get(action="team_webhook.create").actor_id == operator.pk


def test_a_bad_url_is_a_form_error_and_nothing_is_created(client, operator):
    team = factories.TeamFactory()
    response = client.post(reverse("admin:teams_teamwebhook_add"), {
        "team": str(team.pk), "url": "ftp://service.example.test", "secret": "tok", "protocol": "scim",
    })
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not TeamWebhook.objects.exists()


def test_the_secret_is_never_shown(client, operator):
    webhook = TeamWebhook.objects.create(team=factories.TeamFactory(), url="https://s.example.test/scim", secret="tok-hidden")
    for page in (
        reverse("admin:teams_teamwebhook_change", args=[webhook.pk]),
        reverse("admin:teams_teamwebhook_changelist"),
        reverse("admin:teams_team_change", args=[webhook.team_id]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert "tok-hidden" not in response.content.decode()


def test_the_team_page_shows_its_webhooks_status(client, operator):
    webhook = TeamWebhook.objects.create(
        team=factories.TeamFactory(), url="https://s.example.test/scim", secret="s",
        status=WebhookStatus.FAILED, last_error="SCIM service answered 401",
    )
    page = client.get(reverse("admin:teams_team_change", args=[webhook.team_id])).content.decode()
    assert "https://s.example.test/scim" in page
    assert "SCIM service answered 401" in page
    assert reverse("admin:teams_teamwebhook_change", args=[webhook.pk]) in page


def test_retry_now_queues_the_group_in_full(client, operator):
    webhook = TeamWebhook.objects.create(team=factories.TeamFactory(), url="https://s.example.test/scim", secret="s")
    response = client.post(reverse("admin:teams_teamwebhook_changelist"), {
        "action": "retry_now", "_selected_action": [str(webhook.pk)],
    })
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk), payload__op="sync").count() == 1
    assert AuditEntry.objects.filter(action="team_webhook.retry", actor=operator).exists()
