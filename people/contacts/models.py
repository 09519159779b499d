"""Contacts: a user's address book, the organization's profile contacts, personal overrides."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.core import jsonschema
from people.core.models import BaseModel
from people.core.search import build_search_text

DATA_SCHEMA = Path(__file__).parent / "schemas" / "contact_data.json"


class Contact(BaseModel):
    """Kinds: base (no owner), owned, profile (`user` set: that user's card, owned by them),
    override (`override` set: the owner's personal copy of another contact)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="profile_contacts"
    )
    override = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="overriding_contacts"
    )
    full_name = models.CharField(_("full name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=30, null=True, blank=True)  # noqa: DJ001 - the API distinguishes null from ""
    notes = models.TextField(_("notes"), blank=True, default="")
    data = models.JSONField(_("data"), default=dict, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["full_name", "short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "override"], condition=models.Q(override__isnull=False),
                name="contact_owner_override_unique",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(user__isnull=False), name="contact_profile_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(override=models.F("id")), name="contact_override_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "full_name"], name="contact_owner_idx"),
            models.Index(fields=["override"], name="contact_override_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        super().clean()
        try:
            jsonschema.validate(self.data, DATA_SCHEMA)
        except ValidationError as error:
            raise ValidationError({"data": error.messages}) from None
        if self.override_id:
            if self.override_id == self.pk:
                raise ValidationError({"override": _("A contact cannot override itself.")})
            if self.override and self.override.override_id:
                raise ValidationError({"override": _("A contact cannot override another override.")})
            if self.owner_id is None:
                raise ValidationError({"owner": _("An override must have an owner.")})

    def emails(self) -> list[str]:
        return [item.get("value", "") for item in (self.data or {}).get("emails", []) if isinstance(item, dict)]

    def save(self, *args, **kwargs) -> None:
        self.search_text = contact_search_text(self.full_name, self.short_name, self.data)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"full_name", "short_name", "data"} & set(update_fields):
            kwargs["update_fields"] = set(update_fields) | {"search_text"}
        super().save(*args, **kwargs)


def contact_search_text(full_name: str | None, short_name: str | None, data: dict | None) -> str:
    emails = [item.get("value") for item in (data or {}).get("emails", []) if isinstance(item, dict)]
    return build_search_text([full_name, short_name, *[str(e) for e in emails if e]])
