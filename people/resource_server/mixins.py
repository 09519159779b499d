"""The allow-list of views services may call: a view is open to them only if it says so.

`ResourceServerViewMixin` opens a view to services' bearer tokens: it must then filter what it
returns by the calling service (`self.service_provider`). `AccountServiceViewMixin` opens a view
to trusted services' API keys, for one scope. Everything else (the client API, session-only
views) never authenticates a service's credentials.
"""

from __future__ import annotations

from people.identity.models import ServiceProvider
from people.resource_server.authentication import ApiKeyAuthentication, BearerTokenAuthentication
from people.resource_server.permissions import HasAccountServiceScope, IsServiceCall
from people.resource_server.schema import ResourceServerSchema
from people.resource_server.throttling import ServiceUserRateThrottle


class ResourceServerViewMixin:
    """Opens a DRF view to services' bearer tokens, and to nothing else (no session)."""

    open_to_services = True
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [IsServiceCall]
    throttle_classes = [ServiceUserRateThrottle]  # per service and user: THROTTLE_SERVICE_RATE
    schema = ResourceServerSchema()

    @property
    def service_provider(self) -> ServiceProvider:
        return self.request.auth.service_provider


class AccountServiceViewMixin:
    """Opens a view to trusted services' API keys only (no session, no bearer token)."""

    open_to_account_services = True
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasAccountServiceScope]
    required_scope: str = ""
    schema = ResourceServerSchema()
