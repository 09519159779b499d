"""DRF authentication for the suite's services: `Authorization: Bearer <access token>`.

Only views opened to services (`ResourceServerViewMixin`) accept these tokens; used anywhere
else, the class refuses the token rather than authenticate it, so that adding it to a view by
mistake cannot open that view to every service.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import IntegrityError
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from people.core import audit
from people.core.models import Audience
from people.identity.models import ServiceProvider
from people.resource_server.errors import InvalidToken, ProviderUnavailable
from people.resource_server.introspection import authenticate_token

logger = logging.getLogger("people.resource_server")

INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"'
CHALLENGE = 'Bearer realm="resource-server"'


@dataclass(frozen=True)
class ServiceCredentials:
    """What `request.auth` holds for a service call: who calls, with which scopes."""

    audience: str
    scopes: frozenset[str]
    service_provider: ServiceProvider


class TokenRefused(exceptions.AuthenticationFailed):
    def __init__(self, code: str = "invalid_token", detail: str = "Login failed"):
        super().__init__(detail={"detail": detail, "code": code})


class IdentityProviderUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE

    def __init__(self):
        super().__init__(
            detail={
                "detail": "The identity provider cannot check the token right now; retry later.",
                "code": "identity_provider_unavailable",
            }
        )


def is_open_to_services(view: object) -> bool:
    return bool(getattr(view, "open_to_services", False))


def service_provider_for(audience: str) -> ServiceProvider:
    """The calling service's row, created (attached to nothing) the first time it calls."""
    try:
        provider, _created = ServiceProvider.objects.get_or_create(
            audience_id=audience, defaults={"name": audience}
        )
    except IntegrityError:  # a concurrent first call created it
        provider = ServiceProvider.objects.get(audience_id=audience)
    return provider


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"
    schema_error_statuses = (503,)  # IdentityProviderUnavailable

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        request._rs_token_refused = True
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if not is_open_to_services(view):
            raise TokenRefused()
        if len(parts) != 2:
            raise TokenRefused()
        try:
            token = parts[1].decode("ascii")
            introspected = authenticate_token(token)
        except UnicodeDecodeError as error:
            raise TokenRefused() from error
        except InvalidToken as error:
            detail = "Login failed: No user found for the given access token." if error.code == "unknown_user" else "Login failed"
            raise TokenRefused(code=error.code, detail=detail) from error
        except ProviderUnavailable as error:
            raise IdentityProviderUnavailable() from error
        request._rs_token_refused = False
        provider = service_provider_for(introspected.audience)
        audit.set_context(Audience.SERVICE, service=introspected.audience)
        credentials = ServiceCredentials(
            audience=introspected.audience, scopes=introspected.scopes, service_provider=provider
        )
        return introspected.user, credentials

    def authenticate_header(self, request):
        if getattr(request, "_rs_token_refused", False):
            return INVALID_TOKEN_CHALLENGE
        return CHALLENGE
