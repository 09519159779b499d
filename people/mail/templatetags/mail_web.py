"""Template helpers of the mail domain pages: `{% load mail_web %}`."""

from __future__ import annotations

from django import template
from django.utils.text import capfirst

from people.mail.models import MailboxStatus, MailDomainRole, MailDomainStatus

register = template.Library()

# The design system's badge of each status.
BADGES = {
    MailDomainStatus.ENABLED: "success",
    MailDomainStatus.PENDING: "info",
    MailDomainStatus.ACTION_REQUIRED: "warning",
    MailDomainStatus.FAILED: "error",
    MailDomainStatus.DISABLED: "new",
}


@register.filter
def mail_role_label(value: str | None) -> str:
    """A role as the reader names it ("Administrateur", "Viewer"); empty for no role."""
    return capfirst(MailDomainRole(value).label) if value in MailDomainRole.values else ""


@register.filter
def status_label(value: str | None) -> str:
    """A domain's or a mailbox's status in words ("Action requise", "Pending")."""
    for choices in (MailDomainStatus, MailboxStatus):
        if value in choices.values:
            return capfirst(choices(value).label)
    return value or ""


@register.filter
def status_badge(value: str | None) -> str:
    """The badge's modifier of a status (`fr-badge--{{ status|status_badge }}`)."""
    return BADGES.get(value, "info")
