"""The mail app's e-mails, in HTML and text, in their reader's language (English msgids,
translated through the app's catalog): an invitation to manage a domain, a mailbox's one-time
login link (new mailbox, link asked again, password reset) and a domain's change of status.

No password is ever in them: a new mailbox's owner, or one whose password was reset, signs in
through a one-time link to the webmail and chooses their own there.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from people.core import delivery, outbox
from people.mail.models import (
    Mailbox,
    MailDomain,
    MailDomainInvitation,
    MailDomainRole,
    MailDomainStatus,
)

LINK_SUBJECTS = {
    "welcome": _("Your new mailbox %(address)s"),
    "login_link": _("Your link to sign in to %(address)s"),
    "password_reset": _("The password of %(address)s was reset"),
}


def _language(language: str | None) -> str:
    codes = {code for code, _label in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def render(template: str, subject: Any, context: dict[str, Any], *, language: str | None) -> tuple[str, str, str]:
    """Subject, text and HTML of `mail/email/<template>`, in `language`."""
    context = {"brand": settings.EMAIL_BRAND_NAME, **context}
    with translation.override(_language(language)):
        text = render_to_string(f"mail/email/{template}.txt", context)
        html = render_to_string(f"mail/email/{template}.html", context)
        subject = " ".join(str(subject).split())
    return subject, text, html


def send(to: str, rendered: tuple[str, str, str]) -> None:
    """One e-mail of the outbox, with the identity of its message (see `delivery.send_email`)."""
    subject, text, html = rendered
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    delivery.send_email(message, outbox_id=outbox.current_message_id())


def invitation(invitation: MailDomainInvitation, *, language: str | None) -> tuple[str, str, str]:
    issuer = invitation.issuer
    with translation.override(_language(language)):
        context = {
            "domain": invitation.domain.name,
            "role": str(MailDomainRole(invitation.role).label),
            "issuer": (issuer.name or issuer.email) if issuer else "",
            "link": settings.PUBLIC_URL or "/",
            "expires_at": invitation.expires_at,
        }
        subject = str(_('Invitation to manage the mail domain "%(domain)s"') % {"domain": invitation.domain.name})
    return render("invitation", subject, context, language=language)


def mailbox_link(mailbox: Mailbox, *, reason: str, link: str, language: str | None) -> tuple[str, str, str]:
    context = {"address": mailbox.email, "name": mailbox.display_name, "reason": reason, "link": link}
    with translation.override(_language(language)):
        subject = str(LINK_SUBJECTS[reason] % {"address": mailbox.email})
    return render("mailbox_link", subject, context, language=language)


def domain_status(domain: MailDomain, *, old: str, new: str, language: str | None) -> tuple[str, str, str]:
    with translation.override(_language(language)):
        words = str(MailDomainStatus(new).label)
        context = {
            "domain": domain.name,
            "status": new,
            "status_words": words,
            "old_words": str(MailDomainStatus(old).label) if old in MailDomainStatus.values else old,
            "records": domain.expected_config or [],
            "problems": domain.action_required_details,
            "link": settings.PUBLIC_URL or "/",
        }
        subject = str(_("Mail domain %(domain)s: %(status)s") % {"domain": domain.name, "status": words})
    return render("domain_status", subject, context, language=language)
