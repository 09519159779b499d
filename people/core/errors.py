"""Typed domain errors, raised by services and policies, mapped once to HTTP (and to SCIM)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400
    code = "invalid"
    default_detail = "The request is invalid."

    def __init__(self, detail: str | None = None, *, code: str | None = None, errors: dict[str, Any] | None = None):
        self.detail = str(detail or self.default_detail)
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(self.detail)


class ValidationFailed(DomainError):
    """Input that breaks a rule; `errors` maps field names to messages, like DRF's."""


class Conflict(DomainError):
    code = "conflict"
    default_detail = "This conflicts with an existing object."


class LastOwner(DomainError):
    code = "last_owner"
    default_detail = "A team must keep at least one owner."


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"
    default_detail = "You do not have permission to perform this action."


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_detail = "Not found."
