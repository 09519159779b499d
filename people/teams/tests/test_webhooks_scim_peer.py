"""Team changes pushed to a real SCIM service (`scim2-server`, the reference server, on loopback):
members added and removed through the client API reach the remote group; while the service is
stopped nothing is lost, and once it runs again every change arrives, in order."""

import pytest
from django.utils import timezone

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.teams import webhooks
from people.teams.models import Team, TeamWebhook, WebhookStatus
from tests.factories import UserFactory
from tests.peers.scim_server import TOKEN

pytestmark = [pytest.mark.django_db, pytest.mark.peer]


def add_webhook(client, team, server) -> TeamWebhook:
    response = client.post(f"/api/v1.0/teams/{team.pk}/webhooks/", {"url": server.url, "secret": TOKEN}, format="json")
    assert response.status_code == 201, response.content
    assert "secret" not in response.json()
    return TeamWebhook.objects.get(pk=response.json()["id"])


def add_member(client, team, user) -> str:
    response = client.post(f"/api/v1.0/teams/{team.pk}/accesses/", {"user": str(user.pk)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def remove_member(client, team, access_id) -> None:
    assert client.delete(f"/api/v1.0/teams/{team.pk}/accesses/{access_id}/").status_code == 204


def deliver_all() -> None:
    """Run the outbox job until nothing is due (the background worker's loop)."""
    while outbox.deliver_due():
        pass


def backoff_elapsed() -> None:
    """Time passes: the messages waiting in backoff are due."""
    OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(next_attempt_at=timezone.now())


def team_members(team) -> set[str]:
    return {str(pk) for pk in team.accesses.values_list("user_id", flat=True)}


def test_members_added_and_removed_reach_the_remote_group(client_for, crew, scim_server):
    client = client_for(crew.admin)
    webhook = add_webhook(client, crew.team, scim_server)
    deliver_all()
    webhook.refresh_from_db()
    assert webhook.remote_id
    group = scim_server.group(webhook.remote_id)
    assert group["displayName"] == crew.team.name
    assert group["externalId"] == str(crew.team.external_id)
    assert scim_server.member_values(webhook.remote_id) == team_members(crew.team)

    newcomer = UserFactory(organization=crew.team.organization)
    access_id = add_member(client, crew.team, newcomer)
    deliver_all()
    assert str(newcomer.pk) in scim_server.member_values(webhook.remote_id)

    remove_member(client, crew.team, access_id)
    member_access = crew.team.accesses.get(user=crew.member)
    remove_member(client, crew.team, member_access.pk)
    deliver_all()
    remote = scim_server.member_values(webhook.remote_id)
    assert remote == team_members(crew.team) == {str(crew.owner.pk), str(crew.admin.pk)}
    webhook.refresh_from_db()
    assert (webhook.status, webhook.last_error) == (WebhookStatus.DELIVERED, "")
    assert len(scim_server.groups()) == 1  # one group, whatever the number of changes


def test_changes_made_while_the_service_is_stopped_all_arrive_in_order(client_for, crew, scim_server):
    client = client_for(crew.owner)
    webhook = add_webhook(client, crew.team, scim_server)
    deliver_all()
    webhook.refresh_from_db()
    remote_id = webhook.remote_id

    scim_server.stop()
    colleagues = UserFactory.create_batch(3, organization=crew.team.organization)
    first = add_member(client, crew.team, colleagues[0])
    add_member(client, crew.team, colleagues[1])
    remove_member(client, crew.team, first)  # must not overtake its add: else the user would stay
    add_member(client, crew.team, colleagues[2])
    remove_member(client, crew.team, crew.team.accesses.get(user=crew.member).pk)
    assert client.patch(f"/api/v1.0/teams/{crew.team.pk}/", {"name": "Renamed"}, format="json").status_code == 200

    deliver_all()  # the service answers nothing: the first change is retried, the others wait
    webhook.refresh_from_db()
    assert webhook.status == WebhookStatus.RETRYING
    assert "unreachable" in webhook.last_error
    messages = OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk), status=OutboxStatus.PENDING)
    assert messages.count() == 6
    assert sorted(messages.values_list("attempts", flat=True)) == [0, 0, 0, 0, 0, 1]

    for _ in range(2):  # still down at the next attempt
        backoff_elapsed()
        deliver_all()
    scim_server.start()
    backoff_elapsed()
    deliver_all()

    sent = list(
        OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk)).order_by("created_at")
    )
    assert {message.status for message in sent} == {OutboxStatus.DELIVERED}
    ops = [message.payload["op"] for message in sent]
    assert ops == ["sync", "add", "add", "remove", "add", "remove", "rename"]
    delivered_at = [message.delivered_at for message in sent]
    assert delivered_at == sorted(delivered_at)  # delivered in the order of the changes
    crew.team.refresh_from_db()
    assert scim_server.member_values(remote_id) == team_members(crew.team) == {
        str(crew.owner.pk), str(crew.admin.pk), str(colleagues[1].pk), str(colleagues[2].pk)
    }
    assert scim_server.group(remote_id)["displayName"] == "Renamed"
    webhook.refresh_from_db()
    assert (webhook.status, webhook.last_error) == (WebhookStatus.DELIVERED, "")


def test_a_service_that_lost_the_group_gets_it_again(client_for, crew, scim_server):
    client = client_for(crew.admin)
    webhook = add_webhook(client, crew.team, scim_server)
    deliver_all()
    scim_server.restart()  # its storage is empty: the group it had is gone

    newcomer = UserFactory(organization=crew.team.organization)
    add_member(client, crew.team, newcomer)
    deliver_all()
    webhook.refresh_from_db()
    [group] = scim_server.groups()
    assert group["id"] == webhook.remote_id
    assert scim_server.member_values(webhook.remote_id) == team_members(crew.team)
    assert str(newcomer.pk) in team_members(crew.team)


def test_deleting_the_team_deletes_the_remote_group(client_for, crew, scim_server):
    client = client_for(crew.owner)
    webhook = add_webhook(client, crew.team, scim_server)
    deliver_all()
    assert len(scim_server.groups()) == 1

    assert client.delete(f"/api/v1.0/teams/{crew.team.pk}/").status_code == 204
    assert not Team.objects.filter(pk=crew.team.pk).exists()
    deliver_all()
    assert scim_server.groups() == []
    assert not TeamWebhook.objects.filter(pk=webhook.pk).exists()  # its work done, it goes


def test_reconcile_command_repairs_a_group_changed_at_the_service(client_for, crew, scim_server):
    from django.core.management import call_command

    webhook = add_webhook(client_for(crew.admin), crew.team, scim_server)
    deliver_all()
    webhook.refresh_from_db()
    scim_server.restart()  # a long outage that lost everything

    call_command("team_webhooks_reconcile", "--team", str(crew.team.pk))
    deliver_all()
    webhook.refresh_from_db()
    assert scim_server.member_values(webhook.remote_id) == team_members(crew.team)
    assert scim_server.group(webhook.remote_id)["displayName"] == crew.team.name
