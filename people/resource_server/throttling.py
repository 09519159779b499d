"""Rate limit of the resource-server API: per calling service and per user, together.

One service cannot exhaust a user's allowance at another service, and one user cannot exhaust
a service's. The rate is `THROTTLE_SERVICE_RATE`, read at each request (None disables it). The
counters live in the default cache, which must be shared by every worker (Redis in production)
for the limit to hold across processes.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from people.resource_server.authentication import ServiceCredentials


class ServiceUserRateThrottle(SimpleRateThrottle):
    scope = "resource_server"

    def get_rate(self) -> str | None:
        return getattr(settings, "THROTTLE_SERVICE_RATE", None)

    def get_cache_key(self, request, view) -> str | None:
        credentials = request.auth
        if not isinstance(credentials, ServiceCredentials) or not request.user.is_authenticated:
            return None  # refused before throttling anyway (401)
        # The audience comes from the provider: hashed, so that any value makes a valid cache key.
        audience = hashlib.sha256(credentials.audience.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": f"{audience}:{request.user.pk}"}
