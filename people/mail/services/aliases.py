"""Aliases: `local_part@domain` delivered to a destination; several destinations per name.

Created `pending` and provisioned by a job once the domain is enabled. A deletion marks the
row `deleting` (hidden from lists) until the platform confirms, so that a job queued before it
still finds its row, and an import does not bring it back meanwhile; asking for the same alias
again while it is being deleted takes the row back.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from people.core import audit
from people.core.errors import AlreadyExists, NotFound, ValidationFailed
from people.core.selectors import not_found_message
from people.core.services import full_clean, model_delete
from people.identity.models import User
from people.mail import provisioning
from people.mail.models import (
    ALIAS_LOCAL_PART_MAX_LENGTH,
    Alias,
    AliasStatus,
    MailDomain,
    MailDomainStatus,
)
from people.mail.services.common import acting, operation_pending, require_manager, text


def _require_open(domain: MailDomain) -> None:
    if domain.status == MailDomainStatus.DISABLED:
        raise ValidationFailed(_("This mail domain is disabled: its aliases cannot change."), code="domain_disabled")


@transaction.atomic
def alias_create(*, actor: User, domain: MailDomain | str, local_part: Any, destination: Any) -> Alias:
    """Managers; provisioned at once on an enabled domain, else once it is enabled."""
    acting_domain = acting(actor=actor, domain=domain)
    require_manager(acting_domain.role)
    domain = acting_domain.domain
    _require_open(domain)
    local_part = text(local_part, field="local_part", max_length=ALIAS_LOCAL_PART_MAX_LENGTH).lower()
    destination = text(destination, field="destination", max_length=254).lower()
    alias = Alias.objects.select_for_update().filter(domain=domain, local_part=local_part, destination=destination).first()
    if alias is not None and alias.status != AliasStatus.DELETING:
        message = _("Alias with this Domain, Local part and Destination already exists.")
        raise AlreadyExists(message, code="already_exists", errors={"__all__": [message]})
    if alias is None:
        alias = Alias(domain=domain, local_part=local_part, destination=destination)
        full_clean(alias, exclude=["domain"])
    alias.status, alias.failure = AliasStatus.PENDING, None  # a row being deleted is taken back
    alias.save()
    audit.record(
        actor=actor, action="alias.create", target=alias, changes={"local_part": local_part, "destination": destination}
    )
    if domain.status == MailDomainStatus.ENABLED or alias.provisioned:
        provisioning.queue_alias_sync(alias)
    return alias


def _forget_or_queue(alias: Alias, *, actor: User) -> None:
    """An alias the platform never had, with nothing on its way, just goes; any other is marked
    deleting and its job deletes it there first."""
    if not alias.provisioned and not operation_pending(alias):
        model_delete(actor=actor, instance=alias, action="alias.delete", changes={"destination": alias.destination})
        return
    alias.status = AliasStatus.DELETING
    alias.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="alias.delete", target=alias, changes={"destination": alias.destination})


@transaction.atomic
def alias_delete(*, actor: User, alias: Alias) -> None:
    acting_domain = acting(actor=actor, domain=alias.domain)
    require_manager(acting_domain.role)
    _require_open(acting_domain.domain)
    # Only the alias's row is locked: its outbox message may be none (an outer join).
    alias = Alias.objects.select_for_update(of=("self",)).select_related("operation").filter(pk=alias.pk).exclude(
        status=AliasStatus.DELETING
    ).first()
    if alias is None:
        raise NotFound(not_found_message(Alias))
    alias.domain = acting_domain.domain
    _forget_or_queue(alias, actor=actor)
    if alias.status == AliasStatus.DELETING:
        provisioning.queue_alias_sync(alias)


@transaction.atomic
def alias_delete_local_part(*, actor: User, domain: MailDomain | str, local_part: Any) -> int:
    """Every alias of a name at once (one call to the platform); returns how many."""
    acting_domain = acting(actor=actor, domain=domain)
    require_manager(acting_domain.role)
    domain = acting_domain.domain
    _require_open(domain)
    local_part = local_part.strip().lower() if isinstance(local_part, str) else ""
    aliases = list(
        Alias.objects.select_for_update(of=("self",))
        .select_related("operation")
        .filter(domain=domain, local_part=local_part)
        .exclude(status=AliasStatus.DELETING)
    )
    if not aliases:
        raise NotFound(not_found_message(Alias))
    deleting = []
    for alias in aliases:
        alias.domain = domain
        _forget_or_queue(alias, actor=actor)
        if alias.status == AliasStatus.DELETING:
            deleting.append(alias.pk)
    if deleting:
        message = provisioning.queue_alias_delete_all(domain, local_part)
        Alias.objects.filter(pk__in=deleting).update(operation=message)
    return len(aliases)
