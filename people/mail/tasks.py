"""Background jobs of the mail app: the outbox handlers (thin: load ids, call `provisioning`
or send an e-mail) and the periodic Celery tasks of CELERY_BEAT_SCHEDULE."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from people.core import outbox
from people.core.delivery import PermanentError
from people.mail import emails, imports, provisioning
from people.mail.models import Mailbox, MailDomain, MailDomainInvitation

logger = logging.getLogger("people.mail")


@outbox.handler(provisioning.DOMAIN_SYNC)
def domain_sync(payload: dict[str, Any]) -> None:
    provisioning.domain_sync(domain_id=payload.get("domain_id"))


@outbox.handler(provisioning.MAILBOX_SYNC)
def mailbox_sync(payload: dict[str, Any]) -> None:
    provisioning.mailbox_sync(mailbox_id=payload.get("mailbox_id"), language=payload.get("language"))


@outbox.handler(provisioning.MAILBOX_PASSWORD_RESET)
def mailbox_password_reset(payload: dict[str, Any]) -> None:
    provisioning.mailbox_password_reset(mailbox_id=payload.get("mailbox_id"), language=payload.get("language"))


@outbox.handler(provisioning.ALIAS_SYNC)
def alias_sync(payload: dict[str, Any]) -> None:
    provisioning.alias_sync(alias_id=payload.get("alias_id"))


@outbox.handler(provisioning.ALIAS_DELETE_ALL)
def alias_delete_all(payload: dict[str, Any]) -> None:
    provisioning.alias_delete_all(domain_id=payload.get("domain_id"), local_part=str(payload.get("local_part")))


@outbox.handler(provisioning.MAILBOX_LINK_EMAIL)
def mailbox_link_email(payload: dict[str, Any]) -> None:
    """The one-time link is asked of the platform at each attempt: a link in a lost e-mail
    was never seen, and expires."""
    mailbox = Mailbox.objects.select_related("domain").filter(pk=payload.get("mailbox_id")).first()
    if mailbox is None or not mailbox.secondary_email_usable:
        logger.info("mailbox link e-mail dropped: no mailbox or no secondary address", extra={"payload": payload})
        return
    if not mailbox.provisioned:
        raise PermanentError("the mailbox is not on the mail platform")
    reason = payload.get("reason") if payload.get("reason") in emails.LINK_SUBJECTS else provisioning.LINK_LOGIN
    link = provisioning.login_link(mailbox)
    rendered = emails.mailbox_link(mailbox, reason=reason, link=link, language=payload.get("language"))
    emails.send(mailbox.secondary_email, rendered)


@outbox.handler(provisioning.DOMAIN_STATUS_EMAIL)
def domain_status_email(payload: dict[str, Any]) -> None:
    domain = MailDomain.objects.filter(pk=payload.get("domain_id")).first()
    if domain is None or not domain.support_email:
        return
    rendered = emails.domain_status(
        domain, old=str(payload.get("old")), new=str(payload.get("new")), language=payload.get("language")
    )
    emails.send(domain.support_email, rendered)


@outbox.handler(provisioning.INVITATION_EMAIL)
def invitation_email(payload: dict[str, Any]) -> None:
    invitation = (
        MailDomainInvitation.objects.select_related("domain", "issuer").filter(pk=payload.get("invitation_id")).first()
    )
    if invitation is None:  # deleted or accepted before its e-mail went out
        return
    emails.send(invitation.email, emails.invitation(invitation, language=payload.get("language")))


@shared_task(name="people.mail.tasks.mail_domains_check_due")
def mail_domains_check_due() -> int:
    return provisioning.domains_check_due()


@shared_task(name="people.mail.tasks.mail_import_all")
def mail_import_all() -> int:
    results = imports.import_all()
    return sum(len(result.mailboxes) + len(result.aliases) for result in results.values())
