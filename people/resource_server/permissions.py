"""The allow-list of views a service token may call.

A view is open to services only if it says so by using `ResourceServerViewMixin`: it must then
filter what it returns by the calling service (`request.auth.service_provider`). Everything
else (the client API, session-only views) never authenticates a service token.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from people.resource_server.authentication import BearerTokenAuthentication, ServiceCredentials
from people.resource_server.schema import ResourceServerSchema
from people.resource_server.throttling import ServiceUserRateThrottle


class IsServiceCall(BasePermission):
    """An active user authenticated through a service's bearer token."""

    authentication_only = True  # refuses only what authentication refused: a 401, never a 403

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and isinstance(request.auth, ServiceCredentials)
        )


class ResourceServerViewMixin:
    """Opens a DRF view to services' bearer tokens, and to nothing else (no session)."""

    open_to_services = True
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsServiceCall]
    throttle_classes = [ServiceUserRateThrottle]  # per service and user: THROTTLE_SERVICE_RATE
    schema = ResourceServerSchema()

    @property
    def service_provider(self):
        return self.request.auth.service_provider
