"""What a provisioning client sees: its organization's users and teams, with what their SCIM
representation needs loaded in a constant number of queries."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import CharField, Prefetch, QuerySet, Value
from django.db.models.functions import Coalesce, Lower

from people.identity.models import User
from people.scim.models import ScimClient, ScimUser
from people.teams.models import Team, TeamAccess


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def user_list_for(*, client: ScimClient) -> QuerySet[User]:
    """Users of the client's organization, but operators (managed in the admin) and users
    deleted over SCIM (deactivated and kept with their history)."""
    return (
        User.objects.filter(organization_id=client.organization_id, is_superuser=False, is_staff=False)
        .exclude(scim__deprovisioned_at__isnull=False)
        .select_related("scim")
        .annotate(scim_user_name=Coalesce("scim__user_name", "email", Value(""), output_field=CharField()))
    )


def user_get_for(*, client: ScimClient, user_id: Any) -> User | None:
    pk = _uuid(user_id)
    return user_list_for(client=client).filter(pk=pk).first() if pk else None


def user_deprovisioned_for(*, client: ScimClient, user_name: str) -> User | None:
    """The user of the client's organization deprovisioned over SCIM with this userName."""
    row = (
        ScimUser.objects.annotate(lowered=Lower("user_name"))
        .filter(lowered=user_name.lower(), deprovisioned_at__isnull=False, user__organization_id=client.organization_id)
        .select_related("user")
        .first()
    )
    return row.user if row else None


def user_name_taken(*, user_name: str, exclude_pk: Any = None) -> bool:
    """userName is unique across the server, case-insensitively: the SCIM name of users that
    have one, the e-mail address of the others."""
    lowered = user_name.lower()
    named = ScimUser.objects.annotate(lowered=Lower("user_name")).filter(lowered=lowered)  # scim_user_name_ci_unique
    by_email = User.objects.filter(email=lowered, scim__isnull=True)  # e-mails are stored lower case
    if exclude_pk is not None:
        named, by_email = named.exclude(user_id=exclude_pk), by_email.exclude(pk=exclude_pk)
    return named.exists() or by_email.exists()


def email_taken(*, email: str, exclude_pk: Any = None) -> bool:
    rows = User.objects.filter(email=email)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.exists()


def member_prefetch(*, client: ScimClient) -> Prefetch:
    """The members of each team that the client sees (its organization's published users), with
    what a member's SCIM value shows, in one query. Other members (invited from another
    organization, operators, deprovisioned users) are neither published nor changed over SCIM."""
    return Prefetch(
        "accesses",
        queryset=TeamAccess.objects.filter(user__in=user_list_for(client=client).values("pk"))
        .select_related("user")
        .only("id", "team_id", "user__id", "user__name", "user__email")
        .order_by("created_at", "pk"),
        to_attr="scim_members",
    )


def group_list_for(*, client: ScimClient, with_members: bool = True) -> QuerySet[Team]:
    teams = Team.objects.filter(organization_id=client.organization_id).select_related("scim")
    return teams.prefetch_related(member_prefetch(client=client)) if with_members else teams


def group_get_for(*, client: ScimClient, team_id: Any, with_members: bool = True) -> Team | None:
    pk = _uuid(team_id)
    return group_list_for(client=client, with_members=with_members).filter(pk=pk).first() if pk else None


def users_for_members(*, client: ScimClient, ids: list[Any]) -> tuple[dict[str, User], list[str]]:
    """The client's users named by `ids` (found by id string), and the ids it cannot name."""
    parsed = {str(value): _uuid(value) for value in ids}
    found = {str(user.pk): user for user in user_list_for(client=client).filter(pk__in=[p for p in parsed.values() if p])}
    unknown = [value for value, pk in parsed.items() if pk is None or str(pk) not in found]
    return {value: found[str(pk)] for value, pk in parsed.items() if pk is not None and str(pk) in found}, unknown
