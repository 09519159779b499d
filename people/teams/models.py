"""Teams (a tree per organization), their members' accesses and pending invitations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.core.models import BaseModel, invitation_expiry  # noqa: F401 - the default migrations name here
from people.core.search import build_search_text
from people.identity.models import InvitationBase, Organization, ServiceProvider

PATH_STEP = 5
TEAM_NAME_MAX_LENGTH = 100
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def path_segment(number: int) -> str:
    """The `number`-th (0-based) 5-character key of a level: "00000", "00001", ... base 62."""
    digits = []
    for _position in range(PATH_STEP):
        number, remainder = divmod(number, len(PATH_ALPHABET))
        digits.append(PATH_ALPHABET[remainder])
    if number:
        raise ValueError("too many siblings on one level of the team tree")
    return "".join(reversed(digits))


def path_segment_number(segment: str) -> int:
    number = 0
    for char in segment:
        number = number * len(PATH_ALPHABET) + PATH_ALPHABET.index(char)
    return number


class TeamRole(models.TextChoices):
    MEMBER = "member", _("member")
    ADMIN = "administrator", _("administrator")
    OWNER = "owner", _("owner")


class Team(BaseModel):
    """A group of users. Names may repeat: the UUID is the id shared with other services.

    The hierarchy is a materialised path (`path`, 5 base-62 characters a level, `depth` = number
    of levels): ancestors are the prefixes of a path, descendants a `path LIKE 'prefix%'`,
    both served by the unique index on `path`.
    """

    name = models.CharField(_("name"), max_length=TEAM_NAME_MAX_LENGTH)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="teams")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=1, editable=False)
    service_providers = models.ManyToManyField(ServiceProvider, related_name="teams", blank=True)
    is_visible_all_services = models.BooleanField(_("visible to all services"), default=False)
    external_id = models.UUIDField(_("external id"), default=uuid.uuid4, unique=True, help_text=_("id for SCIM peers"))
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "-created_at"], name="team_org_created_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = build_search_text([self.name])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)


class TeamAccess(BaseModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_accesses")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        verbose_name = _("team access")
        verbose_name_plural = _("team accesses")
        ordering = ["role", "created_at"]
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="team_access_unique")]
        indexes = [
            models.Index(fields=["user", "team"], name="team_access_user_idx"),
            # A team's accesses by role (the last-owner rule), and the accesses list's first page
            # in its order (role, id) straight from the index: 20 rows read, not the whole team.
            models.Index(fields=["team", "role", "id"], name="team_access_team_role_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.team}"


class Invitation(InvitationBase):
    """A pending invitation of an e-mail address to a team, accepted at the invitee's first sign-in."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["email", "team"], name="invitation_email_team_unique")]
        indexes = [
            models.Index(fields=["team", "-created_at"], name="invitation_team_idx"),
            models.Index(fields=["email"], name="invitation_email_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.team}"


class WebhookProtocol(models.TextChoices):
    """What a webhook speaks; each protocol has its client in `people.teams.webhooks`."""

    SCIM = "scim", _("SCIM 2.0")


class WebhookStatus(models.TextChoices):
    """Where a webhook's deliveries stand: the last outcome, as its managers are shown it."""

    PENDING = "pending", _("pending")
    DELIVERED = "delivered", _("delivered")
    RETRYING = "retrying", _("retrying")
    FAILED = "failed", _("failed")


class TeamWebhook(BaseModel):
    """A service of the suite told of the team's changes (members added and removed, renamed,
    deleted), through the outbox.

    `team` is emptied, not cascaded, when the team is deleted: the webhook stays until the
    deletion reached the service (the row is then deleted). `secret` is the bearer token sent to
    the service; it is stored as is (it must be sent) and never shown again.
    """

    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="webhooks")
    url = models.URLField(_("URL"), max_length=500, help_text=_("the SCIM base URL, e.g. https://service/scim/v2"))
    secret = models.CharField(_("secret"), max_length=1000, help_text=_("sent as bearer token"))
    protocol = models.CharField(_("protocol"), max_length=16, choices=WebhookProtocol.choices, default=WebhookProtocol.SCIM)
    remote_id = models.CharField(_("remote id"), max_length=255, blank=True, help_text=_("the group's id at the service"))
    status = models.CharField(_("status"), max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.PENDING)
    last_error = models.TextField(_("last error"), blank=True)
    last_delivery_at = models.DateTimeField(_("last delivery attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("team webhook")
        verbose_name_plural = _("team webhooks")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["team", "created_at"], name="team_webhook_team_idx")]

    def __str__(self) -> str:
        return f"{self.get_protocol_display()} {self.url}"
