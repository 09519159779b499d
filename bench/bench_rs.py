"""Benchmark of the resource server: throughput of GET /resource-server/v1.0/users/me/.

    make bench-rs            (or: .venv/bin/python -m bench.bench_rs --help)

Starts the test OpenID provider (tests/peers/oidc), a throwaway database, Redis when
`redis-server` is installed (the production cache; else each worker's memory), and gunicorn
serving People. It gets a real access token for the `service-a` client through a real login,
then sends a bounded number of requests from a thread pool over loopback, first with the
introspection cache warm, then with `OIDC_RS_CACHE_TTL=0` (every request introspects at the
provider), and prints requests per second for both and their ratio. SQL queries per request are
counted in-process with `CaptureQueriesContext`, for both modes and several team counts, to show
that they do not grow. The JWKS view's cost per call is measured in-process too.

This is a measurement, not a test: numbers depend on the machine. Over loopback the provider
answers in about a millisecond, so the HTTP ratio mostly shows the client's and the server's own
costs; the in-process figures isolate what the cache saves per request. With a provider across
a network (tens of milliseconds away), the saving per request grows accordingly.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
ME = "/resource-server/v1.0/users/me/"


def _wait_for(url: str, process: subprocess.Popen, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if requests.get(url, timeout=1).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not answer in {timeout} s")


def _stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def hammer(base_url: str, token: str, *, requests_count: int, concurrency: int) -> tuple[float, float, Counter]:
    """(requests per second, median latency in ms, failures by status) for `requests_count` calls."""
    per_worker = requests_count // concurrency

    def worker(_index: int) -> tuple[list[float], Counter]:
        latencies, failures = [], Counter()
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {token}"
            for _ in range(per_worker):
                started = time.perf_counter()
                response = http.get(base_url + ME, timeout=30)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    failures[response.status_code] += 1
        return latencies, failures

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(worker, range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies = [value for values, _ in results for value in values]
    failures = sum((counts for _, counts in results), Counter())
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, failures


def _failures(counts: Counter) -> str:
    if not counts:
        return "no failures"
    return "FAILURES " + ", ".join(f"{count} x {status}" for status, count in sorted(counts.items()))


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.workdir = Path(tempfile.mkdtemp(prefix="people-bench-rs-"))
        self.processes: list[subprocess.Popen] = []
        from tests.peers.oidc.fixtures import free_port

        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)

    def close(self) -> None:
        for process in reversed(self.processes):
            _stop(process)
        shutil.rmtree(self.workdir, ignore_errors=True)

    # --- set-up ---------------------------------------------------------------------------

    def start_redis(self) -> str | None:
        redis = shutil.which("redis-server")
        if redis is None or self.args.no_redis:
            return None
        from tests.peers.oidc.fixtures import free_port

        port = free_port()
        process = subprocess.Popen(  # noqa: S603
            [redis, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.workdir,
        )
        self.processes.append(process)
        import redis as redis_client

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                redis_client.Redis(port=port).ping()
                return f"redis://127.0.0.1:{port}/0"
            except redis_client.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def configure(self) -> None:
        from joserfc.jwk import RSAKey

        from tests.peers.oidc.fixtures import SigningKeys, start_provider

        rs_key = RSAKey.generate_key(2048, private=True)
        self.provider = start_provider(
            rp_base_url=self.base_url,
            keys=SigningKeys.generate(),
            rp_encryption_key=RSAKey.generate_key(2048, private=True),
            workdir=self.workdir,
        )
        self.processes.append(self.provider.process)
        client_id = "people-rs-jwe" if self.args.format == "jwt" else "people-rs"
        redis_url = self.start_redis()
        self.cache_label = "Redis" if redis_url else "per-process memory"
        self.env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DJANGO_DEBUG": "true",
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
                "PEOPLE_DATA_DIR": str(self.workdir),
                "PEOPLE_JOBS_MODE": "eager",
                "PEOPLE_LOG_LEVEL": "WARNING",
                "OIDC_OP_URL": self.provider.issuer,
                "OIDC_OP_INTROSPECTION_ENDPOINT": self.provider.introspection_endpoint,
                "OIDC_OP_JWKS_ENDPOINT": self.provider.jwks_uri,
                "OIDC_RS_CLIENT_ID": client_id,
                "OIDC_RS_CLIENT_SECRET": self.provider.clients[client_id].client_secret,
                "OIDC_RS_PRIVATE_KEY_STR": rs_key.as_pem(private=True).decode(),
                "OIDC_RS_INTROSPECTION_FORMAT": self.args.format,
                "OIDC_RS_SIGNING_ALGO": "ES256",
                # One user of one service sends every request: the per-service-and-user rate limit
                # (600/minute by default) would answer most of them 429 and measure the throttle.
                "THROTTLE_SERVICE_RATE": "none",
            }
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        if self.args.database_url:
            self.env["DATABASE_URL"] = self.args.database_url
        else:
            self.env.pop("DATABASE_URL", None)
        if not redis_url:
            self.env.pop("REDIS_URL", None)
        # This process also serves the in-process measures (query counts, JWKS): same settings.
        os.environ.clear()
        os.environ.update(self.env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        self.seed()
        self.token = self.provider.tokens_for("service-a", login="alice")["access_token"]

    def seed(self) -> None:
        """alice, with teams shared with service-a (they are not read by users/me)."""
        from people.identity.models import Organization, User

        organization, _ = Organization.objects.get_or_create(name="Bench", defaults={"domain_list": ["bench.example.gouv.fr"]})
        self.user, _ = User.objects.get_or_create(
            sub="alice", defaults={"email": "alice.martin@ministere.example.gouv.fr", "organization": organization}
        )

    def serve(self, cache_ttl: int) -> subprocess.Popen:
        env = {**self.env, "OIDC_RS_CACHE_TTL": str(cache_ttl)}
        process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.args.workers),
                "--threads", "1",
                "--log-level", "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(self.workdir / f"gunicorn-{cache_ttl}.log").open("wb"),
        )
        self.processes.append(process)
        _wait_for(f"{self.base_url}/__lbheartbeat__", process, "gunicorn")
        return process

    # --- measures -------------------------------------------------------------------------

    def throughput(self) -> dict[int, tuple[float, float, Counter, float]]:
        """Per cache TTL (60, then 0): (requests/s, median ms) of the best round, failures of all,
        and introspections the provider received per measured request (counted by the provider).

        Rounds alternate the two modes, each on a fresh server and an empty cache, warmed up
        first (workers loaded, connections to the provider open, cache filled), so that a
        disturbance of the shared machine does not favour one mode; the best round is the least
        disturbed one.
        """
        from django.core.cache import cache

        endpoint = self.provider.introspection_endpoint
        results: dict[int, list[tuple[float, float, Counter]]] = {60: [], 0: []}
        introspections: dict[int, int] = {60: 0, 0: 0}
        for _round in range(self.args.rounds):
            for cache_ttl in results:
                cache.clear()  # the cache is shared (Redis): nothing left from the other mode
                process = self.serve(cache_ttl)
                try:
                    hammer(self.base_url, self.token, requests_count=200, concurrency=self.args.concurrency)
                    before = self.provider.calls_to(endpoint)
                    results[cache_ttl].append(
                        hammer(
                            self.base_url,
                            self.token,
                            requests_count=self.args.requests,
                            concurrency=self.args.concurrency,
                        )
                    )
                    introspections[cache_ttl] += self.provider.calls_to(endpoint) - before
                finally:
                    _stop(process)
                    self.processes.remove(process)
        summary = {}
        measured = self.args.rounds * (self.args.requests // self.args.concurrency) * self.args.concurrency
        for cache_ttl, rounds in results.items():
            best = max(rounds, key=lambda result: result[0])
            failures = sum((result[2] for result in rounds), Counter())
            summary[cache_ttl] = (best[0], best[1], failures, introspections[cache_ttl] / measured)
        return summary

    def queries_per_request(self, cache_ttl: int, teams: int) -> int:
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext

        from people.teams.models import Team, TeamAccess

        self._ensure_teams(teams, Team, TeamAccess)
        cache.clear()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        with override_settings(OIDC_RS_CACHE_TTL=cache_ttl):
            assert client.get(ME).status_code == 200
            with CaptureQueriesContext(connection) as captured:
                response = client.get(ME)
        assert response.status_code == 200, response.content
        return len(captured)

    def _ensure_teams(self, count: int, Team, TeamAccess) -> None:  # noqa: N803
        from people.identity.models import ServiceProvider
        from people.teams import tree

        provider, _ = ServiceProvider.objects.get_or_create(audience_id="service-a", defaults={"name": "service-a"})
        existing = TeamAccess.objects.filter(user=self.user).count()
        for index in range(existing, count):
            team = Team(name=f"Bench team {index}", organization_id=self.user.organization_id)
            tree.place_and_save(team)
            team.service_providers.add(provider)
            TeamAccess.objects.create(team=team, user=self.user, role="member")

    def in_process_cost(self, cache_ttl: int, calls: int = 300) -> float:
        """Milliseconds per in-process call of users/me (no HTTP client or server in the way)."""
        from django.core.cache import cache
        from django.test import Client, override_settings

        cache.clear()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {self.token}")
        with override_settings(OIDC_RS_CACHE_TTL=cache_ttl):
            client.get(ME)
            started = time.perf_counter()
            for _ in range(calls):
                client.get(ME)
            return (time.perf_counter() - started) / calls * 1000

    def jwks_cost(self) -> tuple[float, float]:
        """Microseconds per in-process call of the JWKS view: through the whole Django stack
        (test client, every middleware), and the view alone."""
        from django.test import Client, RequestFactory

        from people.resource_server.views import jwks

        client, calls = Client(), 2000
        client.get("/api/v1.0/jwks")
        started = time.perf_counter()
        for _ in range(calls):
            client.get("/api/v1.0/jwks")
        stack = (time.perf_counter() - started) / calls * 1e6
        request = RequestFactory().get("/api/v1.0/jwks")
        started = time.perf_counter()
        for _ in range(calls):
            jwks(request)
        return stack, (time.perf_counter() - started) / calls * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Resource-server throughput: warm cache vs no cache")
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_RS_REQUESTS", "1000")))
    parser.add_argument("--concurrency", type=int, default=int(os.environ.get("BENCH_RS_CONCURRENCY", "4")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_RS_ROUNDS", "5")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_RS_WORKERS", "2")))
    parser.add_argument("--format", choices=["json", "jwt"], default=os.environ.get("BENCH_RS_FORMAT", "json"))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--no-redis", action="store_true", help="use each worker's memory as cache")
    args = parser.parse_args(argv)

    bench = Bench(args)
    try:
        bench.configure()
        database = "PostgreSQL" if args.database_url else "SQLite"
        print(
            f"bench-rs: best of {args.rounds} rounds of {args.requests} requests, {args.concurrency} client threads, {args.workers} gunicorn workers, "
            f"{args.format} introspection, cache in {bench.cache_label}, {database}, "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        measured = bench.throughput()
        warm, warm_latency, warm_failures, warm_calls = measured[60]
        cold, cold_latency, cold_failures, cold_calls = measured[0]
        print(
            f"  warm cache (OIDC_RS_CACHE_TTL=60): {warm:8.1f} req/s, median {warm_latency:6.2f} ms, "
            f"{warm_calls:.3f} introspections per request, {_failures(warm_failures)}"
        )
        print(
            f"  no cache   (OIDC_RS_CACHE_TTL=0):  {cold:8.1f} req/s, median {cold_latency:6.2f} ms, "
            f"{cold_calls:.3f} introspections per request, {_failures(cold_failures)}"
        )
        print(f"  ratio warm / no cache: {warm / cold:.1f}x")
        for teams in (0, 10, 100):
            cached = bench.queries_per_request(60, teams)
            uncached = bench.queries_per_request(0, teams)
            print(f"  SQL queries per request with {teams:3d} teams: {cached} (warm cache), {uncached} (no cache)")
        warm_ms, cold_ms = bench.in_process_cost(60), bench.in_process_cost(0)
        print(
            f"  in-process users/me: {warm_ms:.2f} ms (warm cache), {cold_ms:.2f} ms (no cache), "
            f"ratio {cold_ms / warm_ms:.1f}x"
        )
        stack_us, view_us = bench.jwks_cost()
        print(f"  JWKS in-process: {stack_us:.0f} us per request through Django, {view_us:.0f} us in the view")
        return 1 if warm_failures or cold_failures else 0
    finally:
        bench.close()


if __name__ == "__main__":
    raise SystemExit(main())
