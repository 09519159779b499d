"""Outbox handlers and periodic jobs of the teams app: thin, they load ids and send."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from people.core import delivery, outbox
from people.teams import webhooks
from people.teams.models import Invitation

logger = logging.getLogger("people.teams")

EMAIL_LANGUAGES = ("en", "fr")


def email_language(language: str | None) -> str:
    """The template language for a user language code such as `fr-fr` (English by default)."""
    prefix = (language or "").split("-")[0].lower()
    return prefix if prefix in EMAIL_LANGUAGES else "en"


def render_invitation(invitation: Invitation, language: str | None) -> tuple[str, str, str]:
    """Subject, text body and HTML body of the invitation e-mail."""
    lang = email_language(language)
    issuer = invitation.issuer
    context = {
        "team_name": invitation.team.name,
        "role": invitation.role,
        "issuer_name": (issuer.name or issuer.email) if issuer else "",
        "link": settings.PUBLIC_URL or "/",
        "brand": settings.EMAIL_BRAND_NAME,
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string(f"teams/email/invitation_subject.{lang}.txt", context)
    text = render_to_string(f"teams/email/invitation.{lang}.txt", context)
    html = render_to_string(f"teams/email/invitation.{lang}.html", context)
    return " ".join(subject.split()), text, html


@outbox.handler("teams.invitation_email")
def send_invitation_email(payload: dict[str, Any]) -> None:
    """Send the invitation; a refusal of the address fails at once, an outage is retried."""
    invitation = Invitation.objects.select_related("team", "issuer").filter(pk=payload.get("invitation_id")).first()
    if invitation is None:
        # Deleted (or accepted) before delivery: nothing left to announce.
        logger.info("invitation gone before its e-mail was sent", extra={"invitation_id": payload.get("invitation_id")})
        return
    subject, text, html = render_invitation(invitation, payload.get("language"))
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    delivery.send_email(message, outbox_id=outbox.current_message_id())


@outbox.handler(webhooks.WEBHOOK_DELIVER, max_age=webhooks.max_age)
def webhook_deliver(payload: dict[str, Any]) -> None:
    webhooks.deliver(payload)


@shared_task(name="people.teams.tasks.team_webhooks_reconcile")
def team_webhooks_reconcile() -> int:
    """Each webhook's group put in full at its service, where nothing is on its way already."""
    return webhooks.reconcile()
