"""Health checks for load balancers and monitoring."""

import logging

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("people.health")


@never_cache
@require_GET
def lbheartbeat(request):
    """The process answers: no dependency is checked."""
    return HttpResponse(status=200)


@never_cache
@require_GET
def heartbeat(request):
    """The process answers and its database accepts queries."""
    checks = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - reported, not raised
        logger.error("heartbeat: database check failed", extra={"error": str(error)})
        checks["database"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
