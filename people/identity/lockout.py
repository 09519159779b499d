"""How django-axes counts and reports repeated password failures (settings in config/security.py).

Failures are counted per e-mail address as the password backend matches it (case-insensitive)
and per client address, taken from the proxy's header when one is configured: otherwise every
request would seem to come from the proxy and one bad typist would lock everyone out.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.signals import user_locked_out
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil

from people.identity.models import normalize_email

logger = logging.getLogger("people.identity.lockout")

TEMPLATE = "identity/lockout.html"


def client_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The e-mail address as the password backend compares it, so that `Admin@x` and `admin@x`
    count as one account."""
    value = (credentials or {}).get("username")
    if value is None and credentials is None:
        value = request.POST.get("username")
    return normalize_email(value) if isinstance(value, str) and value else None


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from PEOPLE_CLIENT_IP_HEADER when People is behind a proxy (the
    entry PEOPLE_CLIENT_IP_PROXIES places from the right, the ones before it being the client's
    own claims), else the connection's. A missing or malformed header falls back to the
    connection's address, which is the proxy's: such requests share one count."""
    remote = request.META.get("REMOTE_ADDR")
    header = settings.CLIENT_IP_HEADER
    if not header:
        return remote
    entries = [entry.strip() for entry in request.META.get(header, "").split(",") if entry.strip()]
    if len(entries) < settings.CLIENT_IP_PROXIES:
        return remote
    candidate = entries[-settings.CLIENT_IP_PROXIES]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning("client address header is malformed", extra={"header": header, "value": candidate[:100]})
        return remote


def lockout_response(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """A page that says why and how long to wait, with the same wait in `Retry-After`.

    Each attempt made while locked out counts as a failure and starts the wait again."""
    cool_off = get_cool_off(request)
    context = {"failure_limit": get_failure_limit(request, credentials)}
    if cool_off:
        now = timezone.now()
        context.update(wait=timeuntil(now + cool_off, now), retry_at=now + cool_off)
    response = render(request, TEMPLATE, context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


@receiver(user_locked_out, dispatch_uid="people_lockout_log")
def log_lockout(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    cool_off = get_cool_off(request)
    logger.warning(
        "password sign-in locked out after repeated failures",
        extra={
            "username": username,
            "ip_address": ip_address,
            "failure_limit": get_failure_limit(request, None),
            "cooloff_seconds": int(cool_off.total_seconds()) if cool_off else None,
            "path": request.path,
        },
    )
