"""Mail domains of organizations, who manages them, and their mailboxes and aliases.

People records each change first, then provisions it on the suite's mail platform through the
outbox (`people.mail.provisioning`): `status` says where an object stands there, `provisioned`
whether the platform has it, `operation` which outbox message last asked to provision it,
`failed_attempts` how many of its jobs found the platform down since it last answered (why an
object is still pending), `failure` why the platform refused it.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.core.models import BaseModel
from people.core.search import build_search_text
from people.identity.models import InvitationBase, Organization, normalize_email

DOMAIN_NAME_MAX_LENGTH = 150
# RFC 5321: at most 64 characters before the @ of an address.
MAILBOX_LOCAL_PART_MAX_LENGTH = 64
ALIAS_LOCAL_PART_MAX_LENGTH = 64
NAME_MAX_LENGTH = 200
# Where the platform sends what an alias should drop.
DISCARD_DESTINATION = "devnull@devnull"

# The API's patterns (any case; stored in lower case) and the models' rules are one: what the
# schema lets through, the models accept.
DOMAIN_NAME_PATTERN = r"^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$"
LOCAL_PART_PATTERN = r"^[a-zA-Z0-9_-]+(\.[a-zA-Z0-9_-]+)*$"
_DOMAIN_NAME = re.compile(DOMAIN_NAME_PATTERN)
_LOCAL_PART = re.compile(LOCAL_PART_PATTERN)


def validate_domain_name(value: str) -> None:
    """A DNS name of two labels or more (each of 63 characters at most, no hyphen first or last),
    the last one starting with a letter; IDNs in their `xn--` form; stored in lower case."""
    if len(value) > DOMAIN_NAME_MAX_LENGTH or value != value.lower() or not _DOMAIN_NAME.fullmatch(value):
        raise ValidationError(
            _("Enter a domain name such as example.fr: letters, digits and hyphens, labels separated by dots."),
            code="invalid_domain",
        )


def validate_local_part(value: str) -> None:
    """Lower case letters, digits, `_` and `-`, in parts joined by single dots."""
    if value != value.lower() or not _LOCAL_PART.fullmatch(value):
        raise ValidationError(
            _("Use lower case letters, digits, dots, hyphens and underscores (no dot first, last or twice in a row)."),
            code="invalid_local_part",
        )


def validate_alias_destination(value: str) -> None:
    """Any e-mail address, or the platform's discard destination."""
    if value == DISCARD_DESTINATION:
        return
    validate_email(value)


def slug_base(name: str) -> str:
    """The URL key of a domain name, as the suite's clients build it: dots dropped."""
    return name.replace(".", "")


def display_name(first_name: str, last_name: str) -> str:
    """The name the webmail shows, one per domain whatever the case."""
    return " ".join(f"{first_name} {last_name}".split())


class MailDomainStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ENABLED = "enabled", _("enabled")
    ACTION_REQUIRED = "action_required", _("action required")
    FAILED = "failed", _("failed")
    DISABLED = "disabled", _("disabled")


class MailDomainRole(models.TextChoices):
    VIEWER = "viewer", _("viewer")
    ADMIN = "administrator", _("administrator")
    OWNER = "owner", _("owner")


class MailboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ENABLED = "enabled", _("enabled")
    FAILED = "failed", _("failed")
    DISABLED = "disabled", _("disabled")


class AliasStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ENABLED = "enabled", _("enabled")
    FAILED = "failed", _("failed")
    DELETING = "deleting", _("being deleted")


class ProvisionedModel(BaseModel):
    """What People knows of an object's life on the mail platform."""

    # Why it failed, as `people.mail.messages.failure` stores it (worded when read).
    failure = models.JSONField(_("failure"), null=True, blank=True, editable=False)
    # Attempts of its jobs that the platform did not answer since the last one it did.
    failed_attempts = models.PositiveIntegerField(_("failed attempts"), default=0, editable=False)
    provisioned = models.BooleanField(_("on the mail platform"), default=False, editable=False)
    operation = models.ForeignKey(
        "core.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        abstract = True


class MailDomain(ProvisionedModel):
    """A mail domain of an organization, e.g. `ville.fr`; addressed by `slug` in URLs."""

    name = models.CharField(
        _("name"), max_length=DOMAIN_NAME_MAX_LENGTH, unique=True, validators=[validate_domain_name]
    )
    slug = models.SlugField(_("slug"), max_length=DOMAIN_NAME_MAX_LENGTH + 10, unique=True, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="mail_domains")
    support_email = models.EmailField(_("support e-mail address"))
    status = models.CharField(
        _("status"), max_length=20, choices=MailDomainStatus.choices, default=MailDomainStatus.PENDING
    )
    # The platform's answers at the last check: the DNS records it expects, its report.
    expected_config = models.JSONField(_("expected DNS records"), null=True, blank=True, editable=False)
    last_check_details = models.JSONField(_("last check"), null=True, blank=True, editable=False)
    last_check_at = models.DateTimeField(_("last checked at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mail domain")
        verbose_name_plural = _("mail domains")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "last_check_at"], name="maildomain_check_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def action_required_details(self) -> dict[str, Any]:
        """`{check: first error}` of the failing checks the domain's owner must fix (DNS)."""
        details = {}
        for check, report in checks_of(self.last_check_details).items():
            if not report.get("ok") and not report.get("internal"):
                errors = report.get("errors") or [{}]
                first = errors[0] if isinstance(errors[0], dict) else {}
                details[check] = str(first.get("detail") or first.get("code") or "")
        return details


def checks_of(report: Any) -> dict[str, dict[str, Any]]:
    """The checks of a platform report: its entries that are objects with an `ok`."""
    if not isinstance(report, dict):
        return {}
    return {key: value for key, value in report.items() if isinstance(value, dict) and "ok" in value}


class MailDomainAccess(BaseModel):
    domain = models.ForeignKey(MailDomain, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_domain_accesses")
    role = models.CharField(_("role"), max_length=20, choices=MailDomainRole.choices, default=MailDomainRole.VIEWER)

    class Meta:
        verbose_name = _("mail domain access")
        verbose_name_plural = _("mail domain accesses")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["domain", "user"], name="maildomain_access_unique")]
        indexes = [
            models.Index(fields=["user", "domain"], name="maildomain_access_user_idx"),
            models.Index(fields=["domain", "role"], name="maildomain_access_role_idx"),
            models.Index(fields=["domain", "-created_at"], name="maildomain_access_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.domain}"


class MailDomainInvitation(InvitationBase):
    """An e-mail address invited to manage a domain, turned into an access at its first sign-in."""

    domain = models.ForeignKey(MailDomain, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=MailDomainRole.choices, default=MailDomainRole.VIEWER)

    class Meta:
        verbose_name = _("mail domain invitation")
        verbose_name_plural = _("mail domain invitations")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["email", "domain"], name="maildomain_invitation_unique")]
        indexes = [
            models.Index(fields=["domain", "-created_at"], name="maildomain_invitation_idx"),
            models.Index(fields=["email"], name="maildomain_invitation_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} invited to {self.domain}"


class Mailbox(ProvisionedModel):
    """`local_part@domain`, for a person. `active` is what its managers asked (disabled or not);
    `status` where the platform stands."""

    domain = models.ForeignKey(MailDomain, on_delete=models.PROTECT, related_name="mailboxes")
    first_name = models.CharField(_("first name"), max_length=NAME_MAX_LENGTH)
    last_name = models.CharField(_("last name"), max_length=NAME_MAX_LENGTH)
    local_part = models.CharField(
        _("local part"), max_length=MAILBOX_LOCAL_PART_MAX_LENGTH, validators=[validate_local_part]
    )
    secondary_email = models.EmailField(  # noqa: DJ001 - null: none given, as the suite's clients send it
        _("secondary e-mail address"), null=True, blank=True, help_text=_("where login links are sent")
    )
    status = models.CharField(_("status"), max_length=20, choices=MailboxStatus.choices, default=MailboxStatus.PENDING)
    active = models.BooleanField(_("active"), default=True)
    # The display name folded (case, spaces): the webmail refuses two equal ones in a domain.
    display_name_key = models.CharField(max_length=2 * NAME_MAX_LENGTH + 1, editable=False)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "local_part"], name="mailbox_local_part_unique"),
            models.UniqueConstraint(fields=["domain", "display_name_key"], name="mailbox_display_name_unique"),
        ]
        indexes = [models.Index(fields=["domain", "-created_at"], name="mailbox_domain_idx")]

    def __str__(self) -> str:
        return self.email

    @property
    def email(self) -> str:
        return f"{self.local_part}@{self.domain.name}"

    @property
    def display_name(self) -> str:
        return display_name(self.first_name, self.last_name)

    @property
    def secondary_email_usable(self) -> bool:
        """Login links go to the secondary address: one given, and not the mailbox itself."""
        secondary = normalize_email(self.secondary_email)
        return bool(secondary) and secondary != self.email

    def save(self, *args, **kwargs) -> None:
        self.local_part = (self.local_part or "").lower()
        self.display_name_key = self.display_name.casefold()
        self.search_text = build_search_text([self.first_name, self.last_name, self.local_part, self.secondary_email])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "secondary_email"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"display_name_key", "search_text"}
        super().save(*args, **kwargs)


class Alias(ProvisionedModel):
    """Mail to `local_part@domain` goes to `destination`; a local part may have several
    destinations, and be a mailbox's too."""

    domain = models.ForeignKey(MailDomain, on_delete=models.PROTECT, related_name="aliases")
    local_part = models.CharField(
        _("local part"), max_length=ALIAS_LOCAL_PART_MAX_LENGTH, validators=[validate_local_part]
    )
    destination = models.CharField(_("destination"), max_length=254, validators=[validate_alias_destination])
    status = models.CharField(_("status"), max_length=20, choices=AliasStatus.choices, default=AliasStatus.PENDING)

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["local_part", "destination"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "local_part", "destination"], name="alias_unique"),
        ]
        indexes = [models.Index(fields=["domain", "local_part"], name="alias_domain_idx")]

    def __str__(self) -> str:
        return f"{self.local_part}@{self.domain.name} → {self.destination}"
