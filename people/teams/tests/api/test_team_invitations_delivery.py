"""Invitations show their e-mail's delivery (pending, sent, failed with the reason) to the
team's members (the resource server's rows: test_team_invitations_list there)."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.teams import services
from people.teams.models import TeamRole
from people.teams.tests.api.resource_server.shared import linked_team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(team_id):
    return f"/api/v1.0/teams/{team_id}/invitations/"


def rows(client, team):
    return {row["email"]: row["delivery"] for row in client.get(url(team.pk)).json()["results"]}


def test_pending_then_sent(client_for, crew):
    # Without a commit (the test's transaction), the e-mail waits for the next sweep.
    response = client_for(crew.owner).post(url(crew.team.pk), {"email": "guest@example.fr"}, format="json")
    assert response.status_code == 201
    assert response.json()["delivery"]["state"] == "pending"
    delivery = rows(client_for(crew.member), crew.team)["guest@example.fr"]
    assert (delivery["state"], delivery["error"]) == ("pending", None)
    assert outbox.deliver_due() == 1
    delivery = rows(client_for(crew.member), crew.team)["guest@example.fr"]
    assert (delivery["state"], delivery["error"]) == ("sent", None)
    assert delivery["updated_at"]


@pytest.mark.parametrize(
    ("answer", "state"),
    [("550 5.1.1 No such user", "failed"), ("451 4.2.0 Mailbox busy", "pending")],  # bounced; retried
)
def test_refusals_show_the_reason(client_for, crew, smtp_peer, django_capture_on_commit_callbacks, answer, state):
    smtp_peer.refuse["guest@example.fr"] = answer
    with django_capture_on_commit_callbacks(execute=True):
        client_for(crew.owner).post(url(crew.team.pk), {"email": "guest@example.fr"}, format="json")
    delivery = rows(client_for(crew.admin), crew.team)["guest@example.fr"]
    assert delivery["state"] == state
    assert delivery["error"] == f"recipient refused: guest@example.fr: {answer}"


def test_internal_errors_are_not_shown_to_members(client_for, crew):
    invitation = services.invitation_create(actor=crew.owner, team=crew.team, email="guest@example.fr")
    OutboxMessage.objects.filter(pk=invitation.email_outbox_id).update(
        status=OutboxStatus.FAILED, last_error="KeyError: 'secret internals'"
    )
    delivery = rows(client_for(crew.owner), crew.team)["guest@example.fr"]
    assert delivery["state"] == "failed"
    assert "secret" not in delivery["error"]


def test_refresh_sends_again_and_resets_the_state(client_for, crew, smtp_peer, django_capture_on_commit_callbacks):
    smtp_peer.refuse["flaky@example.fr"] = "550 5.2.1 Mailbox disabled"
    with django_capture_on_commit_callbacks(execute=True):
        client_for(crew.owner).post(url(crew.team.pk), {"email": "flaky@example.fr"}, format="json")
    invitation_id = client_for(crew.owner).get(url(crew.team.pk)).json()["results"][0]["id"]
    assert rows(client_for(crew.owner), crew.team)["flaky@example.fr"]["state"] == "failed"
    del smtp_peer.refuse["flaky@example.fr"]  # the mailbox was enabled again
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(crew.owner).post(f"{url(crew.team.pk)}{invitation_id}/refresh/")
    assert response.status_code == 200
    assert response.json()["delivery"]["state"] == "pending"  # as answered, before the commit
    delivery = rows(client_for(crew.owner), crew.team)["flaky@example.fr"]
    assert (delivery["state"], delivery["error"]) == ("sent", None)
    assert len(smtp_peer.received) == 1


def test_purged_rows_leave_no_state(client_for, crew, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(actor=crew.owner, team=crew.team, email="guest@example.fr")
    with freeze_time(OutboxMessage.objects.get().delivered_at + timedelta(days=31)):
        assert outbox.purge_delivered(older_than=timedelta(days=30)) == 1
    assert rows(client_for(crew.owner), crew.team) == {"guest@example.fr": None}


@pytest.mark.parametrize("count", [3, 30])
def test_list_with_deliveries_is_a_constant_number_of_queries(client_for, django_assert_max_num_queries, count):
    owner = UserFactory()
    team = linked_team(owner, TeamRole.OWNER, organization=owner.organization)
    for n in range(count):
        services.invitation_create(actor=owner, team=team, email=f"guest{n}@example.fr")
    client = client_for(owner)
    with django_assert_max_num_queries(5):
        response = client.get(url(team.pk), {"page_size": 100})
    assert [row["delivery"]["state"] for row in response.json()["results"]] == ["pending"] * count

