"""The signed-in agent's account (language, time zone) and their organization (name, ids,
domains, the suite's services it may use). Reads through `people.identity.selectors`, rights
from `policies`, writes through the identity services (audited), as the API does."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from people.core.web.actions import ServiceRefused, found, run_service
from people.core.web.pages import Column, ordering_from, paginate, remember_language
from people.identity import policies, selectors, services
from people.identity.models import Organization
from people.identity.web.forms import OrganizationNameForm, PreferencesForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Language and time zone, through `user_update_preferences` (the API's PATCH users/{id}/).
    The new language is the page's at once: the confirmation is written in it."""
    user = request.user
    form = PreferencesForm(request.POST or None, initial={"language": user.language, "timezone": user.timezone})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            outcome = run_service(request, services.user_update_preferences, form=form, actor=user, user=user, **form.cleaned_data)
            if outcome.ok:
                with translation.override(outcome.value.language):
                    messages.success(request, _("Your preferences are saved."))
                return remember_language(redirect("account"), outcome.value.language)
            status = outcome.status
    context = {"form": form, "breadcrumb": [(_("My account"), None)]}
    return render(request, "identity/web/account.html", context, status=status)


def _organization_of(request: HttpRequest) -> Organization | None:
    user = request.user
    if not user.organization_id:
        return None
    # 404 when the organization went away since the session began
    return found(selectors.organization_get_visible, user=user, organization_id=user.organization_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def organization(request: HttpRequest) -> HttpResponse:
    """The agent's organization. Its administrators (`policies.organization_can_update`) rename
    it through `organization_update_by_member`; the others read it, and their POST is refused."""
    user = request.user
    organization = _organization_of(request)
    if organization is None:
        if request.method == "POST":
            raise Http404("no organization")
        return render(request, "identity/web/organization.html", {"organization": None, "breadcrumb": [(_("My organization"), None)]})
    can_rename = policies.organization_can_update(user=user, organization=organization)
    form = OrganizationNameForm(request.POST or None, initial={"name": organization.name}) if can_rename else None
    status = 200
    if request.method == "POST":
        if not can_rename:
            raise ServiceRefused(_("Only the administrators of the organization may rename it."))
        status = 400
        if form.is_valid():
            outcome = run_service(
                request, services.organization_update_by_member, form=form, success=_("The organization is renamed."),
                actor=user, organization=organization, name=form.cleaned_data["name"],
            )
            if outcome.ok:
                return redirect("organization")
            status = outcome.status
            organization = _organization_of(request)  # as stored: the refused name was not
    ordering = ordering_from(request, ("name",), "name")
    providers = paginate(request, selectors.service_provider_list_visible_to(user=user, ordering=ordering))
    context = {
        "organization": organization,
        "can_rename": can_rename,
        "form": form,
        "providers": providers,
        "provider_columns": [Column(_("Service"), ordering="name"), Column(_("Identifier (audience)"))],
        "breadcrumb": [(_("My organization"), None)],
    }
    return render(request, "identity/web/organization.html", context, status=status)
