"""Reads of users, organizations and service providers, filtered to what the caller may see."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch, Q, QuerySet

from people.core import search as core_search
from people.core.ordering import apply_ordering
from people.core.selectors import get_or_not_found
from people.identity.models import (
    Organization,
    OrganizationAccess,
    ServiceProvider,
    User,
    normalize_email,
)


def _visible_users_condition(*, user: User) -> Q:
    """Active users of the caller's organization; without an organization, only the caller.

    Two users without an organization are NOT colleagues: "no organization" is not a group.
    """
    if user.organization_id:
        return Q(is_active=True, organization_id=user.organization_id)
    return Q(pk=user.pk)


def user_list_visible_to(*, user: User) -> QuerySet[User]:
    """Newest first, with the organization joined (one query a page)."""
    return User.objects.filter(_visible_users_condition(user=user)).select_related("organization").order_by("-created_at")


def exact_email(value: str | None) -> str | None:
    """The normalized address when `value` is one full e-mail address, else None."""
    candidate = normalize_email(value)
    if not candidate or " " in candidate:
        return None
    try:
        validate_email(candidate)
    except ValidationError:
        return None
    return candidate


def user_search(*, user: User, query: str | None = None, exclude_team_id: uuid.UUID | None = None) -> QuerySet[User]:
    """The users list: visible users matching `query`, for pickers (team members, invitations).

    When `query` is a full e-mail address, the active user with exactly that address is
    included even from another organization, so that people can be added across
    organizations by someone who already knows their address (nothing is revealed by
    a partial search). `exclude_team_id` drops members of that team, only when the caller
    belongs to it: membership of other teams is not disclosed.
    """
    # Within the caller's organization (its index), not through the trigram index over all users.
    users = core_search.search(User.objects.filter(_visible_users_condition(user=user)), query, within_scope=True)
    email = exact_email(query)
    if email:
        users = users | User.objects.filter(is_active=True, email=email)
    if exclude_team_id and user.team_accesses.filter(team_id=exclude_team_id).exists():
        users = users.exclude(team_accesses__team_id=exclude_team_id)
    return users.select_related("organization").order_by("-created_at")


def active_user_with_email(email: str | None) -> User | None:
    """The active user an invitation to `email` is for (the oldest, should several share it).
    E-mails are stored normalized (lower case), so an exact match serves from the index."""
    email = normalize_email(email)
    if not email:
        return None
    return User.objects.filter(email=email, is_active=True).order_by("created_at").first()


def user_get_visible(*, user: User, user_id: str | uuid.UUID) -> User:
    return get_or_not_found(user_list_visible_to(user=user), user_id)


def organization_get_visible(*, user: User, organization_id: str | uuid.UUID) -> Organization:
    """The caller's organization, or one they administer; anything else is "not found"."""
    visible = Q(pk=user.organization_id) | Q(accesses__user=user) if user.organization_id else Q(accesses__user=user)
    organizations = (
        Organization.objects.filter(visible)
        .distinct()
        .prefetch_related(Prefetch("accesses", queryset=OrganizationAccess.objects.filter(user=user)))
    )
    return get_or_not_found(organizations, organization_id)


SERVICE_PROVIDER_ORDERING = ("name", "created_at")


def service_provider_list_visible_to(
    *, user: User, name: str | None = None, audience_id: str | None = None, ordering: str | None = None
) -> QuerySet[ServiceProvider]:
    """Providers linked to the caller's organization (not those merely used by their teams).

    Unknown ordering fields are ignored, as everywhere in the API.
    """
    if not user.organization_id:
        return ServiceProvider.objects.none()
    providers = ServiceProvider.objects.filter(organizations=user.organization_id)
    if name:
        providers = providers.filter(name__icontains=name)
    if audience_id:
        providers = providers.filter(audience_id=audience_id)
    return apply_ordering(providers, ordering, allowed=SERVICE_PROVIDER_ORDERING, default=["name"])


def service_provider_get_visible(*, user: User, service_provider_id: str | uuid.UUID) -> ServiceProvider:
    return get_or_not_found(service_provider_list_visible_to(user=user), service_provider_id)
