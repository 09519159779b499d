"""Operators' admin of teams, their accesses and pending invitations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.core import audit
from people.core.admin import OperatorAdmin, SearchTextMixin
from people.core.models import Audience
from people.identity.models import User
from people.teams import policies, selectors, tree
from people.teams.models import Invitation, Team, TeamAccess, TeamRole

LAST_OWNER = _("A team must keep at least one owner: add another owner first.")


class TeamAddForm(forms.ModelForm):
    """A team is born with an owner, as through the API: no team is left without one."""

    owner = forms.ModelChoiceField(
        label=_("owner"), queryset=User.objects.filter(is_active=True),
        widget=AutocompleteSelect(TeamAccess._meta.get_field("user"), admin.site),
    )

    class Meta:
        model = Team
        fields = ("name", "organization", "parent", "is_visible_all_services", "service_providers")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parent, organization = data.get("parent"), data.get("organization")
        if parent is not None and organization is not None and parent.organization_id != organization.pk:
            self.add_error("parent", _("The parent team belongs to another organization."))
        return data


class TeamAccessInline(admin.TabularInline):
    model = TeamAccess
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    show_change_link = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Role changes go through the access's own page, where the last-owner rule applies.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(SearchTextMixin, OperatorAdmin):
    """A team's place in the tree (organization, parent) is fixed once created: moving a
    subtree rewrites every descendant's path, which the admin does not offer."""

    list_display = ("name", "organization", "parent", "depth", "is_visible_all_services", "created_at")
    list_filter = ("is_visible_all_services", "depth", "created_at")
    search_fields = ("=id", "=external_id")
    list_select_related = ("organization", "parent")
    autocomplete_fields = ("organization", "parent")
    filter_horizontal = ("service_providers",)
    readonly_fields = ("id", "path", "depth", "external_id", "created_at", "updated_at")
    fields = ("name", "organization", "parent", "is_visible_all_services", "service_providers", *readonly_fields)
    inlines = (TeamAccessInline,)
    show_full_result_count = False

    def get_form(self, request: HttpRequest, obj: Team | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = TeamAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Team | None = None) -> Any:
        fields = super().get_fields(request, obj)
        return fields if obj is not None else ("name", "organization", "parent", "owner", "is_visible_all_services", "service_providers")

    def get_readonly_fields(self, request: HttpRequest, obj: Team | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("organization", "parent") if obj is not None else ()

    def save_model(self, request: HttpRequest, obj: Team, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            tree.place_and_save(obj)
            owner = form.cleaned_data["owner"]
            TeamAccess.objects.create(team=obj, user=owner, role=TeamRole.OWNER)
            audit.record(
                actor=request.user, action="team.create", target=obj, audience=Audience.OPERATOR,
                changes={"name": obj.name, "parent": obj.parent_id, "owner": owner.pk},
            )


class TeamAccessForm(forms.ModelForm):
    class Meta:
        model = TeamAccess
        fields = ("team", "user", "role")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        stored = None if self.instance._state.adding else TeamAccess.objects.filter(pk=self.instance.pk).first()
        demoted = stored is not None and data.get("role") != TeamRole.OWNER
        if demoted and policies.is_last_owner(access=stored, owner_count=selectors.owner_count(team=stored.team)):
            raise forms.ValidationError(LAST_OWNER, code="last_owner")
        return data


@admin.register(TeamAccess)
class TeamAccessAdmin(OperatorAdmin):
    """The last-owner rule holds here too: the last owner can be neither demoted nor removed
    (delete the team instead)."""

    form = TeamAccessForm
    list_display = ("user", "team", "role", "created_at")
    list_filter = ("role", "created_at")
    search_fields = ("=user__email", "user__name", "team__name")
    list_select_related = ("user", "team")
    autocomplete_fields = ("team", "user")
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: TeamAccess | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("team", "user") if obj is not None else fields

    def _is_last_owner(self, access: TeamAccess) -> bool:
        return policies.is_last_owner(access=access, owner_count=selectors.owner_count(team=access.team))

    def has_delete_permission(self, request: HttpRequest, obj: TeamAccess | None = None) -> bool:
        if obj is not None and self._is_last_owner(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """One by one, each under its team's lock, so a bulk delete cannot remove every owner."""
        kept = []
        for access in queryset.select_related("team", "user"):
            with transaction.atomic():
                list(Team.objects.select_for_update().filter(pk=access.team_id).values_list("pk", flat=True))
                if self._is_last_owner(access):
                    kept.append(str(access))
                    continue
                self.delete_model(request, access)
        if kept:
            self.message_user(request, f"{LAST_OWNER} ({'; '.join(kept)})", messages.WARNING)


@admin.register(Invitation)
class InvitationAdmin(OperatorAdmin):
    """Invitations are sent by team managers (the API sends the e-mail); operators review
    them, extend or shorten their validity, change the role offered, or withdraw them."""

    list_display = ("email", "team", "role", "issuer", "expires_at", "expired")
    list_filter = ("role", "expires_at", "created_at")
    search_fields = ("email", "team__name")
    list_select_related = ("team", "issuer")
    fields = ("email", "team", "role", "issuer", "expires_at", "created_at", "updated_at")
    readonly_fields = ("email", "team", "issuer", "created_at", "updated_at")
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj: Invitation) -> bool:
        return obj.is_expired
