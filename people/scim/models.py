"""Provisioning clients of the SCIM server and what SCIM stores beside users and teams."""

from __future__ import annotations

import hashlib

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from people.core.models import BaseModel
from people.identity.models import Organization, User
from people.teams.models import Team


class ScimClient(BaseModel):
    """An identity system provisioning one organization's users and teams over SCIM 2.0.

    Only a SHA-256 digest of its bearer token is stored: the token is shown once, at creation
    (`manage.py scim_client_create` or the admin). Tokens are long random strings, so a fast
    digest is enough; the prefix recognizes a token in logs and the admin.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="scim_clients", verbose_name=_("organization"),
        help_text=_("The client sees and changes only this organization's users and teams."),
    )
    token_prefix = models.CharField(_("token prefix"), max_length=12, editable=False)
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SCIM provisioning client")
        verbose_name_plural = _("SCIM provisioning clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def digest(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class ScimUser(models.Model):
    """What a provisioning client said about a user that the user model does not hold: its
    `userName` (when it is not the e-mail address), its `externalId` and the parts of its
    `name`. Users without a row are published with their e-mail address as `userName`."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="scim")
    user_name = models.CharField(max_length=255)
    external_id = models.CharField(max_length=255, blank=True, default="")
    formatted_name = models.CharField(max_length=255, blank=True, default="")
    given_name = models.CharField(max_length=255, blank=True, default="")
    family_name = models.CharField(max_length=255, blank=True, default="")
    deprovisioned_at = models.DateTimeField(
        null=True, blank=True, help_text=_("deleted over SCIM: deactivated, kept with its history, no longer published")
    )

    class Meta:
        constraints = [models.UniqueConstraint(Lower("user_name"), name="scim_user_name_ci_unique")]

    def __str__(self) -> str:
        return self.user_name


class ScimGroup(models.Model):
    """The provisioning client's `externalId` of a team."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, primary_key=True, related_name="scim")
    external_id = models.CharField(max_length=255, blank=True, default="")

    def __str__(self) -> str:
        return self.external_id
