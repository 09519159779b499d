"""GET /api/v1.0/teams/{team_id}/webhooks/ and /{id}/: owners and administrators see the team's
webhooks with where their deliveries stand, never their secrets; members are refused (403),
anyone who cannot see the team gets 404."""

import pytest
from django.utils import timezone

from people.teams.models import TeamRole, TeamWebhook, WebhookStatus
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(team_id, webhook_id=None):
    base = f"/api/v1.0/teams/{team_id}/webhooks/"
    return f"{base}{webhook_id}/" if webhook_id else base


def hook(team, **fields):
    fields.setdefault("url", "https://service.example.test/scim/v2")
    return TeamWebhook.objects.create(team=team, secret="hidden-secret", **fields)


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_list_oldest_first_with_their_status(client_for, crew, who):
    first = hook(crew.team, remote_id="g-1", status=WebhookStatus.DELIVERED, last_delivery_at=timezone.now())
    second = hook(crew.team, url="https://other.example.test/scim", status=WebhookStatus.FAILED, last_error="SCIM service answered 401")
    hook(TeamFactory())  # another team's
    response = client_for(getattr(crew, who)).get(url(crew.team.pk))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [str(first.pk), str(second.pk)]
    assert (rows[0]["status"], rows[0]["remote_id"]) == ("delivered", "g-1")
    assert (rows[1]["status"], rows[1]["last_error"]) == ("failed", "SCIM service answered 401")
    assert "hidden-secret" not in response.content.decode()


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_editors_retrieve_one(client_for, crew, who):
    webhook = hook(crew.team)
    response = client_for(getattr(crew, who)).get(url(crew.team.pk, webhook.pk))
    assert response.status_code == 200
    assert response.json()["id"] == str(webhook.pk)
    assert "secret" not in response.json()


def test_members_get_403(client_for, crew):
    webhook = hook(crew.team)
    client = client_for(crew.member)
    for path in (url(crew.team.pk), url(crew.team.pk, webhook.pk)):
        response = client.get(path)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"


def test_outsiders_get_404(client_for, crew):
    webhook = hook(crew.team)
    client = client_for(crew.outsider)
    assert client.get(url(crew.team.pk)).status_code == 404
    assert client.get(url(crew.team.pk, webhook.pk)).status_code == 404


def test_a_webhook_of_another_team_or_an_unknown_id_is_404(client_for, crew):
    other = hook(TeamFactory(users=[(crew.owner, TeamRole.OWNER)]))
    client = client_for(crew.owner)
    assert client.get(url(crew.team.pk, other.pk)).status_code == 404
    assert client.get(url(crew.team.pk, "nope")).status_code == 404


def test_anonymous_gets_401(anonymous, crew):
    assert anonymous.get(url(crew.team.pk)).status_code == 401


@pytest.mark.parametrize("rows", [3, 40])
def test_query_count_is_constant(client_for, django_assert_max_num_queries, rows):
    owner = UserFactory()
    team = TeamFactory(organization=owner.organization, users=[(owner, TeamRole.OWNER)])
    for number in range(rows):
        hook(team, url=f"https://service{number}.example.test/scim")
    client = client_for(owner)
    with django_assert_max_num_queries(5):
        response = client.get(url(team.pk), {"page_size": 100})
    assert len(response.json()["results"]) == rows
