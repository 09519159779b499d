"""Typed domain errors, raised by services and policies, mapped once to HTTP (and to SCIM).

Services raise only these: a caller (API, admin, SCIM, commands) learns what went wrong from
the type, the `code` and the field messages, never from a framework's exception.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"
    default_detail = _("The request is invalid.")

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: dict[str, Any] | None = None,
    ):
        self.detail = str(detail or self.default_detail)
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(self.detail)

    @property
    def is_field_error(self) -> bool:
        """Only input messages per field, no rule of its own: answered like a form's errors."""
        return bool(self.errors) and self.code == DomainError.code


class ValidationFailed(DomainError):
    """Input that breaks a rule; `errors` maps field names (`__all__` for the whole input) to
    messages, like DRF's."""


class AlreadyExists(DomainError):
    """What the request would create exists already (a member, a pending invitation, an
    override): a rule of the current state, answered 400 as the suite's clients expect. A race
    lost to a concurrent request is `ConcurrentChange` instead."""

    code = "already_exists"
    default_detail = _("This already exists.")


class ConcurrentChange(DomainError):
    """A concurrent request changed the same rows first (a uniqueness race): retrying may work."""

    status_code = 409
    code = "conflict"
    default_detail = _("This conflicts with a concurrent change; reload and try again.")


class LastOwner(DomainError):
    """The change would leave a team without an owner, so nobody could manage it any more: a
    rule of the team's state (400), checked after the caller's own permission."""

    code = "last_owner"
    default_detail = _("A team must keep at least one owner.")


class PermissionDenied(DomainError):
    """The caller may see the object but not do this to it. Objects it may not see are
    `NotFound` instead, so that an answer never tells that they exist."""

    status_code = 403
    code = "permission_denied"
    default_detail = _("You do not have permission to perform this action.")


class NotFound(DomainError):
    """Unknown, or outside what the caller may see: the two are answered alike."""

    status_code = 404
    code = "not_found"
    default_detail = _("Not found.")
