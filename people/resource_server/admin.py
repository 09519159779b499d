"""Operators create trusted services' API keys here; a key is shown once, then only its prefix."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.core.admin import OperatorAdmin
from people.core.models import Audience
from people.resource_server import services
from people.resource_server.models import AccountService, AccountServiceScope


class AccountServiceForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=AccountServiceScope.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = AccountService
        fields = ("name", "scopes", "service_provider", "expires_at", "is_active")


@admin.register(AccountService)
class AccountServiceAdmin(OperatorAdmin):
    form = AccountServiceForm
    list_display = ("name", "key_prefix", "scopes", "service_provider", "expires_at", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "=key_prefix")
    readonly_fields = ("key_prefix", "created_at", "updated_at")
    actions = ("rotate_keys",)

    def save_model(self, request: HttpRequest, obj: AccountService, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        from people.core import audit

        with audit.acting_as(Audience.OPERATOR):
            account, key = services.account_service_create(
                actor=request.user,
                name=obj.name,
                scopes=obj.scopes,
                expires_at=obj.expires_at,
                service_provider=obj.service_provider,
            )
        obj.pk, obj.key_prefix, obj.key_digest = account.pk, account.key_prefix, account.key_digest
        obj._state.adding = False
        obj._state.db = account._state.db
        self._show_key(request, account, key)

    @admin.action(description=_("Replace the API key (the old one stops working)"))
    def rotate_keys(self, request: HttpRequest, queryset: QuerySet[AccountService]) -> None:
        from people.core import audit

        with audit.acting_as(Audience.OPERATOR):
            for account in queryset:
                self._show_key(request, account, services.account_service_rotate_key(actor=request.user, account=account))

    def _show_key(self, request: HttpRequest, account: AccountService, key: str) -> None:
        self.message_user(
            request,
            _("API key of %(name)s, shown only now: %(key)s") % {"name": account.name, "key": key},
            level=messages.WARNING,
        )
