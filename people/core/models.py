"""Base model, audit trail and outbox: the mechanisms every app of People shares."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """UUID primary key and creation/update timestamps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def invitation_expiry() -> datetime:
    """When an invitation (to a team, to a mail domain) issued or refreshed now stops being
    valid: INVITATION_VALIDITY_DAYS later, the one rule of every invitation."""
    return timezone.now() + timedelta(days=settings.INVITATION_VALIDITY_DAYS)


class Audience(models.TextChoices):
    """Through which door a change came in."""

    USER = "user", _("session user")
    SERVICE = "service", _("service (resource server)")
    SCIM = "scim", _("SCIM client")
    OPERATOR = "operator", _("operator (admin or command)")
    SYSTEM = "system", _("system (sign-in, background job)")


class AuditEntry(models.Model):
    """One change to an audited object, written in the transaction of the change. Never edited."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(max_length=255, blank=True, help_text=_("who acted, kept when the user is deleted"))
    audience = models.CharField(max_length=16, choices=Audience.choices)
    service = models.CharField(max_length=255, blank=True, help_text=_("calling service's audience, if any"))
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target_idx"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action} {self.target_type}:{self.target_id}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    FAILED = "failed", _("failed (gave up)")


class OutboxMessage(BaseModel):
    """A unit of outbound work (an e-mail, a webhook call...), delivered by a background job.

    Written in the same transaction as the change that caused it, so a change is never lost
    nor sent when the transaction rolls back. `kind` names the handler (see `outbox.handler`).
    """

    kind = models.CharField(max_length=64, db_index=True)
    recipient = models.CharField(
        max_length=254, blank=True, db_index=True, help_text=_("e-mail address or peer host the message goes to")
    )
    payload = models.JSONField(default=dict)
    idempotency_key = models.CharField(max_length=64, unique=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=10)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text=_("a worker is delivering it until then (or died doing so)")
    )
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # Messages sharing a key (one object of a peer: a mailbox, a mail domain) are delivered one
    # after another, in the order of `created_at`: a message waits while an earlier one of its
    # key is pending, even in backoff. Empty: no order with any other message.
    ordering_key = models.CharField(max_length=128, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
            models.Index(fields=["ordering_key", "created_at"], name="outbox_ordering_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.status}, {self.attempts} attempts)"
