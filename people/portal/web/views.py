"""Home, sign-in and the language switch."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from mozilla_django_oidc.views import get_next_url

from people.core.web.actions import run_service
from people.core.web.pages import remember_language
from people.identity.services import user_update_preferences
from people.teams.selectors import invitation_list_pending_issued_by, team_list_visible_to

HOME_TEAMS = 10
HOME_INVITATIONS = 10


def _with_next(url: str, next_url: str | None) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _signin_page(request: HttpRequest, next_url: str | None) -> HttpResponse:
    context = {
        "login_url": _with_next(reverse("oidc_authentication_init"), next_url),
        "dev_login_url": _with_next(reverse("dev-login"), next_url) if settings.PEOPLE_DEV_LOGIN else None,
    }
    return render(request, "portal/web/signin.html", context)


@never_cache
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Signed out, the sign-in page; signed in, where the agent stands (organization, teams
    with their role and member count, invitations waiting for their invitee) and shortcuts to
    what their abilities allow. A constant number of queries, whatever the number of teams."""
    if not request.user.is_authenticated:
        return _signin_page(request, None)
    # Teams the agent belongs to (not the ancestors shown to them through a sub-team).
    teams = team_list_visible_to(user=request.user).filter(user_role__isnull=False).prefetch_related(None)
    invitations = invitation_list_pending_issued_by(user=request.user)
    context = {
        "teams": list(teams.order_by("name", "pk")[:HOME_TEAMS]),
        "team_count": teams.count(),
        "invitations": list(invitations[:HOME_INVITATIONS]),
        "invitation_count": invitations.count(),
    }
    return render(request, "portal/web/home.html", context)


@never_cache
@require_GET
def signin(request: HttpRequest) -> HttpResponse:
    """Where pages send a signed-out visitor (LOGIN_URL), with the page asked for in `next`:
    both sign-ins come back to it when it is one of ours (same checks as the OIDC sign-in)."""
    next_url = get_next_url(request, "next")
    if request.user.is_authenticated:
        return HttpResponseRedirect(next_url or reverse("home"))
    return _signin_page(request, next_url)


@never_cache
@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Change the interface's language: remembered in a cookie, and for a signed-in user in
    their account's `language` (through the identity service: audited). Back to `next`."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        context = {"status": 400, "title": _("Unknown language"), "message": _("Choose one of the languages offered.")}
        return render(request, "core/web/error.html", context, status=400)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        outcome = run_service(request, user_update_preferences, actor=request.user, user=request.user, language=language)
        if not outcome.ok:
            return response
    return remember_language(response, language)
