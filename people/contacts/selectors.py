"""Reads of contacts, already filtered to what the caller may see."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from people.contacts.models import Contact
from people.core import search as core_search
from people.core.selectors import get_or_not_found


def contact_visible_condition(*, user: Any) -> Q:
    """Own contacts, base contacts, and profile cards of active users of the same organization."""
    condition = Q(owner_id=user.pk) | Q(owner__isnull=True)
    if user.organization_id:
        condition |= Q(user__isnull=False, user__is_active=True, user__organization_id=user.organization_id)
    return condition


def contact_list_visible_to(*, user: Any, query: str | None = None) -> QuerySet[Contact]:
    """The address book: a contact the caller overrides is replaced by their override.

    Only the caller's own overrides hide anything: others' overrides never hide a contact.
    Sorted by full name then short name; `query` matches names and e-mails (accent-insensitive).
    Rows load what a list shows and what the rights read (`LIST_FIELDS`): a full address book
    is read at once, and the dates and the profile user's other columns were most of its cost.
    """
    overridden = Contact.objects.filter(owner_id=user.pk, override__isnull=False).values("override_id")
    contacts = Contact.objects.filter(contact_visible_condition(user=user)).exclude(pk__in=overridden)
    contacts = core_search.search(contacts, query)
    return contacts.select_related("user").only(*LIST_FIELDS).order_by("full_name", "short_name", "id")


# What a contact of the list shows (its API shape) and what `policies.contact_abilities` reads.
LIST_FIELDS = (
    "id", "owner_id", "user_id", "override_id", "full_name", "short_name", "notes", "data",
    "user__is_active", "user__organization_id",
)


def contact_get_visible(*, user: Any, contact_id: str | uuid.UUID) -> Contact:
    """A contact by id when visible (overridden ones included); otherwise "not found"."""
    contacts = Contact.objects.filter(contact_visible_condition(user=user)).select_related("user")
    return get_or_not_found(contacts, contact_id)
