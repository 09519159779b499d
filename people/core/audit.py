"""Audit trail: `record()` writes who did what to which object, in the caller's transaction.

Who acted through which door (session user, service, SCIM client, operator) is request
context, set once by the authentication layer (`acting_as`) rather than threaded through every
service signature. Services only pass the actor, the action, the target and the changes.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from people.core.models import Audience, AuditEntry


@dataclass
class AuditContext:
    audience: str = Audience.USER
    service: str = ""


_context: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("audit_context", default=None)


def current_context() -> AuditContext | None:
    return _context.get()


@contextlib.contextmanager
def acting_as(audience: str, service: str = "") -> Iterator[AuditContext]:
    """Attribute the changes made inside the block to `audience` (and the calling `service`)."""
    token = _context.set(AuditContext(audience=audience, service=service))
    try:
        yield _context.get()  # type: ignore[misc]
    finally:
        _context.reset(token)


def set_context(audience: str, service: str = "") -> None:
    """Update the context of the current request (called by authentication classes)."""
    context = _context.get()
    if context is None:
        _context.set(AuditContext(audience=audience, service=service))
    else:
        context.audience = audience
        context.service = service


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    return value


def diff(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` for the fields of `instance` that differ from `before`."""
    after = {field: getattr(instance, field) for field in fields}
    return diff_values(before, after, [field for field in fields if before.get(field) != after[field]])


def diff_values(before: dict[str, Any], after: dict[str, Any], fields: list[str]) -> dict[str, list[Any]]:
    """`{field: [old, new]}` as the audit stores them (JSON values)."""
    return {field: [_jsonable(before.get(field)), _jsonable(after.get(field))] for field in fields}


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    audience: str | None = None,
) -> AuditEntry:
    context = current_context()
    if audience is None:
        if context is not None:
            audience = context.audience
        else:
            audience = Audience.USER if actor is not None else Audience.SYSTEM
    actor_obj = actor if getattr(actor, "pk", None) is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        actor_label=(getattr(actor_obj, "email", None) or str(actor_obj.pk)) if actor_obj else "",
        audience=audience,
        service=context.service if context else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:255],
        changes=_jsonable(changes or {}),
    )
