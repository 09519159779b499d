"""Browser sign-in and sign-out through the OpenID provider (authorization code flow, PKCE).

- `authenticate/` starts a sign-in: state, nonce and PKCE verifier are kept in the session,
  keyed by state (parallel tabs work), with the validated `next` URL and the silent flag. With
  the development sign-in on and no provider configured, it sends to `/dev/login/` instead.
- `callback/` finishes it: unknown state → 400; provider error → failure page (or, for a
  silent attempt answered `login_required`, back to the success URL without signing in).
- `logout/` starts RP-initiated logout at the provider when possible; the Django session is
  kept until `logout-callback/` comes back with the state we sent.
- `backchannel-logout/` lets the provider end our sessions (OpenID Connect Back-Channel
  Logout): by its session id (`sid`) or, failing that, every session of the subject.
- `login-failure/` explains a refused sign-in.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from mozilla_django_oidc.utils import (
    absolutify,
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    get_next_url,
)

from people.core.errors import DomainError
from people.identity.auth import sessions, tokens
from people.identity.auth.backends import TOKENS_ATTRIBUTE
from people.identity.auth.errors import ACCESS_DENIED, INVALID_STATE, LOGIN_FAILED, MESSAGES
from people.identity.auth.matching import user_match
from people.oidc import provider
from people.oidc.errors import OIDCError, ProviderUnavailable

logger = logging.getLogger("people.identity.auth")

STATES_KEY = "oidc_states"
ERROR_KEY = "oidc_login_error"
ID_TOKEN_KEY = "oidc_id_token"
LOGOUT_STATE_KEY = "oidc_logout_state"
# Provider answers to `prompt=none` meaning "the user must interact": a silent attempt ends quietly.
SILENT_ERRORS = {"login_required", "consent_required", "interaction_required", "account_selection_required"}
TEMPLATE = "identity/auth/login_failure.html"


class JsonMethodNotAllowedMixin:
    """A method not offered answers 405 JSON, like the rest of the API."""

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = JsonResponse({"detail": _('Method "%(method)s" not allowed.') % {"method": request.method}}, status=405)
        response["Allow"] = ", ".join(method.upper() for method in self._allowed_methods())
        return response


def login_failure(request: HttpRequest, *, code: str, message: str | None = None) -> HttpResponse:
    """Redirect to the failure URL with `?error=<code>`; our page shows the message (by default
    the code's own, see `MESSAGES`)."""
    request.session[ERROR_KEY] = {"code": code, "message": str(message or MESSAGES[code])}
    url = resolve_url(settings.LOGIN_REDIRECT_URL_FAILURE)
    separator = "&" if "?" in url else "?"
    return HttpResponseRedirect(f"{url}{separator}{urlencode({'error': code})}")


class AuthenticateView(JsonMethodNotAllowedMixin, OIDCAuthenticationRequestView):
    http_method_names = ["get"]

    def __init__(self, **kwargs: Any) -> None:
        # The parent reads the endpoint here; ours may come from discovery, read per request.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if settings.PEOPLE_DEV_LOGIN and not provider.configured():
            return self.dev_sign_in(request)
        try:
            endpoint = provider.endpoints().authorization_endpoint
        except ProviderUnavailable as error:
            logger.warning("sign-in cannot start: %s", error)
            endpoint = None
        if not endpoint:
            return login_failure(request, code=ProviderUnavailable.code)

        state = get_random_string(32)
        params: dict[str, str] = dict(self.get_extra_params(request))
        params.update(
            response_type="code",
            scope=settings.OIDC_RP_SCOPES,
            client_id=settings.OIDC_RP_CLIENT_ID,
            redirect_uri=absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
            state=state,
            nonce=get_random_string(32),
        )
        silent = request.GET.get("silent") == "true"
        if silent:
            params["prompt"] = "none"
        code_verifier = None
        if settings.OIDC_USE_PKCE:
            code_verifier = get_random_string(64)
            params["code_challenge"] = generate_code_challenge(code_verifier, "S256")
            params["code_challenge_method"] = "S256"
        add_state_and_verifier_and_nonce_to_session(request, state, params, code_verifier)
        entry = request.session[STATES_KEY][state]
        entry["silent"] = silent
        entry["next"] = get_next_url(request, "next")
        request.session.modified = True
        return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")

    def dev_sign_in(self, request: HttpRequest) -> HttpResponse:
        """Without a provider, the development sign-in stands in for it (embedded mode), so that
        any client's sign-in link works. `next` is checked as for the provider; a silent attempt
        goes back at once, as when a provider answers `login_required`."""
        next_url = get_next_url(request, "next")
        if request.GET.get("silent") == "true":
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return HttpResponseRedirect(f"{reverse('dev-login')}{query}")

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        return {str(key): str(value) for key, value in settings.OIDC_AUTH_REQUEST_EXTRA_PARAMS.items()}


class CallbackView(JsonMethodNotAllowedMixin, OIDCAuthenticationCallbackView):
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        states = request.session.get(STATES_KEY)
        entry = states.get(state) if isinstance(states, dict) and state else None

        if "error" in request.GET:
            if entry is not None:
                del states[state]
                request.session.modified = True
            error = request.GET.get("error", "")
            if entry is not None and entry.get("silent") and error in SILENT_ERRORS:
                return HttpResponseRedirect(entry.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
            logger.info("sign-in refused by the provider: %s", error[:100])
            if request.user.is_authenticated:
                auth.logout(request)
            return login_failure(request, code=ACCESS_DENIED)

        if entry is None:
            logger.warning("sign-in callback with an unknown state")
            return render(
                request, TEMPLATE, {"message": MESSAGES[INVALID_STATE], "retry_url": reverse("oidc_authentication_init")},
                status=400,
            )
        if not request.GET.get("code"):
            return login_failure(request, code=LOGIN_FAILED)

        # One use per state: forget it before the (slow) exchange, and reload the session after
        # it so that parallel tabs' changes are not overwritten (as the parent view does).
        del states[state]
        request.session.save()
        request.session = request.session.__class__(request.session.session_key)
        try:
            user = auth.authenticate(
                request=request,
                oidc_callback=True,
                nonce=entry.get("nonce"),
                code_verifier=entry.get("code_verifier"),
            )
        except DomainError as error:
            logger.info("sign-in refused: %s", error.code)
            return login_failure(request, code=error.code, message=error.detail)
        except OIDCError as error:
            logger.warning("sign-in failed (%s): %s", error.code, error.reason)
            return login_failure(request, code=error.code, message=error.message)
        if user is None or not user.is_active:
            return login_failure(request, code=LOGIN_FAILED)

        auth.login(request, user)
        issued = getattr(request, TOKENS_ATTRIBUTE, {})
        if settings.OIDC_STORE_ID_TOKEN and issued.get("id_token"):
            request.session[ID_TOKEN_KEY] = issued["id_token"]
        request.session.pop(ERROR_KEY, None)
        if request.session.session_key is None:
            request.session.save()
        sessions.remember(session_key=request.session.session_key, user_pk=user.pk, sid=issued.get("sid"))
        return HttpResponseRedirect(entry.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))


class LoginFailureView(JsonMethodNotAllowedMixin, View):
    """The message of the last refused sign-in of this browser, else the one of `?error=`."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        stored = request.session.pop(ERROR_KEY, None)
        if isinstance(stored, dict) and stored.get("message"):
            message = stored["message"]
        else:
            message = MESSAGES.get(request.GET.get("error", ""), MESSAGES[LOGIN_FAILED])
        return render(request, TEMPLATE, {"message": message, "retry_url": reverse("oidc_authentication_init")})


def _local_logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))


class LogoutView(JsonMethodNotAllowedMixin, View):
    """Sign out at the provider too when we can; otherwise end the local session at once."""

    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        id_token = request.session.get(ID_TOKEN_KEY)
        try:
            endpoint = provider.endpoints().end_session_endpoint
        except ProviderUnavailable as error:
            logger.warning("provider logout unavailable: %s", error)
            endpoint = None
        if not request.user.is_authenticated or not id_token or not endpoint:
            return _local_logout(request)
        state = secrets.token_urlsafe(32)
        request.session[LOGOUT_STATE_KEY] = state
        params = {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": absolutify(request, reverse("oidc_logout_callback")),
            "state": state,
        }
        return HttpResponseRedirect(f"{endpoint}?{urlencode(params)}")

    def post(self, request: HttpRequest) -> HttpResponse:
        return self.get(request)


class LogoutCallbackView(JsonMethodNotAllowedMixin, View):
    """The provider is done: end the session if the state is the one we sent (used once)."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state")
        if not request.user.is_authenticated or not state:
            return _local_logout(request)
        expected = request.session.get(LOGOUT_STATE_KEY)
        if not isinstance(expected, str) or not secrets.compare_digest(expected.encode(), state.encode()):
            logger.warning("logout callback with a wrong state: session kept")
            return render(
                request,
                TEMPLATE,
                {
                    "title": _("Sign-out refused"),
                    "message": _("This sign-out request is unknown or has expired: you are still signed in."),
                },
                status=400,
            )
        return _local_logout(request)


def _backchannel_error(description: str) -> JsonResponse:
    response = JsonResponse({"error": "invalid_request", "error_description": description}, status=400)
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(csrf_exempt, name="dispatch")
class BackchannelLogoutView(JsonMethodNotAllowedMixin, View):
    """The provider ends our sessions server to server. A `jti` is accepted once."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        token = request.POST.get("logout_token")
        if not token or len(token) > 20000:
            return _backchannel_error("logout_token is missing")
        try:
            claims = tokens.verify_logout_token(token)
        except OIDCError as error:
            logger.warning("back-channel logout refused: %s", error.reason)
            return _backchannel_error(str(error.reason or error.message))
        ttl = max(int(claims.get("exp", 0) - claims["iat"]), 0) + settings.OIDC_CLOCK_SKEW + 600
        if not cache.add(f"oidc:bcl:jti:{claims['jti']}", 1, ttl):
            return _backchannel_error("logout token already used")
        sid = claims.get("sid")
        user = None if sid else user_match(sub=claims.get("sub"), email=None)
        keys = sessions.session_keys(sid=sid, user_pk=user.pk if user else None)
        ended = sessions.end(keys, sid=sid, user_pk=user.pk if user else None)
        logger.info("back-channel logout ended %d session(s)", ended)
        response = HttpResponse(status=204)
        response["Cache-Control"] = "no-store"
        return response
