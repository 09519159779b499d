"""`make bench`: one table that says where People stands, in process and over HTTP.

    make bench [BENCH_DATABASE_URL=postgres://...] [BENCH_SCALE=10] [BENCH_USERS=...]

1. Loads the shape of the suite's production directory into the database of DATABASE_URL
   (`manage.py demo`, idempotent) and prints the load time: per scale unit 100 organizations,
   100,000 users, 10,000 teams of about 30 members, 31,000 contacts (BENCH_USERS, BENCH_TEAMS,
   BENCH_ORGANIZATIONS, BENCH_CONTACTS change the unit; BENCH_SCALE multiplies it).
2. Adds the bench user (bench@example.com): member of 48 demo teams, owner of a team of 20 and
   of a team of 200 members, with 100 contacts of their own.
3. In process (Django test client: view, serializers, middleware, SQL; no HTTP server), 10
   warm-up then 50 requests per endpoint as the bench user: p50, p95, SQL queries, target;
   the web interface's home, teams list and page of the 200-member team beside them.
4. Over HTTP (BENCH_HTTP=0 skips it): Gunicorn with config/gunicorn.py (gthread, kept-alive
   connections, BENCH_WEB_WORKERS workers) and locust headless, BENCH_HTTP_SECONDS each, in
   BENCH_HTTP_ROUNDS turns (4) that alternate the endpoints, so that their ratios compare
   figures measured side by side.
5. Writes the results as JSON (BENCH_OUTPUT, else bench/results/<timestamp>.json); with
   BENCH_SCALE > 1, prints the growth of each p95 against the latest 1x run of the same unit.

The resource-server calls use a warm introspection cache seeded by this script with the entry
the first real introspection writes (the provider is never called: `make bench-rs` measures the
real provider round trip). Throttles are raised out of the way: they would measure the limit.

This is a measurement, not a test: numbers depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_rs import _stop, _wait_for
from bench.bench_teams import _percentile

REPO = Path(__file__).resolve().parent.parent
# Where results are written and where `BENCH_SCALE` > 1 finds the 1x run it compares with.
RESULTS = Path(os.environ.get("BENCH_RESULTS") or REPO / "bench" / "results")
API = "/api/v1.0/"
RS_ME = "/resource-server/v1.0/users/me/"
BENCH_EMAIL = "bench@example.com"
WARMUP, TIMED = 10, 50
POSTED_PREFIX = "Bench POST "
# Production settings redirect plain HTTP: requests come as from the TLS-terminating proxy.
BEHIND_PROXY = {"HTTP_X_FORWARDED_PROTO": "https"}
# (label, method, path template, target p95 ms, target queries): the targets hold on PostgreSQL.
ENDPOINTS = (
    ("users/me", "get", API + "users/me/", 3, None),
    ("users?q=mar", "get", API + "users/?q=mar", 50, None),
    ("teams", "get", API + "teams/", 30, None),
    ("team", "get", API + "teams/{big}/", 8, None),
    ("accesses", "get", API + "teams/{big}/accesses/", 5, None),
    ("POST team", "post", API + "teams/", 8, 8),
    ("contacts?q=mar", "get", API + "contacts/?q=mar", 30, None),
    ("jwks", "get", API + "jwks", 0.5, None),
    ("rs users/me", "get", RS_ME, None, None),
    # The web interface's pages, next to the API's figures (no targets of their own).
    ("page: home", "get", "/", None, None),
    ("page: teams", "get", "/teams/", None, None),
    ("page: team of 200", "get", "/teams/{big}/", None, None),
)
HTTP_CASES = (("config", API + "config/", "anonymous"), ("users/me", API + "users/me/", "session"),
              ("rs users/me", RS_ME, "bearer"))


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def sizes() -> dict[str, int]:
    scale = env_int("BENCH_SCALE", 1)
    unit = {
        "users": env_int("BENCH_USERS", 100_000), "teams": env_int("BENCH_TEAMS", 10_000),
        "organizations": env_int("BENCH_ORGANIZATIONS", 100), "contacts": env_int("BENCH_CONTACTS", 31_000),
    }
    return {"scale": scale, "unit": unit, **{key: value * scale for key, value in unit.items()}}


# --- data ------------------------------------------------------------------------------------


def load(shape: dict) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command(
        "demo", users=shape["users"], teams=shape["teams"], organizations=shape["organizations"],
        contacts=shape["contacts"], members=30,
    )
    return time.perf_counter() - started


def bench_user():
    """The bench user and the team of 200 they own (created once, found again)."""
    from people.contacts.models import Contact, contact_search_text
    from people.identity.models import User
    from people.portal.management.commands.demo import TEAMS_PER_ROOT, demo_id
    from people.teams import tree
    from people.teams.models import Team, TeamAccess, TeamRole

    # Teams the POST measurement of an earlier run made: the bench user would be in more teams
    # at each run, and the teams list would measure more rows.
    TeamAccess.objects.filter(team__name__startswith=POSTED_PREFIX).delete()
    Team.objects.filter(name__startswith=POSTED_PREFIX).delete()
    demo = User.objects.get(email="demo@example.com")
    user, _ = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"name": "Martine Bench", "organization_id": demo.organization_id, "sub": "bench"},
    )
    owned = []
    for size in (20, 200):
        team = Team.objects.filter(pk=demo_id("bench-team", size)).first()
        if team is None:
            team = Team(id=demo_id("bench-team", size), name=f"Bench team of {size}",
                        organization_id=user.organization_id, external_id=demo_id("bench-team-external", size))
            tree.place_and_save(team)
        colleagues = User.objects.filter(organization_id=user.organization_id).exclude(pk=user.pk)
        members = list(colleagues.order_by("id").values_list("pk", flat=True)[: size - 1])
        if len(members) < size - 1:  # small sets: colleagues from other organizations
            others = User.objects.exclude(pk__in=[user.pk, *members]).order_by("id")
            members += list(others.values_list("pk", flat=True)[: size - 1 - len(members)])
        TeamAccess.objects.bulk_create(
            [TeamAccess(team=team, user=user, role=TeamRole.OWNER)]
            + [TeamAccess(team=team, user_id=pk, role=TeamRole.MEMBER) for pk in members],
            ignore_conflicts=True,
        )
        owned.append(team)
    step = max(TEAMS_PER_ROOT, 100)
    sub_teams = Team.objects.filter(parent__isnull=False, pk__in=[demo_id("team", step * k + 1) for k in range(48)])
    TeamAccess.objects.bulk_create(
        [TeamAccess(team=team, user=user, role=TeamRole.MEMBER) for team in sub_teams], ignore_conflicts=True
    )
    Contact.objects.bulk_create([
        Contact(id=demo_id("bench-contact", i), owner=user, full_name=f"Contact {i} Marchand", short_name="Contact",
                data={}, search_text=contact_search_text(f"Contact {i} Marchand", "Contact", {}))
        for i in range(100)
    ], ignore_conflicts=True)
    return user, owned[1]


def seed_introspection(user) -> str:
    """A bearer token whose introspection result is already cached, as after a first call."""
    from django.conf import settings
    from django.core.cache import cache

    from people.resource_server import introspection

    token = secrets.token_urlsafe(32)
    verdict = introspection.check_introspection({
        "active": True, "sub": user.sub, "client_id": "bench-service", "scope": " ".join(["openid", *settings.OIDC_RS_SCOPES]),
        "exp": int(time.time()) + 3600,
    })
    cache.set(introspection.CACHE_PREFIX + introspection._token_digest(token), verdict, 3600)
    return token


# --- in process ------------------------------------------------------------------------------


def in_process(user, big_team, token: str) -> list[dict]:
    from django.db import connection
    from django.test import Client

    session, bearer = Client(**BEHIND_PROXY), Client(HTTP_AUTHORIZATION=f"Bearer {token}", **BEHIND_PROXY)
    session.force_login(user)
    rows = []
    counter = iter(range(10**9))
    for label, method, template, target, target_queries in ENDPOINTS:
        client = bearer if template == RS_ME else session
        path = template.format(big=big_team.pk)

        def call(client=client, method=method, path=path):
            if method == "post":
                return client.post(path, {"name": f"{POSTED_PREFIX}{time.time_ns()} {next(counter)}"},
                                   content_type="application/json")
            return client.get(path)

        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = call()
        if response.status_code >= 300:
            raise SystemExit(f"bench: {method.upper()} {path} answered {response.status_code}: {response.content[:300]!r}")
        for _ in range(WARMUP - 1):
            call()
        latencies = []
        for _ in range(TIMED):
            started = time.perf_counter()
            call()
            latencies.append((time.perf_counter() - started) * 1000)
        p95 = _percentile(latencies, 0.95)
        passed = None if target is None else p95 <= target and (target_queries is None or len(queries) <= target_queries)
        rows.append({"endpoint": label, "p50_ms": round(statistics.median(latencies), 3), "p95_ms": round(p95, 3),
                     "queries": len(queries), "target_p95_ms": target, "target_queries": target_queries,
                     "pass": passed})
    return rows


# --- over HTTP -------------------------------------------------------------------------------


def over_http(env: dict, user, token: str, seconds: int) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    from tests.peers.oidc.fixtures import free_port

    client = Client()
    client.force_login(user)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    port = free_port()
    workers = env_int("BENCH_WEB_WORKERS", 4)
    workdir = Path(tempfile.mkdtemp(prefix="people-bench-"))
    server_env = {**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": str(workers)}
    server = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.py",
         "--access-logfile", "/dev/null", "--error-logfile", str(workdir / "gunicorn.log")],
        cwd=REPO, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    rounds = max(env_int("BENCH_HTTP_ROUNDS", 4), 1)
    measured: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _path, _auth in HTTP_CASES}
    try:
        _wait_for(f"http://127.0.0.1:{port}/__lbheartbeat__", server, "gunicorn")
        # The cases take turns (config, users/me, rs, config...) rather than one after the
        # other: on a shared machine the speed drifts over a minute, and a ratio of two figures
        # measured a minute apart would measure the drift too.
        for turn in range(rounds):
            for label, path, auth in HTTP_CASES:
                headers = {"anonymous": {}, "session": {"Cookie": cookie},
                           "bearer": {"Authorization": f"Bearer {token}"}}[auth] | {"X-Forwarded-Proto": "https"}
                measured[label].append(locust(f"http://127.0.0.1:{port}", path, headers, max(seconds // rounds, 1),
                                              workdir / f"{label.replace('/', '_')}_{turn}"))
    finally:
        _stop(server)
    rows = []
    for label, _path, auth in HTTP_CASES:
        turns = measured[label]
        rows.append({"endpoint": label, "auth": auth,
                     "requests_per_s": round(statistics.mean(rps for rps, _p95, _failures in turns), 1),
                     # The median of the turns' p95 (locust gives no histogram to merge).
                     "p95_ms": statistics.median(p95 for _rps, p95, _failures in turns),
                     "failures": sum(failures for _rps, _p95, failures in turns), "workers": workers,
                     "turns_requests_per_s": [round(rps, 1) for rps, _p95, _failures in turns]})
    base = rows[0]
    for row in rows:
        row["rps_ratio_to_config"] = round(row["requests_per_s"] / base["requests_per_s"], 2) if base["requests_per_s"] else None
    targets = {"users/me": lambda row: row["requests_per_s"] >= 500,
               "rs users/me": lambda row: row["requests_per_s"] * 1.5 >= base["requests_per_s"]}
    for row in rows:
        row["target"] = {"users/me": ">= 500 req/s", "rs users/me": ">= config / 1.5"}.get(row["endpoint"])
        row["pass"] = (targets[row["endpoint"]](row) and not row["failures"]) if row["endpoint"] in targets else None
    return rows


def locust(host: str, path: str, headers: dict, seconds: int, prefix: Path) -> tuple[float, float, int]:
    """(requests/s, p95 ms, failures) of `seconds` of locust headless on `path`, kept-alive."""
    users = env_int("BENCH_HTTP_USERS", 16)
    env = {**os.environ, "BENCH_PATH": path, "BENCH_HEADERS": json.dumps(headers)}
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless",
         "--host", host, "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--csv", str(prefix),
         "--only-summary", "--loglevel", "WARNING"],
        env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 60,
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    if total["95%"] == "N/A":
        raise SystemExit(f"bench: locust made no request to {path} in {seconds} s: give it more time (BENCH_HTTP_SECONDS)")
    return float(total["Requests/s"]), float(total["95%"]), int(total["Failure Count"])


# --- report ----------------------------------------------------------------------------------


def growth(result: dict) -> list[dict]:
    """p95 at this scale over p95 of the latest 1x run of the same unit and database."""
    if result["shape"]["scale"] == 1:
        return []
    for path in sorted(RESULTS.glob("*.json"), reverse=True):
        earlier = json.loads(path.read_text())
        if (earlier["shape"]["scale"], earlier["shape"]["unit"], earlier["database"]) == (1, result["shape"]["unit"], result["database"]):
            before = {row["endpoint"]: row["p95_ms"] for row in earlier["in_process"]}
            return [{"endpoint": row["endpoint"], "p95_1x_ms": before.get(row["endpoint"]), "p95_ms": row["p95_ms"],
                     "growth": round(row["p95_ms"] / before[row["endpoint"]], 2) if before.get(row["endpoint"]) else None,
                     "from": path.name}
                    for row in result["in_process"]]
    return [{"endpoint": "(none)", "note": "no 1x run of the same unit and database in bench/results: run it first"}]


def table(result: dict) -> str:
    shape = result["shape"]
    lines = [
        f"People bench {result['started']} on {result['machine']}; {result['database']}; "
        f"{shape['users']} users, {shape['teams']} teams, {shape['organizations']} organizations, "
        f"{result['counts']['accesses']} team accesses, {result['counts']['contacts']} contacts "
        f"(scale {shape['scale']}); load {result['load_s']:.0f} s",
        "",
        f"In process ({WARMUP} warm-up, {TIMED} timed requests as {BENCH_EMAIL}):",
        "",
        "| endpoint | p50 ms | p95 ms | queries | target p95 | result |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in result["in_process"]:
        target = "" if row["target_p95_ms"] is None else f"≤ {row['target_p95_ms']} ms"
        if row["target_queries"]:
            target += f", ≤ {row['target_queries']} queries"
        verdict = {None: "", True: "pass", False: "MISS"}[row["pass"]]
        lines.append(f"| {row['endpoint']} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | {row['queries']} | {target} | {verdict} |")
    if result["http"]:
        lines += ["", f"Over HTTP (Gunicorn gthread, {result['http'][0]['workers']} workers, locust headless, kept-alive, "
                      f"{result['http_seconds']} s each):", "",
                  "| endpoint | auth | req/s | p95 ms | ratio to config | failures | target | result |",
                  "| --- | --- | ---: | ---: | ---: | ---: | --- | --- |"]
        for row in result["http"]:
            verdict = {None: "", True: "pass", False: "MISS"}[row["pass"]]
            lines.append(f"| {row['endpoint']} | {row['auth']} | {row['requests_per_s']:.0f} | {row['p95_ms']:.0f} | "
                         f"{row['rps_ratio_to_config']} | {row['failures']} | {row['target'] or ''} | {verdict} |")
    if result["growth"]:
        lines += ["", "Growth of p95 from 1x to this scale:", "", "| endpoint | p95 1x ms | p95 ms | growth |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {row['endpoint']} | {row.get('p95_1x_ms')} | {row.get('p95_ms')} | {row.get('growth') or row.get('note')} |"
                  for row in result["growth"]]
    return "\n".join(lines)


def configure() -> dict:
    """The environment of this process and of Gunicorn: production settings on PostgreSQL."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PEOPLE_LOG_LEVEL": "WARNING", "PEOPLE_JOBS_MODE": "eager",
        "THROTTLE_USER_BURST": "1000000/second", "THROTTLE_USER_SUSTAINED": "1000000/second",
        "THROTTLE_SERVICE_RATE": "none", "OIDC_RS_CACHE_TTL": "3600",
    })
    if env.get("DATABASE_URL") and env.get("REDIS_URL"):
        env.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_hex(16))
        env["DJANGO_DEBUG"] = "false"
    os.environ.clear()
    os.environ.update(env)
    return env


def main() -> int:
    env = configure()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from people.contacts.models import Contact
    from people.teams.models import TeamAccess

    shape = sizes()
    database = connection.vendor
    if database == "postgresql":
        database = f"PostgreSQL {connection.cursor().connection.info.server_version // 10000}"
    print(f"bench: loading {shape['users']} users, {shape['teams']} teams, {shape['organizations']} organizations, "
          f"{shape['contacts']} contacts into {database} (DEBUG={settings.DEBUG})", flush=True)
    load_s = load(shape)
    print(f"bench: loaded in {load_s:.1f} s", flush=True)
    user, big_team = bench_user()
    token = seed_introspection(user)
    from people.core.runtime import prepare_collector

    prepare_collector()  # as config/gunicorn.py does in each web worker
    result = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "database": database, "debug": settings.DEBUG,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"load average {os.getloadavg()[0]:.1f} (shared machine)",
        "shape": shape, "load_s": round(load_s, 1),
        "counts": {"accesses": TeamAccess.objects.count(), "contacts": Contact.objects.count()},
        "users_matching_mar": user.__class__.objects.filter(search_text__contains="mar").count(),
        "in_process": in_process(user, big_team, token),
    }
    seconds = env_int("BENCH_HTTP_SECONDS", 20)
    result["http_seconds"] = seconds
    result["http"] = over_http(env, user, token, seconds) if os.environ.get("BENCH_HTTP", "1") != "0" else []
    result["growth"] = growth(result)
    output = Path(os.environ.get("BENCH_OUTPUT") or RESULTS / f"{time.strftime('%Y%m%dT%H%M%S')}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(table(result))
    print(f"\nbench: results in {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
