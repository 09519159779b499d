"""POST /api/v1.0/teams/{team_id}/webhooks/: owners and administrators add a service told of the
team's changes; its secret is never shown; its first delivery (the group in full) is queued."""

import pytest

from people.core.models import AuditEntry, OutboxMessage
from people.teams import webhooks
from people.teams.models import TeamWebhook, WebhookStatus
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

BODY = {"url": "https://service.example.test/scim/v2/", "secret": "s3cret-token"}


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/webhooks/"


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_add_a_webhook_whose_group_is_queued(client_for, crew, who):
    response = client_for(getattr(crew, who)).post(url(crew.team.pk), BODY, format="json")
    assert response.status_code == 201
    data = response.json()
    assert set(data) == {"id", "url", "protocol", "remote_id", "status", "last_error", "last_delivery_at", "created_at"}
    assert "s3cret-token" not in response.content.decode()
    assert data["url"] == "https://service.example.test/scim/v2"
    assert (data["protocol"], data["status"], data["remote_id"]) == ("scim", WebhookStatus.PENDING, "")
    webhook = TeamWebhook.objects.get(pk=data["id"])
    assert (webhook.team, webhook.secret) == (crew.team, "s3cret-token")
    [message] = OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk))
    assert message.payload == {"webhook_id": str(webhook.pk), "op": "sync"}
    assert "s3cret-token" not in str(message.payload)
    entry = AuditEntry.objects.get(action="team_webhook.create")
    assert entry.target_id == str(webhook.pk)
    assert "s3cret-token" not in str(entry.changes)


def test_members_get_403_and_nothing_is_created(client_for, crew):
    response = client_for(crew.member).post(url(crew.team.pk), BODY, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not TeamWebhook.objects.exists()


def test_ancestor_only_viewers_get_403(client_for, crew):
    TeamFactory(organization=crew.team.organization, parent=crew.team, users=[crew.outsider])
    assert client_for(crew.outsider).post(url(crew.team.pk), BODY, format="json").status_code == 403
    assert not TeamWebhook.objects.exists()


def test_outsiders_and_unknown_teams_get_404(client_for, crew):
    assert client_for(crew.outsider).post(url(crew.team.pk), BODY, format="json").status_code == 404
    assert client_for(crew.owner).post(url("nope"), BODY, format="json").status_code == 404
    assert not TeamWebhook.objects.exists()


def test_anonymous_gets_401(anonymous, crew):
    assert anonymous.post(url(crew.team.pk), BODY, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://service.example.test/scim", "secret": "x"}, "url"),
        ({"url": "service.example.test/scim", "secret": "x"}, "url"),
        ({"url": "https://user:pass@service.example.test/scim", "secret": "x"}, "url"),
        ({"url": "https:///scim", "secret": "x"}, "url"),
        ({"url": "https://service.example.test/scim?tenant=1", "secret": "x"}, "url"),
        ({"url": "https://service.example.test/scim\n", "secret": "x"}, "url"),
        ({"url": "https://service.example.test/%zz", "secret": "x"}, "url"),
        ({"url": "https://service.example.test:70000/scim", "secret": "x"}, "url"),
        ({"url": "https://service.example.test/scim", "secret": "token\n"}, "secret"),
        ({"url": "https://service.example.test/" + "a" * 500, "secret": "x"}, "url"),
        ({"url": "https://service.example.test/scim"}, "secret"),
        ({"url": "https://service.example.test/scim", "secret": ""}, "secret"),
        ({"url": "https://service.example.test/scim", "secret": "two words"}, "secret"),
        ({"url": "https://service.example.test/scim", "secret": "line\nbreak"}, "secret"),
        ({"url": "https://service.example.test/scim", "secret": "x", "protocol": "soap"}, "protocol"),
        ({"url": ["https://service.example.test/scim"], "secret": "x"}, "url"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_changes(client_for, crew, body, field):
    response = client_for(crew.owner).post(url(crew.team.pk), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not TeamWebhook.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_plain_http_is_refused_unless_allowed(client_for, crew, settings):
    settings.TEAM_WEBHOOK_ALLOW_HTTP = False
    body = {"url": "http://service.example.test/scim/v2", "secret": "x"}
    response = client_for(crew.owner).post(url(crew.team.pk), body, format="json")
    assert response.status_code == 400
    assert "url" in response.json()
    settings.TEAM_WEBHOOK_ALLOW_HTTP = True
    assert client_for(crew.owner).post(url(crew.team.pk), body, format="json").status_code == 201


@pytest.mark.parametrize(
    ("host", "accepted"),
    [
        ("scim.service.gouv.fr", True),
        ("gouv.fr", False),
        ("scim.example.test", True),
        ("other.example.test", False),
        ("gouv.fr.evil.test", False),
        ("169.254.169.254", False),
    ],
)
def test_only_the_allowed_hosts_are_accepted(client_for, crew, settings, host, accepted):
    settings.TEAM_WEBHOOK_ALLOWED_HOSTS = [".gouv.fr", "scim.example.test"]
    body = {"url": f"https://{host}/scim/v2", "secret": "x"}
    response = client_for(crew.owner).post(url(crew.team.pk), body, format="json")
    assert response.status_code == (201 if accepted else 400)
    assert TeamWebhook.objects.exists() is accepted
    if not accepted:
        assert "url" in response.json()
