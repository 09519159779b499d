"""Reads of teams, accesses and invitations, already limited to what the caller may see.

Every queryset returned here is annotated so that serializing a page costs a constant number of
queries: the caller's role and counts are SQL subqueries, related ids are read in bulk.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Lookup,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from people.core.errors import NotFound, PermissionDenied
from people.core.ids import parse_uuid
from people.core.ordering import apply_ordering
from people.core.prepared import PreparedGet
from people.core.search import search
from people.core.selectors import get_or_not_found, not_found_message
from people.identity.models import ServiceProvider, User
from people.teams import policies
from people.teams.models import PATH_STEP, Invitation, Team, TeamAccess, TeamRole, TeamWebhook

TEAM_NOT_FOUND = not_found_message(Team)
ACCESS_NOT_FOUND = not_found_message(TeamAccess)
WEBHOOK_NOT_FOUND = not_found_message(TeamWebhook)
NOT_ALLOWED_WEBHOOKS = gettext_noop("You are not allowed to manage webhooks for this team.")


def _count_subquery(queryset: QuerySet, field: str) -> Coalesce:
    counted = queryset.order_by().values(field).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class _AnyOf(Lookup):
    """`lhs` among the rows of a subquery, which runs once, before the table is read.

    On PostgreSQL `lhs = ANY(ARRAY(subquery))`: the subquery becomes an InitPlan and the planner
    expects a handful of values, so it probes the index of `lhs`; with `IN (subquery)` it would
    join, trust its guess of the subquery's size and, for a user in many teams, scan the table.
    Elsewhere `lhs IN (subquery)`.
    """

    lookup_name = "any_of"

    def _sides(self, compiler, connection) -> tuple[str, str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return lhs, rhs, [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", params


def _any_of(vendor: str, column: str, subquery: str) -> str:
    """`_AnyOf` in raw SQL, for the subqueries nested in it."""
    return f"{column} = ANY(ARRAY({subquery}))" if vendor == "postgresql" else f"{column} IN ({subquery})"


def _visible_filter(user: Any) -> Q:
    """Teams the user has an access on, or ancestors of those in the user's organization.

    Resolved from the user's rows first: their team ids, then the ancestors' paths, which are
    the prefixes of their teams' paths (a recursive CTE strips one level at a time); the teams
    are then read by primary key and by the unique index on `path`. The cost grows with the
    user's teams, never with the table: a condition evaluated for every team (an access on it,
    or on one below it) made PostgreSQL scan all teams, expect thousands of rows and switch JIT
    compilation on. Still one statement, so a list's count and page stay one query each.
    """
    connection = connections[Team.objects.db]
    vendor = connection.vendor
    user_id = TeamAccess._meta.get_field("user").get_db_prep_value(user.pk, connection)  # raw SQL: no conversion
    team, access = Team._meta.db_table, TeamAccess._meta.db_table
    path_type = f"varchar({Team._meta.get_field('path').max_length})"  # one type in both CTE terms
    own_ids = f"SELECT a.team_id FROM {access} a WHERE a.user_id = %s"  # noqa: S608 - names from the models
    visible = Q(_AnyOf(F("pk"), RawSQL(own_ids, [user_id])))
    if user.organization_id is None:
        return visible
    parent_path = f"CAST(substr(path, 1, length(path) - {PATH_STEP}) AS {path_type})"
    ancestor_paths = f"""
        WITH RECURSIVE ancestor(path) AS (
            SELECT {parent_path} FROM {team} WHERE {_any_of(vendor, "id", own_ids)} AND length(path) > {PATH_STEP}
            UNION
            SELECT {parent_path} FROM ancestor WHERE length(path) > {PATH_STEP}
        )
        SELECT path FROM ancestor
    """  # noqa: S608 - names and the step come from the models, values are parameters
    return visible | Q(Q(organization_id=user.organization_id), _AnyOf(F("path"), RawSQL(ancestor_paths, [user_id])))


def team_list_visible_to(
    *, user: Any, service_provider: ServiceProvider | None = None, linked_only: bool = False, with_counts: bool = True
) -> QuerySet[Team]:
    """Teams the user has an access on, plus ancestors of those in the user's organization.

    Child teams are not visible through a parent. With `service_provider`, only teams shared
    with that service (linked to it, or visible to all services unless `linked_only`).
    Annotations: `user_role` (None for ancestor-only teams), `member_count`, `numchild`; they are
    subqueries evaluated for the rows returned only, the filter (`_visible_filter`) for none.
    `with_related_ids` adds the ids of members and linked services. Without `with_counts`, the
    team's counts are left out and `owner_count` added: what routes under a team need.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    own_role = TeamAccess.objects.filter(team=OuterRef("pk"), user=user).values("role")[:1]
    queryset = Team.objects.filter(_visible_filter(user)).annotate(user_role=Subquery(own_role))
    if service_provider is not None:
        linked = _linked_to(service_provider)
        queryset = queryset.filter(linked if linked_only else linked | Q(is_visible_all_services=True))
    member_count = _count_subquery(TeamAccess.objects.filter(team=OuterRef("pk")), "team")
    if not with_counts:
        owners = TeamAccess.objects.filter(team=OuterRef("pk"), role=TeamRole.OWNER)
        return queryset.annotate(owner_count=_count_subquery(owners, "team"), member_count=member_count)
    return queryset.annotate(
        member_count=member_count,
        numchild=_count_subquery(Team.objects.filter(parent=OuterRef("pk")), "parent"),
    )


class _TeamsWithRelatedIds(ModelIterable):
    """Teams, each with `access_ids` (oldest first; empty where the caller has no role, since
    an ancestor's members are not theirs to see) and `service_provider_ids` (by name).

    Read after the teams, in one query of plain id pairs for all of them (the accesses and the
    links as one UNION ALL, each row with its sort key): prefetching the accesses as model
    instances cost more than the rest of a list (a user in 50 teams of 30 members made 1,500
    instances a request).
    """

    def __iter__(self):
        yield from attach_related_ids(list(super().__iter__()))


def attach_related_ids(teams: list[Team]) -> list[Team]:
    """Give `teams` their `access_ids` and `service_provider_ids` (see `_TeamsWithRelatedIds`)."""
    members = defaultdict(list)
    providers = defaultdict(list)
    if teams:
        to_uuid = Team._meta.pk.to_python
        for team_id, related_id, is_access in _related_id_rows(teams):
            (members if is_access else providers)[to_uuid(team_id)].append(to_uuid(related_id))
    for team in teams:
        team.access_ids = members.get(team.pk, [])
        team.service_provider_ids = providers.get(team.pk, [])
    return teams


def _related_id_rows(teams: list[Team]) -> list[tuple]:
    """(team id, related id, is an access): the accesses of the teams where the caller has a
    role (oldest first) and the service links of all of them (by the service's name), in one
    statement. Written in SQL: building it with the ORM (a union) cost more than running it."""
    connection = connections[Team.objects.db]
    prepare = Team._meta.pk.get_db_prep_value
    field = Team._meta.get_field("service_providers")
    through, provider = field.remote_field.through._meta.db_table, ServiceProvider._meta.db_table
    provider_pk = ServiceProvider._meta.pk.column
    team_ids = [prepare(team.pk, connection) for team in teams]
    links = (
        f"SELECT l.{field.m2m_column_name()}, l.{field.m2m_reverse_name()}, 0, NULL, p.name"  # noqa: S608 - names from the models
        f" FROM {through} l JOIN {provider} p ON p.{provider_pk} = l.{field.m2m_reverse_name()}"
        f" WHERE l.{field.m2m_column_name()} IN ({', '.join(['%s'] * len(team_ids))})"
    )
    with_members = [prepare(team.pk, connection) for team in teams if getattr(team, "user_role", None) is not None]
    sql, params = links, team_ids
    if with_members:
        accesses = (
            f"SELECT a.team_id, a.id, 1, a.created_at, NULL FROM {TeamAccess._meta.db_table} a"  # noqa: S608 - names from the models
            f" WHERE a.team_id IN ({', '.join(['%s'] * len(with_members))})"
        )
        sql, params = f"{accesses} UNION ALL {links}", [*with_members, *team_ids]
    # Within each kind: accesses by creation, links (no creation date) by the service's name.
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY 4, 5, 2", params)
        return [row[:3] for row in cursor.fetchall()]


def with_related_ids(queryset: QuerySet[Team]) -> QuerySet[Team]:
    """`queryset` whose teams carry `access_ids` and `service_provider_ids` (one more query
    however many teams are read; see `_TeamsWithRelatedIds`)."""
    queryset = queryset._chain()
    queryset._iterable_class = _TeamsWithRelatedIds
    return queryset


def _linked_to(service_provider: ServiceProvider) -> Exists:
    return Exists(
        Team.service_providers.through.objects.filter(team_id=OuterRef("pk"), serviceprovider_id=service_provider.pk)
    )


def team_get_for_trusted_service(*, team_id: Any, service_provider: ServiceProvider | None) -> Team:
    """A team for a trusted service's API key, which acts for no user: any team, or only those
    linked to `service_provider` when the key is limited to one (else NotFound)."""
    queryset = Team.objects.all()
    if service_provider is not None:
        queryset = queryset.filter(_linked_to(service_provider))
    return get_or_not_found(queryset, team_id)


def team_search(queryset: QuerySet[Team], query: str | None) -> QuerySet[Team]:
    """Accent- and case-insensitive match on the name."""
    return search(queryset, query)


def team_get_visible_to(
    *,
    user: Any,
    team_id: Any,
    service_provider: ServiceProvider | None = None,
    linked_only: bool = False,
    with_related: bool = True,
    with_counts: bool = True,
) -> Team:
    """One visible team (`team_list_visible_to`'s row); `with_related` adds the ids that only
    the client's shape of it needs, `with_counts=False` reads `owner_count` instead of the counts
    the team's shape shows. Read at every request on a team or below it: its SQL is compiled
    once per shape (`_visible_team_reader`)."""
    pk = parse_uuid(team_id)
    if pk is None or user is None or not getattr(user, "is_authenticated", False):
        raise NotFound(TEAM_NOT_FOUND)
    reader = _visible_team_reader(
        in_organization=user.organization_id is not None,
        for_service=service_provider is not None,
        linked_only=linked_only,
        with_counts=with_counts,
    )
    values = {"team": pk, "user": user.pk}
    if user.organization_id is not None:
        values["organization"] = user.organization_id
    if service_provider is not None:
        values["service_provider"] = service_provider.pk
    team = reader.get(**values)
    if team is None:
        raise NotFound(TEAM_NOT_FOUND)
    return attach_related_ids([team])[0] if with_related else team


@functools.cache
def _visible_team_reader(*, in_organization: bool, for_service: bool, linked_only: bool, with_counts: bool) -> PreparedGet:
    """`team_list_visible_to`'s row for one team, compiled once for this shape of query."""

    def build(team, user, organization=None, service_provider=None):
        actor = User(pk=user, organization_id=organization)
        provider = ServiceProvider(pk=service_provider) if for_service else None
        queryset = team_list_visible_to(
            user=actor, service_provider=provider, linked_only=linked_only, with_counts=with_counts
        )
        return queryset.filter(pk=team)

    uuid_field = Team._meta.pk
    fields = {"team": uuid_field, "user": uuid_field}
    if in_organization:
        fields["organization"] = uuid_field
    if for_service:
        fields["service_provider"] = uuid_field
    return PreparedGet(build, **fields)


@dataclass(frozen=True)
class ActingTeam:
    """A team and the role its actor acts with (None: no role, the team seen as an ancestor,
    or a trusted service acting for nobody)."""

    team: Team
    role: str | None


def team_get_for_actor(
    *,
    actor: Any,
    team: Team | Any,
    for_write: bool = False,
    as_operator: bool = False,
    trusted_service: bool = False,
) -> ActingTeam:
    """The one entry to act on a team: the team visible to `actor`, and the actor's role in it.

    `team` is a row or an id. With `for_write` the team's row is locked until the end of the
    caller's transaction, and the role is read after the lock: writes that depend on the
    team's accesses (the last owner rule) are serialized, and the second one sees the first
    one's result. An operator (`as_operator`, admin only) acts as an owner of any team; a
    trusted service (`trusted_service`, its API key scoped already) acts for nobody. Anyone
    else who cannot see the team gets NotFound, as for an unknown id.
    """
    team_uuid = team.pk if isinstance(team, Team) else parse_uuid(team)
    if team_uuid is None:
        raise NotFound(TEAM_NOT_FOUND)
    if for_write or not isinstance(team, Team):
        rows = Team.objects.filter(pk=team_uuid)
        row = (rows.select_for_update() if for_write else rows).first()
        if row is None:
            raise NotFound(TEAM_NOT_FOUND)
        team = team if isinstance(team, Team) else row
    if as_operator or trusted_service:
        return ActingTeam(team=team, role=TeamRole.OWNER.value if as_operator else None)
    role = role_of(user=actor, team=team, fresh=True)
    if role is None and not team_list_visible_to(user=actor).filter(pk=team_uuid).exists():
        raise NotFound(TEAM_NOT_FOUND)
    return ActingTeam(team=team, role=role)


def role_of(*, user: Any, team: Team, fresh: bool = False) -> str | None:
    """The user's role in the team: the `user_role` annotation unless `fresh`, else one query
    (an annotation read before a lock may be stale)."""
    if hasattr(team, "user_role") and not fresh:
        return team.user_role
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return TeamAccess.objects.filter(team_id=team.pk, user=user).values_list("role", flat=True).first()


def owner_count(*, team: Team, fresh: bool = True) -> int:
    """The team's owners: the `owner_count` annotation unless `fresh`, else one query."""
    if hasattr(team, "owner_count") and not fresh:
        return team.owner_count
    return TeamAccess.objects.filter(team=team, role=TeamRole.OWNER).count()


def access_list_for(*, user: Any, team: Team) -> QuerySet[TeamAccess]:
    """Accesses of the team, for members only (empty otherwise)."""
    if role_of(user=user, team=team) is None:
        return TeamAccess.objects.none()
    return TeamAccess.objects.filter(team=team).select_related("user")


def access_search(queryset: QuerySet[TeamAccess], query: str | None) -> QuerySet[TeamAccess]:
    """Accent- and case-insensitive match on the member's name or e-mail."""
    return search(queryset, query, field="user__search_text")


TEAM_ORDERING = ("created_at", "name", "path")
ACCESS_ORDERING = ("role", "user__email", "user__name", "created_at")


def team_order(queryset: QuerySet[Team], raw: str | None, *, allowed: tuple[str, ...] = TEAM_ORDERING) -> QuerySet[Team]:
    return apply_ordering(queryset, raw, allowed=allowed, default=["-created_at"])


def access_order(queryset: QuerySet[TeamAccess], raw: str | None) -> QuerySet[TeamAccess]:
    return apply_ordering(queryset, raw, allowed=ACCESS_ORDERING, default=["role"])


def access_get_for(*, user: Any, team: Team, access_id: Any) -> TeamAccess:
    return get_or_not_found(access_list_for(user=user, team=team), access_id)


def invitation_list_for(*, user: Any, team: Team) -> QuerySet[Invitation]:
    """The team's invitations, newest first, expired ones included; members only."""
    if role_of(user=user, team=team) is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(team=team).select_related("email_outbox").order_by("-created_at", "pk")


def invitation_list_pending_issued_by(*, user: Any) -> QuerySet[Invitation]:
    """Invitations the user sent that are still waiting for their invitee (not expired), in
    teams the user is still a member of; the soonest to expire first. Accepted invitations no
    longer exist (they became accesses)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(issuer=user, expires_at__gt=timezone.now(), team__accesses__user=user)
        .select_related("team")
        .order_by("expires_at", "pk")
    )


def invitation_get_for(*, user: Any, team: Team, invitation_id: Any) -> Invitation:
    return get_or_not_found(invitation_list_for(user=user, team=team), invitation_id)


def webhook_list_for(*, user: Any, team: Team) -> QuerySet[TeamWebhook]:
    """The team's webhooks, oldest first, for its owners and administrators; anyone else who
    sees the team is refused (PermissionDenied), as for its other writes."""
    if not policies.team_role_can_manage_webhooks(role_of(user=user, team=team)):
        raise PermissionDenied(gettext(NOT_ALLOWED_WEBHOOKS))
    return TeamWebhook.objects.filter(team=team).order_by("created_at", "pk")


def webhook_get_for(*, user: Any, team: Team, webhook_id: Any) -> TeamWebhook:
    webhook = get_or_not_found(webhook_list_for(user=user, team=team), webhook_id)
    webhook.team = team
    return webhook
