"""Operators' admin of users, organizations and service providers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import forms as auth_forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from people.core import audit
from people.core.admin import OperatorAdmin, ReadOnlyAdminMixin, SearchTextMixin
from people.core.models import Audience
from people.identity import services
from people.identity.models import (
    Organization,
    OrganizationAccess,
    OrganizationIdentifier,
    ServiceProvider,
    User,
)


class CommaSeparatedListField(forms.CharField):
    """A list of strings edited as `a, b, c`; normalisation and checks stay in the model's clean()."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = super().to_python(value) or ""
        return [item.strip() for item in text.replace("\n", ",").split(",") if item.strip()]

    def has_changed(self, initial: Any, data: Any) -> bool:
        return sorted(initial or []) != sorted(self.to_python(data))


class OrganizationForm(forms.ModelForm):
    registration_id_list = CommaSeparatedListField(
        label=_("registration ids"), required=False, max_length=10_000,
        help_text=_("Comma-separated, e.g. SIRET numbers."),
    )
    domain_list = CommaSeparatedListField(
        label=_("mail domains"), required=False, max_length=10_000,
        help_text=_("Comma-separated, e.g. example.gouv.fr, mairie.example.fr"),
    )

    class Meta:
        model = Organization
        fields = ("name", "registration_id_list", "domain_list", "is_active", "metadata", "service_providers")


class OrganizationAccessInline(admin.TabularInline):
    model = OrganizationAccess
    extra = 0
    autocomplete_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(OperatorAdmin):
    form = OrganizationForm
    list_display = ("name", "registration_ids", "domains", "is_active", "created_at")
    list_filter = ("is_active", "created_at")
    search_fields = ("name", "=identifier_rows__value")
    filter_horizontal = ("service_providers",)
    inlines = (OrganizationAccessInline,)
    readonly_fields = ("id", "created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name in services.ORGANIZATION_FIELDS}
        if fields:
            stored = Organization.objects.get(pk=obj.pk)
            services.organization_update(actor=request.user, organization=stored, **fields)

    @admin.display(description=_("registration ids"))
    def registration_ids(self, obj: Organization) -> str:
        return ", ".join(obj.registration_id_list)

    @admin.display(description=_("mail domains"))
    def domains(self, obj: Organization) -> str:
        return ", ".join(obj.domain_list)


@admin.register(OrganizationIdentifier)
class OrganizationIdentifierAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived from organizations' lists (Organization.save): shown, never edited here."""

    list_display = ("value", "kind", "organization")
    list_filter = ("kind",)
    search_fields = ("=value", "organization__name")
    list_select_related = ("organization",)


@admin.register(OrganizationAccess)
class OrganizationAccessAdmin(OperatorAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "created_at")
    search_fields = ("user__email", "user__name", "organization__name")
    autocomplete_fields = ("user", "organization")
    list_select_related = ("user", "organization")


@admin.register(ServiceProvider)
class ServiceProviderAdmin(OperatorAdmin):
    list_display = ("name", "audience_id", "created_at")
    list_filter = ("created_at",)
    search_fields = ("name", "=audience_id")
    readonly_fields = ("id", "created_at", "updated_at")


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes: dict = {}


class UserCreationForm(auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("email", "name", "sub", "organization")
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(SearchTextMixin, OperatorAdmin, auth_admin.UserAdmin):
    """Users; `sub` (the OpenID subject) may be set at creation but never changed afterwards,
    since it ties the account to its identity at the provider."""

    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password", "sub")}),
        (_("Personal info"), {"fields": ("name", "short_name", "language", "timezone", "organization")}),
        (_("Permissions"), {"fields": ("is_active", "is_device", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "name", "sub", "organization", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "name", "organization", "is_active", "is_staff", "is_device", "created_at")
    list_filter = ("is_active", "is_staff", "is_superuser", "is_device", "language", "created_at")
    list_select_related = ("organization",)
    search_fields = ("=sub", "=id")
    ordering = ("-created_at",)
    autocomplete_fields = ("organization",)
    readonly_fields = ("last_login", "created_at", "updated_at")
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A new user is created by `user_create`, as at a first sign-in (pending invitations
        become accesses, profile card, onboarding). On change, identity fields go through
        `user_update` (e-mail rules, audit); the admin-only flags (staff, superuser, device)
        are saved here and audited the same way."""
        if not change:
            data = form.cleaned_data
            created = services.user_create(
                actor=request.user, audience=Audience.OPERATOR, email=data.get("email"), name=data.get("name") or "",
                sub=data.get("sub"), organization=data.get("organization"),
                password=data.get("password1") if data.get("set_usable_password") else None,
            )
            # The admin goes on with `obj` (its log entry, the redirect to its page): the stored row.
            obj.pk = created.pk
            obj.refresh_from_db()
            obj._state.adding = False
            return
        identity = {name: getattr(obj, name) for name in form.changed_data if name in services.USER_IDENTITY_FIELDS}
        if identity:
            services.user_update(actor=request.user, user=User.objects.get(pk=obj.pk), **identity)
        concrete = {field.name for field in User._meta.concrete_fields}
        flags = [name for name in form.changed_data if name in concrete and name not in identity and name != "password"]
        if flags:
            obj.save(update_fields=[*flags, "updated_at"])
        # Flags and group/permission changes (saved with the form's many-to-many data).
        changes = {
            name: value for name, value in self._changes(obj, form, change).items()
            if name in flags or name in ("groups", "user_permissions")
        }
        if changes:
            audit.record(actor=request.user, action="user.update", target=obj, audience=Audience.OPERATOR, changes=changes)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(actor=request.user, action="user.password_change", target=user, audience=Audience.OPERATOR)
        return response

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + ("sub",) if obj is not None else fields
