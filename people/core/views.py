"""Health checks for load balancers and monitoring, and the Prometheus scrape."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from people.core import monitoring

logger = logging.getLogger("people.health")

HEARTBEAT_CACHE_KEY = "people:heartbeat"


@never_cache
@require_GET
def lbheartbeat(request):
    """The process answers: no dependency is checked."""
    return HttpResponse(status=200)


@never_cache
@require_GET
def heartbeat(request):
    """The process answers, its database accepts queries and its Redis (when the cache is
    Redis) answers: otherwise 503. The outbox's lag is reported; it makes the answer a 503
    only beyond PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG, when an operator sets it, because a stopped
    worker is no fault of this web instance and a load balancer must not drop it for that."""
    checks = {"database": _check("database", _ping_database)}
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        checks["redis"] = _check("redis", lambda: cache.get(HEARTBEAT_CACHE_KEY))
    body = {"checks": checks, "outbox": None}
    if checks["database"] == "ok":
        try:
            state = monitoring.outbox_state()
        except Exception as error:  # noqa: BLE001 - reported, not raised
            logger.error("heartbeat: outbox check failed", extra={"error": str(error)})
            checks["outbox"] = "error"
        else:
            lag = int(state.lag(timezone.now()))
            limit = settings.PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG
            body["outbox"] = {"pending": state.pending, "lag_seconds": lag, "max_lag_seconds": limit}
            if limit is not None:
                checks["outbox"] = "ok" if lag <= limit else "lagging"
                if lag > limit:
                    logger.error("heartbeat: outbox lagging", extra={"lag_seconds": lag, "max_lag_seconds": limit})
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **body}, status=200 if healthy else 503)


def _ping_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check(name: str, probe) -> str:
    try:
        probe()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        logger.error("heartbeat: %s check failed", name, extra={"error": str(error)})
        return "error"
    return "ok"


@never_cache
@require_GET
def metrics(request):
    """Prometheus text format, for a scraper holding PEOPLE_METRICS_TOKEN or calling from
    PEOPLE_METRICS_ALLOWED_IPS; nobody when neither is configured."""
    refusal = monitoring.scrape_refusal(request)
    if refusal == 404:
        return HttpResponse("Not found.\n", status=404, content_type="text/plain")
    if refusal is not None:
        return HttpResponse(
            "Metrics need the bearer token of PEOPLE_METRICS_TOKEN or an address in PEOPLE_METRICS_ALLOWED_IPS.\n",
            status=refusal,
            content_type="text/plain",
        )
    body, content_type = monitoring.exposition()
    return HttpResponse(body, content_type=content_type)
