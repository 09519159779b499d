"""Run a service from a page and turn its domain error into what the page shows; read what a
page shows (`found`), refuse a page (`require`), pick the handler a form names (`posted_action`).

Services decide every rule (last owner, roles one may grant, visibility); a page only shows
their verdict: `NotFound` is the 404 page, `PermissionDenied` the 403 page with its reason, any
other `DomainError` (a broken rule, a conflict, bad input) goes to the form, next to its field
when it names one, or to a message, and the view answers with `outcome.status` (400, 409).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from people.core.errors import DomainError, NotFound, PermissionDenied

T = TypeVar("T")


class ServiceRefused(HttpPermissionDenied):
    """A service's `PermissionDenied`: the 403 page shows its reason (a translated message)."""


@dataclass
class Outcome(Generic[T]):
    value: T | None = None
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> int:
        """The status of the page that shows the refusal again (200 when it succeeded)."""
        return 200 if self.error is None else self.error.status_code


def error_messages(error: DomainError) -> list[str]:
    """The messages of an error: its field messages, or its detail when it has none of them."""
    found = []
    for value in error.errors.values():
        found.extend(str(item) for item in (value if isinstance(value, list | tuple) else [value]))
    return found if error.is_field_error else [error.detail, *found]


def report(request: HttpRequest, error: DomainError, *, form: forms.Form | None = None) -> None:
    """Show `error` on the page: in `form` (field messages next to their field, the rest above
    the fields), or as an error message of the page when there is no form."""
    if form is None:
        for message in error_messages(error):
            messages.error(request, message)
        return
    if not hasattr(form, "cleaned_data"):
        form.full_clean()
        if not hasattr(form, "cleaned_data"):  # an unbound form is never cleaned
            form.cleaned_data = {}
    for field, value in error.errors.items():
        form.add_error(field if field in form.fields else None, value)
    if not error.is_field_error:
        form.add_error(None, error.detail)


def run_service(
    request: HttpRequest,
    service: Callable[..., T],
    /,
    *,
    form: forms.Form | None = None,
    success: str | None = None,
    **kwargs: Any,
) -> Outcome[T]:
    """`service(**kwargs)`; on success add the `success` message (shown after the redirect).

    `NotFound` raises Http404 and `PermissionDenied` raises `ServiceRefused` (the 403 page
    shows the service's reason); other domain errors are reported (see `report`) and returned.
    """
    try:
        value = service(**kwargs)
    except NotFound as error:
        raise Http404(error.detail) from error
    except PermissionDenied as error:
        raise ServiceRefused(error.detail) from error
    except DomainError as error:
        report(request, error, form=form)
        return Outcome(error=error)
    if success:
        messages.success(request, success)
    return Outcome(value=value)


def found(selector: Callable[..., T], /, **kwargs: Any) -> T:
    """What a selector returns, or the 404 page for what the agent may not see."""
    try:
        return selector(**kwargs)
    except NotFound as error:
        raise Http404(error.detail) from error


def require(allowed: bool, refusal: str) -> None:
    """The 403 page, with the service's own words (`refusal`, translated here), for a page or a
    form the agent may not use."""
    if not allowed:
        raise ServiceRefused(_(refusal))


def posted_action(request: HttpRequest, actions: Mapping[str, T], *, default: str = "") -> T | None:
    """The handler the form's `action` names (`default` when it names none); None, with the
    page's error message, for an unknown one (the page answers 400)."""
    action = actions.get(request.POST.get("action", default))
    if action is None:
        messages.error(request, _("This action is unknown."))
    return action


def person_name(user: Any) -> str:
    """How a page names a person: their name, else their e-mail address."""
    return user.name or user.email or _("this person")
