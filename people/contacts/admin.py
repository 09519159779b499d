"""Operators' admin of contacts (address books, profile cards and personal overrides)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.contacts.models import Contact
from people.core.admin import OperatorAdmin, SearchTextMixin


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
class ContactAdmin(SearchTextMixin, OperatorAdmin):
    list_display = ("full_name", "short_name", "owner", "user", "override", "created_at")
    list_filter = (ContactKindFilter, "created_at")
    search_fields = ("=owner__email",)
    list_select_related = ("owner", "user", "override")
    autocomplete_fields = ("owner", "user", "override")
    readonly_fields = ("id", "created_at", "updated_at")
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Contact | None = None) -> tuple[str, ...]:
        """Whose card it is and what it overrides are fixed at creation, as in the API."""
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("owner", "user", "override") if obj is not None else fields
