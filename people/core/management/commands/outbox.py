"""`manage.py outbox list|retry|purge`: what operators do with the outbox from a shell.

- `list [--state failed] [--kind K] [--limit N]`: newest first, one row a line.
- `retry ID... | --failed`: back in the queue, due now (audited, as from the admin).
- `purge --sent-older-than DAYS`: delete delivered messages; an invitation whose e-mail row is
  purged shows no delivery state any more.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus


def _age(since: Any) -> str:
    seconds = int((timezone.now() - since).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(seconds, 0)}s"


class Command(BaseCommand):
    help = "List, retry and purge outbox messages (outbound e-mails and calls to peers)."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        listing = commands.add_parser("list", help="newest messages first")
        listing.add_argument("--state", choices=OutboxStatus.values)
        listing.add_argument("--kind")
        listing.add_argument("--limit", type=int, default=50)
        retry = commands.add_parser("retry", help="put messages back in the queue, due now")
        retry.add_argument("ids", nargs="*", metavar="ID")
        retry.add_argument("--failed", action="store_true", help="every failed message")
        purge = commands.add_parser("purge", help="delete delivered messages")
        purge.add_argument("--sent-older-than", type=int, required=True, metavar="DAYS", dest="days")

    def handle(self, *args: Any, command: str, **options: Any) -> None:
        getattr(self, f"_{command}")(**options)

    def _list(self, *, state: str | None, kind: str | None, limit: int, **options: Any) -> None:
        rows = OutboxMessage.objects.order_by("-created_at")
        if state:
            rows = rows.filter(status=state)
        if kind:
            rows = rows.filter(kind=kind)
        for message in rows[: max(limit, 0)]:
            error = " ".join(message.last_error.split())[:120]
            self.stdout.write(
                f"{message.pk}  {message.kind}  {message.recipient or '-'}  {message.status}  "
                f"attempts={message.attempts}/{message.max_attempts}  age={_age(message.created_at)}"
                + (f"  error={error}" if error else "")
            )

    def _retry(self, *, ids: list[str], failed: bool, **options: Any) -> None:
        if bool(ids) == failed:
            raise CommandError("give message ids or --failed (not both)")
        if failed:
            messages = list(OutboxMessage.objects.filter(status=OutboxStatus.FAILED))
        else:
            wanted = {value: _as_uuid(value) for value in ids}
            found = {
                message.pk: message
                for message in OutboxMessage.objects.filter(pk__in={key for key in wanted.values() if key})
            }
            unknown = [value for value, key in wanted.items() if key not in found]
            if unknown:
                raise CommandError(f"no outbox message with id {', '.join(unknown)}; nothing was retried")
            messages = list(found.values())
        count = outbox.outbox_retry(actor=None, messages=messages)
        self.stdout.write(f"{count} message(s) queued again.")

    def _purge(self, *, days: int, **options: Any) -> None:
        if days < 0:
            raise CommandError("--sent-older-than needs a number of days, 0 or more")
        count = outbox.purge_delivered(older_than=timedelta(days=days))
        self.stdout.write(f"{count} delivered message(s) deleted.")


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
