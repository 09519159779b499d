"""Users, organizations and the suite's services (service providers)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from people.core import jsonschema
from people.core.models import BaseModel, invitation_expiry
from people.core.search import build_search_text

METADATA_SCHEMA = Path(__file__).parent / "schemas" / "organization_metadata.json"


def normalize_email(value: str | None) -> str | None:
    """How every address is stored and compared (users, invitations, sign-in, lockout): trimmed
    and lower case, the whole address, since providers and people type it in any case. None
    for no address."""
    value = (value or "").strip().lower()
    return value or None


def normalize_domain(value: str) -> str:
    return value.strip().lower().rstrip(".")


class ServiceProvider(BaseModel):
    """A service of the suite that calls People, identified by its OAuth audience (client id)."""

    name = models.CharField(_("name"), max_length=255)
    audience_id = models.CharField(_("audience id"), max_length=255, unique=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="sp_name_idx")]

    def __str__(self) -> str:
        return self.name or self.audience_id


class IdentifierKind(models.TextChoices):
    REGISTRATION_ID = "registration_id", _("registration id")
    DOMAIN = "domain", _("mail domain")


class Organization(BaseModel):
    """Where users work. Identified by registration ids (e.g. SIRET) and/or mail domains.

    `registration_id_list` and `domain_list` are the editable source; `OrganizationIdentifier`
    rows mirror them (in `save()`, same transaction) so the database enforces that no id or
    domain belongs to two organizations, and sign-in finds an organization by index.
    """

    name = models.CharField(_("name"), max_length=100)
    registration_id_list = models.JSONField(_("registration ids"), default=list, blank=True)
    domain_list = models.JSONField(_("mail domains"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    service_providers = models.ManyToManyField(
        ServiceProvider, related_name="organizations", blank=True, verbose_name=_("service providers")
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="organization_name_idx")]

    def __str__(self) -> str:
        return self.name

    def identifiers(self) -> list[tuple[str, str]]:
        return [(IdentifierKind.REGISTRATION_ID, value) for value in self.registration_id_list] + [
            (IdentifierKind.DOMAIN, value) for value in self.domain_list
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if not isinstance(self.registration_id_list, list) or not all(isinstance(v, str) for v in self.registration_id_list):
            errors.setdefault("registration_id_list", []).append(_("A list of strings is expected."))
        if not isinstance(self.domain_list, list) or not all(isinstance(v, str) for v in self.domain_list):
            errors.setdefault("domain_list", []).append(_("A list of strings is expected."))
        if errors:
            raise ValidationError(errors)
        self.registration_id_list = sorted({value.strip() for value in self.registration_id_list if value.strip()})
        self.domain_list = sorted({normalize_domain(value) for value in self.domain_list if value.strip()})
        if not self.registration_id_list and not self.domain_list:
            raise ValidationError(_("An organization needs at least one registration id or one mail domain."))
        for path in settings.ORGANIZATION_REGISTRATION_ID_VALIDATORS:
            validator = import_string(path)
            for value in self.registration_id_list:
                try:
                    validator(value)
                except ValidationError as error:
                    errors.setdefault("registration_id_list", []).extend(error.messages)
        try:
            jsonschema.validate(self.metadata, METADATA_SCHEMA)
        except ValidationError as error:
            errors.setdefault("metadata", []).extend(error.messages)
        # Exact match against the other organizations only: editing this one is no duplicate.
        taken = OrganizationIdentifier.objects.exclude(organization_id=self.pk).filter(
            models.Q(kind=IdentifierKind.REGISTRATION_ID, value__in=self.registration_id_list)
            | models.Q(kind=IdentifierKind.DOMAIN, value__in=self.domain_list)
        )
        for identifier in taken:
            field = "registration_id_list" if identifier.kind == IdentifierKind.REGISTRATION_ID else "domain_list"
            errors.setdefault(field, []).append(
                _("%(value)s already belongs to another organization.") % {"value": identifier.value}
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_identifiers()

    def sync_identifiers(self) -> None:
        wanted = set(self.identifiers())
        existing = {(i.kind, i.value): i.pk for i in OrganizationIdentifier.objects.filter(organization=self)}
        stale = [pk for key, pk in existing.items() if key not in wanted]
        if stale:
            OrganizationIdentifier.objects.filter(pk__in=stale).delete()
        OrganizationIdentifier.objects.bulk_create(
            [OrganizationIdentifier(organization=self, kind=kind, value=value) for kind, value in wanted - existing.keys()]
        )


class OrganizationIdentifier(models.Model):
    """Index of organizations' registration ids and domains (see Organization)."""

    id = models.BigAutoField(primary_key=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="identifier_rows")
    kind = models.CharField(max_length=16, choices=IdentifierKind.choices)
    value = models.CharField(max_length=255)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="organization_identifier_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class OrganizationRole(models.TextChoices):
    ADMIN = "administrator", _("administrator")


class OrganizationAccess(BaseModel):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_accesses")
    role = models.CharField(max_length=20, choices=OrganizationRole.choices, default=OrganizationRole.ADMIN)

    class Meta:
        verbose_name = _("organization access")
        verbose_name_plural = _("organization accesses")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="organization_access_unique")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.organization}"


class UserManager(BaseUserManager):
    def get_by_natural_key(self, username):
        email = normalize_email(username)
        users = list(self.filter(email=email)[:2])
        if len(users) != 1:
            raise self.model.DoesNotExist
        return users[0]

    def create_user(self, email: str | None = None, password: str | None = None, **fields):
        """For `createsuperuser` and the shell, operators' doors: audited as such unless the
        caller set who acts (`audit.acting_as`)."""
        from people.core import audit
        from people.core.models import Audience
        from people.identity.services import user_create

        audience = None if audit.current_context() else Audience.OPERATOR
        return user_create(actor=None, email=email, password=password, audience=audience, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    """An agent. `sub` is the OpenID subject, unknown until the first sign-in."""

    sub = models.CharField(
        _("sub"), max_length=255, unique=True, null=True, blank=True,
        help_text=_("OpenID subject given by the identity provider."),
    )
    email = models.EmailField(_("e-mail address"), null=True, blank=True)  # noqa: DJ001 - NULL: no address; "" would collide in lookups
    name = models.CharField(_("full name"), max_length=255, blank=True, default="")
    short_name = models.CharField(_("short name"), max_length=100, blank=True, default="")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff"), default=False, help_text=_("may sign in to the admin"))
    is_device = models.BooleanField(_("device"), default=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="users",
        verbose_name=_("organization"),
    )
    search_text = models.TextField(editable=False, default="")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["email"], name="user_email_idx"),
            models.Index(fields=["organization", "-created_at"], name="user_org_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or str(self.sub or self.pk)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)
        if (
            self.email
            and settings.USER_EMAIL_UNIQUE
            and User.objects.exclude(pk=self.pk).filter(email=self.email).exists()
        ):
            raise ValidationError({"email": _("A user with this e-mail address already exists.")})

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email)
        self.search_text = build_search_text([self.name, self.email])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "email"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.short_name or self.name


def user_search_text(name: str | None, email: str | None) -> str:
    """For bulk inserts, which bypass `save()`."""
    return build_search_text([name, normalize_email(email)])




class InvitationBase(BaseModel):
    """An e-mail address invited somewhere (a team, a mail domain) with a role, which becomes an
    access at the invitee's first sign-in (the steps `lifecycle` runs). Valid
    INVITATION_VALIDITY_DAYS from its issue or its latest refresh (`expires_at`)."""

    email = models.EmailField(_("e-mail address"))
    issuer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"), default=invitation_expiry)
    # The outbox row of the latest e-mail sent for it (creation or refresh): its delivery state
    # is the invitation's. Null once that row is purged, or for invitations older than the link.
    email_outbox = models.ForeignKey(
        "core.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def save(self, *args, **kwargs) -> None:
        self.email = normalize_email(self.email) or ""
        super().save(*args, **kwargs)
