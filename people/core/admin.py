"""Operators' views of the audit trail and the outbox, and the bases every admin of People uses
(plain models audited by `OperatorAdmin`; models with services written through `ServiceForm`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from people.core import audit, outbox
from people.core.errors import DomainError
from people.core.models import Audience, AuditEntry, OutboxMessage
from people.core.search import search


class SearchTextMixin:
    """Admin search on the model's `search_text` column: accent- and case-insensitive like the API.

    `search_fields` still lists the exact-match columns (ids, subs) that are ORed in.
    """

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        if not search_term:
            return queryset, False
        by_text = search(queryset, search_term)
        exact, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        return by_text | exact, may_have_duplicates


class _KnownIdsMixin:
    """Show the form again without the submitted ids that cannot be keys of the target (a
    forged "x" for a UUID): Django's autocomplete would look them up and fail with a server
    error instead of showing the field's own "select a valid choice" error."""

    def optgroups(self, name: str, value: list[Any], attr: Any = None) -> Any:
        remote = self.field.remote_field  # type: ignore[attr-defined]
        key = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        valid = []
        for item in value:
            try:
                key.to_python(item)
            except ValidationError:
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)  # type: ignore[misc]


class AutocompleteSelect(_KnownIdsMixin, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(_KnownIdsMixin, widgets.AutocompleteSelectMultiple):
    pass


class OperatorAdmin(admin.ModelAdmin):
    """Writes made in the admin leave an audit entry attributed to the operator.

    Models that have domain services are written through them instead (`ServiceForm` and
    `ServiceAdminMixin` below, `delete_model` calling the service), and the services write
    their own audit entries; this base covers plain models.
    """

    audit_fields: tuple[str, ...] = ()

    def _changes(self, obj: Model, form: Any, change: bool) -> dict[str, Any]:
        """`{field: [old, new]}` from the admin form; related objects as ids."""
        if form is None:
            return {}
        changes = {}
        for name in form.changed_data:
            try:
                field = obj._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many:
                old = sorted(str(getattr(item, "pk", item)) for item in (form.initial.get(name) or []))
                new = sorted(str(item.pk) for item in (form.cleaned_data.get(name) or []))
            else:
                old, new = form.initial.get(name), getattr(obj, field.attname)
            changes[name] = [audit._jsonable(old) if change else None, audit._jsonable(new)]
        return changes

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        changes = self._changes(obj, form, change)
        super().save_model(request, obj, form, change)
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        if not change or changes:
            audit.record(actor=request.user, action=action, target=obj, changes=changes, audience=Audience.OPERATOR)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj, audience=Audience.OPERATOR)
        super().delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Rows added, changed or removed in an inline are audited like the page's own object."""
        forms_by_instance = {id(inline.instance): inline for inline in formset.forms}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj, audience=Audience.OPERATOR)
            obj.delete()
        for obj in instances:
            adding = obj._state.adding
            changes = self._changes(obj, forms_by_instance.get(id(obj)), not adding)
            obj.save()
            action = f"{obj._meta.model_name}.{'create' if adding else 'update'}"
            audit.record(actor=request.user, action=action, target=obj, changes=changes, audience=Audience.OPERATOR)
        formset.save_m2m()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj, audience=Audience.OPERATOR)
        super().delete_queryset(request, queryset)


class ServiceForm(forms.ModelForm):
    """A form whose write is a service call made as an operator, once the form is valid.

    The call happens during validation so that the service's refusals (the last owner, a
    parent in another organization...) become form errors; the service's own transaction
    rolls back whatever it began, so a refusal writes nothing. `write` returns the saved
    object, which the admin then treats as already saved.
    """

    actor: Any = None  # the operator, bound by the ModelAdmin's get_form
    written = False

    def write(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance = self.write(self.cleaned_data)
        except DomainError as error:
            fields = set(self.fields)
            for field, messages_ in error.errors.items():
                self.add_error(field if field in fields else None, messages_)
            if not error.errors or not set(error.errors) & fields:
                self.add_error(None, error.detail)
        except ValidationError as error:  # model validation run by a service (full_clean)
            fields = set(self.fields)
            for field, messages_ in getattr(error, "error_dict", {None: error.error_list}).items():
                self.add_error(field if field in fields else None, messages_)
        else:
            self.written = True


class ReadOnlyAdminMixin:
    """Shown, never written here: no add, change or delete. For rows that something else keeps
    (derived, or written by a service elsewhere) or that must stay as written (the audit trail).
    Serves model admins and inlines alike (an inline's checks take `obj` too)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ServiceAdminMixin:
    """Saving means the form's service call already happened: no model save, no m2m save.

    `add_form` (as in Django's `UserAdmin`) is the form of the add page when creating calls
    another service, with other fields, than changing (`form`)."""

    add_form: type[forms.ModelForm] | None = None

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None and self.add_form is not None:
            kwargs["form"] = self.add_form
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not getattr(form, "written", False):  # only a ServiceForm may write
            raise RuntimeError("The admin writes through the services only.")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def operator_call(self, request: HttpRequest, obj: Any, service: Any, /, **kwargs: Any) -> bool:
        """Call `service` as this operator (`as_operator=True`); a refusal is shown as an error
        message about `obj` instead of failing the page. Returns whether the service accepted."""
        try:
            service(actor=request.user, as_operator=True, **kwargs)
        except DomainError as error:
            self.message_user(request, f"{obj}: {error.detail}", messages.ERROR)
            return False
        return True


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an audit trail that operators could edit would prove nothing."""

    list_display = ("created_at", "actor_label", "audience", "service", "action", "target_type", "target_id", "target_label")
    list_filter = ("audience", "action", "target_type", ("actor", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("=target_id", "target_label", "actor_label", "action", "=service")
    date_hierarchy = "created_at"
    list_select_related = False
    show_full_result_count = False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Delivery status of outbound work. Operators may only put a message back in the queue."""

    list_display = (
        "created_at", "kind", "recipient", "status", "attempts", "max_attempts", "next_attempt_at",
        "last_attempt_at", "lock_state", "delivered_at", "short_error",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = ("=id", "recipient", "kind", "=idempotency_key", "last_error")
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    readonly_fields = (
        "id", "kind", "recipient", "payload", "idempotency_key", "status", "attempts", "max_attempts",
        "next_attempt_at", "lock_state", "last_attempt_at", "locked_until", "last_error", "delivered_at",
        "created_at", "updated_at",
    )
    fields = readonly_fields
    actions = ("retry_now",)
    show_full_result_count = False

    @admin.display(description=_("last error"))
    def short_error(self, obj: OutboxMessage) -> str:
        return Truncator(obj.last_error).chars(80)

    @admin.display(description=_("lock"))
    def lock_state(self, obj: OutboxMessage) -> str:
        """Why nobody delivers a pending row right now: a worker holds it (or died holding it)."""
        if not obj.locked_until or obj.locked_until <= timezone.now():
            return "-"
        return _(
            "held by a worker since %(since)s (attempt %(attempt)d); if that worker died, another "
            "delivers it after %(until)s"
        ) % {
            "since": date_format(timezone.localtime(obj.last_attempt_at), "DATETIME_FORMAT") if obj.last_attempt_at else "?",
            "attempt": obj.attempts,
            "until": date_format(timezone.localtime(obj.locked_until), "DATETIME_FORMAT"),
        }

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry the selected messages now"), permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = outbox.outbox_retry(actor=request.user, messages=queryset)
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count},
            messages.SUCCESS,
        )


# The design system's site configuration (django-dsfr) is not used: the layout's texts are
# People's own (core/templates/core/web/), so operators are not offered a screen that does nothing.
if apps.is_installed("dsfr"):
    from dsfr.models import DsfrConfig

    if admin.site.is_registered(DsfrConfig):
        admin.site.unregister(DsfrConfig)
