"""Server-to-server credentials of trusted services (`Authorization: ApiKey <key>`)."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.core.models import BaseModel
from people.identity.models import ServiceProvider


class AccountServiceScope(models.TextChoices):
    """What a key allows. Each view opened to keys names the scope it needs."""

    TEAM_ACCESSES_CREATE = "team-accesses:create", _("add users to teams (or invite them)")


class AccountService(BaseModel):
    """A trusted service acting for users who may not have signed in yet.

    Only a SHA-256 digest of the key is stored: the key itself is shown once, at creation
    (`manage.py create_account_service` or the admin). Keys are long random strings, so a fast
    digest is enough; the prefix is kept to recognize a key in logs and the admin.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    key_prefix = models.CharField(_("key prefix"), max_length=12, editable=False)
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    service_provider = models.ForeignKey(
        ServiceProvider,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="account_services",
        verbose_name=_("service provider"),
        help_text=_("When set, the key only reaches teams linked to this service."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("account service")
        verbose_name_plural = _("account services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.scopes, list) or not all(scope in AccountServiceScope.values for scope in self.scopes):
            raise ValidationError(
                {"scopes": _("A list among: %(scopes)s.") % {"scopes": ", ".join(AccountServiceScope.values)}}
            )

    @property
    def is_usable(self) -> bool:
        return self.is_active and (self.expires_at is None or self.expires_at > timezone.now())

    @staticmethod
    def digest(key: str) -> str:
        """What is stored of a key, and looked up when it is presented."""
        return hashlib.sha256(key.encode()).hexdigest()

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
