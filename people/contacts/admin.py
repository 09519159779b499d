"""Operators' admin of contacts (address books, profile cards and personal overrides)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.contacts import policies, services
from people.contacts.models import Contact
from people.core.admin import OperatorAdmin, SearchTextMixin, ServiceAdminMixin, ServiceForm

EDITABLE = ("full_name", "short_name", "notes", "data")


class ContactAddForm(ServiceForm):
    """No `user` here: a profile card is made at its user's sign-in, never by hand."""

    class Meta:
        model = Contact
        fields = ("owner", "override", *EDITABLE)

    def write(self, data: dict[str, Any]) -> Contact:
        return services.contact_create(
            actor=self.actor, as_operator=True, owner=data.get("owner"), override=data.get("override"),
            **{field: data.get(field) for field in EDITABLE},
        )


class ContactChangeForm(ServiceForm):
    class Meta:
        model = Contact
        fields = EDITABLE

    def write(self, data: dict[str, Any]) -> Contact:
        changed = {field: data[field] for field in self.changed_data if field in EDITABLE}
        stored = Contact.objects.get(pk=self.instance.pk)
        if not changed:
            return stored
        return services.contact_update(actor=self.actor, contact=stored, as_operator=True, **changed)


class ContactKindFilter(admin.SimpleListFilter):
    """The kinds described on Contact, derived from which of owner/user/override are set."""

    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return (
            ("base", _("base")),
            ("owned", _("owned")),
            ("profile", _("profile")),
            ("override", _("override")),
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value == "base":
            return queryset.filter(owner__isnull=True)
        if value == "owned":
            return queryset.filter(owner__isnull=False, user__isnull=True, override__isnull=True)
        if value == "profile":
            return queryset.filter(user__isnull=False)
        if value == "override":
            return queryset.filter(override__isnull=False)
        return queryset


@admin.register(Contact)
class ContactAdmin(ServiceAdminMixin, SearchTextMixin, OperatorAdmin):
    list_display = ("full_name", "short_name", "owner", "user", "override", "created_at")
    list_filter = (ContactKindFilter, "created_at")
    search_fields = ("=owner__email",)
    list_select_related = ("owner", "user", "override")
    autocomplete_fields = ("owner", "user", "override")
    readonly_fields = ("id", "created_at", "updated_at")
    show_full_result_count = False

    form = ContactChangeForm
    add_form = ContactAddForm

    def get_readonly_fields(self, request: HttpRequest, obj: Contact | None = None) -> tuple[str, ...]:
        """Whose card it is and what it overrides are fixed at creation, as in the API."""
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("owner", "user", "override") if obj is not None else (*fields, "user")

    def has_delete_permission(self, request: HttpRequest, obj: Contact | None = None) -> bool:
        """A UI hint only (no delete button on a profile card); the service decides."""
        if obj is not None and not policies.contact_can_delete(user=request.user, contact=obj, as_operator=True):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Contact) -> None:
        self.operator_call(request, obj, services.contact_delete, contact=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """One by one through the service: profile cards are kept; overrides go with their
        target, so those already gone are skipped."""
        for contact in queryset.select_related("owner", "user"):
            if Contact.objects.filter(pk=contact.pk).exists():
                self.delete_model(request, contact)
