"""Operators' admin of teams, their accesses, pending invitations and webhooks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.core.admin import (
    AutocompleteSelect,
    OperatorAdmin,
    ReadOnlyAdminMixin,
    SearchTextMixin,
    ServiceAdminMixin,
    ServiceForm,
)
from people.core.errors import DomainError
from people.identity.models import User
from people.teams import policies, selectors, services
from people.teams.models import Invitation, Team, TeamAccess, TeamWebhook


class TeamAddForm(ServiceForm):
    """A team is born with an owner, as through the API: no team is left without one."""

    owner = forms.ModelChoiceField(
        label=_("owner"), queryset=User.objects.filter(is_active=True),
        widget=AutocompleteSelect(TeamAccess._meta.get_field("user"), admin.site),
    )

    class Meta:
        model = Team
        fields = ("name", "organization", "parent", "is_visible_all_services", "service_providers")

    def write(self, data: dict[str, Any]) -> Team:
        return services.team_create(
            actor=self.actor, as_operator=True, name=data["name"], organization=data["organization"],
            owner=data["owner"], parent=data.get("parent"), service_providers=data.get("service_providers") or (),
            is_visible_all_services=data.get("is_visible_all_services", True),
        )


class TeamChangeForm(ServiceForm):
    class Meta:
        model = Team
        fields = ("name", "is_visible_all_services", "service_providers")

    def write(self, data: dict[str, Any]) -> Team:
        changed = {field: data[field] for field in self.changed_data if field in self.Meta.fields}
        if not changed:
            return self.instance
        # The form already copied its values onto self.instance: the service works on the stored row.
        stored = Team.objects.get(pk=self.instance.pk)
        return services.team_update(actor=self.actor, team=stored, as_operator=True, **changed)


class TeamAccessInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Members are listed on their team's page and changed on the access's own page, where the
    last-owner rule applies."""

    model = TeamAccess
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    show_change_link = True


@admin.register(Team)
class TeamAdmin(ServiceAdminMixin, SearchTextMixin, OperatorAdmin):
    """A team's place in the tree (organization, parent) is fixed once created: moving a
    subtree rewrites every descendant's path, which the admin does not offer."""

    list_display = ("name", "organization", "parent", "depth", "is_visible_all_services", "created_at")
    list_filter = ("is_visible_all_services", "depth", "created_at")
    search_fields = ("=id", "=external_id")
    list_select_related = ("organization", "parent")
    autocomplete_fields = ("organization", "parent")
    filter_horizontal = ("service_providers",)
    readonly_fields = ("id", "path", "depth", "external_id", "created_at", "updated_at", "webhooks")
    fields = ("name", "organization", "parent", "is_visible_all_services", "service_providers", *readonly_fields)
    inlines = (TeamAccessInline,)
    show_full_result_count = False

    form = TeamChangeForm
    add_form = TeamAddForm

    def get_fields(self, request: HttpRequest, obj: Team | None = None) -> Any:
        fields = super().get_fields(request, obj)
        return fields if obj is not None else ("name", "organization", "parent", "owner", "is_visible_all_services", "service_providers")

    def get_readonly_fields(self, request: HttpRequest, obj: Team | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("organization", "parent") if obj is not None else ()

    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        self.operator_call(request, obj, services.team_delete, team=obj)

    @admin.display(description=_("webhooks"))
    def webhooks(self, obj: Team) -> str:
        """The team's webhooks and their last delivery's outcome, each linked to its page
        (where it is retried or deleted). Shown, not a formset: nothing is edited here."""
        rows = [
            format_html(
                '<li><a href="{}">{}</a>: {}{}</li>',
                reverse("admin:teams_teamwebhook_change", args=[webhook.pk]), webhook.url,
                webhook.get_status_display(), f" ({webhook.last_error[:200]})" if webhook.last_error else "",
            )
            for webhook in TeamWebhook.objects.filter(team=obj).order_by("created_at")
        ]
        return format_html("<ul>{}</ul>", format_html_join("", "{}", ((row,) for row in rows))) if rows else "-"

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """One by one through the service; a team already gone with its deleted parent is skipped."""
        for team in queryset.order_by("depth"):
            if Team.objects.filter(pk=team.pk).exists():
                self.delete_model(request, team)


class TeamAccessForm(ServiceForm):
    class Meta:
        model = TeamAccess
        fields = ("team", "user", "role")

    def write(self, data: dict[str, Any]) -> TeamAccess:
        if self.instance._state.adding:
            return services.team_access_create(
                actor=self.actor, as_operator=True, team=data["team"], user=data["user"], role=data["role"]
            )
        stored = TeamAccess.objects.get(pk=self.instance.pk)
        return services.team_access_update(actor=self.actor, as_operator=True, access=stored, role=data["role"])


@admin.register(TeamAccess)
class TeamAccessAdmin(ServiceAdminMixin, OperatorAdmin):
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

    def has_delete_permission(self, request: HttpRequest, obj: TeamAccess | None = None) -> bool:
        """A UI hint only (no delete button for the last owner); the service decides."""
        if obj is not None and policies.is_last_owner(access=obj, owner_count=selectors.owner_count(team=obj.team)):
            return False
        return super().has_delete_permission(request, obj)

    def _delete(self, request: HttpRequest, obj: TeamAccess) -> str | None:
        try:
            services.team_access_delete(actor=request.user, access=obj, as_operator=True)
        except DomainError as error:
            return error.detail
        return None

    def delete_model(self, request: HttpRequest, obj: TeamAccess) -> None:
        refusal = self._delete(request, obj)
        if refusal:
            self.message_user(request, f"{obj}: {refusal}", messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        """One by one, each under its team's lock in the service, so a bulk delete cannot
        remove every owner: the accesses it refuses are kept and listed."""
        kept = []
        for access in queryset.select_related("team", "user"):
            refusal = self._delete(request, access)
            if refusal:
                kept.append((str(access), refusal))
        if kept:
            refusals = sorted({refusal for _access, refusal in kept})
            self.message_user(
                request, f"{' '.join(refusals)} ({'; '.join(label for label, _refusal in kept)})", messages.WARNING
            )


class InvitationAddForm(ServiceForm):
    """As through the API: an address already a user's gets the access at once, any other
    gets the invitation and its e-mail (through the outbox)."""

    class Meta:
        model = Invitation
        fields = ("email", "team", "role")

    def _get_validation_exclusions(self) -> set[str]:
        # One pending invitation per address and team is the service's rule (an expired one
        # is replaced): the model's unique constraint must not refuse it first.
        return {*super()._get_validation_exclusions(), "email"}

    def write(self, data: dict[str, Any]) -> Invitation | TeamAccess:
        return services.invitation_create(
            actor=self.actor, as_operator=True, team=data["team"], email=data["email"], role=data["role"]
        )


class InvitationChangeForm(ServiceForm):
    class Meta:
        model = Invitation
        fields = ("role", "expires_at")

    def write(self, data: dict[str, Any]) -> Invitation:
        changed = {field: data[field] for field in self.changed_data if field in self.Meta.fields}
        stored = Invitation.objects.select_related("team").get(pk=self.instance.pk)
        if not changed:
            return stored
        return services.invitation_update(actor=self.actor, invitation=stored, as_operator=True, **changed)


@admin.register(Invitation)
class InvitationAdmin(ServiceAdminMixin, OperatorAdmin):
    """Operators invite, change the role offered or the expiry, send again and withdraw, all
    through the teams services as an owner would: audited, and the e-mail goes out the same."""

    form = InvitationChangeForm
    add_form = InvitationAddForm
    list_display = ("email", "team", "role", "issuer", "expires_at", "expired")
    list_filter = ("role", "expires_at", "created_at")
    search_fields = ("email", "team__name")
    list_select_related = ("team", "issuer")
    autocomplete_fields = ("team",)
    fields = ("email", "team", "role", "issuer", "expires_at", "created_at", "updated_at")
    readonly_fields = ("email", "team", "issuer", "created_at", "updated_at")
    actions = ("refresh",)
    show_full_result_count = False

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> Any:
        return super().get_fields(request, obj) if obj is not None else InvitationAddForm.Meta.fields

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> tuple[str, ...]:
        return tuple(super().get_readonly_fields(request, obj)) if obj is not None else ()

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: str | None = None) -> HttpResponse:
        """The address was a user's: the service made an access, shown instead."""
        if isinstance(obj, TeamAccess):
            self.message_user(request, f"{obj}: {gettext(services.EMAIL_KNOWN)}", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:teams_teamaccess_change", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def delete_model(self, request: HttpRequest, obj: Invitation) -> None:
        self.operator_call(request, obj, services.invitation_delete, invitation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for invitation in queryset.select_related("team"):
            self.delete_model(request, invitation)

    @admin.action(description=_("Extend and send again the selected invitations"), permissions=["change"])
    def refresh(self, request: HttpRequest, queryset: QuerySet) -> None:
        """As the API's `refresh`: a new validity from now and the e-mail again; an address that
        has become a user's gets the access instead."""
        for invitation in queryset.select_related("team"):
            self.operator_call(request, invitation, services.invitation_refresh, invitation=invitation)

    @admin.display(description=_("expired"), boolean=True)
    def expired(self, obj: Invitation) -> bool:
        return obj.is_expired


class TeamWebhookAddForm(ServiceForm):
    """As through the API: the secret is written here once and never shown again."""

    url = forms.CharField(label=_("URL"), max_length=500, help_text=_("the SCIM base URL, e.g. https://service/scim/v2"))
    secret = forms.CharField(label=_("secret"), widget=forms.PasswordInput, strip=False)

    class Meta:
        model = TeamWebhook
        fields = ("team", "url", "secret", "protocol")

    def write(self, data: dict[str, Any]) -> TeamWebhook:
        return services.webhook_create(
            actor=self.actor, as_operator=True, team=data["team"], url=data["url"], secret=data["secret"],
            protocol=data["protocol"],
        )


@admin.register(TeamWebhook)
class TeamWebhookAdmin(ServiceAdminMixin, OperatorAdmin):
    """Webhooks of every team with their last delivery's outcome. "Retry now" sends at once what
    waits in backoff and then the group in full; the outbox messages (key `teams:webhook:<id>`)
    tell each change's story."""

    add_form = TeamWebhookAddForm
    list_display = ("url", "team", "protocol", "status", "last_delivery_at", "remote_id")
    list_filter = ("status", "protocol")
    search_fields = ("=id", "url", "team__name", "=remote_id")
    list_select_related = ("team",)
    autocomplete_fields = ("team",)
    readonly_fields = ("id", "team", "url", "protocol", "remote_id", "status", "last_error", "last_delivery_at", "created_at")
    fields = readonly_fields
    actions = ("retry_now",)
    show_full_result_count = False

    def get_fields(self, request: HttpRequest, obj: TeamWebhook | None = None) -> Any:
        return super().get_fields(request, obj) if obj is not None else TeamWebhookAddForm.Meta.fields

    def get_readonly_fields(self, request: HttpRequest, obj: TeamWebhook | None = None) -> tuple[str, ...]:
        return tuple(super().get_readonly_fields(request, obj)) if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj: TeamWebhook | None = None) -> bool:
        """Nothing is edited in place (a new URL or secret is a new webhook); the action still
        needs the change permission of the list."""
        return super().has_change_permission(request, None) if obj is None else False

    def delete_model(self, request: HttpRequest, obj: TeamWebhook) -> None:
        self.operator_call(request, obj, services.webhook_delete, webhook=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for webhook in queryset.select_related("team"):
            self.delete_model(request, webhook)

    @admin.action(description=_("Retry now the selected webhooks"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = sum(
            self.operator_call(request, webhook, services.webhook_retry, webhook=webhook)
            for webhook in queryset.select_related("team")
        )
        self.message_user(request, gettext("%(count)d webhook(s) queued again.") % {"count": done}, messages.SUCCESS)
