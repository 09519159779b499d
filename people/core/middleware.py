import zoneinfo
from contextlib import nullcontext

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

from people.core import audit
from people.core.models import Audience

# Under these prefixes every answer is JSON, errors included: clients parse what they get.
JSON_PREFIXES = ("/api/", "/resource-server/", "/scim/")
# Headers of an error answer that still hold once its body is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "Cache-Control", "Content-Language", "Vary")


# Callers of these answer in English when they send no language signal (as before pages existed).
ENGLISH_BY_DEFAULT_PREFIXES = ("/api/", "/resource-server/", "/scim/")
ENGLISH = "en-us"


def _supported(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def request_language(request: HttpRequest, *, with_user: bool = True) -> str:
    """The language of an answer: the signed-in user's `language`, else the one chosen with the
    switch (cookie), else the browser's (Accept-Language), else French for pages and English
    for the API. Without `with_user`, the user is left out (see `use_user_language`)."""
    user = getattr(request, "user", None) if with_user else None
    if user is not None and user.is_authenticated and (found := _supported(getattr(user, "language", None))):
        return found
    if found := _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)):
        return found
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code != "*" and (found := _supported(code)):
            return found
    if request.path_info.startswith(ENGLISH_BY_DEFAULT_PREFIXES):
        return ENGLISH
    return settings.LANGUAGE_CODE


def _user_time_zone(user) -> zoneinfo.ZoneInfo | None:
    if user is None or not user.is_authenticated or not getattr(user, "timezone", None):
        return None
    try:
        return zoneinfo.ZoneInfo(user.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def use_user_language(request: HttpRequest, user) -> None:
    """Answer in `user`'s language from now on, if they chose a supported one: the API's
    authentication calls this once it knows the caller."""
    if found := _supported(getattr(user, "language", None)):
        translation.activate(found)
        request.LANGUAGE_CODE = found


class LanguageMiddleware:
    """Answer each request in its language (`request_language`), restoring the previous one
    afterwards so that nothing leaks to the next request served by the thread.

    Pages read the signed-in user here. The API does not: reading the session's user would cost
    a query on routes that need no user (`jwks`, `config/`), so its authentication applies the
    caller's language when it has found them (`use_user_language`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        api = request.path_info.startswith(ENGLISH_BY_DEFAULT_PREFIXES)
        language = request_language(request, with_user=not api)
        # Pages also show dates and times in the signed-in user's time zone (the API: UTC).
        zone = None if api else _user_time_zone(getattr(request, "user", None))
        with translation.override(language), timezone.override(zone) if zone else nullcontext():
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            answered_in = translation.get_language()
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", answered_in)
        return response


class AuditContextMiddleware:
    """Give each request its own audit context (reset afterwards); the admin acts as operator."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        audience = Audience.OPERATOR if request.path.startswith("/admin/") else Audience.USER
        with audit.acting_as(audience):
            return self.get_response(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: under the API prefixes a JSON 403 (a plain view such as `logout/`
    refused a request without its CSRF token), elsewhere Django's own page."""
    if not request.path_info.startswith(JSON_PREFIXES):
        from people.core.web.errors import error_page  # the pages need this module first

        message = _("This form has expired (or your browser refused its cookie). Go back, reload the page and try again.")
        return error_page(request, 403, message=message)
    detail = _("CSRF failed: %(reason)s Send the csrftoken cookie's value in the X-CSRFToken header.")
    return JsonResponse({"detail": detail % {"reason": reason}, "code": "csrf_failed"}, status=403)


def _json_error(request: HttpRequest, status: int) -> JsonResponse:
    """Built outside the language middleware (it wraps it): in the language the request was
    answered in, or the signed-in user's where no view ran to apply it (an unrouted path)."""
    language = getattr(request, "LANGUAGE_CODE", None) or ENGLISH
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = _supported(getattr(user, "language", None)) or language
    with translation.override(language):
        if status == 404:
            body = {"detail": _("Not found."), "code": "not_found"}
        elif status == 405:
            body = {"detail": _('Method "%(method)s" not allowed.') % {"method": request.method}, "code": "method_not_allowed"}
        else:
            body = {"detail": _("A server error occurred: it has been logged. Try again later."), "code": "server_error"}
    return JsonResponse(body, status=status)


class JsonApiErrorsMiddleware:
    """Turn the HTML error pages Django answers under the API prefixes into JSON bodies.

    Unrouted paths (404), methods a plain Django view does not offer (405) and unhandled
    exceptions (500, after Django has logged them with their traceback on `django.request`)
    produce HTML whatever DEBUG says; API clients get `{"detail", "code"}` instead. Answers
    that are JSON already, and every page outside the prefixes, pass unchanged. It sits outside
    CommonMiddleware, so that a missing trailing slash still gets its redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status not in (404, 405) and status < 500:
            return response
        if not request.path_info.startswith(JSON_PREFIXES) or "json" in response.get("Content-Type", ""):
            return response
        # Outside the language middleware: answer in the request's language all the same.
        with translation.override(getattr(request, "LANGUAGE_CODE", None) or request_language(request)):
            replaced = _json_error(request, status)
        for header in KEPT_HEADERS:
            if header in response:
                replaced[header] = response[header]
        # Django logged the error with its traceback already: once is enough.
        replaced._has_been_logged = getattr(response, "_has_been_logged", False)
        return replaced


# API answers that are the same for everyone and may be cached: the frontend's configuration,
# our public keys, the API documentation.
PUBLIC_API_VIEWS = frozenset({"config", "jwks", "resource-server-jwks", "schema", "swagger"})


class PrivateApiCacheMiddleware:
    """Every other API answer is about its caller (their account, teams, contacts) or says
    whether they are signed in: no browser or shared cache may keep it (`Cache-Control: no-store`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(JSON_PREFIXES):
            match = request.resolver_match
            if match is None or match.url_name not in PUBLIC_API_VIEWS:
                patch_cache_control(response, no_store=True)
        return response
