"""Mailboxes: recorded at once (`pending`), provisioned on the mail platform by a job.

A mailbox waits for its domain to be enabled before it is created there; every later change of
its names or of its being disabled is queued in order after the creation (see
`provisioning.mailbox_sync`, which brings the platform to the row's latest state).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from people.core import audit
from people.core.errors import AlreadyExists, NotFound, PermissionDenied, ValidationFailed
from people.core.features import feature_enabled
from people.core.selectors import not_found_message
from people.core.services import full_clean, model_update, unknown_fields_check
from people.identity.models import User, normalize_email
from people.mail import policies, provisioning
from people.mail.models import (
    MAILBOX_LOCAL_PART_MAX_LENGTH,
    NAME_MAX_LENGTH,
    Mailbox,
    MailboxStatus,
    MailDomain,
    MailDomainStatus,
    display_name,
)
from people.mail.services.common import (
    acting,
    language_of,
    require_manager,
    require_not_disabled,
    text,
)

UPDATABLE = ("first_name", "last_name", "secondary_email")


def _names(first_name: Any, last_name: Any) -> tuple[str, str]:
    return (
        text(first_name, field="first_name", max_length=NAME_MAX_LENGTH),
        text(last_name, field="last_name", max_length=NAME_MAX_LENGTH),
    )


def _secondary(value: Any) -> str | None:
    return normalize_email(value) if isinstance(value, str) else None


def _display_name_free(*, domain: MailDomain, first_name: str, last_name: str, besides: Any = None) -> None:
    """The webmail shows one display name per domain, whatever the case: refused here, before
    the platform refuses it."""
    taken = Mailbox.objects.filter(domain=domain, display_name_key=display_name(first_name, last_name).casefold())
    if besides is not None:
        taken = taken.exclude(pk=besides)
    if taken.exists():
        message = _("Mailbox with this First name, Last name and Domain already exists.")
        raise AlreadyExists(message, code="already_exists", errors={"__all__": [message]})


def _locked_mailbox(*, actor: User, mailbox: Mailbox) -> tuple[Mailbox, str | None]:
    acting_domain = acting(actor=actor, domain=mailbox.domain)
    fresh = Mailbox.objects.select_for_update().filter(pk=mailbox.pk, domain=acting_domain.domain).first()
    if fresh is None:
        raise NotFound(not_found_message(Mailbox))
    fresh.domain = acting_domain.domain
    return fresh, acting_domain.role


def _provision(mailbox: Mailbox, *, actor: User) -> None:
    """The mailbox is pending again, and its sync queued when the platform has it or may create
    it now; otherwise it waits for its domain (`provisioning.provision_waiting`)."""
    if mailbox.status != MailboxStatus.PENDING or mailbox.failure is not None:
        mailbox.status, mailbox.failure = MailboxStatus.PENDING, None
        mailbox.save(update_fields=["status", "failure", "updated_at"])
    if mailbox.provisioned or mailbox.domain.status == MailDomainStatus.ENABLED:
        provisioning.queue_mailbox_sync(mailbox, language=language_of(actor))


@transaction.atomic
def mailbox_create(
    *,
    actor: User,
    domain: MailDomain | str,
    first_name: Any,
    last_name: Any,
    local_part: Any,
    secondary_email: Any = None,
) -> Mailbox:
    """A mailbox of the domain (managers, while MAILBOXES_CREATE is on), answered `pending`:
    created on the platform at once when the domain is enabled, else once it is; its owner then
    gets a one-time login link at the secondary address."""
    acting_domain = acting(actor=actor, domain=domain)
    require_manager(acting_domain.role)
    if not feature_enabled("MAILBOXES_CREATE"):
        raise PermissionDenied(_("Creating mailboxes is switched off on this service."))
    domain = acting_domain.domain
    require_not_disabled(domain)
    first_name, last_name = _names(first_name, last_name)
    local_part = text(local_part, field="local_part", max_length=MAILBOX_LOCAL_PART_MAX_LENGTH).lower()
    if Mailbox.objects.filter(domain=domain, local_part=local_part).exists():
        message = _("A mailbox with this address already exists.")
        raise AlreadyExists(message, code="already_exists", errors={"local_part": [message]})
    _display_name_free(domain=domain, first_name=first_name, last_name=last_name)
    mailbox = Mailbox(
        domain=domain, first_name=first_name, last_name=last_name, local_part=local_part,
        secondary_email=_secondary(secondary_email),
    )
    full_clean(mailbox, exclude=["domain", "display_name_key", "search_text"])
    mailbox.save()
    audit.record(
        actor=actor, action="mailbox.create", target=mailbox,
        changes={"first_name": first_name, "last_name": last_name, "local_part": local_part,
                 "secondary_email": mailbox.secondary_email},
    )
    _provision(mailbox, actor=actor)
    return mailbox


@transaction.atomic
def mailbox_update(*, actor: User, mailbox: Mailbox, **fields: Any) -> Mailbox:
    """Names and secondary address: managers, or the mailbox's own user (self-service). A new
    name goes to the platform; the secondary address stays in People (login links)."""
    unknown_fields_check(fields, allowed=UPDATABLE)
    mailbox, role = _locked_mailbox(actor=actor, mailbox=mailbox)
    domain = mailbox.domain
    if not policies.mailbox_can_update(role=role, user=actor, mailbox=mailbox, domain_name=domain.name):
        raise PermissionDenied()
    require_not_disabled(domain)
    data: dict[str, Any] = {}
    if "first_name" in fields:
        data["first_name"] = text(fields["first_name"], field="first_name", max_length=NAME_MAX_LENGTH)
    if "last_name" in fields:
        data["last_name"] = text(fields["last_name"], field="last_name", max_length=NAME_MAX_LENGTH)
    if "secondary_email" in fields:
        data["secondary_email"] = _secondary(fields["secondary_email"])
    first, last = data.get("first_name", mailbox.first_name), data.get("last_name", mailbox.last_name)
    renamed = display_name(first, last) != mailbox.display_name
    if display_name(first, last).casefold() != mailbox.display_name_key:
        _display_name_free(domain=domain, first_name=first, last_name=last, besides=mailbox.pk)
    changes = model_update(instance=mailbox, data=data, clean=True, clean_exclude=["domain"])
    if not changes:
        return mailbox
    audit.record(actor=actor, action="mailbox.update", target=mailbox, changes=changes)
    if renamed:
        _provision(mailbox, actor=actor)
    return mailbox


@transaction.atomic
def mailbox_set_active(*, actor: User, mailbox: Mailbox, active: bool) -> Mailbox:
    """Disable (`active=False`) or enable a mailbox (managers); asking for its current state
    changes nothing. One not yet on the platform is created in that state."""
    mailbox, role = _locked_mailbox(actor=actor, mailbox=mailbox)
    require_manager(role)
    require_not_disabled(mailbox.domain)
    if mailbox.active == active:
        return mailbox
    mailbox.active = active
    mailbox.save(update_fields=["active", "updated_at"])
    audit.record(
        actor=actor, action="mailbox.enable" if active else "mailbox.disable", target=mailbox,
        changes={"active": [not active, active]},
    )
    if mailbox.status != MailboxStatus.FAILED or mailbox.provisioned:
        _provision(mailbox, actor=actor)
    return mailbox


def _ready_for_links(mailbox: Mailbox, *, missing: str) -> None:
    if not mailbox.secondary_email_usable:
        raise ValidationFailed(missing, code="secondary_email_required")
    if not (mailbox.provisioned and mailbox.active):
        raise ValidationFailed(
            _("This mailbox is not active on the mail platform yet: wait until it is enabled."), code="mailbox_not_ready"
        )


@transaction.atomic
def mailbox_reset_password(*, actor: User, mailbox: Mailbox) -> Mailbox:
    """A new password on the platform, which nobody learns: the owner gets a one-time login link
    at the secondary address and chooses their own (managers)."""
    mailbox, role = _locked_mailbox(actor=actor, mailbox=mailbox)
    require_manager(role)
    _ready_for_links(mailbox, missing=_("Please add a secondary email before resetting the password."))
    audit.record(actor=actor, action="mailbox.password_reset", target=mailbox)
    provisioning.queue_mailbox_password_reset(mailbox, language=language_of(actor))
    return mailbox


@transaction.atomic
def mailbox_send_login_link(*, actor: User, mailbox: Mailbox) -> Mailbox:
    """A one-time webmail login link, to the secondary address (managers)."""
    mailbox, role = _locked_mailbox(actor=actor, mailbox=mailbox)
    require_manager(role)
    _ready_for_links(
        mailbox,
        missing=_(
            "Logging in with a link requires a secondary email address. Please add a valid secondary "
            "email before trying again."
        ),
    )
    audit.record(actor=actor, action="mailbox.login_link", target=mailbox)
    provisioning.queue_link_email(mailbox, reason=provisioning.LINK_LOGIN, language=language_of(actor))
    return mailbox
