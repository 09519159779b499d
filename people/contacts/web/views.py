"""Contact pages: the address book (search, pages), a contact, create, edit, one's own version
of someone else's contact (override), delete.

Reads come from `people.contacts.selectors` (the API's), rights from `policies`, writes from
`services` through `run_service`. A contact one may not see is a 404; one seen but not one's
own refuses edition and deletion (403), on the page and to a POST made directly.
"""

from __future__ import annotations

import uuid
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from people.contacts import policies, selectors, services
from people.contacts.models import Contact
from people.contacts.web.forms import LABELS, ContactEditor, kind_label
from people.core.web.actions import ServiceRefused, found, run_service
from people.core.web.pages import Column, confirm_page, paginate, render_page
from people.identity.policies import contact_feature_abilities

LIST_TEMPLATE = "contacts/web/list.html"
# Links shown as links: web addresses only (a `javascript:` URI is valid in the schema).
WEB = ("https://", "http://")
FORM_TEMPLATE = "contacts/web/form.html"


def contacts_page(view):
    """A page of the address book: signed in, and the feature shown (`contacts.can_view` of
    `users/me/`); otherwise the pages do not exist (404), as the header shows no link."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not contact_feature_abilities()["can_view"]:
            raise Http404("contacts are not shown")
        return view(request, *args, **kwargs)

    return wrapper


def _visible(request: HttpRequest, pk: uuid.UUID) -> Contact:
    return found(selectors.contact_get_visible, user=request.user, contact_id=pk)


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise ServiceRefused(_("Only the owner of this contact may change it."))


def _kind(contact: Contact, user) -> str:
    if contact.override_id is not None:
        return _("My version")
    if contact.user_id is not None:
        return _("My profile card") if contact.user_id == user.pk else _("Colleague")
    if contact.owner_id is None:
        return _("Directory")
    return _("My contact")


def _first(contact: Contact, group: str) -> dict:
    entries = [entry for entry in (contact.data or {}).get(group) or [] if isinstance(entry, dict)]
    return entries[0] if entries else {}


@contacts_page
@require_GET
def contact_list(request: HttpRequest) -> HttpResponse:
    """The address book of `contacts/` (same selector): by name, `?q=` searches names and
    e-mails, `?page=`. Rows read only the selector's LIST_FIELDS."""
    query = request.GET.get("q", "").strip()[:254]
    page = paginate(request, selectors.contact_list_visible_to(user=request.user, query=query or None))
    page.object_list = [
        {"contact": contact, "kind": _kind(contact, request.user), "email": _first(contact, "emails").get("value", ""),
         "phone": _first(contact, "phones").get("value", "")}
        for contact in page.object_list
    ]
    context = {
        "page": page,
        "query": query,
        "columns": [Column(_("Name")), Column(_("Kind")), Column(_("E-mail address")), Column(_("Phone number"))],
        "can_create": policies.contact_can_create(user=request.user),
        "breadcrumb": [(_("Contacts"), None)],
    }
    return render_page(request, LIST_TEMPLATE, context, fragment="contacts/web/_results.html")


def _entries(data: dict, group: str) -> list[dict]:
    return [entry for entry in data.get(group) or [] if isinstance(entry, dict)]


def _address(entry: dict) -> str:
    town = " ".join(filter(None, [entry.get("zip"), entry.get("city")]))
    return ", ".join(filter(None, [entry.get("street"), town, entry.get("state"), entry.get("country")]))


def _line(label: str, value: str, href: str | None = None) -> dict:
    return {"kind": label, "value": value, "href": href}


def _group_lines(contact: Contact) -> list[dict]:
    """The contact's profile fields, group by group (titled as on its form), as the page lists
    them: a label, a value, a link when the value is one (e-mail, phone, web address)."""
    data = contact.data or {}
    lines = {
        "emails": [_line(kind_label(e.get("type", "")), e.get("value", ""), f"mailto:{e.get('value', '')}") for e in _entries(data, "emails")],
        "phones": [_line(kind_label(e.get("type", "")), e.get("value", ""), "tel:" + "".join(e.get("value", "").split())) for e in _entries(data, "phones")],
        "addresses": [_line(kind_label(e.get("type", "")), _address(e)) for e in _entries(data, "addresses")],
        "organizations": [_line(e.get("name", ""), " · ".join(filter(None, [e.get("department"), e.get("jobTitle")]))) for e in _entries(data, "organizations")],
        "links": [_line(kind_label(e.get("type", "")), e.get("value", ""), e.get("value") if str(e.get("value", "")).startswith(WEB) else None) for e in _entries(data, "links")],
        "customFields": [_line(name, value) for name, value in data["customFields"].items()] if isinstance(data.get("customFields"), dict) else [],
    }
    return [{"title": LABELS[group][0], "lines": group_lines} for group, group_lines in lines.items() if group_lines]


@contacts_page
@require_GET
def contact_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    contact = _visible(request, pk)
    user = request.user
    can_create = policies.contact_can_create(user=user)
    context = {
        "contact": contact,
        "kind": _kind(contact, user),
        "groups": _group_lines(contact),
        "can_update": policies.contact_can_update(user=user, contact=contact),
        "can_delete": policies.contact_can_delete(user=user, contact=contact),
        "can_see_notes": policies.contact_can_see_notes(user=user, contact=contact),
        # The contact this one is the user's version of, or the user's version of this one.
        "original": contact.override if contact.override_id else None,
        "my_version": selectors.contact_override_of(user=user, contact=contact) if can_create else None,
        "can_override": can_create and policies.contact_can_override(user=user, contact=contact),
        "delete_title": delete_question(contact),
        "delete_message": delete_message(contact),
        "breadcrumb": [(_("Contacts"), reverse("contacts:list")), (contact.full_name, None)],
    }
    return render(request, "contacts/web/detail.html", context)


def _editor_page(request: HttpRequest, editor: ContactEditor, context: dict, *, status: int) -> HttpResponse:
    return render(request, FORM_TEMPLATE, {"editor": editor, **context}, status=status)


def _save(request: HttpRequest, editor: ContactEditor, context: dict, service, *, success: str, **kwargs) -> HttpResponse:
    """POST of a contact's form: a line more (`add`), or the service (then to the contact)."""
    added = request.POST.get("add")
    if added:
        return _editor_page(request, editor.with_line_added(added), context, status=200)
    if not editor.is_valid():
        return _editor_page(request, editor, context, status=400)
    outcome = run_service(request, service, form=editor.form, success=success, actor=request.user,
                          **kwargs, **editor.contact_values())
    if outcome.ok:
        return redirect("contacts:detail", outcome.value.pk)
    return _editor_page(request, editor, context, status=outcome.status)


@contacts_page
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest) -> HttpResponse:
    if not policies.contact_can_create(user=request.user):
        raise ServiceRefused(_("Creating contacts is not offered."))
    context = {
        "title": _("New contact"), "submit": _("Create the contact"), "cancel_url": reverse("contacts:list"),
        "breadcrumb": [(_("Contacts"), reverse("contacts:list")), (_("New contact"), None)],
    }
    if request.method == "POST":
        return _save(request, ContactEditor(request.POST), context, services.contact_create, success=_("Contact created."))
    return _editor_page(request, ContactEditor(), context, status=200)


@contacts_page
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    contact = _visible(request, pk)
    _refuse_unless(policies.contact_can_update(user=request.user, contact=contact))
    detail_url = reverse("contacts:detail", args=[contact.pk])
    context = {
        "title": _("Edit %(name)s") % {"name": contact.full_name}, "submit": _("Save"), "cancel_url": detail_url,
        "contact": contact,
        "breadcrumb": [(_("Contacts"), reverse("contacts:list")), (contact.full_name, detail_url), (_("Edit"), None)],
    }
    if request.method == "POST":
        editor = ContactEditor.for_contact(contact, request.POST)
        return _save(request, editor, context, services.contact_update, success=_("Contact saved."), contact=contact)
    return _editor_page(request, ContactEditor.for_contact(contact), context, status=200)


@contacts_page
@require_http_methods(["GET", "POST"])
def contact_override(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One's own version of a contact one sees (a colleague's profile card, a directory
    contact): from then on the address book shows it instead, to its owner only."""
    contact = _visible(request, pk)
    if not policies.contact_can_create(user=request.user):
        raise ServiceRefused(_("Creating contacts is not offered."))
    existing = selectors.contact_override_of(user=request.user, contact=contact)
    if request.method == "GET" and existing is not None:
        return redirect("contacts:edit", existing.pk)
    _refuse_unless(policies.contact_can_override(user=request.user, contact=contact))
    detail_url = reverse("contacts:detail", args=[contact.pk])
    context = {
        "title": _("My version of %(name)s") % {"name": contact.full_name}, "submit": _("Save my version"),
        "cancel_url": detail_url, "contact": contact, "overriding": True,
        "breadcrumb": [(_("Contacts"), reverse("contacts:list")), (contact.full_name, detail_url), (_("My version"), None)],
    }
    if request.method == "POST":
        return _save(request, ContactEditor.for_contact(contact, request.POST), context, services.contact_create,
                     success=_("Your version is saved: your contacts show it instead of the original."), override=contact)
    return _editor_page(request, ContactEditor.for_contact(contact, with_notes=False), context, status=200)


@contacts_page
@require_http_methods(["GET", "POST"])
def contact_delete(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """GET: the confirmation page (the dialog without JavaScript); POST: delete."""
    contact = _visible(request, pk)
    _refuse_unless(policies.contact_can_delete(user=request.user, contact=contact))
    if request.method == "POST":
        outcome = run_service(request, services.contact_delete, success=_("Contact deleted."), actor=request.user, contact=contact)
        return redirect("contacts:list") if outcome.ok else redirect("contacts:detail", contact.pk)
    return confirm_page(
        request, title=delete_question(contact), message=delete_message(contact),
        action=reverse("contacts:delete", args=[contact.pk]), confirm=_("Delete"),
        cancel_url=reverse("contacts:detail", args=[contact.pk]),
    )


def delete_question(contact: Contact) -> str:
    return _("Delete %(name)s?") % {"name": contact.full_name}


def delete_message(contact: Contact) -> str:
    if contact.override_id:
        return _("Your version goes; your contacts show the original again.")
    return _("The contact and its details are deleted for good.")
