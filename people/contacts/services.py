"""Writes on contacts: address-book entries, personal overrides and users' profile cards."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from people.contacts import policies
from people.contacts.models import Contact
from people.contacts.selectors import contact_get_visible
from people.core import audit
from people.core.errors import NotFound, PermissionDenied, ValidationFailed
from people.core.models import Audience
from people.core.services import full_clean, model_delete, model_update, unknown_fields_check

CONTACT_FIELDS = ("full_name", "short_name", "notes", "data")


def _bad_override(message: str) -> ValidationFailed:
    return ValidationFailed(message, errors={"override": [message]})


def _duplicate_override() -> ValidationFailed:
    """The suite's clients read this refusal as a form's error about the whole input."""
    message = _("Contact with this Owner and Override already exists.")
    return ValidationFailed(message, errors={"__all__": [message]})


def _resolve_override(*, actor: Any, override: Contact | uuid.UUID | str) -> Contact:
    """The contact to override, which `actor` (the future owner) must see; bad targets are bad
    input (400)."""
    if actor is None:
        raise _bad_override(_("Only a contact with an owner can override another."))
    try:
        target = contact_get_visible(user=actor, contact_id=getattr(override, "pk", override))
    except NotFound:
        raise _bad_override(_("No visible contact has this id.")) from None
    if not policies.contact_can_override(user=actor, contact=target):
        if target.override_id is not None:
            raise _bad_override(_("A contact cannot override another override."))
        raise _bad_override(_("Edit your own contact instead of overriding it."))
    if Contact.objects.filter(owner_id=actor.pk, override=target).exists():
        raise _duplicate_override()
    return target


@transaction.atomic
def contact_create(
    *,
    actor: Any,
    full_name: str,
    data: dict | None = None,
    short_name: str | None = None,
    notes: str = "",
    override: Contact | uuid.UUID | str | None = None,
    as_operator: bool = False,
    owner: Any = None,
) -> Contact:
    """A contact owned by `actor`; with `override`, their personal version of a visible contact
    (one per owner and target, never of an override, never of one's own contact).

    An operator (`as_operator`, admin only) chooses the `owner` instead, None making a base
    contact that everyone sees; the override rules then hold for that owner.
    """
    if not policies.contact_can_create(user=actor, as_operator=as_operator):
        raise PermissionDenied()
    if not as_operator:
        if owner is not None:
            raise PermissionDenied(_("Only operators choose the owner of a contact."))
        owner = actor
    target = _resolve_override(actor=owner, override=override) if override is not None else None
    contact = Contact(
        owner=owner, override=target, full_name=full_name, short_name=short_name or None,
        notes=notes or "", data={} if data is None else data,
    )
    full_clean(contact)
    try:
        with transaction.atomic():
            contact.save()
    except IntegrityError:  # a concurrent request created the same override
        raise _duplicate_override() from None
    audit.record(
        actor=actor, action="contact.create", target=contact,
        changes={"full_name": [None, contact.full_name], "override": [None, target.pk if target else None]},
    )
    return contact


@transaction.atomic
def contact_update(*, actor: Any, contact: Contact, as_operator: bool = False, **fields: Any) -> Contact:
    """Only the owner (or an operator) edits a contact; the override link never changes after creation."""
    unknown_fields_check(fields, allowed=CONTACT_FIELDS)
    if not policies.contact_can_update(user=actor, contact=contact, as_operator=as_operator):
        raise PermissionDenied()
    if "short_name" in fields:
        fields["short_name"] = fields["short_name"] or None
    if "notes" in fields:
        fields["notes"] = fields["notes"] or ""
    changes = model_update(instance=contact, data=fields, clean=True)
    if changes:
        audit.record(actor=actor, action="contact.update", target=contact, changes=changes)
    return contact


@transaction.atomic
def contact_delete(*, actor: Any, contact: Contact, as_operator: bool = False) -> None:
    """Owners (and operators) delete contacts, except profile cards. Overrides of it go with it."""
    if not policies.contact_can_delete(user=actor, contact=contact, as_operator=as_operator):
        raise PermissionDenied()
    model_delete(actor=actor, instance=contact, action="contact.delete", changes={"full_name": [contact.full_name, None]})


def _profile_values(user: Any) -> tuple[str, str | None]:
    full_name = (user.name or user.email or user.sub or str(user.pk))[:150]
    return full_name, user.email or None


@transaction.atomic
def profile_contact_ensure(*, user: Any) -> Contact:
    """The user's profile card, created or brought up to date with their name and e-mail.

    Idempotent (called at every sign-in): writes only when something changed. The card is
    owned by the user; its first "Work" e-mail follows the account's e-mail, other entries
    the user added are kept.
    """
    full_name, email = _profile_values(user)
    contact = Contact.objects.filter(user=user).first()
    if contact is None:
        contact = Contact(
            owner=user, user=user, full_name=full_name,
            data={"emails": [{"type": "Work", "value": email}]} if email else {},
        )
        try:
            with transaction.atomic():
                contact.save()
        except IntegrityError:  # a concurrent sign-in created it
            return Contact.objects.get(user=user)
        audit.record(actor=None, action="contact.profile_create", target=contact, audience=Audience.SYSTEM,
                     changes={"full_name": [None, full_name]})
        return contact

    data = dict(contact.data or {})
    emails = [dict(item) for item in data.get("emails", []) if isinstance(item, dict)]
    if email and email not in [item.get("value") for item in emails]:
        work = next((item for item in emails if item.get("type") == "Work"), None)
        if work is None:
            emails.insert(0, {"type": "Work", "value": email})
        else:
            work["value"] = email
        data["emails"] = emails
    changes = model_update(instance=contact, data={"full_name": full_name, "data": data})
    if changes:
        audit.record(actor=None, action="contact.profile_update", target=contact, audience=Audience.SYSTEM, changes=changes)
    return contact
