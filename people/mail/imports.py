"""Import what exists on the mail platform but not in People: mailboxes and aliases made there
directly (before People managed the domain, or by the platform's operators).

Run by `manage.py mail_import` and by a periodic job. What People already knows is never
touched: a mailbox is known by its local part, an alias by its name and destination, whatever
their status (one People is creating right now included). The platform's technical accounts
(MAIL_TECHNICAL_ACCOUNTS, `oxadmin@` by default) are skipped, and so is what People could not
hold: an address of another domain, a local part or destination People refuses, a display name
another mailbox of the domain has.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.core import audit
from people.core.delivery import DeliveryError
from people.mail.clients import MailPlatformClient
from people.mail.models import (
    NAME_MAX_LENGTH,
    Alias,
    AliasStatus,
    Mailbox,
    MailboxStatus,
    MailDomain,
    MailDomainStatus,
    display_name,
    validate_alias_destination,
    validate_local_part,
)

logger = logging.getLogger("people.mail")


@dataclass
class Imported:
    mailboxes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _text(value: Any, limit: int = NAME_MAX_LENGTH) -> str:
    """A name as the platform gives it, fit to store: text, no NUL, trimmed."""
    return str(value or "").replace("\x00", "").strip()[:limit]


def _valid(validator: Any, value: str) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def domain_import(domain: MailDomain, *, client: MailPlatformClient | None = None) -> Imported:
    """Import one domain's mailboxes and aliases; raises the client's errors (platform down)."""
    client = client or MailPlatformClient()
    result = Imported()
    rows = client.mailboxes(domain.name)
    aliases = client.aliases(domain.name)
    technical = set(settings.MAIL_TECHNICAL_ACCOUNTS)
    known_locals = set(Mailbox.objects.filter(domain=domain).values_list("local_part", flat=True))
    known_names = set(Mailbox.objects.filter(domain=domain).values_list("display_name_key", flat=True))
    for row in rows:
        address = str(row.get("email") or "").strip().lower()
        local_part, _, domain_name = address.partition("@")
        if domain_name != domain.name or local_part in known_locals:
            continue
        if local_part in technical:
            continue
        first, last = _text(row.get("givenName")), _text(row.get("surName"))
        if not _valid(validate_local_part, local_part) or len(local_part) > Mailbox._meta.get_field("local_part").max_length:
            result.skipped.append(f"{address}: local part People does not accept")
            continue
        if display_name(first, last).casefold() in known_names:
            result.skipped.append(f"{address}: display name of another mailbox")
            continue
        if _create(
            Mailbox, domain=domain, first_name=first, last_name=last, local_part=local_part,
            status=MailboxStatus.ENABLED, provisioned=True,
        ):
            known_locals.add(local_part)
            known_names.add(display_name(first, last).casefold())
            result.mailboxes.append(address)
    known_aliases = set(Alias.objects.filter(domain=domain).values_list("local_part", "destination"))
    for row in aliases:
        local_part = str(row.get("username") or row.get("user_name") or "").strip().lower()
        destination = str(row.get("destination") or "").strip().lower()
        if (local_part, destination) in known_aliases:
            continue
        if not (_valid(validate_local_part, local_part) and _valid(validate_alias_destination, destination)):
            result.skipped.append(f"{local_part} → {destination}: alias People does not accept")
            continue
        if _create(
            Alias, domain=domain, local_part=local_part, destination=destination,
            status=AliasStatus.ENABLED, provisioned=True,
        ):
            known_aliases.add((local_part, destination))
            result.aliases.append(f"{local_part} → {destination}")
    for reason in result.skipped:
        logger.warning("mail import skipped %s", reason, extra={"domain": domain.name})
    return result


def _create(model: type, **fields: Any) -> bool:
    """One row, audited; False when a concurrent change made it first."""
    try:
        with transaction.atomic():
            row = model.objects.create(**fields)
            audit.record(actor=None, action=f"{model._meta.model_name}.import", target=row, changes={"source": "mail platform"})
    except IntegrityError:
        return False
    return True


def import_all() -> dict[str, Imported]:
    """Every domain the platform has and checks as enabled; a domain whose platform calls fail
    is skipped until the next run (and logged)."""
    results = {}
    for domain in MailDomain.objects.filter(provisioned=True, status=MailDomainStatus.ENABLED).order_by("name"):
        try:
            results[domain.name] = domain_import(domain)
        except DeliveryError as error:
            logger.warning("mail import failed for %s: %s", domain.name, error, extra={"domain": domain.name})
    return results
