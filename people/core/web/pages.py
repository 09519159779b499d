"""Helpers of the page views: pagination and ordering from the URL, htmx fragments, the
confirmation page that stands in for a dialog without JavaScript."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PER_PAGE = 20


def paginate(request: HttpRequest, items: Sequence[Any], *, per_page: int = PER_PAGE) -> Page:
    """The page `?page=` names: a missing, malformed or out-of-range value gives the first or
    the last page, never an error. Two queries for a queryset (count, rows), whatever its size."""
    paginator = Paginator(items, per_page)
    raw = request.GET.get("page", "")
    if raw == "last":
        raw = str(paginator.num_pages)
    page = paginator.get_page(int(raw) if raw.isdigit() and int(raw) >= 1 else 1)
    # The numbers the pagination shows: the ends and the neighbours, `…` between.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


@dataclass(frozen=True)
class Column:
    """A column of `core/web/partials/table.html`; `ordering` (a key the view accepts in
    `?ordering=`) makes its header a link that sorts by it, then by its reverse."""

    label: str
    ordering: str | None = None


def ordering_from(request: HttpRequest, allowed: Iterable[str], default: str) -> str:
    """`?ordering=` when it is one of `allowed` (each also accepted with a leading `-`), else
    `default`: a bookmark with an old or forged value still shows the page."""
    raw = request.GET.get("ordering", "")
    return raw if raw.removeprefix("-") in set(allowed) else default


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, or only `fragment` (a template rendering the part htmx swaps, such as the
    results of a search) when htmx asks for it. Browsers keep the two apart (`Vary: HX-Request`),
    and htmx's history restoration gets the whole page."""
    htmx = getattr(request, "htmx", None)
    partial = bool(fragment and htmx and not htmx.history_restore_request and not htmx.boosted)
    response = render(request, fragment if partial else template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    message: str,
    action: str,
    confirm: str,
    cancel_url: str,
    fields: Iterable[tuple[str, Any]] = (),
    danger: bool = True,
) -> HttpResponse:
    """The page a confirmation dialog's trigger leads to without JavaScript: the same question,
    a form that POSTs `fields` to `action`, and a way back to `cancel_url`."""
    context = {
        "title": title, "message": message, "action": action, "confirm": confirm,
        "cancel_url": cancel_url, "fields": list(fields), "danger": danger,
    }
    return render(request, "core/web/confirm.html", context)


LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600


def remember_language(response: HttpResponse, language: str) -> HttpResponse:
    """The language cookie, which signed-out pages of this browser follow (see the language
    rule in people.core.middleware): set by the switch and by the account's preferences, so
    that signing out keeps the language last chosen."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=LANGUAGE_COOKIE_MAX_AGE, samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE, httponly=True,
    )
    return response
