"""Who may call a view opened to services, once authentication has said who calls."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from people.resource_server.authentication import ServiceCredentials
from people.resource_server.models import AccountService


class IsServiceCall(BasePermission):
    """An active user authenticated through a service's bearer token."""

    authentication_only = True  # refuses only what authentication refused: a 401, never a 403

    def has_permission(self, request, view) -> bool:
        return bool(
            request.user
            and request.user.is_authenticated
            and isinstance(request.auth, ServiceCredentials)
        )


class HasAccountServiceScope(BasePermission):
    """The view's `required_scope` must be among the calling key's scopes (else 403)."""

    message = "This API key does not have the scope this action needs."

    def has_permission(self, request, view) -> bool:
        account = request.auth
        if not isinstance(account, AccountService):
            return False
        return account.has_scope(view.required_scope)
