"""What the mail services share: the acting domain, the manager check, input clean-up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from people.core.errors import PermissionDenied, ValidationFailed
from people.core.models import OutboxStatus
from people.mail import policies, selectors
from people.mail.models import MailDomain, MailDomainStatus


def acting(*, actor: Any, domain: MailDomain | str) -> selectors.ActingDomain:
    """The domain locked for this write, with the actor's role (404 without one)."""
    return selectors.domain_get_for_actor(actor=actor, domain=domain, for_write=True)


def require_manager(role: str | None, refused: str | None = None) -> None:
    """Owners and administrators only (403 for viewers)."""
    if not policies.role_can_manage(role):
        raise PermissionDenied(refused or _("You do not have permission to perform this action."))


def require_not_disabled(domain: MailDomain) -> None:
    if domain.status == MailDomainStatus.DISABLED:
        raise ValidationFailed(
            _("You can't create or update a mailbox for a disabled domain."), code="domain_disabled"
        )


def language_of(actor: Any) -> str:
    return getattr(actor, "language", None) or settings.LANGUAGE_CODE


def text(value: Any, *, field: str, max_length: int, required: bool = True) -> str:
    """A name from a client, trimmed; refused when blank (if required) or too long."""
    value = value.strip() if isinstance(value, str) else ""
    if required and not value:
        raise ValidationFailed(_("This field may not be blank."), errors={field: [_("This field may not be blank.")]})
    if len(value) > max_length:
        message = _("Ensure this field has no more than %(max)s characters.") % {"max": max_length}
        raise ValidationFailed(message, errors={field: [message]})
    return value


def operation_pending(obj: Any) -> bool:
    """Whether a provisioning message of the object is still on its way."""
    operation = getattr(obj, "operation", None)
    return operation is not None and operation.status == OutboxStatus.PENDING
