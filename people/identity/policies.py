"""Who may do what on users and organizations.

The abilities sent to clients are computed by these same functions, so the frontend and the
server never disagree on a rule.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from people.core.policies import object_abilities
from people.identity.models import Organization, OrganizationRole, User


def contact_feature_abilities() -> dict[str, bool]:
    """Contacts are an optional feature: creating them requires displaying them."""
    can_view = bool(settings.FEATURES.get("CONTACTS_DISPLAY"))
    return {"can_view": can_view, "can_create": can_view and bool(settings.FEATURES.get("CONTACTS_CREATE"))}


def user_is_visible_to(*, user: User, target: User) -> bool:
    """Mirror of `selectors.user_list_visible_to` for one already loaded user."""
    if target.pk == user.pk:
        return True
    return bool(target.is_active and user.organization_id and target.organization_id == user.organization_id)


def user_can_update_preferences(*, user: User, target: User) -> bool:
    """Language and time zone are personal: only the user themself changes them here."""
    return bool(user.is_authenticated and target.pk == user.pk)


def organization_is_administrator(*, user: User, organization: Organization) -> bool:
    """Uses the prefetched `accesses` when present (see selectors), a query otherwise."""
    if not user.is_authenticated:
        return False
    cache = getattr(organization, "_prefetched_objects_cache", {})
    if "accesses" in cache:
        return any(a.user_id == user.pk and a.role == OrganizationRole.ADMIN for a in organization.accesses.all())
    return organization.accesses.filter(user_id=user.pk, role=OrganizationRole.ADMIN).exists()


def organization_is_visible_to(*, user: User, organization: Organization) -> bool:
    """An organization is seen by its members and by its administrators."""
    if not user.is_authenticated:
        return False
    return organization.pk == user.organization_id or organization_is_administrator(user=user, organization=organization)


def organization_can_update(*, user: User, organization: Organization) -> bool:
    return organization_is_administrator(user=user, organization=organization)


def organization_abilities(*, user: User, organization: Organization) -> dict[str, Any]:
    """Organizations are never deleted through the API."""
    return object_abilities(
        get=organization_is_visible_to(user=user, organization=organization),
        update=organization_can_update(user=user, organization=organization),
        delete=False,
    )
