"""Benchmark of GET /api/v1.0/teams/ for a user in many teams, on the data `make bench` loads.

    make bench-teams         (or: .venv/bin/python -m bench.bench_teams --help, on a loaded database)

Gives one user (bench-teams@example.com) a member access to `--teams` sub-teams of the first
demo organization, each under another root, so that the list shows as many ancestors again;
then times the list in-process through Django's test client (view, serializers and SQL, no
HTTP server): a page of 20 and the bare list. Prints the median and 95th percentile in
milliseconds, the rows returned and the SQL queries of one request.

This is a measurement, not a test: numbers depend on the machine and on what else runs on it.
What should not move with the size of the database is the cost of one request for one user.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

BENCH_EMAIL = "bench-teams@example.com"


def _bench_user(teams: int):
    """The bench user, a member of `teams` demo sub-teams (team 100k + 1: child of root 100k)."""
    from people.identity.models import User
    from people.portal.management.commands.demo import TEAMS_PER_ROOT, demo_id
    from people.teams.models import Team, TeamAccess, TeamRole

    step = max(TEAMS_PER_ROOT, 100)
    wanted = [demo_id("team", step * k + 1) for k in range(teams)]
    found = list(Team.objects.filter(pk__in=wanted, parent__isnull=False).values_list("pk", "organization_id"))
    if len(found) < teams:
        raise SystemExit(
            f"bench-teams: only {len(found)} of the {teams} demo sub-teams exist; load more teams "
            "(manage.py demo --teams N --organizations 100) or pass a smaller --teams"
        )
    user, _created = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"name": "Bench Teams", "organization_id": found[0][1]}
    )
    TeamAccess.objects.bulk_create(
        [TeamAccess(team_id=pk, user=user, role=TeamRole.MEMBER) for pk, _org in found], ignore_conflicts=True
    )
    return user


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_list(client, params: dict, requests_count: int) -> tuple[float, float, int, int]:
    """(p50 ms, p95 ms, rows, queries of one request) of GET /api/v1.0/teams/ with `params`."""
    from django.db import connection

    url = "/api/v1.0/teams/"
    queries = []  # counted by a wrapper: the test client's request_started resets connection.queries

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, params)
    if response.status_code != 200:
        raise SystemExit(f"bench-teams: GET {url} {params} answered {response.status_code}")
    body = response.json()
    rows = len(body["results"] if isinstance(body, dict) else body)
    latencies = []
    for _ in range(requests_count):
        started = time.perf_counter()
        client.get(url, params)
        latencies.append((time.perf_counter() - started) * 1000)
    return statistics.median(latencies), _percentile(latencies, 0.95), rows, len(queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=50, help="teams the bench user is a member of")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per case")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from people.teams.models import Team

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = _bench_user(args.teams)
    client = Client()
    client.force_login(user)
    print(
        f"bench-teams: {connection.vendor}, {Team.objects.count()} teams; {BENCH_EMAIL} in {args.teams} teams; "
        f"{args.requests} requests per case"
    )
    for label, params in (("page of 20", {"page": 1, "page_size": 20}), ("bare list", {})):
        p50, p95, rows, queries = time_list(client, params, args.requests)
        print(f"  GET /api/v1.0/teams/ {label:<10}  p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  {rows} rows  {queries} queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
