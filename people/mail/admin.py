"""Operators' admin of mail domains: what People holds and where the platform stands, read-only
(managers change it through the API); domains are checked again, disabled and enabled through
the services, audited as operators'."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people.core.admin import ReadOnlyAdminMixin, SearchTextMixin, ServiceAdminMixin
from people.mail.models import Alias, Mailbox, MailDomain, MailDomainAccess, MailDomainInvitation
from people.mail.services import domains as domain_services


class MailDomainAccessInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MailDomainAccess
    fields = ("user", "role", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(MailDomain)
class MailDomainAdmin(ServiceAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "organization", "status", "provisioned", "last_check_at", "created_at")
    list_filter = ("status", "provisioned")
    search_fields = ("name", "slug", "support_email")
    list_select_related = ("organization",)
    readonly_fields = (
        "id", "name", "slug", "organization", "support_email", "status", "failure", "provisioned", "operation",
        "failed_attempts", "last_check_at", "last_check_details", "expected_config", "created_at", "updated_at",
    )
    fields = readonly_fields
    inlines = (MailDomainAccessInline,)
    actions = ("check_again", "disable", "enable")

    def has_change_permission(self, request: HttpRequest, obj: MailDomain | None = None) -> bool:
        """Pages stay read-only; the actions need the change permission."""
        return obj is None and bool(request.user.is_superuser or request.user.has_perm("mail.change_maildomain"))

    def _each(self, request: HttpRequest, queryset: QuerySet, service, **kwargs) -> int:
        """Call `service` on each domain as this operator; how many it accepted."""
        return sum(self.operator_call(request, domain, service, domain=domain, **kwargs) for domain in queryset)

    @admin.action(description=_("Check the selected domains on the mail platform now"), permissions=["change"])
    def check_again(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._each(request, queryset, domain_services.mail_domain_fetch)
        text = ngettext("%(count)d domain will be checked.", "%(count)d domains will be checked.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Disable the selected domains"), permissions=["change"])
    def disable(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._each(request, queryset, domain_services.mail_domain_set_disabled, disabled=True)
        text = ngettext("%(count)d domain disabled.", "%(count)d domains disabled.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Enable the selected domains again"), permissions=["change"])
    def enable(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = self._each(request, queryset, domain_services.mail_domain_set_disabled, disabled=False)
        text = ngettext("%(count)d domain enabled again.", "%(count)d domains enabled again.", count)
        self.message_user(request, text % {"count": count}, messages.SUCCESS)


@admin.register(Mailbox)
class MailboxAdmin(SearchTextMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "first_name", "last_name", "status", "active", "provisioned", "created_at")
    list_filter = ("status", "active", "provisioned")
    search_fields = ("domain__name",)
    list_select_related = ("domain",)
    readonly_fields = (
        "id", "domain", "first_name", "last_name", "local_part", "secondary_email", "status", "active", "failure",
        "provisioned", "operation", "failed_attempts", "created_at", "updated_at",
    )
    fields = readonly_fields


@admin.register(Alias)
class AliasAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "status", "provisioned", "created_at")
    list_filter = ("status", "provisioned")
    search_fields = ("local_part", "destination", "domain__name")
    list_select_related = ("domain",)
    readonly_fields = ("id", "domain", "local_part", "destination", "status", "failure", "provisioned", "operation", "created_at")
    fields = readonly_fields


@admin.register(MailDomainAccess)
class MailDomainAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("domain", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("domain__name", "user__email")
    list_select_related = ("domain", "user")


@admin.register(MailDomainInvitation)
class MailDomainInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("email", "domain", "role", "expires_at", "created_at")
    list_filter = ("role",)
    search_fields = ("email", "domain__name")
    list_select_related = ("domain",)
