"""Error pages of the web interface (400, 403, 404, 500) in the design system.

Under the API prefixes Django's own handlers answer, and `JsonApiErrorsMiddleware` turns them
into JSON as before. No page ever shows a traceback: `ErrorPagesMiddleware` also replaces the
debug pages Django renders with DEBUG on (`make run`, `make dev`); the error is logged as usual.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from people.core.middleware import JSON_PREFIXES
from people.core.web.actions import ServiceRefused
from people.core.web.context_processors import layout

TEMPLATE = "core/web/error.html"


def _texts(status: int) -> tuple[str, str]:
    if status == 400:
        return _("Bad request"), _("The request could not be understood. Go back and try again.")
    if status == 403:
        return _("Access denied"), _("You are not allowed to do this.")
    if status == 404:
        return _("Page not found"), _("The page you are looking for does not exist, or you may not see it. Check the address, or go back to the home page.")
    return _("Unexpected error"), _("Sorry, something went wrong on our side. It has been recorded; try again in a moment.")


def error_page(request: HttpRequest, status: int, *, message: str | None = None) -> HttpResponse:
    """The error page for `status`. A server error's page is made without the database (no
    signed-in user, no query): the error may be the database's."""
    title, default = _texts(status)
    context = {"status": status, "title": title, "message": message or default}
    if status >= 500:
        context.update(layout(request), error_page=True, user=None)
        response = HttpResponse(render_to_string(TEMPLATE, context), status=status)
    else:
        response = render(request, TEMPLATE, context, status=status)
    response.people_error_page = True
    return response


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(JSON_PREFIXES)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return defaults.bad_request(request, exception)
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refusal by a service shows its reason; any other refusal a general message."""
    if _is_api(request):
        return defaults.permission_denied(request, exception)
    return error_page(request, 403, message=str(exception) if isinstance(exception, ServiceRefused) else None)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return defaults.page_not_found(request, exception)
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return defaults.server_error(request)
    return error_page(request, 500)


class ErrorPagesMiddleware:
    """Outside the API, a 404 or 500 answered by Django's debug pages (DEBUG on) becomes the
    design system's page, without traceback. Django has already logged the error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in (404, 500)
            and not getattr(response, "people_error_page", False)
            and not _is_api(request)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            replaced = error_page(request, response.status_code)
            replaced._has_been_logged = getattr(response, "_has_been_logged", False)
            return replaced
        return response
