"""DRF authentication of the suite's services: bearer access tokens and trusted API keys.

- `Authorization: Bearer <access token>`: a service acting for a signed-in user, checked by
  introspection at the provider. Only views opened to services (`ResourceServerViewMixin`)
  accept these tokens; used anywhere else, the class refuses the token rather than authenticate
  it, so that adding it to a view by mistake cannot open that view to every service.
- `Authorization: ApiKey <key>`: a trusted service acting for users who may not have signed in
  yet (`AccountServiceViewMixin`).

A refused token is a `TokenRefused` carrying its own challenge (RFC 6750 §3: `invalid_token`),
which the API's error handler sends; a request without credentials gets the class's plain
challenge (`authenticate_header`).
"""

from __future__ import annotations

import logging
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from people.core import audit
from people.core.middleware import use_user_language
from people.core.models import Audience
from people.identity.models import ServiceProvider
from people.identity.services import service_provider_get_or_create
from people.oidc.errors import InvalidToken, ProviderUnavailable
from people.resource_server.introspection import authenticate_token
from people.resource_server.selectors import account_service_for_key

logger = logging.getLogger("people.resource_server")

CHALLENGE = 'Bearer realm="resource-server"'
API_KEY_CHALLENGE = 'ApiKey realm="resource-server"'


class ServiceCredentials:
    """What `request.auth` holds for a service call: who calls, with which scopes.

    The calling service's row is read when a view needs it (teams are scoped by it); `users/me/`
    does not. It is created at the service's first call: a token asked of the provider now
    (not read from the introspection cache) has its service's row made at once.
    """

    def __init__(self, *, audience: str, scopes: frozenset[str], service_provider: ServiceProvider | None = None):
        self.audience = audience
        self.scopes = scopes
        if service_provider is not None:
            self.__dict__["service_provider"] = service_provider

    @cached_property
    def service_provider(self) -> ServiceProvider:
        return service_provider_get_or_create(audience=self.audience)


class TokenRefused(exceptions.AuthenticationFailed):
    """A bearer token was presented and refused: 401 with `WWW-Authenticate: <challenge>`."""

    challenge = 'Bearer error="invalid_token"'

    def __init__(self, code: str = "invalid_token", detail: str = "Login failed"):
        super().__init__(detail={"detail": detail, "code": code})


class IdentityProviderUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE

    def __init__(self):
        super().__init__(
            detail={
                "detail": _("The identity provider cannot check the token right now; retry later."),
                "code": "identity_provider_unavailable",
            }
        )


def is_open_to_services(view: object) -> bool:
    return bool(getattr(view, "open_to_services", False))


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"
    schema_error_statuses = (503,)  # IdentityProviderUnavailable

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if not is_open_to_services(view) or len(parts) != 2:
            raise TokenRefused()
        try:
            introspected = authenticate_token(parts[1].decode("ascii"))
        except UnicodeDecodeError as error:
            raise TokenRefused() from error
        except InvalidToken as error:
            detail = "Login failed: No user found for the given access token." if error.code == "unknown_user" else "Login failed"
            raise TokenRefused(code=error.code, detail=detail) from error
        except ProviderUnavailable as error:
            raise IdentityProviderUnavailable() from error
        audit.set_context(Audience.SERVICE, service=introspected.audience)
        use_user_language(request._request, introspected.user)
        credentials = ServiceCredentials(audience=introspected.audience, scopes=introspected.scopes)
        if introspected.fresh:
            credentials.service_provider  # noqa: B018 - made now: the service's first call registers it
        return introspected.user, credentials

    def authenticate_header(self, request):
        return CHALLENGE


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: ApiKey <key>`; `request.auth` is the AccountService, the user anonymous."""

    keyword = b"apikey"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed({"detail": _("Invalid API key."), "code": "invalid_api_key"})
        try:
            account = account_service_for_key(parts[1].decode("ascii"))
        except UnicodeDecodeError:
            account = None
        if account is None:
            raise exceptions.AuthenticationFailed({"detail": _("Invalid API key."), "code": "invalid_api_key"})
        audit.set_context(Audience.SERVICE, service=f"account-service:{account.name}")
        return AnonymousUser(), account

    def authenticate_header(self, request):
        return API_KEY_CHALLENGE
