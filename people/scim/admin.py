"""Operators create provisioning clients here; a token is shown once, then only its prefix."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.core import audit
from people.core.admin import OperatorAdmin, ReadOnlyAdminMixin
from people.core.models import Audience
from people.scim import services
from people.scim.models import ScimClient, ScimGroup, ScimUser


@admin.register(ScimClient)
class ScimClientAdmin(OperatorAdmin):
    list_display = ("name", "organization", "token_prefix", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "=token_prefix")
    fields = ("name", "organization", "is_active", "token_prefix", "created_at", "updated_at")
    readonly_fields = ("token_prefix", "created_at", "updated_at")
    autocomplete_fields = ("organization",)
    actions = ("rotate_tokens",)

    def save_model(self, request: HttpRequest, obj: ScimClient, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        with audit.acting_as(Audience.OPERATOR):
            client, token = services.scim_client_create(actor=request.user, name=obj.name, organization=obj.organization)
        obj.pk, obj.token_prefix, obj.token_digest = client.pk, client.token_prefix, client.token_digest
        obj._state.adding = False
        obj._state.db = client._state.db
        self._show_token(request, client, token)

    @admin.action(description=_("Replace the token (the old one stops working)"))
    def rotate_tokens(self, request: HttpRequest, queryset: QuerySet[ScimClient]) -> None:
        with audit.acting_as(Audience.OPERATOR):
            for client in queryset:
                self._show_token(request, client, services.scim_client_rotate_token(actor=request.user, client=client))

    def _show_token(self, request: HttpRequest, client: ScimClient, token: str) -> None:
        self.message_user(
            request, _("Token of %(name)s, shown only now: %(token)s") % {"name": client.name, "token": token},
            level=messages.WARNING,
        )


@admin.register(ScimUser)
class ScimUserAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What provisioning clients said about users (their userName, externalId, deprovisioning):
    written over SCIM only."""

    list_display = ("user", "user_name", "external_id", "deprovisioned_at")
    list_filter = (("deprovisioned_at", admin.EmptyFieldListFilter), "user__organization")
    search_fields = ("user_name", "=external_id", "user__email")
    list_select_related = ("user",)


@admin.register(ScimGroup)
class ScimGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("team", "external_id")
    list_filter = ("team__organization",)
    search_fields = ("=external_id", "team__name")
    list_select_related = ("team",)
