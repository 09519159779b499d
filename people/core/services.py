"""What every app's services share: updating a row and telling the audit what changed, and
turning the model's own validation into a domain error."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models

from people.core import audit
from people.core.errors import AlreadyExists, LastOwner, ValidationFailed
from people.core.policies import is_last_owner


def unknown_fields_check(fields: Iterable[str], *, allowed: Iterable[str]) -> None:
    """A write naming a field the service does not change is refused whole (nothing is written)."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationFailed(
            f"These fields cannot be changed: {', '.join(unknown)}.",
            errors={field: ["This field cannot be changed here."] for field in unknown},
        )


def full_clean(instance: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """The model's validation (constraints, validators, `clean`) as a `ValidationFailed` with
    the model's messages per field (`__all__` for those about the whole row)."""
    try:
        instance.full_clean(exclude=list(exclude) if exclude is not None else None)
    except DjangoValidationError as error:
        raise validation_failed(error) from None


def validation_failed(error: DjangoValidationError) -> ValidationFailed:
    if hasattr(error, "error_dict"):
        errors = {
            field: [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    else:
        errors = {NON_FIELD_ERRORS: [str(message) for message in error.messages]}
    first = next(iter(errors.values()))[0]
    return ValidationFailed(first, errors=errors)


def model_update(
    *,
    instance: models.Model,
    data: Mapping[str, Any],
    clean: bool = False,
    clean_exclude: Iterable[str] | None = None,
    audit_value: Callable[[models.Model, str], Any] | None = None,
) -> dict[str, list[Any]]:
    """Set `data` on `instance` and save only the fields whose value changed.

    Returns `{field: [old, new]}` for the audit entry (empty: nothing was written). `clean`
    runs the model's validation once something changed, before comparing again (validation
    may normalize values) and before writing, so a refusal writes nothing. `audit_value` reads
    a field's value as the audit shows it (a foreign key's id rather than the row, say).
    """
    read = audit_value or (lambda obj, field: getattr(obj, field))
    before = {field: read(instance, field) for field in data}
    for field, value in data.items():
        setattr(instance, field, value)
    changed = _changed(instance, before, read)
    if changed and clean:
        full_clean(instance, exclude=clean_exclude)
        changed = _changed(instance, before, read)
    if not changed:
        return {}
    instance.save(update_fields=[*changed, "updated_at"])
    return audit.diff_values(before, {field: read(instance, field) for field in changed}, changed)


def _changed(
    instance: models.Model, before: dict[str, Any], read: Callable[[models.Model, str], Any]
) -> list[str]:
    return [field for field in before if read(instance, field) != before[field]]


def model_delete(
    *, actor: Any, instance: models.Model, action: str, changes: Mapping[str, Any]
) -> None:
    """Audit, then delete: the entry is written first because a deleted row has lost its
    primary key, which the entry names as its target."""
    audit.record(actor=actor, action=action, target=instance, changes=dict(changes))
    instance.delete()


def last_owner_keep(*, role: str | None, owner_count: int, detail: str) -> None:
    """Refuse a change that would take away the last owner of an object (`policies.is_last_owner`):
    the same error, code `last_owner` (400), for every object that has owners; `detail` names
    the object."""
    if is_last_owner(role=role, owner_count=owner_count):
        raise LastOwner(detail)


def access_create(
    *,
    actor: Any,
    model: type[models.Model],
    scope: Mapping[str, models.Model],
    user: models.Model,
    role: str,
    action: str,
    already: str,
    via: models.Model | None = None,
) -> models.Model:
    """A row of `model` (an access: a team's, a mail domain's) giving `user` `role` on the
    object `scope` names (`{"team": team}`), audited as `action` with the invitation it comes
    from (`via`). One per user and object: a second is refused with `already` (400,
    `already_member`); callers lock the object first."""
    if model.objects.filter(user=user, **scope).exists():
        raise AlreadyExists(already, code="already_member")
    access = model.objects.create(user=user, role=role, **scope)
    changes: dict[str, Any] = {"user": user.pk, "role": role}
    if via is not None:
        changes["invitation"] = via.pk
    audit.record(actor=actor, action=action, target=access, changes=changes)
    return access
