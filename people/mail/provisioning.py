"""What reaches the mail platform, and how its answers come back into People.

Services record a change first, then `queue_*` writes an outbox message in the same
transaction; a background job (`tasks.py`) runs the matching function below, which calls the
platform (`clients.MailPlatformClient`) and records the outcome. Hence:

- nothing waits on the platform, and nothing is lost when it is down: the message stays
  pending and is retried with the outbox's backoff (`TransientError`), for weeks
  (MAIL_PROVISIONING_MAX_ATTEMPTS); the periodic job queues again any object still pending
  whose message was given up (`reconcile`);
- one object's messages go out in order (the outbox's `ordering_key`: a mailbox's, a domain's,
  an alias name's), and each job provisions the object as it is when the job runs, so that
  several changes queued during an outage end in the latest state;
- the platform's final refusals (a display name taken, an alias that exists) become the
  object's `failed` status with a reason its managers can act on (`messages.FAILURES`), and the
  outbox message is failed with the platform's words for operators;
- delivery is at least once: each job may run twice, so each call is safe to repeat (a
  mailbox is looked for before it is created, "already exists" and "already gone" are
  outcomes, not errors).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from people.core import audit, outbox
from people.core.delivery import PermanentError, TransientError
from people.core.models import OutboxMessage, OutboxStatus
from people.mail import messages
from people.mail.clients import MailPlatformClient, PlatformRefused
from people.mail.models import (
    Alias,
    AliasStatus,
    Mailbox,
    MailboxStatus,
    MailDomain,
    MailDomainStatus,
    checks_of,
)

logger = logging.getLogger("people.mail")

DOMAIN_SYNC = "mail.domain_sync"
MAILBOX_SYNC = "mail.mailbox_sync"
MAILBOX_PASSWORD_RESET = "mail.mailbox_password_reset"
MAILBOX_LINK_EMAIL = "mail.mailbox_link_email"
ALIAS_SYNC = "mail.alias_sync"
ALIAS_DELETE_ALL = "mail.alias_delete_all"
DOMAIN_STATUS_EMAIL = "mail.domain_status_email"
INVITATION_EMAIL = "mail.invitation_email"

LINK_WELCOME, LINK_LOGIN, LINK_PASSWORD_RESET = "welcome", "login_link", "password_reset"


class Refused(PermanentError):
    """The platform's final no to a job, with what its object's managers are told
    (`messages.failure`)."""

    def __init__(self, failure: dict[str, Any], reason: str):
        self.failure = failure
        super().__init__(reason)


# --- keys and queueing -----------------------------------------------------------------------


def domain_key(domain: MailDomain) -> str:
    return f"mail:domain:{domain.pk}"


def mailbox_key(mailbox: Mailbox) -> str:
    return f"mail:mailbox:{mailbox.pk}"


def alias_key(domain: MailDomain, local_part: str) -> str:
    """Aliases of one name share a key: deleting all of a name is ordered with their creations."""
    return f"mail:alias:{domain.pk}:{local_part}"


def _queue(kind: str, payload: dict[str, Any], *, key: str, recipient: str, platform: bool = True) -> OutboxMessage:
    return outbox.enqueue(
        kind,
        payload,
        recipient=recipient,
        ordering_key=key,
        max_attempts=settings.MAIL_PROVISIONING_MAX_ATTEMPTS if platform else None,
    )


def queue_domain_sync(domain: MailDomain) -> OutboxMessage:
    """Create the domain on the platform if needed, then check it (status, DNS records)."""
    message = _queue(DOMAIN_SYNC, {"domain_id": str(domain.pk)}, key=domain_key(domain), recipient=domain.name)
    MailDomain.objects.filter(pk=domain.pk).update(operation=message)
    domain.operation = message
    return message


def queue_mailbox_sync(mailbox: Mailbox, *, language: str | None = None) -> OutboxMessage:
    """Bring the platform's mailbox to the row's state: created, names, enabled or disabled."""
    payload = {"mailbox_id": str(mailbox.pk), "language": language or settings.LANGUAGE_CODE}
    message = _queue(MAILBOX_SYNC, payload, key=mailbox_key(mailbox), recipient=mailbox.email)
    Mailbox.objects.filter(pk=mailbox.pk).update(operation=message)
    mailbox.operation = message
    return message


def queue_mailbox_password_reset(mailbox: Mailbox, *, language: str | None = None) -> OutboxMessage:
    payload = {"mailbox_id": str(mailbox.pk), "language": language or settings.LANGUAGE_CODE}
    return _queue(MAILBOX_PASSWORD_RESET, payload, key=mailbox_key(mailbox), recipient=mailbox.email)


def queue_link_email(mailbox: Mailbox, *, reason: str, language: str | None = None) -> OutboxMessage:
    """An e-mail to the mailbox's secondary address with a one-time webmail link. E-mails of a
    mailbox have their own order, apart from its provisioning: an SMTP outage holds no change."""
    payload = {"mailbox_id": str(mailbox.pk), "reason": reason, "language": language or settings.LANGUAGE_CODE}
    return _queue(
        MAILBOX_LINK_EMAIL, payload, key=f"mail:mailbox-email:{mailbox.pk}", recipient=mailbox.secondary_email or ""
    )


def queue_alias_sync(alias: Alias) -> OutboxMessage:
    """Create the alias on the platform, or delete it when it is being deleted."""
    message = _queue(
        ALIAS_SYNC, {"alias_id": str(alias.pk)}, key=alias_key(alias.domain, alias.local_part),
        recipient=f"{alias.local_part}@{alias.domain.name}",
    )
    Alias.objects.filter(pk=alias.pk).update(operation=message)
    alias.operation = message
    return message


def queue_alias_delete_all(domain: MailDomain, local_part: str) -> OutboxMessage:
    """Delete every alias of a name at once (the rows being deleted point to this message)."""
    return _queue(
        ALIAS_DELETE_ALL, {"domain_id": str(domain.pk), "local_part": local_part},
        key=alias_key(domain, local_part), recipient=f"{local_part}@{domain.name}",
    )


def queue_domain_status_email(domain: MailDomain, *, old: str, new: str) -> OutboxMessage:
    return _queue(
        DOMAIN_STATUS_EMAIL,
        {"domain_id": str(domain.pk), "old": old, "new": new, "language": settings.LANGUAGE_CODE},
        key=f"mail:domain-email:{domain.pk}", recipient=domain.support_email, platform=False,
    )


@contextlib.contextmanager
def _attempt(model: type, pk: Any) -> Iterator[None]:
    """Count the object's attempts the platform did not answer (shown while it is pending),
    from zero again once it answers."""
    answered = True
    try:
        yield
    except TransientError:
        answered = False
        model.objects.filter(pk=pk).update(failed_attempts=F("failed_attempts") + 1)
        raise
    finally:
        if answered:
            model.objects.filter(pk=pk).exclude(failed_attempts=0).update(failed_attempts=0)


def _is_latest(obj: Any) -> bool:
    """Whether the job running is the latest one queued for `obj` (read under its lock): only
    the latest settles its status, the others leave it pending for it."""
    return obj.operation_id is not None and str(obj.operation_id) == str(outbox.current_message_id())


def _current_attempts() -> int:
    message_id = outbox.current_message_id()
    if message_id is None:
        return 1
    return OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 1


# --- domains ---------------------------------------------------------------------------------


def status_of(report: dict[str, Any]) -> str:
    """The status a check report gives a domain; "fix" when only the platform's own (internal)
    checks fail, which the platform may repair itself."""
    checks = checks_of(report)
    if report.get("state") == "ok" or (checks and all(check.get("ok") for check in checks.values())):
        return MailDomainStatus.ENABLED
    if any(not check.get("ok") and not check.get("internal") for check in checks.values()):
        return MailDomainStatus.ACTION_REQUIRED
    return "fix"


def domain_sync(*, domain_id: Any) -> None:
    with _attempt(MailDomain, domain_id):
        _domain_sync(domain_id=domain_id)


def _domain_sync(*, domain_id: Any) -> None:
    domain = MailDomain.objects.filter(pk=domain_id).first()
    if domain is None or domain.status == MailDomainStatus.DISABLED:
        return
    client = MailPlatformClient()
    try:
        if not domain.provisioned:
            client.domain_create(domain.name)
            MailDomain.objects.filter(pk=domain.pk).update(provisioned=True)
        report = client.domain_check(domain.name)
        status = status_of(report)
        if status == "fix":
            report = client.domain_fix(domain.name)
            status = status_of(report)
            if status == "fix":
                status = MailDomainStatus.FAILED
        expected = client.domain_spec(domain.name)
    except PlatformRefused as refused:
        if refused.status == 404:
            # Unknown there although created: made again at the next check.
            MailDomain.objects.filter(pk=domain.pk).update(provisioned=False)
            failure = messages.failure("domain_unknown")
        else:
            failure = messages.failure("domain_refused", detail=refused.detail or refused.status)
        _domain_settle(domain_id, status=MailDomainStatus.FAILED, failure=failure)
        raise
    failure = messages.failure("domain_checks_failed") if status == MailDomainStatus.FAILED else None
    _domain_settle(domain_id, status=status, failure=failure, report=report, expected=expected)


@transaction.atomic
def _domain_settle(
    domain_id: Any, *, status: str, failure: dict | None, report: dict | None = None, expected: list | None = None
) -> None:
    """Record a check's outcome; on a change of status, tell the support address, and once
    enabled, provision what waited for the domain."""
    domain = MailDomain.objects.select_for_update().filter(pk=domain_id).first()
    if domain is None or domain.status == MailDomainStatus.DISABLED:
        return
    old = domain.status
    domain.status, domain.failure = status, failure
    fields = ["status", "failure", "updated_at"]
    if report is not None:
        domain.last_check_details, domain.expected_config, domain.last_check_at = report, expected, timezone.now()
        fields += ["last_check_details", "expected_config", "last_check_at"]
    domain.save(update_fields=fields)
    if old == status:
        return
    audit.record(actor=None, action="mail_domain.status", target=domain, changes={"status": [old, status]})
    queue_domain_status_email(domain, old=old, new=status)
    if status == MailDomainStatus.ENABLED:
        provision_waiting(domain)


def provision_waiting(domain: MailDomain) -> int:
    """Queue what waited for the domain to be enabled: its mailboxes and aliases not yet on the
    platform (not those refused for good, nor those already on their way)."""
    count = 0
    idle = Q(operation__isnull=True) | ~Q(operation__status=OutboxStatus.PENDING)
    for mailbox in Mailbox.objects.filter(idle, domain=domain, provisioned=False, status=MailboxStatus.PENDING):
        mailbox.domain = domain
        queue_mailbox_sync(mailbox)
        count += 1
    for alias in Alias.objects.filter(idle, domain=domain, provisioned=False, status=AliasStatus.PENDING):
        alias.domain = domain
        queue_alias_sync(alias)
        count += 1
    return count


# --- mailboxes -------------------------------------------------------------------------------


def _fold(name: Any) -> str:
    return " ".join(str(name or "").split()).casefold()


def _listed(client: MailPlatformClient, domain: MailDomain) -> dict[str, dict[str, Any]]:
    return {
        str(row.get("email", "")).lower(): row
        for row in client.mailboxes(domain.name)
        if isinstance(row.get("email"), str)
    }


def _name_taken_by(listed: dict[str, dict[str, Any]], mailbox: Mailbox) -> str | None:
    """The address of another mailbox of the platform with the same display name, if any."""
    own, key = mailbox.email, mailbox.display_name_key
    for address, row in sorted(listed.items()):
        if address != own and _fold(row.get("displayName")) == key:
            return address
    return None


def _mailbox_create(client: MailPlatformClient, mailbox: Mailbox) -> bool:
    """Make the mailbox on the platform; True once it is there (made now or earlier).

    The platform answers 500 for a mailbox that exists and after a partial creation, so the
    list is read first (a mailbox made by a lost attempt of ours is taken as ours, and so is
    one made outside People at this address: People now manages it) and after a 500. A display
    name another mailbox has is refused before asking (the webmail would refuse it).
    """
    domain = mailbox.domain
    listed = _listed(client, domain)
    if mailbox.email in listed:
        return True
    taken_by = _name_taken_by(listed, mailbox)
    if taken_by:
        raise Refused(messages.failure("display_name_taken", address=taken_by), f"display name used by {taken_by}")
    names = {"given_name": mailbox.first_name, "surname": mailbox.last_name, "display_name": mailbox.display_name}
    try:
        outcome = client.mailbox_create(domain.name, mailbox.local_part, **names)
    except PlatformRefused as refused:
        raise Refused(messages.failure("address_refused", detail=refused.detail or refused.status), str(refused)) from refused
    if outcome == "created":
        return True
    listed = _listed(client, domain)
    taken_by = _name_taken_by(listed, mailbox)
    if mailbox.email in listed:
        if taken_by:  # made in part: the mail side exists, the webmail refused the name
            Mailbox.objects.filter(pk=mailbox.pk).update(provisioned=True)
            raise Refused(messages.failure("display_name_taken", address=taken_by), f"display name used by {taken_by}")
        return True
    if taken_by:
        raise Refused(messages.failure("display_name_taken", address=taken_by), f"display name used by {taken_by}")
    raise TransientError("mail platform answered 500 to the creation and has no such mailbox")


def mailbox_sync(*, mailbox_id: Any, language: str | None = None) -> None:
    with _attempt(Mailbox, mailbox_id):
        _mailbox_sync(mailbox_id=mailbox_id, language=language)


def _mailbox_sync(*, mailbox_id: Any, language: str | None = None) -> None:
    mailbox = Mailbox.objects.select_related("domain").filter(pk=mailbox_id).first()
    if mailbox is None:
        return
    domain = mailbox.domain
    client = MailPlatformClient()
    names = {"given_name": mailbox.first_name, "surname": mailbox.last_name, "display_name": mailbox.display_name}
    try:
        if not mailbox.provisioned:
            if domain.status != MailDomainStatus.ENABLED:
                return  # queued again once the domain is enabled (`provision_waiting`)
            _mailbox_create(client, mailbox)
            Mailbox.objects.filter(pk=mailbox.pk).update(provisioned=True)
            if mailbox.secondary_email_usable:
                queue_link_email(mailbox, reason=LINK_WELCOME, language=language)
            if not mailbox.active:
                client.mailbox_update(domain.name, mailbox.local_part, active=False, **names)
        elif domain.provisioned:
            client.mailbox_update(domain.name, mailbox.local_part, active=mailbox.active, **names)
    except PlatformRefused as refused:
        if refused.status == 404:
            failure = messages.failure("mailbox_missing")
        elif refused.status == 409:
            listed = _listed(client, domain)
            taken_by = _name_taken_by(listed, mailbox) or "?"
            failure = messages.failure("display_name_taken", address=taken_by)
        else:
            failure = messages.failure("change_refused", detail=refused.detail or refused.status)
        _mailbox_settle(mailbox.pk, failure=failure)
        raise
    except Refused as refused:
        _mailbox_settle(mailbox.pk, failure=refused.failure)
        raise
    _mailbox_settle(mailbox.pk)


@transaction.atomic
def _mailbox_settle(mailbox_id: Any, *, failure: dict | None = None) -> None:
    """The latest job of a mailbox sets its status: failed with its reason, else enabled or
    disabled as asked. An earlier one leaves it pending for the latest."""
    mailbox = Mailbox.objects.select_for_update().filter(pk=mailbox_id).first()
    if mailbox is None or not _is_latest(mailbox):
        return
    if failure is not None:
        mailbox.status, mailbox.failure = MailboxStatus.FAILED, failure
    else:
        mailbox.status = MailboxStatus.ENABLED if mailbox.active else MailboxStatus.DISABLED
        mailbox.failure = None
    mailbox.save(update_fields=["status", "failure", "updated_at"])


def mailbox_password_reset(*, mailbox_id: Any, language: str | None = None) -> None:
    """A new password on the platform (dropped: nobody learns it), then a login link to the
    secondary address, so that the owner signs in and chooses their own."""
    mailbox = Mailbox.objects.select_related("domain").filter(pk=mailbox_id).first()
    if mailbox is None:
        return
    if not mailbox.provisioned:
        raise PermanentError("the mailbox is not on the mail platform")
    MailPlatformClient().mailbox_reset_password(mailbox.domain.name, mailbox.local_part)
    audit.record(actor=None, action="mailbox.password_reset_done", target=mailbox)
    if mailbox.secondary_email_usable:
        queue_link_email(mailbox, reason=LINK_PASSWORD_RESET, language=language)


def login_link(mailbox: Mailbox) -> str:
    """A one-time link to the webmail, asked of the platform at the moment it is sent."""
    if not settings.MAIL_WEBMAIL_URL:
        raise TransientError("no webmail configured (MAIL_WEBMAIL_URL): login links cannot be made")
    code = MailPlatformClient().mailbox_login_code(mailbox.domain.name, mailbox.local_part)
    return f"{settings.MAIL_WEBMAIL_URL}/code/{code}"


# --- aliases ---------------------------------------------------------------------------------


def alias_sync(*, alias_id: Any) -> None:
    with _attempt(Alias, alias_id):
        _alias_sync(alias_id=alias_id)


def _alias_sync(*, alias_id: Any) -> None:
    alias = Alias.objects.select_related("domain").filter(pk=alias_id).first()
    if alias is None:
        return
    domain = alias.domain
    client = MailPlatformClient()
    if alias.status == AliasStatus.DELETING:
        if alias.provisioned and domain.provisioned:
            client.alias_delete(domain.name, alias.local_part, alias.destination)
        _alias_deleted(alias.pk)
        return
    if alias.provisioned:
        _alias_settle(alias.pk)
        return
    if domain.status != MailDomainStatus.ENABLED:
        return  # queued again once the domain is enabled (`provision_waiting`)
    try:
        outcome = client.alias_create(domain.name, alias.local_part, alias.destination)
    except PlatformRefused as refused:
        _alias_settle(alias.pk, failure=messages.failure("alias_refused", detail=refused.detail or refused.status))
        raise
    if outcome == "exists" and _current_attempts() <= 1:
        # There before we ever asked: made outside People. A later attempt's "exists" is ours.
        _alias_settle(alias.pk, failure=messages.failure("alias_exists"))
        raise PermanentError("mail platform: alias already exists")
    Alias.objects.filter(pk=alias.pk).update(provisioned=True)
    _alias_settle(alias.pk)


@transaction.atomic
def _alias_settle(alias_id: Any, *, failure: dict | None = None) -> None:
    alias = Alias.objects.select_for_update().filter(pk=alias_id).first()
    if alias is None or alias.status == AliasStatus.DELETING or not _is_latest(alias):
        return
    alias.status = AliasStatus.FAILED if failure else AliasStatus.ENABLED
    alias.failure = failure
    alias.save(update_fields=["status", "failure", "updated_at"])


@transaction.atomic
def _alias_deleted(alias_id: Any) -> None:
    """Gone from the platform: the row goes too, unless it was asked for again meanwhile (then
    its next job creates it again)."""
    alias = Alias.objects.select_for_update().filter(pk=alias_id).first()
    if alias is None:
        return
    if alias.status == AliasStatus.DELETING and _is_latest(alias):
        alias.delete()
    else:
        Alias.objects.filter(pk=alias.pk).update(provisioned=False)


def alias_delete_all(*, domain_id: Any, local_part: str) -> None:
    domain = MailDomain.objects.filter(pk=domain_id).first()
    if domain is None:
        return
    if domain.provisioned:
        MailPlatformClient().alias_delete(domain.name, local_part)
    with transaction.atomic():
        rows = Alias.objects.select_for_update().filter(domain=domain, local_part=local_part)
        current = str(outbox.current_message_id())
        for alias in rows:
            if alias.status == AliasStatus.DELETING and str(alias.operation_id) == current:
                alias.delete()
            else:  # asked for again after the deletion: its own job makes it again
                Alias.objects.filter(pk=alias.pk).update(provisioned=False)


# --- periodic jobs ---------------------------------------------------------------------------


def domains_check_due(*, now: Any = None) -> int:
    """Queue a check of each domain whose last one is older than its status's interval, unless
    one is on its way; then `reconcile`. Returns how many checks were queued."""
    now = now or timezone.now()
    often = now - timedelta(seconds=settings.MAIL_DOMAIN_CHECK_INTERVAL_PENDING)
    daily = now - timedelta(seconds=settings.MAIL_DOMAIN_CHECK_INTERVAL_ENABLED)
    pending_statuses = [MailDomainStatus.PENDING, MailDomainStatus.ACTION_REQUIRED]
    settled_statuses = [MailDomainStatus.ENABLED, MailDomainStatus.FAILED]
    due = MailDomain.objects.filter(
        (Q(status__in=pending_statuses) & (Q(last_check_at__isnull=True) | Q(last_check_at__lt=often)))
        | (Q(status__in=settled_statuses) & (Q(last_check_at__isnull=True) | Q(last_check_at__lt=daily)))
    ).exclude(operation__status=OutboxStatus.PENDING)
    count = 0
    for domain in due:
        with transaction.atomic():
            queue_domain_sync(domain)
        count += 1
    reconcile()
    return count


def reconcile() -> int:
    """Queue again what is still pending while no message of its own is: one the outbox gave
    up on after an outage of weeks, or whose message an operator purged. Nothing is lost."""
    idle = Q(operation__isnull=True) | ~Q(operation__status=OutboxStatus.PENDING)
    count = 0
    with transaction.atomic():
        for mailbox in Mailbox.objects.filter(idle, status=MailboxStatus.PENDING, domain__status=MailDomainStatus.ENABLED).select_related("domain"):
            queue_mailbox_sync(mailbox)
            count += 1
        waiting = Q(status=AliasStatus.DELETING) | Q(status=AliasStatus.PENDING, domain__status=MailDomainStatus.ENABLED)
        for alias in Alias.objects.filter(idle, waiting).select_related("domain"):
            queue_alias_sync(alias)
            count += 1
    return count

