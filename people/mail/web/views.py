"""The mail domain pages: my domains, a domain's status and mailboxes, its aliases, accesses
and invitations.

As the API does, the pages read through `people.mail.selectors` (a domain the agent has no
role on is the 404 page, as an unknown one), show the controls `people.mail.policies` allows,
and write only through the mail services with `run_service`: what the mail platform must do is
queued in the outbox and shown `pending` with its reason, never waited for.

Forms post to the page they are on, with an `action` (the page's state stays in its URL; a
refusal is shown in place with its 4xx status; a success redirects back to it). Dialogs have
their confirmation page for browsers without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from people.core.features import feature_enabled
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
from people.mail import messages as mail_messages
from people.mail import policies, selectors
from people.mail.models import Alias, MailDomain, MailDomainAccess, MailDomainRole, MailDomainStatus
from people.mail.services import aliases as alias_services
from people.mail.services import domains as domain_services
from people.mail.services import mailboxes as mailbox_services
from people.mail.web.forms import (
    AccessAddForm,
    AliasForm,
    DomainCreateForm,
    InvitationForm,
    LocalPartForm,
    MailboxCreateForm,
    MailboxForm,
    RoleChangeForm,
    RowForm,
    role_choices,
)

MAILBOX_ORDERING = ("first_name", "last_name", "local_part", "status", "created_at")
ACCESS_ORDERING = ("user__name", "user__email", "role")
SECTIONS = {
    "detail": gettext_lazy("Mailboxes"),
    "aliases": gettext_lazy("Aliases"),
    "accesses": gettext_lazy("Accesses"),
    "invitations": gettext_lazy("Invitations"),
}
NOT_MANAGER = "You do not have permission to perform this action."


# --- reading ---------------------------------------------------------------------------------



def _domain(request: HttpRequest, slug: str) -> MailDomain:
    """The domain as the agent sees it, with their role (`user_role`) and its mailbox count."""
    return found(selectors.domain_get_visible, user=request.user, slug=slug)



def _can_manage(domain: MailDomain) -> bool:
    return policies.role_can_manage(domain.user_role)



def _domain_context(request: HttpRequest, domain: MailDomain, section: str, **extra: Any) -> dict[str, Any]:
    """What the domain's pages share: the domain, its status in words, the agent's role, the
    breadcrumb and the domain's sections."""
    detail_url = reverse("mail:detail", args=[domain.slug])
    breadcrumb = [(_("Mail domains"), reverse("mail:list"))]
    breadcrumb += [(domain.name, None)] if section == "detail" else [(domain.name, detail_url), (SECTIONS[section], None)]
    nav = [
        {"id": key, "label": label, "url": reverse(f"mail:{key}", args=[domain.slug]), "current": key == section}
        for key, label in SECTIONS.items()
    ]
    return {
        "domain": domain, "role": domain.user_role, "can_manage": _can_manage(domain),
        "status_message": mail_messages.domain_status_message(domain),
        "breadcrumb": breadcrumb, "domain_nav": nav, "section": section, "detail_url": detail_url, **extra,
    }


def _posted(request: HttpRequest, form: forms.Form, refusal: str) -> bool:
    """Whether a row's form is well formed; otherwise `refusal` is the page's error."""
    if form.is_valid():
        return True
    messages.error(request, refusal)
    return False


# --- my domains, a new domain ----------------------------------------------------------------


@login_required
@require_GET
def domain_list(request: HttpRequest) -> HttpResponse:
    """The domains the agent has a role on (as `GET mail-domains/`), searched, paginated."""
    domains = selectors.domain_search(selectors.domain_list_visible_to(user=request.user), request.GET.get("q"))
    domains = selectors.domain_order(domains, ordering_from(request, selectors.DOMAIN_ORDERING, "name"))
    context = {
        "page": paginate(request, domains),
        "columns": [
            Column(_("Domain"), "name"), Column(_("Status")), Column(_("My role")), Column(_("Mailboxes")),
            Column(_("Created on"), "created_at"),
        ],
        "can_create": request.user.organization_id is not None,
        "breadcrumb": [(_("Mail domains"), None)],
    }
    return render_page(request, "mail/web/list.html", context, fragment="mail/web/_domains_table.html")


@login_required
@require_http_methods(["GET", "POST"])
def domain_create(request: HttpRequest) -> HttpResponse:
    """A domain of the agent's organization, the agent its owner; created on the mail platform
    by a background job (the page shows it pending)."""
    require(
        request.user.organization_id is not None, "You must belong to an organization to add a mail domain."
    )
    form = DomainCreateForm(request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        outcome = run_service(
            request, domain_services.mail_domain_create, form=form,
            success=_("The mail domain was added: it is being created on the mail platform."),
            actor=request.user, **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("mail:detail", outcome.value.slug)
        status = outcome.status
    context = {
        "form": form, "breadcrumb": [(_("Mail domains"), reverse("mail:list")), (_("Add a mail domain"), None)],
    }
    return render(request, "mail/web/create.html", context, status=status)


# --- a domain and its mailboxes --------------------------------------------------------------


def _mailboxes_page(request: HttpRequest, domain: MailDomain, *, status: int = 200) -> HttpResponse:
    """The domain's status (in words, with the DNS records to publish when action is required)
    and its mailboxes, searched and paginated, each with its state and the actions allowed."""
    rows = selectors.mailbox_search(selectors.mailbox_list_for(domain=domain), request.GET.get("q"))
    page = paginate(request, selectors.mailbox_order(rows, ordering_from(request, MAILBOX_ORDERING, "-created_at")))
    page.object_list = list(page.object_list)
    for mailbox in page.object_list:
        mailbox.domain = domain
        mailbox.abilities = policies.mailbox_abilities(
            role=domain.user_role, user=request.user, mailbox=mailbox, domain_name=domain.name
        )
        mailbox.status_message = mail_messages.object_status_message(mailbox, domain=domain)
        mailbox.fields = {action: [("action", action), ("id", mailbox.pk)] for action in ("disable", "reset_password")}
    can_manage = _can_manage(domain)
    columns = [
        Column(_("Name"), "last_name"), Column(_("Address"), "local_part"), Column(_("Secondary e-mail address")),
        Column(_("Status"), "status"), Column(_("Actions")),
    ]
    context = _domain_context(
        request, domain, "detail", page=page, columns=columns,
        can_check=can_manage and domain.status != MailDomainStatus.DISABLED,
        can_create_mailbox=can_manage and feature_enabled("MAILBOXES_CREATE") and domain.status != MailDomainStatus.DISABLED,
        dns_records=domain.expected_config if isinstance(domain.expected_config, list) else [],
        failing_checks=domain.action_required_details if domain.status == MailDomainStatus.ACTION_REQUIRED else {},
    )
    fragment = "mail/web/_mailboxes_table.html" if getattr(request, "htmx", None) and request.htmx.target == "results" else None
    return render_page(request, "mail/web/detail.html", context, fragment=fragment, status=status)


def _check_again(request: HttpRequest, domain: MailDomain) -> HttpResponse:
    success = _("The domain will be checked again in a moment: come back to this page to see its status.")
    outcome = run_service(request, domain_services.mail_domain_fetch, success=success, actor=request.user, domain=domain.slug)
    return redirect(request.get_full_path()) if outcome.ok else _mailboxes_page(request, _domain(request, domain.slug), status=outcome.status)


MAILBOX_SERVICES = {
    "disable": (
        lambda *, actor, mailbox: mailbox_services.mailbox_set_active(actor=actor, mailbox=mailbox, active=False),
        gettext_lazy("The mailbox %(email)s will be disabled on the mail platform."),
    ),
    "enable": (
        lambda *, actor, mailbox: mailbox_services.mailbox_set_active(actor=actor, mailbox=mailbox, active=True),
        gettext_lazy("The mailbox %(email)s will be enabled again on the mail platform."),
    ),
    "login_link": (
        mailbox_services.mailbox_send_login_link,
        gettext_lazy("A one-time login link for %(email)s is being sent to its secondary e-mail address."),
    ),
    "reset_password": (
        mailbox_services.mailbox_reset_password,
        gettext_lazy("The password of %(email)s is being reset: a one-time login link goes to its secondary e-mail address."),
    ),
}


def _mailbox_action(request: HttpRequest, domain: MailDomain, action: str) -> HttpResponse:
    form = RowForm(request.POST)
    if not _posted(request, form, _("Choose a mailbox of the domain.")):
        return _mailboxes_page(request, domain, status=400)
    mailbox = found(selectors.mailbox_get, domain=domain, mailbox_id=form.cleaned_data["id"])
    service, success = MAILBOX_SERVICES[action]
    outcome = run_service(
        request, service, success=str(success) % {"email": mailbox.email}, actor=request.user, mailbox=mailbox
    )
    if outcome.ok:
        return redirect(request.get_full_path())
    return _mailboxes_page(request, _domain(request, domain.slug), status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def domain_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The domain's page. POST `action=check` checks it again; `action` disable, enable,
    login_link or reset_password (`id`: a mailbox) acts on a mailbox."""
    domain = _domain(request, slug)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "check":
            return _check_again(request, domain)
        if action in MAILBOX_SERVICES:
            return _mailbox_action(request, domain, action)
        messages.error(request, _("This action is unknown."))
        return _mailboxes_page(request, domain, status=400)
    return _mailboxes_page(request, domain)


@login_required
@require_GET
def mailbox_confirm(request: HttpRequest, slug: str, mailbox_id: Any, action: str) -> HttpResponse:
    """The question the disable and reset dialogs ask, as a page (without JavaScript)."""
    domain = _domain(request, slug)
    mailbox = found(selectors.mailbox_get, domain=domain, mailbox_id=mailbox_id)
    require(_can_manage(domain), NOT_MANAGER)
    email = f"{mailbox.local_part}@{domain.name}"
    if action == "disable":
        title = _("Disable the mailbox %(email)s?") % {"email": email}
        message, confirm = _("Its owner will no longer receive nor send mail until it is enabled again."), _("Disable")
    elif action == "reset_password":
        title = _("Reset the password of %(email)s?") % {"email": email}
        message = _("The current password stops working; a one-time login link goes to the secondary e-mail address.")
        confirm = _("Reset the password")
    else:
        raise Http404
    url = reverse("mail:detail", args=[domain.slug])
    return confirm_page(
        request, title=title, message=message, action=url, confirm=confirm, cancel_url=url,
        fields=[("action", action), ("id", mailbox.pk)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def mailbox_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new mailbox (managers, while MAILBOXES_CREATE is on): saved pending, created on the
    platform by a job; its one-time login link goes to the secondary e-mail address."""
    domain = _domain(request, slug)
    require(_can_manage(domain), NOT_MANAGER)
    require(feature_enabled("MAILBOXES_CREATE"), "Creating mailboxes is switched off on this service.")
    form = MailboxCreateForm(request.POST if request.method == "POST" else None)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        success = _(
            "The mailbox %(email)s is being created. Its one-time login link will be sent to %(secondary)s."
        ) % {"email": f"{data['local_part'].lower()}@{domain.name}", "secondary": data["secondary_email"]}
        outcome = run_service(
            request, mailbox_services.mailbox_create, form=form, success=success,
            actor=request.user, domain=domain.slug, **data,
        )
        if outcome.ok:
            return redirect("mail:detail", domain.slug)
        status = outcome.status
    context = _domain_context(request, domain, "detail", form=form)
    context["breadcrumb"] = [*context["breadcrumb"][:-1], (domain.name, context["detail_url"]), (_("Create a mailbox"), None)]
    return render(request, "mail/web/mailbox_create.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mailbox_edit(request: HttpRequest, slug: str, mailbox_id: Any) -> HttpResponse:
    """A mailbox's names and secondary address: managers, or its own user (a viewer)."""
    domain = _domain(request, slug)
    mailbox = found(selectors.mailbox_get, domain=domain, mailbox_id=mailbox_id)
    require(
        policies.mailbox_can_update(role=domain.user_role, user=request.user, mailbox=mailbox, domain_name=domain.name),
        NOT_MANAGER,
    )
    initial = {"first_name": mailbox.first_name, "last_name": mailbox.last_name, "secondary_email": mailbox.secondary_email}
    form = MailboxForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        outcome = run_service(
            request, mailbox_services.mailbox_update, form=form, success=_("The mailbox was saved."),
            actor=request.user, mailbox=mailbox, **form.cleaned_data,
        )
        if outcome.ok:
            return redirect("mail:detail", domain.slug)
        status = outcome.status
    context = _domain_context(request, domain, "detail", form=form, mailbox=mailbox, email=f"{mailbox.local_part}@{domain.name}")
    context["breadcrumb"] = [*context["breadcrumb"][:-1], (domain.name, context["detail_url"]), (context["email"], None)]
    return render(request, "mail/web/mailbox_edit.html", context, status=status)


# --- aliases ---------------------------------------------------------------------------------


def _alias_create(request: HttpRequest, domain: MailDomain, form: AliasForm) -> HttpResponse | int:
    if not form.is_valid():
        return 400
    outcome = run_service(
        request, alias_services.alias_create, form=form, success=_("The alias was added."),
        actor=request.user, domain=domain.slug, **form.cleaned_data,
    )
    return redirect(request.get_full_path()) if outcome.ok else outcome.status


def _alias_delete(request: HttpRequest, domain: MailDomain, form: AliasForm) -> HttpResponse | int:
    row = RowForm(request.POST)
    if not _posted(request, row, _("Choose an alias of the domain.")):
        return 400
    alias = found(selectors.alias_get, domain=domain, alias_id=row.cleaned_data["id"])
    success = _("The alias %(local_part)s → %(destination)s was deleted.") % {
        "local_part": alias.local_part, "destination": alias.destination,
    }
    outcome = run_service(request, alias_services.alias_delete, success=success, actor=request.user, alias=alias)
    return redirect(request.get_full_path()) if outcome.ok else outcome.status


def _alias_delete_all(request: HttpRequest, domain: MailDomain, form: AliasForm) -> HttpResponse | int:
    row = LocalPartForm(request.POST)
    if not _posted(request, row, _("Choose an alias of the domain.")):
        return 400
    outcome = run_service(
        request, alias_services.alias_delete_local_part, actor=request.user, domain=domain.slug,
        local_part=row.cleaned_data["local_part"],
    )
    if not outcome.ok:
        return outcome.status
    messages.success(request, _("Every alias of %(local_part)s was deleted.") % {"local_part": row.cleaned_data["local_part"]})
    return redirect(request.get_full_path())


ALIAS_ACTIONS = {"create": _alias_create, "delete": _alias_delete, "delete_all": _alias_delete_all}


@login_required
@require_http_methods(["GET", "POST"])
def alias_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The domain's aliases, searched and paginated; managers add (POST `action=create`),
    delete one (`delete`, `id`) or every alias of a name (`delete_all`, `local_part`)."""
    domain = _domain(request, slug)
    can_manage = _can_manage(domain)
    form = AliasForm()
    status = 200
    if request.method == "POST":
        require(can_manage, NOT_MANAGER)
        action = posted_action(request, ALIAS_ACTIONS, default="create")
        if action is None:
            status = 400
        else:
            if action is _alias_create:
                form = AliasForm(request.POST)
            result = action(request, domain, form)
            if isinstance(result, HttpResponse):
                return result
            status = result
            domain = _domain(request, slug)
    rows = selectors.alias_search(selectors.alias_list_for(domain=domain), request.GET.get("q"))
    page = paginate(request, selectors.alias_order(rows, ordering_from(request, selectors.ALIAS_ORDERING, "local_part")))
    page.object_list = list(page.object_list)
    for alias in page.object_list:
        alias.status_message = mail_messages.object_status_message(alias, domain=domain)
        alias.delete_fields = [("action", "delete"), ("id", alias.pk)]
        alias.delete_all_fields = [("action", "delete_all"), ("local_part", alias.local_part)]
    columns = [Column(_("Alias"), "local_part"), Column(_("Destination"), "destination"), Column(_("Status"))]
    if can_manage:
        columns.append(Column(_("Actions")))
    context = _domain_context(
        request, domain, "aliases", page=page, columns=columns, form=form,
        can_add=can_manage and domain.status != MailDomainStatus.DISABLED,
    )
    return render_page(request, "mail/web/aliases.html", context, fragment="mail/web/_aliases_table.html", status=status)


@login_required
@require_GET
def alias_delete(request: HttpRequest, slug: str, alias_id: Any) -> HttpResponse:
    """The questions the alias deletion dialogs ask, as a page: `?all=1` every alias of its name."""
    domain = _domain(request, slug)
    alias: Alias = found(selectors.alias_get, domain=domain, alias_id=alias_id)
    require(_can_manage(domain), NOT_MANAGER)
    url = reverse("mail:aliases", args=[domain.slug])
    address = f"{alias.local_part}@{domain.name}"
    if request.GET.get("all"):
        title = _("Delete every alias of %(address)s?") % {"address": address}
        message, confirm = _("Mail sent to this address will no longer be forwarded anywhere."), _("Delete them all")
        fields = [("action", "delete_all"), ("local_part", alias.local_part)]
    else:
        title = _("Delete the alias %(address)s → %(destination)s?") % {"address": address, "destination": alias.destination}
        message, confirm = _("Mail sent to this address will no longer reach this destination."), _("Delete")
        fields = [("action", "delete"), ("id", alias.pk)]
    return confirm_page(request, title=title, message=message, action=url, confirm=confirm, cancel_url=url, fields=fields)


# --- accesses --------------------------------------------------------------------------------


def _grantable(role: str | None) -> list[str]:
    return [value for value in MailDomainRole.values if policies.role_can_grant(actor_role=role, role=value)]


def _accesses_page(request: HttpRequest, domain: MailDomain, *, status: int = 200) -> HttpResponse:
    rows = selectors.access_search(selectors.access_list_for(domain=domain), request.GET.get("q"))
    page = paginate(request, selectors.access_order(rows, ordering_from(request, ACCESS_ORDERING, "user__name")))
    page.object_list = list(page.object_list)
    owners = selectors.owner_count(domain=domain)
    for access in page.object_list:
        # Another owner assumed, as the services check the permission: the last owner is their
        # own refusal, shown with its reason when tried.
        access.abilities = policies.access_abilities(actor_role=domain.user_role, access=access, owner_count=max(owners, 2))
        access.role_choices = role_choices([access.role, *access.abilities["set_role_to"]])
        access.remove_fields = [("action", "remove"), ("id", access.pk)]
    columns = [Column(_("Name"), "user__name"), Column(_("E-mail address"), "user__email"), Column(_("Role"), "role")]
    if _can_manage(domain):
        columns.append(Column(_("Actions")))
    context = _domain_context(request, domain, "accesses", page=page, columns=columns)
    searching = bool(getattr(request, "htmx", None)) and request.htmx.target == "results"
    fragment = "mail/web/_accesses_table.html" if searching else None
    return render_page(request, "mail/web/accesses.html", context, fragment=fragment, status=status)


def _access_posted(request: HttpRequest, domain: MailDomain, form: forms.Form, refusal: str) -> MailDomainAccess | None:
    if not _posted(request, form, refusal):
        return None
    key = "access" if "access" in form.cleaned_data else "id"
    return found(selectors.access_get, domain=domain, access_id=form.cleaned_data[key])


def _access_role(request: HttpRequest, domain: MailDomain) -> HttpResponse:
    form = RoleChangeForm(request.POST)
    access = _access_posted(request, domain, form, _("Choose one of the roles offered."))
    if access is None:
        return _accesses_page(request, domain, status=400)
    role = form.cleaned_data["role"]
    success = _("%(name)s is now %(role)s of the domain.") % {"name": person_name(access.user), "role": MailDomainRole(role).label}
    outcome = run_service(
        request, domain_services.mail_domain_access_update, success=success, actor=request.user, access=access, role=role
    )
    if outcome.ok:
        return redirect(request.get_full_path())
    return _accesses_page(request, _domain(request, domain.slug), status=outcome.status)


def _access_remove(request: HttpRequest, domain: MailDomain) -> HttpResponse:
    access = _access_posted(request, domain, RowForm(request.POST), _("Choose an access of the domain."))
    if access is None:
        return _accesses_page(request, domain, status=400)
    leaving = access.user_id == request.user.pk
    success = (
        _("You no longer have a role on %(domain)s.") % {"domain": domain.name}
        if leaving else _("%(name)s no longer has a role on the domain.") % {"name": person_name(access.user)}
    )
    outcome = run_service(request, domain_services.mail_domain_access_delete, success=success, actor=request.user, access=access)
    if outcome.ok:
        return redirect("mail:list") if leaving else redirect(request.get_full_path())
    return _accesses_page(request, _domain(request, domain.slug), status=outcome.status)


ACCESS_ACTIONS = {"role": _access_role, "remove": _access_remove}


@login_required
@require_http_methods(["GET", "POST"])
def access_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Who has a role on the domain. POST `action=role` (`access`, `role`) changes a role,
    `action=remove` (`id`) removes an access (one's own: leaving)."""
    domain = _domain(request, slug)
    if request.method == "POST":
        action = posted_action(request, ACCESS_ACTIONS)
        if action is None:
            return _accesses_page(request, domain, status=400)
        return action(request, domain)
    return _accesses_page(request, domain)


@login_required
@require_GET
def access_remove(request: HttpRequest, slug: str, access_id: Any) -> HttpResponse:
    """The question the removal dialog asks, as a page (without JavaScript)."""
    domain = _domain(request, slug)
    access = found(selectors.access_get, domain=domain, access_id=access_id)
    abilities = policies.access_abilities(
        actor_role=domain.user_role, access=access, owner_count=max(selectors.owner_count(domain=domain), 2)
    )
    require(abilities["delete"], "You are not allowed to remove this access.")
    url = reverse("mail:accesses", args=[domain.slug])
    return confirm_page(
        request,
        title=_("Remove the role of %(name)s on %(domain)s?") % {"name": person_name(access.user), "domain": domain.name},
        message=_("They will no longer see the domain, its mailboxes and aliases."),
        action=url, confirm=_("Remove"), cancel_url=url, fields=[("action", "remove"), ("id", access.pk)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def access_add(request: HttpRequest, slug: str) -> HttpResponse:
    """Find a person (as `accesses/users/?q=`: colleagues, or anyone by their exact e-mail
    address, those with a role left out) and give them a role the agent may grant."""
    domain = _domain(request, slug)
    require(_can_manage(domain), "You are not allowed to manage accesses for this mail domain.")
    status = 200
    if request.method == "POST":
        form = AccessAddForm(request.POST)
        status = 400
        if form.is_valid():
            outcome = run_service(
                request, domain_services.mail_domain_access_create, actor=request.user, domain=domain.slug,
                user=form.cleaned_data["user"], role=form.cleaned_data["role"],
            )
            if outcome.ok:
                messages.success(request, _("%(name)s now has a role on the domain.") % {"name": person_name(outcome.value.user)})
                return redirect(request.get_full_path())
            status = outcome.status
        else:
            messages.error(request, _("Choose a person and one of the roles offered."))
    people = selectors.access_candidates(user=request.user, domain=domain, query=request.GET.get("q", ""))
    page = paginate(request, people)
    page.object_list = list(page.object_list)
    for person in page.object_list:
        person.is_colleague = identity_policies.user_is_visible_to(user=request.user, target=person)
    context = _domain_context(
        request, domain, "accesses", page=page,
        columns=[Column(_("Name")), Column(_("E-mail address")), Column(_("Give a role"))],
        offered_roles=role_choices(_grantable(domain.user_role)),
    )
    context["breadcrumb"] = [*context["breadcrumb"][:-1], (SECTIONS["accesses"], reverse("mail:accesses", args=[domain.slug])), (_("Add a person"), None)]
    return render_page(request, "mail/web/access_add.html", context, fragment="mail/web/_candidates.html", status=status)


# --- invitations -----------------------------------------------------------------------------


def _added(value: Any) -> str:
    if isinstance(value, MailDomainAccess):
        return _("%(name)s already has an account: they now have a role on the domain.") % {"name": person_name(value.user)}
    return _("An invitation was sent to %(email)s.") % {"email": value.email}


def _invite(request: HttpRequest, domain: MailDomain, form: InvitationForm) -> HttpResponse | int:
    if not form.is_valid():
        return 400
    outcome = run_service(
        request, domain_services.mail_domain_invitation_create, form=form, actor=request.user, domain=domain.slug,
        **form.cleaned_data,
    )
    if not outcome.ok:
        return outcome.status
    messages.success(request, _added(outcome.value))
    return redirect(request.get_full_path())


def _invitation(request: HttpRequest, domain: MailDomain) -> Any:
    form = RowForm(request.POST)
    if not _posted(request, form, _("Choose an invitation of the domain.")):
        return None
    return found(selectors.invitation_get, domain=domain, invitation_id=form.cleaned_data["id"])


def _resend(request: HttpRequest, domain: MailDomain, form: InvitationForm) -> HttpResponse | int:
    invitation = _invitation(request, domain)
    if invitation is None:
        return 400
    outcome = run_service(request, domain_services.mail_domain_invitation_refresh, actor=request.user, invitation=invitation)
    if not outcome.ok:
        return outcome.status
    if isinstance(outcome.value, MailDomainAccess):
        messages.success(request, _added(outcome.value))
    else:
        messages.success(request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email})
    return redirect(request.get_full_path())


def _cancel(request: HttpRequest, domain: MailDomain, form: InvitationForm) -> HttpResponse | int:
    invitation = _invitation(request, domain)
    if invitation is None:
        return 400
    success = _("The invitation to %(email)s was cancelled.") % {"email": invitation.email}
    outcome = run_service(
        request, domain_services.mail_domain_invitation_delete, success=success, actor=request.user, invitation=invitation
    )
    return redirect(request.get_full_path()) if outcome.ok else outcome.status


INVITATION_ACTIONS = {"invite": _invite, "resend": _resend, "cancel": _cancel}


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The domain's invitations with their expiry and their e-mail's delivery; managers invite
    (POST `action=invite`, the default), send again (`resend`, `id`) and cancel (`cancel`, `id`)."""
    domain = _domain(request, slug)
    can_manage = _can_manage(domain)
    offered = _grantable(domain.user_role)
    form = InvitationForm(offered=offered)
    status = 200
    if request.method == "POST":
        require(can_manage, "You are not allowed to manage accesses for this mail domain.")
        action = posted_action(request, INVITATION_ACTIONS, default="invite")
        if action is None:
            status = 400
        else:
            if action is _invite:
                form = InvitationForm(request.POST, offered=offered)
            result = action(request, domain, form)
            if isinstance(result, HttpResponse):
                return result
            status = result
    page = paginate(request, selectors.invitation_list_for(domain=domain))
    page.object_list = list(page.object_list)
    for invitation in page.object_list:
        invitation.delivery = delivery_state(invitation.email_outbox) if invitation.email_outbox else None
        invitation.cancel_fields = [("action", "cancel"), ("id", invitation.pk)]
    columns = [Column(_("E-mail address")), Column(_("Role")), Column(_("Valid until")), Column(_("E-mail"))]
    if can_manage:
        columns.append(Column(_("Actions")))
    context = _domain_context(request, domain, "invitations", page=page, columns=columns, form=form)
    return render(request, "mail/web/invitations.html", context, status=status)


@login_required
@require_GET
def invitation_cancel(request: HttpRequest, slug: str, invitation_id: Any) -> HttpResponse:
    """The question the cancel dialog asks, as a page (without JavaScript)."""
    domain = _domain(request, slug)
    invitation = found(selectors.invitation_get, domain=domain, invitation_id=invitation_id)
    require(_can_manage(domain), "You are not allowed to manage accesses for this mail domain.")
    url = reverse("mail:invitations", args=[domain.slug])
    return confirm_page(
        request,
        title=_("Cancel the invitation to %(email)s?") % {"email": invitation.email},
        message=_("The link in the e-mail already sent will no longer give a role on the domain."),
        action=url, confirm=_("Cancel the invitation"), cancel_url=url, fields=[("action", "cancel"), ("id", invitation.pk)],
    )

