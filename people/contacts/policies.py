"""Who may do what on contacts; the `abilities` sent to clients come from here."""

from __future__ import annotations

from typing import Any

from people.contacts.models import Contact
from people.core.policies import object_abilities
from people.identity.policies import contact_feature_abilities


def contact_is_visible_to(*, user: Any, contact: Contact) -> bool:
    """Own contacts, base contacts (no owner), profile cards of active colleagues.

    Mirror of `selectors.contact_visible_condition` for one loaded contact (`user` joined).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if contact.owner_id is None or contact.owner_id == user.pk:
        return True
    if contact.user_id is not None and user.organization_id:
        profile_user = contact.user
        return profile_user.is_active and profile_user.organization_id == user.organization_id
    return False


def contact_can_update(*, user: Any, contact: Contact, as_operator: bool = False) -> bool:
    """The owner, or an operator acting from the admin (never reachable from the API)."""
    return getattr(user, "is_authenticated", False) and (as_operator or contact.owner_id == user.pk)


def contact_can_delete(*, user: Any, contact: Contact, as_operator: bool = False) -> bool:
    """A profile card lives as long as its account: it is never deleted by hand, not even by
    an operator."""
    return contact_can_update(user=user, contact=contact, as_operator=as_operator) and contact.user_id is None


def contact_can_create(*, user: Any, as_operator: bool = False) -> bool:
    """Same value as `contacts.can_create` of `/users/me/` abilities; the feature switch is
    about what users are offered, so it does not bind operators."""
    if not getattr(user, "is_authenticated", False):
        return False
    return as_operator or contact_feature_abilities()["can_create"]


def contact_can_override(*, user: Any, contact: Contact) -> bool:
    """Whether `user` may make their own version of `contact` (a colleague's profile card, a
    base contact, another's contact they see): never of an override, never of one's own contact
    (edit it instead). Having one already is checked by the service (a row, not a rule)."""
    return (
        getattr(user, "is_authenticated", False)
        and contact.override_id is None
        and contact.owner_id != user.pk
    )


def contact_can_see_notes(*, user: Any, contact: Contact) -> bool:
    """Notes are the owner's private memo."""
    return contact.owner_id is not None and contact.owner_id == getattr(user, "pk", None)


def contact_abilities(*, user: Any, contact: Contact) -> dict[str, bool]:
    return object_abilities(
        get=contact_is_visible_to(user=user, contact=contact),
        update=contact_can_update(user=user, contact=contact),
        delete=contact_can_delete(user=user, contact=contact),
    )
