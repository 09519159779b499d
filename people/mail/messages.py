"""What People tells a domain's managers about where an object stands on the mail platform.

A failure is stored as a code and its parameters (`ProvisionedModel.failure`), and worded when
read, in the reader's language; a pending object's reason is read from its domain and from the
outbox message that provisions it (waiting for the domain, on its way, retried after an outage).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from people.core.models import OutboxMessage, OutboxStatus
from people.mail.models import (
    Alias,
    AliasStatus,
    Mailbox,
    MailboxStatus,
    MailDomain,
    MailDomainStatus,
)

FAILURES = {
    "display_name_taken": _(
        "The first and last names are already those of %(address)s in this domain, which the webmail "
        "refuses: change them and the mailbox will be created."
    ),
    "address_refused": _("The mail platform refused this mailbox (%(detail)s): contact support."),
    "change_refused": _("The mail platform refused this change (%(detail)s): contact support."),
    "mailbox_missing": _("This mailbox no longer exists on the mail platform: contact support."),
    "domain_refused": _("The mail platform refused this domain (%(detail)s): contact support."),
    "domain_unknown": _("The mail platform does not know this domain: People will create it again at its next check."),
    "domain_checks_failed": _(
        "The mail platform could not repair its side of this domain: contact support."
    ),
    "alias_exists": _(
        "This alias already exists on the mail platform, made outside People: your domain is out of "
        "sync, please contact support."
    ),
    "alias_refused": _("The mail platform refused this alias (%(detail)s): contact support."),
}

PENDING_DOMAIN = _("Waiting for the domain to be ready on the mail platform.")
PENDING_QUEUED = _("Being provisioned on the mail platform.")
PENDING_RETRYING = _("The mail platform did not answer; People tries again by itself (attempt %(attempts)s).")
PENDING_STALLED = _("The mail platform has not answered for a long time; People will try again.")
ACTION_REQUIRED = _("Some DNS records of the domain are missing or wrong: publish the expected ones.")


def failure(code: str, **params: Any) -> dict[str, Any]:
    """What `failure` stores: a code of FAILURES and the values its sentence names."""
    return {"code": code, "params": {key: str(value) for key, value in params.items()}}


def failure_text(value: Any) -> str:
    if not isinstance(value, dict) or value.get("code") not in FAILURES:
        return ""
    params = value.get("params") if isinstance(value.get("params"), dict) else {}
    template = str(FAILURES[value["code"]])
    try:
        return template % params if "%(" in template else template
    except (KeyError, TypeError, ValueError):
        return template


def pending_text(*, operation: OutboxMessage | None, waiting_for_domain: bool, failed_attempts: int = 0) -> str:
    if waiting_for_domain:
        return str(PENDING_DOMAIN)
    if operation is not None and operation.status == OutboxStatus.FAILED:
        return str(PENDING_STALLED)
    if failed_attempts:
        return str(PENDING_RETRYING) % {"attempts": failed_attempts}
    return str(PENDING_QUEUED)


def domain_status_message(domain: MailDomain) -> str:
    """Why a domain is not enabled, in words (empty when enabled or disabled)."""
    if domain.status == MailDomainStatus.FAILED:
        return failure_text(domain.failure)
    if domain.status == MailDomainStatus.ACTION_REQUIRED:
        return str(ACTION_REQUIRED)
    if domain.status == MailDomainStatus.PENDING:
        return pending_text(operation=domain.operation, waiting_for_domain=False, failed_attempts=domain.failed_attempts)
    return ""


def object_status_message(obj: Mailbox | Alias, *, domain: MailDomain) -> str:
    """Why a mailbox or an alias is pending or failed, in words (empty otherwise)."""
    if obj.status == "failed":
        return failure_text(obj.failure)
    if obj.status in (MailboxStatus.PENDING, AliasStatus.DELETING):
        waiting = not obj.provisioned and obj.status == "pending" and domain.status != MailDomainStatus.ENABLED
        return pending_text(operation=obj.operation, waiting_for_domain=waiting, failed_attempts=obj.failed_attempts)
    return ""
