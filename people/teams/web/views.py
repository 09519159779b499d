"""The team pages: the list, creating a team, and a team's members, invitations, sub-teams and
settings.

As the API does, the pages read through `people.teams.selectors` (limited to what the agent may
see: anything else is the 404 page), show the controls `people.teams.policies` allows, and
write only through `people.teams.services` with `run_service` (audited, e-mails through the
outbox; a refusal is shown with the service's reason, a 403 page for what the agent may not do).

Forms post to the page they are on: the page's state (search, ordering, page) stays in its
URL, a refusal is shown in place with its 4xx status, and a success redirects back to it
(Post/Redirect/Get). Management pages and forms need the role that manages the team (read
from the policies); the services check it again, with the rules that depend on the team's
state (the last owner).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from people.core.outbox import delivery_state
from people.core.web.actions import (
    found,
    person_name,
    posted_action,
    require,
    run_service,
)
from people.core.web.pages import Column, confirm_page, ordering_from, paginate, render_page
from people.identity import policies as identity_policies
from people.identity import selectors as identity_selectors
from people.teams import policies, selectors, services
from people.teams.models import Invitation, Team, TeamAccess, TeamRole
from people.teams.web.forms import (
    AccessForm,
    InvitationActionForm,
    InvitationForm,
    MemberAddForm,
    RoleChangeForm,
    TeamCreateForm,
    TeamForm,
    role_choices,
)

TEAM_ORDERING = ("name", "created_at")
MEMBER_ORDERING = ("user__name", "user__email", "role")
SECTIONS = {
    "detail": gettext_lazy("Members"),
    "invitations": gettext_lazy("Invitations"),
    "subteams": gettext_lazy("Sub-teams"),
    "settings": gettext_lazy("Settings"),
}


# --- reading ---------------------------------------------------------------------------------



def _team(request: HttpRequest, team_id: Any, *, with_related: bool = False) -> Team:
    """The team as the agent sees it, with their role (`user_role`) and its counts."""
    return found(selectors.team_get_visible_to, user=request.user, team_id=team_id, with_related=with_related)


def _abilities(team: Team) -> dict[str, Any]:
    return policies.team_abilities(role=team.user_role, is_ancestor_only=team.user_role is None)



def _grantable_roles(role: str | None) -> list[str]:
    return [value for value in TeamRole.values if policies.role_can_grant(actor_role=role, role=value)]



def _team_context(request: HttpRequest, team: Team, section: str, **extra: Any) -> dict[str, Any]:
    """What the team's pages share: the team, the agent's role and abilities on it, the parent
    team when the agent sees it, the breadcrumb and the team's sections."""
    abilities = _abilities(team)
    parent = None
    if team.parent_id:
        parent = selectors.team_list_visible_to(user=request.user).filter(pk=team.parent_id).values("pk", "name").first()
    detail_url = reverse("teams:detail", args=[team.pk])
    breadcrumb = [(_("Teams"), reverse("teams:list"))]
    if parent:
        breadcrumb.append((parent["name"], reverse("teams:detail", args=[parent["pk"]])))
    breadcrumb += [(team.name, None)] if section == "detail" else [(team.name, detail_url), (SECTIONS[section], None)]
    shown = {
        "detail": True,
        "invitations": team.user_role is not None,
        "subteams": True,
        "settings": abilities["patch"],
    }
    nav = [
        {"id": key, "label": label, "url": reverse(f"teams:{key}", args=[team.pk]), "current": key == section}
        for key, label in SECTIONS.items()
        if shown[key]
    ]
    return {
        "team": team, "role": team.user_role, "team_abilities": abilities, "parent": parent,
        "breadcrumb": breadcrumb, "team_nav": nav, "section": section,
        "detail_url": detail_url, **extra,
    }


# --- the list and a new team -----------------------------------------------------------------


def _team_columns() -> list[Column]:
    return [
        Column(_("Team"), "name"), Column(_("My role")), Column(_("Members")), Column(_("Sub-teams")),
        Column(_("Created on"), "created_at"),
    ]


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    """The agent's teams and those above them in their organization (as `GET teams/`), searched
    without regard to accents or case, ordered and paginated from the URL."""
    teams = selectors.team_search(selectors.team_list_visible_to(user=request.user), request.GET.get("q"))
    teams = selectors.team_order(teams, ordering_from(request, TEAM_ORDERING, "name"))
    context = {"page": paginate(request, teams), "columns": _team_columns(), "breadcrumb": [(_("Teams"), None)]}
    return render_page(request, "teams/web/list.html", context, fragment="teams/web/_teams_table.html")


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    """A new team, the agent its owner; `?parent=` proposes a parent (the sub-teams page)."""
    require(policies.user_team_abilities(user=request.user)["can_create"], services.NOT_ALLOWED_CREATE)
    parents = (
        selectors.team_list_visible_to(user=request.user)
        .filter(user_role__in=list(policies.EDIT_ROLES))
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
    providers = identity_selectors.service_provider_list_visible_to(user=request.user)
    form = TeamCreateForm(
        request.POST if request.method == "POST" else None,
        parents=parents,
        providers=providers,
        initial={"parent": request.GET.get("parent", ""), "is_visible_all_services": True},
    )
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        outcome = run_service(
            request, services.team_create, form=form, success=_("The team was created."),
            actor=request.user, **form.service_arguments(),
        )
        if outcome.ok:
            return redirect("teams:detail", outcome.value.pk)
        status = outcome.status
    context = {"form": form, "breadcrumb": [(_("Teams"), reverse("teams:list")), (_("Create a team"), None)]}
    return render(request, "teams/web/create.html", context, status=status)


# --- members ---------------------------------------------------------------------------------


def _access_abilities(request: HttpRequest, team: Team, access: TeamAccess, owners: int) -> dict[str, Any]:
    """What the agent may do to a member, from the policies, with another owner assumed as
    the services assume it to check the permission: the last owner rule is the services' own
    refusal, shown with its reason when the agent tries (leaving, or changing their role)."""
    return policies.access_abilities(
        actor_role=team.user_role, access=access, owner_count=max(owners, 2), actor_id=request.user.pk
    )


def _member_columns(team: Team) -> list[Column]:
    columns = [
        Column(_("Name"), "user__name"), Column(_("E-mail address"), "user__email"), Column(_("Organization")),
        Column(_("Role"), "role"),
    ]
    if _abilities(team)["manage_accesses"]:
        columns.append(Column(_("Actions")))
    return columns


def _members_page(request: HttpRequest, team: Team, *, status: int = 200) -> HttpResponse:
    """The team's members with their role and organization, paginated, with the controls the
    agent may use on each (role change, removal) and leaving the team. Only members see them."""
    role = team.user_role
    members = selectors.access_list_for(user=request.user, team=team).select_related("user__organization")
    members = selectors.access_search(members, request.GET.get("q"))
    page = paginate(request, selectors.access_order(members, ordering_from(request, MEMBER_ORDERING, "user__name")))
    page.object_list = list(page.object_list)
    owners = selectors.owner_count(team=team) if role else 0
    own_access = None
    if role:
        own_access = selectors.access_list_for(user=request.user, team=team).filter(user=request.user).first()
    for access in page.object_list:
        access.abilities = _access_abilities(request, team, access, owners)
        access.role_choices = role_choices([access.role, *access.abilities["set_role_to"]])
        access.remove_fields = [("action", "remove"), ("access", access.pk)]
    if own_access is not None:
        own_access.remove_fields = [("action", "remove"), ("access", own_access.pk)]
    context = _team_context(
        request, team, "detail", page=page, columns=_member_columns(team), own_access=own_access,
    )
    # The search swaps the table only; a role changed with htmx swaps the page's content, messages included.
    searching = bool(getattr(request, "htmx", None)) and request.htmx.target == "results"
    fragment = "teams/web/_members_table.html" if searching else None
    return render_page(request, "teams/web/detail.html", context, fragment=fragment, status=status)


def _posted_access(request: HttpRequest, team: Team, form: forms.Form, refusal: str) -> TeamAccess | None:
    """The member a row's form names (the 404 page when the team has no such member), or None
    with `refusal` as the page's error when the form is malformed."""
    if not form.is_valid():
        messages.error(request, refusal)
        return None
    return found(selectors.access_get_for, user=request.user, team=team, access_id=form.cleaned_data["access"])


def _member_role(request: HttpRequest, team: Team) -> HttpResponse:
    form = RoleChangeForm(request.POST)
    access = _posted_access(request, team, form, _("Choose one of the roles offered."))
    if access is None:
        return _members_page(request, team, status=400)
    role = form.cleaned_data["role"]
    success = _("%(name)s is now %(role)s of the team.") % {"name": person_name(access.user), "role": TeamRole(role).label}
    outcome = run_service(request, services.team_access_update, success=success, actor=request.user, access=access, role=role)
    if outcome.ok:
        return redirect(request.get_full_path())
    return _members_page(request, team, status=outcome.status)


def _member_remove(request: HttpRequest, team: Team) -> HttpResponse:
    access = _posted_access(request, team, AccessForm(request.POST), _("Choose a member of the team."))
    if access is None:
        return _members_page(request, team, status=400)
    leaving = access.user_id == request.user.pk
    if leaving:
        success = _("You left the team %(team)s.") % {"team": team.name}
    else:
        success = _("%(name)s was removed from the team.") % {"name": person_name(access.user)}
    outcome = run_service(request, services.team_access_delete, success=success, actor=request.user, access=access)
    if outcome.ok:
        return redirect("teams:list") if leaving else redirect(request.get_full_path())
    return _members_page(request, team, status=outcome.status)


MEMBER_ACTIONS = {"role": _member_role, "remove": _member_remove}


@login_required
@require_http_methods(["GET", "POST"])
def team_detail(request: HttpRequest, team_id: Any) -> HttpResponse:
    """The team's page: its members. POST `action=role` (`access`, `role`) changes a member's
    role, `action=remove` (`access`) removes a member or, for one's own access, leaves."""
    team = _team(request, team_id)
    if request.method == "POST":
        action = posted_action(request, MEMBER_ACTIONS)
        if action is None:
            return _members_page(request, team, status=400)
        return action(request, team)
    return _members_page(request, team)


@login_required
@require_GET
def member_remove(request: HttpRequest, team_id: Any, access_id: Any) -> HttpResponse:
    """The question the removal dialog asks, as a page (without JavaScript); it POSTs to the
    team's page."""
    team = _team(request, team_id)
    access = found(selectors.access_get_for, user=request.user, team=team, access_id=access_id)
    owners = selectors.owner_count(team=team)
    require(_access_abilities(request, team, access, owners)["delete"], services.NOT_ALLOWED_ACCESSES)
    detail_url = reverse("teams:detail", args=[team.pk])
    if access.user_id == request.user.pk:
        title = _("Leave the team %(team)s?") % {"team": team.name}
        message, confirm = _("You will no longer see its members. A team keeps at least one owner."), _("Leave the team")
    else:
        title = _("Remove %(name)s from the team?") % {"name": person_name(access.user)}
        message, confirm = _("They will lose the access this team gives."), pgettext("a member from a team", "Remove")
    return confirm_page(
        request, title=title, message=message, action=detail_url, confirm=confirm, cancel_url=detail_url,
        fields=[("action", "remove"), ("access", access.pk)],
    )


def _added_message(value: TeamAccess | Invitation) -> str:
    if isinstance(value, TeamAccess):
        return _("%(name)s is now a member of the team.") % {"name": person_name(value.user)}
    return _("An invitation was sent to %(email)s.") % {"email": value.email}


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, team_id: Any) -> HttpResponse:
    """Find a person to add (as `GET users/?q=`: people of one's organization, or anyone by their
    exact e-mail address; members already in the team left out) and add them with a role.

    A colleague is added by id (`team_access_create`); a person of another organization by
    their address (`invitation_create`, which gives an existing account the access at once),
    as the API has it. An exact address nobody has yet can be invited from here.
    """
    team = _team(request, team_id)
    require(_abilities(team)["manage_accesses"], services.NOT_ALLOWED_ACCESSES)
    status = 200
    if request.method == "POST":
        form = MemberAddForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["user"]:
                service, person = services.team_access_create, {"user": data["user"]}
            else:
                service, person = services.invitation_create, {"email": data["email"]}
            outcome = run_service(request, service, actor=request.user, team=team, role=data["role"], **person)
            if outcome.ok:
                messages.success(request, _added_message(outcome.value))
                return redirect(request.get_full_path())
            status = outcome.status
        else:
            messages.error(request, _("Choose a person and one of the roles offered."))
    query = request.GET.get("q", "")
    people = identity_selectors.user_search(user=request.user, query=query, exclude_team_id=team.pk)
    page = paginate(request, people)
    page.object_list = list(page.object_list)
    for person in page.object_list:
        # The organization of a person found by their address in another one is not shown.
        person.is_colleague = identity_policies.user_is_visible_to(user=request.user, target=person)
    email = identity_selectors.exact_email(query)
    context = _team_context(
        request, team, "detail",
        page=page,
        columns=[Column(_("Name")), Column(_("E-mail address")), Column(_("Organization")), Column(_("Add to the team"))],
        offered_roles=role_choices(_grantable_roles(team.user_role)),
        invite_email=email if email and not page.object_list else None,
        breadcrumb=[
            (_("Teams"), reverse("teams:list")), (team.name, reverse("teams:detail", args=[team.pk])),
            (_("Add a member"), None),
        ],
    )
    return render_page(request, "teams/web/member_add.html", context, fragment="teams/web/_candidates.html", status=status)


# --- invitations -----------------------------------------------------------------------------


def _invite(request: HttpRequest, team: Team, form: InvitationForm) -> HttpResponse | int:
    if not form.is_valid():
        return 400
    outcome = run_service(request, services.invitation_create, form=form, actor=request.user, team=team, **form.cleaned_data)
    if not outcome.ok:
        return outcome.status
    messages.success(request, _added_message(outcome.value))
    return redirect(request.get_full_path())


def _invitation(request: HttpRequest, team: Team) -> Invitation | None:
    form = InvitationActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an invitation of the team."))
        return None
    return found(selectors.invitation_get_for, user=request.user, team=team, invitation_id=form.cleaned_data["invitation"])


def _resend(request: HttpRequest, team: Team, form: InvitationForm) -> HttpResponse | int:
    invitation = _invitation(request, team)
    if invitation is None:
        return 400
    outcome = run_service(request, services.invitation_refresh, actor=request.user, invitation=invitation)
    if not outcome.ok:
        return outcome.status
    if isinstance(outcome.value, Invitation):
        message = _("The invitation to %(email)s was sent again.") % {"email": invitation.email}
    else:
        message = _added_message(outcome.value)
    messages.success(request, message)
    return redirect(request.get_full_path())


def _cancel(request: HttpRequest, team: Team, form: InvitationForm) -> HttpResponse | int:
    invitation = _invitation(request, team)
    if invitation is None:
        return 400
    success = _("The invitation to %(email)s was cancelled.") % {"email": invitation.email}
    outcome = run_service(request, services.invitation_delete, success=success, actor=request.user, invitation=invitation)
    return redirect(request.get_full_path()) if outcome.ok else outcome.status


INVITATION_ACTIONS = {"invite": _invite, "resend": _resend, "cancel": _cancel}


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, team_id: Any) -> HttpResponse:
    """The team's invitations (members see them), with their expiry and their e-mail's
    delivery; managers invite (POST `action=invite`, the default), send again (`resend`) and
    cancel (`cancel`, `invitation`)."""
    team = _team(request, team_id)
    if team.user_role is None:  # seen as the parent of one's team: its invitations are its members'
        raise PermissionDenied
    can_manage = policies.team_role_can_edit(team.user_role)
    offered = _grantable_roles(team.user_role)
    form = InvitationForm(offered=offered)
    status = 200
    if request.method == "POST":
        require(can_manage, services.NOT_ALLOWED_INVITATIONS)
        action = posted_action(request, INVITATION_ACTIONS, default="invite")
        if action is None:
            status = 400
        else:
            if action is _invite:
                form = InvitationForm(request.POST, offered=offered)
            result = action(request, team, form)
            if isinstance(result, HttpResponse):
                return result
            status = result
    page = paginate(request, selectors.invitation_list_for(user=request.user, team=team))
    page.object_list = list(page.object_list)
    for invitation in page.object_list:
        invitation.delivery = delivery_state(invitation.email_outbox) if invitation.email_outbox else None
        invitation.cancel_fields = [("action", "cancel"), ("invitation", invitation.pk)]
    columns = [
        Column(_("E-mail address")), Column(_("Role")), Column(_("Valid until")), Column(_("E-mail")),
    ]
    if can_manage:
        columns.append(Column(_("Actions")))
    context = _team_context(request, team, "invitations", page=page, columns=columns, form=form, can_manage=can_manage)
    return render(request, "teams/web/invitations.html", context, status=status)


@login_required
@require_GET
def invitation_cancel(request: HttpRequest, team_id: Any, invitation_id: Any) -> HttpResponse:
    """The question the cancel dialog asks, as a page (without JavaScript)."""
    team = _team(request, team_id)
    invitation = found(selectors.invitation_get_for, user=request.user, team=team, invitation_id=invitation_id)
    require(policies.team_role_can_edit(team.user_role), services.NOT_ALLOWED_INVITATIONS)
    url = reverse("teams:invitations", args=[team.pk])
    return confirm_page(
        request,
        title=_("Cancel the invitation to %(email)s?") % {"email": invitation.email},
        message=_("The link in the e-mail already sent will no longer add them to the team."),
        action=url, confirm=_("Cancel the invitation"), cancel_url=url,
        fields=[("action", "cancel"), ("invitation", invitation.pk)],
    )


# --- sub-teams, settings, deletion -----------------------------------------------------------


@login_required
@require_GET
def subteam_list(request: HttpRequest, team_id: Any) -> HttpResponse:
    """The team's sub-teams the agent sees (theirs: a parent does not show its children to its
    members), and a link to create one under it for those who administer it."""
    team = _team(request, team_id)
    children = selectors.team_list_visible_to(user=request.user).filter(parent_id=team.pk)
    page = paginate(request, selectors.team_order(children, ordering_from(request, TEAM_ORDERING, "name")))
    page.object_list = list(page.object_list)
    context = _team_context(
        request, team, "subteams", page=page, columns=_team_columns(),
        hidden_children=max(team.numchild - page.paginator.count, 0),
    )
    return render(request, "teams/web/subteams.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request: HttpRequest, team_id: Any) -> HttpResponse:
    """Rename the team, choose the services it is linked to among those the agent's
    organization may use (links made by others stay, see `policies.service_provider_links`)
    and its visibility to all services; owners delete it from here."""
    team = _team(request, team_id, with_related=True)
    require(_abilities(team)["patch"], services.NOT_ALLOWED_TEAM)
    providers = list(identity_selectors.service_provider_list_visible_to(user=request.user))
    usable = {provider.pk for provider in providers}
    linked = set(team.service_provider_ids)
    initial = {
        "name": team.name,
        "service_providers": [str(pk) for pk in linked & usable],
        "is_visible_all_services": team.is_visible_all_services,
    }
    form = TeamForm(request.POST if request.method == "POST" else None, providers=providers, initial=initial)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        outcome = run_service(
            request, services.team_update, form=form, success=_("The settings of the team were saved."),
            actor=request.user, team=team, **form.service_arguments(),
        )
        if outcome.ok:
            return redirect("teams:settings", team.pk)
        status = outcome.status
        team = _team(request, team_id, with_related=True)  # as stored: the refused change is not
    context = _team_context(
        request, team, "settings", form=form, other_links=len(linked - usable), delete_message=_delete_message(team),
    )
    return render(request, "teams/web/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def team_delete(request: HttpRequest, team_id: Any) -> HttpResponse:
    """Delete the team and its sub-teams (owners): GET asks (the dialog's page without
    JavaScript), POST deletes."""
    team = _team(request, team_id)
    settings_url = reverse("teams:settings", args=[team.pk])
    if request.method == "GET":
        require(_abilities(team)["delete"], services.NOT_ALLOWED_DELETE)
        return confirm_page(
            request, title=_("Delete the team %(team)s?") % {"team": team.name}, message=_delete_message(team),
            action=reverse("teams:delete", args=[team.pk]), confirm=_("Delete the team"), cancel_url=settings_url,
        )
    success = _("The team %(team)s was deleted.") % {"team": team.name}
    outcome = run_service(request, services.team_delete, success=success, actor=request.user, team=team)
    return redirect("teams:list") if outcome.ok else redirect(settings_url)


def _delete_message(team: Team) -> str:
    if team.numchild:
        return _("Its members lose their access, and its sub-teams are deleted with it. This cannot be undone.")
    return _("Its members lose their access. This cannot be undone.")
