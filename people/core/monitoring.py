"""What operators watch: Prometheus metrics, and the outbox figures the heartbeat shares.

The metrics are plain `prometheus_client` objects rather than an exporter that wraps the
database and cache backends: their per-query counters would cost every request and say less
than the labels chosen here (route name, method, status class).

Several Gunicorn workers each count in their own memory. With `PROMETHEUS_MULTIPROC_DIR` naming
a directory the workers of one instance share, each writes its counts there and a scrape, which
one worker answers, sums them (prometheus_client's multiprocess mode; `config/gunicorn.py` sets
the directory up). The variable must be set before the process imports prometheus_client.

The outbox is not counted by processes: its depth and ages are read from the database when
scraped, in one query on the pending rows (index `outbox_due_idx`: status, next_attempt_at),
so every instance reports the same figures.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from people.core.models import OutboxMessage, OutboxStatus

logger = logging.getLogger("people.monitoring")

# Methods outside this set share one label value, so that a client cannot grow the series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_VIEW = "unmatched"

REQUEST_LATENCY = Histogram(
    "people_http_request_duration_seconds",
    "Time to answer a request, from the first middleware to the last, by route name, method and status class.",
    ["view", "method", "status"],
)
INTROSPECTION_CACHE = Counter(
    "people_introspection_cache",
    "Bearer tokens looked up in the introspection cache, by result (hit: the provider was not asked).",
    ["result"],
)
PROVIDER_LATENCY = Histogram(
    "people_oidc_provider_request_duration_seconds",
    "Time of a call to the OpenID provider, by endpoint kind and outcome (ok, refused: 4xx, unavailable).",
    ["endpoint", "outcome"],
)


class RequestMetricsMiddleware:
    """First in MIDDLEWARE, so that the time of every other middleware is counted too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        REQUEST_LATENCY.labels(
            view=match.view_name if match else UNMATCHED_VIEW,
            method=request.method if request.method in KNOWN_METHODS else "other",
            status=f"{response.status_code // 100}xx",
        ).observe(time.perf_counter() - started)
        return response


# --- Outbox figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxState:
    pending_by_kind: dict[str, int]
    oldest_pending_created_at: datetime | None
    # The earliest next attempt among pending rows: in the past, the time a row has been due.
    earliest_attempt_at: datetime | None

    @property
    def pending(self) -> int:
        return sum(self.pending_by_kind.values())

    def oldest_pending_age(self, now: datetime) -> float:
        """Seconds the oldest undelivered row has waited since it was written (backoff included)."""
        return _seconds_since(self.oldest_pending_created_at, now)

    def lag(self, now: datetime) -> float:
        """Seconds the oldest due row has waited for a worker: 0 while the workers keep up."""
        return _seconds_since(self.earliest_attempt_at, now)


def _seconds_since(moment: datetime | None, now: datetime) -> float:
    return max((now - moment).total_seconds(), 0.0) if moment else 0.0


def outbox_state() -> OutboxState:
    """Depth and ages of the pending outbox in one query. Delivered and failed rows, the bulk of
    the table, are left out by the index on (status, next_attempt_at)."""
    rows = (
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"), created=Min("created_at"), attempt=Min("next_attempt_at"))
    )
    by_kind: dict[str, int] = {}
    created: list[datetime] = []
    attempts: list[datetime] = []
    for row in rows:
        by_kind[row["kind"]] = row["count"]
        created.append(row["created"])
        attempts.append(row["attempt"])
    return OutboxState(
        pending_by_kind=by_kind,
        oldest_pending_created_at=min(created, default=None),
        earliest_attempt_at=min(attempts, default=None),
    )


class OutboxCollector:
    """Gauges computed at scrape time from the database (not per process)."""

    def collect(self) -> Iterator[Metric]:
        state, now = outbox_state(), timezone.now()
        depth = GaugeMetricFamily("people_outbox_pending", "Outbox rows waiting for delivery, by kind.", labels=["kind"])
        for kind, count in sorted(state.pending_by_kind.items()):
            depth.add_metric([kind], count)
        yield depth
        yield GaugeMetricFamily(
            "people_outbox_oldest_pending_age_seconds",
            "Age of the oldest undelivered outbox row (0 when none is pending).",
            value=state.oldest_pending_age(now),
        )
        yield GaugeMetricFamily(
            "people_outbox_lag_seconds",
            "How long the oldest due outbox row has waited for a worker (0 when none is due).",
            value=state.lag(now),
        )


# --- The scrape -----------------------------------------------------------------------------


def scrape_refusal(request: HttpRequest) -> int | None:
    """None when `request` may read the metrics, else the status to answer: 404 when no access
    is configured (the endpoint does not exist), 403 when this caller is neither allowed by its
    bearer token nor by its address."""
    token: str | None = settings.PEOPLE_METRICS_TOKEN
    networks = settings.PEOPLE_METRICS_ALLOWED_IPS
    if not token and not networks:
        return 404
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return None
    # The connection's address, not a forwarded header: Prometheus scrapes each instance
    # directly, and a header is whatever the client wrote when no proxy stands in between.
    address = _address(request.META.get("REMOTE_ADDR", ""))
    if address is not None and any(address in network for network in networks):
        return None
    logger.warning(
        "metrics scrape refused",
        extra={"event": "metrics_refused", "remote_addr": request.META.get("REMOTE_ADDR", ""),
               "token_sent": bool(given) and scheme.lower() == "bearer"},
    )
    return 403


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def exposition() -> tuple[bytes, str]:
    """The text a scrape answers and its content type: the process's (or, in multiprocess
    mode, every worker's) metrics, then the outbox gauges."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=directory)
    else:
        registry = REGISTRY
    return generate_latest(registry) + generate_latest(OutboxCollector()), CONTENT_TYPE_LATEST
