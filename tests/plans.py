"""What a request asks PostgreSQL, and how PostgreSQL means to answer it.

For the tests that a list's cost follows the caller's rows, not the size of the tables: the
SQL a request runs is recorded, then each statement is explained (EXPLAIN (FORMAT JSON), not
run again), on data loaded at scale by the same `manage.py demo` as `make bench`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from people.identity.models import User
from people.teams.models import Team, TeamAccess, TeamRole

postgresql_plans = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's query plans: run with DATABASE_URL=postgres://..."
)


@contextmanager
def recorded_sql() -> Iterator[list[tuple[str, Any]]]:
    """Every statement run inside, with its parameters (a test client request included)."""
    statements: list[tuple[str, Any]] = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield statements


def explain(sql: str, params: Any) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (raw,) = cursor.fetchone()
    return (json.loads(raw) if isinstance(raw, str) else raw)[0]


def plan_nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from plan_nodes(child)


def jit_above_cost() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit_above_cost")
        return float(cursor.fetchone()[0])


def load_teams_at_scale(*, teams: int, users: int, member_of: int) -> User:
    """Demo data (`teams` teams in two levels, four members each), then a user who is a member
    of `member_of` sub-teams under as many roots of one organization; statistics refreshed
    (ANALYZE) as autovacuum would have done on a live database."""
    call_command("demo", users=users, teams=teams, organizations=3, verbosity=0)
    first = Team.objects.filter(depth=2).order_by("path").values_list("organization_id", flat=True).first()
    sub_teams = {}
    for team_id, parent_id in Team.objects.filter(organization_id=first, depth=2).order_by("path").values_list("pk", "parent_id"):
        sub_teams.setdefault(parent_id, team_id)
    assert len(sub_teams) >= member_of, "load more teams"
    user = User.objects.create(email="many-teams@example.com", name="Many Teams", sub="many-teams", organization_id=first)
    TeamAccess.objects.bulk_create(
        [TeamAccess(team_id=team_id, user=user, role=TeamRole.MEMBER) for team_id in list(sub_teams.values())[:member_of]]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Team._meta.db_table}, {TeamAccess._meta.db_table}")
    return user


def reading_teams(statements: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The statements that read columns of the teams table (not the prefetches of related rows)."""
    return [(sql, params) for sql, params in statements if f'"{Team._meta.db_table}".' in sql]


def assert_scans_follow_the_user(statements: list[tuple[str, Any]]) -> None:
    """Each statement reading teams reaches them through an index (never a scan of the whole
    table) and is cheap enough for PostgreSQL to leave JIT compilation off."""
    team_table = Team._meta.db_table
    threshold = jit_above_cost()
    for sql, params in statements:
        plan = explain(sql, params)
        seq_scanned = {node.get("Relation Name") for node in plan_nodes(plan["Plan"]) if node["Node Type"] == "Seq Scan"}
        assert team_table not in seq_scanned, f"{sql}\n{json.dumps(plan, indent=1)}"
        assert "JIT" not in plan, sql
        assert plan["Plan"]["Total Cost"] < threshold, sql
