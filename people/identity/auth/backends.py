"""The OpenID Connect authentication backend: mozilla-django-oidc's flow, with our provider
resolution (settings or discovery) and token checks (`tokens`). Which account the verified
claims stand for joins identity with teams and contacts, so it is decided above the apps: the
class configured in AUTHENTICATION_BACKENDS is `people.portal.signin`'s, which fills in
`account_for`.

Only the callback view calls it (`oidc_callback=True`); any other `authenticate()` call, such as
a password sign-in, passes it by. Failures raise `people.oidc` errors or a domain error, which the
callback view turns into the login-failure page; Django's `authenticate()` lets them through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend as MozillaOIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from people.core.prepared import PreparedGet
from people.identity.auth import tokens
from people.identity.models import User
from people.oidc import http, provider
from people.oidc.errors import ProviderUnavailable, UnusableAnswer

logger = logging.getLogger("people.identity.auth")

# Where the backend leaves the tokens for the callback view, which stores them in the session
# once the user is logged in (logging in may flush the session).
TOKENS_ATTRIBUTE = "_oidc_tokens"


# Facts about the signed-in user that the apps above identity read at every request (a role on
# a mail domain...), as annotations of the session user's own query: name -> a function giving
# the expression, registered by those apps when they are ready (`annotate_session_user`).
_SESSION_USER_ANNOTATIONS: dict[str, Callable[[], Any]] = {}


def annotate_session_user(name: str, expression: Callable[[], Any]) -> None:
    """Read `expression()` (on the user's row: `OuterRef("pk")`) with the session's user, as
    the attribute `name`. Registered before the first request, when the registering app is ready."""
    _SESSION_USER_ANNOTATIONS[name] = expression


def _session_user_query(pk: Any) -> Any:
    annotations = {name: expression() for name, expression in _SESSION_USER_ANNOTATIONS.items()}
    return User.objects.select_related("organization").filter(pk=pk, is_active=True).annotate(**annotations)


_SESSION_USER = PreparedGet(_session_user_query, pk=User._meta.pk)


def session_user(user_id: Any) -> User | None:
    """The user of a session, read at every request: with their organization in the same query
    (every page and `users/me/` show it) and the registered facts (`annotate_session_user`),
    compiled once (see PreparedGet). A disabled account loses its sessions at once."""
    try:
        return _SESSION_USER.get(pk=user_id)  # None: gone or disabled
    except (ValidationError, ValueError):  # a malformed id
        return None


class PasswordBackend(ModelBackend):
    """Django's password sign-in (admin, development sign-in), with the session's user read as
    `session_user` reads it."""

    def get_user(self, user_id: Any) -> User | None:
        return session_user(user_id)


class OIDCAuthenticationBackend(MozillaOIDCAuthenticationBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Settings and endpoints are read at each use (discovery, settings overridden in tests)
        # rather than frozen here as the parent does.
        self.UserModel = get_user_model()

    def authenticate(
        self,
        request: Any,
        oidc_callback: bool = False,
        nonce: str | None = None,
        code_verifier: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not oidc_callback or request is None:
            return None
        self.request = request
        code = request.GET.get("code")
        payload = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        token_info = self.get_token(payload)
        id_token = token_info.get("id_token")
        access_token = token_info.get("access_token")
        if not isinstance(id_token, str) or not isinstance(access_token, str):
            raise ProviderUnavailable("the token answer lacks an ID token or an access token")
        id_claims = self.verify_token(id_token, nonce=nonce)
        user = self.get_or_create_user(access_token, id_token, id_claims)
        self.store_tokens(access_token, id_token)
        getattr(request, TOKENS_ATTRIBUTE)["sid"] = id_claims.get("sid")
        return user

    def get_token(self, payload: dict[str, Any]) -> dict[str, Any]:
        endpoint = self._endpoints().token_endpoint
        if not endpoint:
            raise ProviderUnavailable("no token endpoint configured")
        auth = None
        if settings.OIDC_TOKEN_USE_BASIC_AUTH:
            auth = (payload["client_id"], payload.pop("client_secret") or "")
        answer = http.call("POST", endpoint, endpoint_kind="token", what="token endpoint", data=payload, auth=auth)
        try:
            return http.json_object(answer.body, what="token answer")
        except UnusableAnswer as error:
            raise ProviderUnavailable(error.reason) from None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        return tokens.verify_id_token(token, nonce=kwargs.get("nonce"))

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        endpoint = self._endpoints().userinfo_endpoint
        if not endpoint:
            raise ProviderUnavailable("no userinfo endpoint configured")
        answer = http.call(
            "GET",
            endpoint,
            endpoint_kind="userinfo",
            what="userinfo",
            accept="application/json, application/jwt",
            headers={"Authorization": f"Bearer {access_token}"},
        )
        return tokens.decode_userinfo(answer, subject=payload["sub"])

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        claims = self.get_userinfo(access_token, id_token, payload)
        return self.account_for(claims)

    def account_for(self, claims: dict[str, Any]) -> User:
        raise NotImplementedError("the configured backend decides the account (people.portal.signin)")

    def store_tokens(self, access_token: str, id_token: str) -> None:
        setattr(self.request, TOKENS_ATTRIBUTE, {"id_token": id_token, "access_token": access_token})

    def get_user(self, user_id: Any) -> User | None:
        return session_user(user_id)

    @staticmethod
    def _endpoints() -> provider.Endpoints:
        return provider.endpoints()
