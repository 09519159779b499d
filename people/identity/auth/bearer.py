"""`Authorization: Bearer <access token>` on the client API, for first-party tools.

The token is one the provider issued; it is checked by calling the provider's userinfo endpoint
with it (JSON or JWT answers, as at sign-in), and the account comes from the same rules as a
sign-in (`user_from_claims`: matched, refreshed, or created on first use). The verdict is
cached for `OIDC_BEARER_CACHE_TTL` seconds under a hash of the token (never the token itself),
so that a burst of calls costs one userinfo request; a disabled account is refused at once.

A token that cannot be verified leaves the request anonymous (logged, no user): routes that need
a user answer 401 as for any anonymous call, public routes (`config/`, the schema) still answer,
and a token meant for another audience (a service's, on the resource server) is simply ignored.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework import authentication, exceptions

from people.core import audit
from people.core.errors import DomainError
from people.core.models import Audience
from people.identity.auth import provider, tokens
from people.identity.auth.errors import LoginFailed
from people.identity.auth.users import user_from_claims
from people.identity.models import User

logger = logging.getLogger("people.identity.auth")

CACHE_KEY = "oidc:bearer:v1:{digest}"
MAX_TOKEN_LENGTH = 8192


class UserinfoBearerAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[User, str] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != b"bearer":
            return None
        if len(header) != 2 or len(header[1]) > MAX_TOKEN_LENGTH:
            return None
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            return None
        try:
            user = self._user_for(token)
        except exceptions.AuthenticationFailed:
            return None
        audit.set_context(Audience.USER)
        return user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api"'

    def _user_for(self, token: str) -> User:
        key = CACHE_KEY.format(digest=hashlib.sha256(token.encode()).hexdigest())
        user_id = cache.get(key)
        if user_id is not None:
            user = User.objects.filter(pk=user_id, is_active=True).select_related("organization").first()
            if user is None:
                raise exceptions.AuthenticationFailed("Login failed")
            return user
        try:
            endpoint = provider.endpoints().userinfo_endpoint
            if not endpoint:
                raise LoginFailed("no userinfo endpoint configured")
            response = provider.http_get(
                endpoint, accept="application/json, application/jwt", headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code in (401, 403):
                raise LoginFailed(f"userinfo refused the token ({response.status_code})")
            claims = tokens.decode_userinfo(response, subject=None)
            user = user_from_claims(claims=claims)
        except provider.ProviderUnavailable as error:
            logger.warning("bearer check impossible: %s", error)
            raise exceptions.AuthenticationFailed("Login failed") from error
        except (LoginFailed, DomainError) as error:
            logger.info("bearer token refused: %s", getattr(error, "code", ""))
            raise exceptions.AuthenticationFailed("Login failed") from error
        if settings.OIDC_BEARER_CACHE_TTL:
            cache.set(key, str(user.pk), settings.OIDC_BEARER_CACHE_TTL)
        return user
