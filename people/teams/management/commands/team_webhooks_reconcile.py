"""`manage.py team_webhooks_reconcile [--team ID]...`: put each webhook's group in full at its
service (a PUT with the team's name and members), for repair after a long outage.

The syncs are queued in the outbox after the changes on their way (in order with them), and
delivered by the background jobs; the periodic job does the same for idle webhooks only.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from people.core.ids import parse_uuid
from people.teams import webhooks
from people.teams.models import Team


class Command(BaseCommand):
    help = "Queue a full sync of team webhooks' remote groups (all teams, or those given)."

    def add_arguments(self, parser):
        parser.add_argument("--team", action="append", default=[], metavar="ID", help="a team's id (repeatable)")

    def handle(self, *args: Any, team: list[str], **options: Any) -> None:
        teams = None
        if team:
            ids = [parse_uuid(value) for value in team]
            if None in ids:
                raise CommandError("--team takes team ids (UUIDs)")
            known = set(Team.objects.filter(pk__in=ids).values_list("pk", flat=True))
            unknown = [str(pk) for pk in ids if pk not in known]
            if unknown:
                raise CommandError(f"no team with id {', '.join(unknown)}")
            teams = ids
        count = webhooks.reconcile(teams=teams, only_idle=False)
        self.stdout.write(f"{count} webhook sync(s) queued")
