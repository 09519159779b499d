"""Which changes queue a webhook message, whatever door they come through: every way a member
joins (an access, an invitation accepted at sign-in, an invitation to a known address), leaves,
the team renamed or deleted with its sub-teams. Other teams' webhooks hear nothing."""

import pytest
import responses

from people.core import outbox
from people.core.errors import LastOwner
from people.core.models import OutboxMessage
from people.teams import services, webhooks
from people.teams.models import TeamWebhook
from tests.factories import InvitationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def hook(team, remote_id="g-1"):
    return TeamWebhook.objects.create(team=team, url="https://s.example.test/scim", secret="s", remote_id=remote_id)


def queued(webhook):
    rows = OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk)).order_by("created_at")
    return [(row.payload["op"], [m["value"] for m in row.payload.get("members", [])]) for row in rows]


def test_an_invitation_accepted_at_sign_in_adds_the_member(crew):
    webhook, elsewhere = hook(crew.team), hook(TeamFactory())
    user = UserFactory(email="newcomer@example.gouv.fr")
    InvitationFactory(team=crew.team, email="newcomer@example.gouv.fr", issuer=crew.owner)
    services.invitation_accept_pending(user=user)
    assert queued(webhook) == [("add", [str(user.pk)])]
    assert queued(elsewhere) == []


def test_inviting_a_known_address_adds_the_member(crew):
    webhook = hook(crew.team)
    user = UserFactory(organization=crew.team.organization)
    services.invitation_create(actor=crew.owner, team=crew.team, email=user.email)
    assert queued(webhook) == [("add", [str(user.pk)])]


def test_inviting_an_unknown_address_sends_nothing_yet(crew):
    webhook = hook(crew.team)
    services.invitation_create(actor=crew.owner, team=crew.team, email="stranger@example.gouv.fr")
    assert queued(webhook) == []


def test_leaving_removes_the_member(crew):
    webhook = hook(crew.team)
    services.team_access_delete(actor=crew.member, access=crew.team.accesses.get(user=crew.member))
    assert queued(webhook) == [("remove", [str(crew.member.pk)])]


def test_a_refused_change_queues_nothing(crew):
    webhook = hook(crew.team)
    with pytest.raises(LastOwner):
        services.team_access_delete(actor=crew.owner, access=crew.team.accesses.get(user=crew.owner))
    assert queued(webhook) == []


def test_saving_the_same_name_sends_nothing(crew):
    webhook = hook(crew.team)
    services.team_update(actor=crew.owner, team=crew.team, name=crew.team.name)
    assert queued(webhook) == []


def test_deleting_a_team_deletes_the_groups_of_its_sub_teams_too(crew):
    child = TeamFactory(organization=crew.team.organization, parent=crew.team)
    parent_hook, child_hook = hook(crew.team, "g-parent"), hook(child, "g-child")
    services.team_delete(actor=crew.owner, team=crew.team)
    assert (queued(parent_hook), queued(child_hook)) == ([("delete", [])], [("delete", [])])
    with responses.RequestsMock() as mocked:
        mocked.delete("https://s.example.test/scim/Groups/g-parent", status=204)
        mocked.delete("https://s.example.test/scim/Groups/g-child", status=404)  # gone already: done
        assert outbox.deliver_due() == 2
    assert not TeamWebhook.objects.exists()
