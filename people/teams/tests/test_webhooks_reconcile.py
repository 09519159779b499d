"""The periodic job and the command queue a full sync of the webhooks' groups: the job only
where nothing is on its way (it may run in several processes), the command after it."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from people.core.models import OutboxMessage
from people.teams import webhooks
from people.teams.models import TeamWebhook
from people.teams.tasks import team_webhooks_reconcile
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def hook(team):
    return TeamWebhook.objects.create(team=team, url="https://s.example.test/scim", secret="s", remote_id="g")


def syncs(webhook):
    return OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(webhook.pk), payload__op="sync").count()


def test_the_job_is_on_the_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["team-webhooks-reconcile"]
    assert entry["task"] == "people.teams.tasks.team_webhooks_reconcile"
    assert entry["schedule"] == float(settings.TEAM_WEBHOOK_RECONCILE_INTERVAL)


def test_the_job_queues_idle_webhooks_only():
    idle, busy = hook(TeamFactory()), hook(TeamFactory())
    webhooks.queue_rename(team=busy.team)
    assert team_webhooks_reconcile() == 1
    assert (syncs(idle), syncs(busy)) == (1, 0)
    assert team_webhooks_reconcile() == 0  # the first sync is still on its way


def test_the_command_queues_the_given_teams_even_busy(capsys):
    mine, other = hook(TeamFactory()), hook(TeamFactory())
    webhooks.queue_rename(team=mine.team)
    call_command("team_webhooks_reconcile", "--team", str(mine.team_id))
    assert (syncs(mine), syncs(other)) == (1, 0)
    assert "1 webhook sync(s) queued" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["nope", "00000000-0000-4000-8000-000000000000"])
def test_the_command_refuses_unknown_teams(value):
    hook(TeamFactory())
    with pytest.raises(CommandError):
        call_command("team_webhooks_reconcile", "--team", value)
    assert not OutboxMessage.objects.exists()
