"""Team changes pushed to the suite's services: what the team services queue, and the job that
delivers it.

- The services call `queue_*` in the transaction of the change, under the team's lock: one
  outbox message per webhook of the team, so that nothing is sent for a change that rolls back
  and no request waits on a service.
- A webhook's messages share an ordering key (`webhook_key`): the outbox delivers them one after
  another in the order of the changes (a remove never overtakes the add it follows), and one
  service that is down holds back no other.
- The job (`deliver`) speaks SCIM (`clients.ScimGroupClient`): the group is created at the
  service the first time (or again when the service answers 404), with the team's members as
  they are then, and its id remembered; members added and removed are PATCHes of `members`, a
  rename a PATCH of `displayName`, a deletion a DELETE. `OP_SYNC` puts the whole group (PUT):
  the webhook's creation, "retry now" and the periodic reconciliation (`reconcile`) use it.
- Delivery is at least once, so every call is safe to repeat: adding a member twice, removing
  one who is not there, deleting a group that is gone change nothing; a group created by an
  attempt whose answer was lost is found by its `externalId` (the team's) before creating one.
- Retried with the outbox's backoff until TEAM_WEBHOOK_MAX_AGE; the service's final refusals
  (4xx but 408/429) fail the message at once. The webhook row shows the last outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from people.core import outbox
from people.core.delivery import DeliveryError, PermanentError
from people.core.models import OutboxMessage, OutboxStatus
from people.teams.clients import GroupGone, ScimGroupClient
from people.teams.models import Team, TeamAccess, TeamWebhook, WebhookStatus

logger = logging.getLogger("people.teams.webhooks")

WEBHOOK_DELIVER = "teams.webhook_deliver"
OP_SYNC, OP_ADD, OP_REMOVE, OP_RENAME, OP_DELETE = "sync", "add", "remove", "rename", "delete"
OPS = frozenset({OP_SYNC, OP_ADD, OP_REMOVE, OP_RENAME, OP_DELETE})


def max_age() -> timedelta:
    return timedelta(seconds=settings.TEAM_WEBHOOK_MAX_AGE)


def host_allowed(url: str) -> bool:
    """Whether TEAM_WEBHOOK_ALLOWED_HOSTS lets People call this URL's host (all when empty)."""
    allowed = [entry.strip().lower() for entry in settings.TEAM_WEBHOOK_ALLOWED_HOSTS if entry.strip()]
    if not allowed:
        return True
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return False
    return any(host == entry or (entry.startswith(".") and host.endswith(entry)) for entry in allowed)


def webhook_key(webhook_id: Any) -> str:
    return f"teams:webhook:{webhook_id}"


def member(user: Any) -> dict[str, str]:
    """A member as services know it: People's user id (stable, the same in every service of the
    suite) and the e-mail address to show."""
    return {"value": str(user.pk), "display": user.email or ""}


# --- queueing (in the transaction of the change) ---------------------------------------------


def _queue(webhook: TeamWebhook, op: str, **data: Any) -> OutboxMessage:
    message = outbox.enqueue(
        WEBHOOK_DELIVER,
        {"webhook_id": str(webhook.pk), "op": op, **data},
        recipient=urlsplit(webhook.url).hostname or "",
        ordering_key=webhook_key(webhook.pk),
        max_attempts=settings.TEAM_WEBHOOK_MAX_ATTEMPTS,
    )
    TeamWebhook.objects.filter(pk=webhook.pk).update(status=WebhookStatus.PENDING, updated_at=timezone.now())
    return message


def _webhooks(team_ids: Iterable[Any]) -> list[TeamWebhook]:
    return list(TeamWebhook.objects.filter(team_id__in=list(team_ids)).only("pk", "url").order_by("created_at"))


def queue_members(*, team: Team, op: str, users: Iterable[Any]) -> int:
    """Members added (`OP_ADD`) or removed (`OP_REMOVE`): a message per webhook of the team."""
    members = [member(user) for user in users]
    webhooks = _webhooks([team.pk]) if members else []
    for webhook in webhooks:
        _queue(webhook, op, members=members)
    return len(webhooks)


def queue_rename(*, team: Team) -> int:
    webhooks = _webhooks([team.pk])
    for webhook in webhooks:
        _queue(webhook, OP_RENAME, name=team.name)
    return len(webhooks)


def queue_delete(*, teams: Iterable[Team]) -> int:
    """Before the teams are deleted: their webhooks will delete the groups, then go."""
    webhooks = _webhooks(team.pk for team in teams)
    for webhook in webhooks:
        _queue(webhook, OP_DELETE)
    return len(webhooks)


def queue_sync(webhook: TeamWebhook) -> OutboxMessage:
    return _queue(webhook, OP_SYNC)


def has_pending(webhook: TeamWebhook) -> bool:
    return OutboxMessage.objects.filter(ordering_key=webhook_key(webhook.pk), status=OutboxStatus.PENDING).exists()


def retry_pending(webhook: TeamWebhook) -> int:
    """Messages of the webhook waiting in backoff are due now; returns how many. Failed ones
    stay failed: sending an old change after later ones would undo them (a full sync repairs)."""
    messages = list(OutboxMessage.objects.filter(ordering_key=webhook_key(webhook.pk), status=OutboxStatus.PENDING))
    for message in messages:
        outbox.retry_now(message)
    return len(messages)


def reconcile(*, teams: Iterable[Any] | None = None, only_idle: bool = True) -> int:
    """Queue a full sync of each webhook (of `teams`, ids or rows; of every team when None);
    `only_idle`: of those with nothing on its way already (the periodic job, which may run in
    several processes at once). Returns how many were queued."""
    webhooks = TeamWebhook.objects.filter(team__isnull=False)
    if teams is not None:
        webhooks = webhooks.filter(team_id__in=[getattr(team, "pk", team) for team in teams])
    busy = OutboxMessage.objects.filter(
        kind=WEBHOOK_DELIVER, status=OutboxStatus.PENDING, ordering_key__startswith="teams:webhook:"
    ).values_list("ordering_key", flat=True)
    busy_keys = set(busy) if only_idle else set()
    count = 0
    for webhook in webhooks.order_by("created_at").iterator():
        if webhook_key(webhook.pk) in busy_keys:
            continue
        with transaction.atomic():
            queue_sync(webhook)
        count += 1
    return count


# --- delivery (the outbox job) -----------------------------------------------------------------


def _current_members(team: Team) -> list[dict[str, str]]:
    rows = TeamAccess.objects.filter(team=team).order_by("created_at", "pk").values_list("user_id", "user__email")
    return [{"value": str(user_id), "display": email or ""} for user_id, email in rows]


def _create(webhook: TeamWebhook, client: ScimGroupClient, team: Team) -> None:
    """The group at the service with the team as it is now: any change queued before is in it."""
    external_id = str(team.external_id)
    name, members = team.name, _current_members(team)
    remote_id = client.group_find(external_id=external_id)
    if remote_id is None:
        remote_id = client.group_create(name=name, external_id=external_id, members=members)
    else:
        client.group_replace(remote_id, name=name, external_id=external_id, members=members)
    TeamWebhook.objects.filter(pk=webhook.pk).update(remote_id=remote_id)
    webhook.remote_id = remote_id


def _apply(webhook: TeamWebhook, client: ScimGroupClient, op: str, payload: dict[str, Any]) -> None:
    team = webhook.team
    if op == OP_DELETE:
        if webhook.remote_id:
            client.group_delete(webhook.remote_id)
        if team is None:
            webhook.delete()
        return
    if team is None:
        return  # the team is gone: its deletion is queued after this message
    if not webhook.remote_id:
        _create(webhook, client, team)
        return
    remote_id, members = webhook.remote_id, payload.get("members") or []
    try:
        if op == OP_ADD:
            client.members_add(remote_id, members)
        elif op == OP_REMOVE:
            client.members_remove(remote_id, members)
        elif op == OP_RENAME:
            client.group_rename(remote_id, str(payload.get("name") or team.name))
        else:
            client.group_replace(
                remote_id, name=team.name, external_id=str(team.external_id), members=_current_members(team)
            )
    except GroupGone:
        TeamWebhook.objects.filter(pk=webhook.pk).update(remote_id="")
        webhook.remote_id = ""
        _create(webhook, client, team)


def _is_last_attempt() -> bool:
    message = OutboxMessage.objects.filter(pk=outbox.current_message_id()).first()
    if message is None:
        return False
    return message.attempts >= message.max_attempts or timezone.now() - message.created_at >= max_age()


def _record(webhook_id: Any, *, status: str, error: str = "") -> None:
    if status == WebhookStatus.DELIVERED:
        later = OutboxMessage.objects.filter(
            ordering_key=webhook_key(webhook_id), status=OutboxStatus.PENDING
        ).exclude(pk=outbox.current_message_id())
        if later.exists():
            status = WebhookStatus.PENDING
    TeamWebhook.objects.filter(pk=webhook_id).update(
        status=status, last_error=error[:2000], last_delivery_at=timezone.now(), updated_at=timezone.now()
    )


def deliver(payload: dict[str, Any]) -> None:
    op = payload.get("op")
    webhook = TeamWebhook.objects.select_related("team").filter(pk=payload.get("webhook_id")).first()
    if webhook is None:
        return  # deleted: nobody to tell any more
    if op not in OPS:
        raise PermanentError(f"unknown webhook operation {op!r}")
    if not host_allowed(webhook.url):
        error = PermanentError("the webhook's host is not among TEAM_WEBHOOK_ALLOWED_HOSTS")
        _record(webhook.pk, status=WebhookStatus.FAILED, error=str(error))
        raise error
    client = ScimGroupClient(url=webhook.url, secret=webhook.secret)
    try:
        _apply(webhook, client, op, payload)
    except PermanentError as error:
        _record(webhook.pk, status=WebhookStatus.FAILED, error=str(error))
        raise
    except DeliveryError as error:
        status = WebhookStatus.FAILED if _is_last_attempt() else WebhookStatus.RETRYING
        _record(webhook.pk, status=status, error=str(error))
        raise
    except Exception:
        status = WebhookStatus.FAILED if _is_last_attempt() else WebhookStatus.RETRYING
        _record(webhook.pk, status=status, error="unexpected error; operators can see its details")
        raise
    if op != OP_DELETE or webhook.team_id is not None:
        _record(webhook.pk, status=WebhookStatus.DELIVERED)
