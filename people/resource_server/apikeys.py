"""API keys of trusted services: creation (key shown once), checking, DRF authentication."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from people.core import audit
from people.core.models import Audience
from people.identity.models import ServiceProvider
from people.resource_server.models import AccountService
from people.resource_server.schema import ResourceServerSchema

KEY_BYTES = 32
MAX_KEY_LENGTH = 200


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def account_service_create(
    *,
    actor: Any,
    name: str,
    scopes: Iterable[str],
    expires_at: datetime | None = None,
    service_provider: ServiceProvider | None = None,
) -> tuple[AccountService, str]:
    """A new service and its key. The key is returned once and never stored in clear."""
    key = secrets.token_urlsafe(KEY_BYTES)
    account = AccountService(
        name=(name or "").strip(),
        scopes=sorted(set(scopes)),
        expires_at=expires_at,
        service_provider=service_provider,
        key_prefix=key[:8],
        key_digest=digest(key),
    )
    account.full_clean()
    account.save()
    audit.record(
        actor=actor,
        action="account_service.create",
        target=account,
        changes={"name": account.name, "scopes": account.scopes, "expires_at": expires_at},
    )
    return account, key


@transaction.atomic
def account_service_rotate_key(*, actor: Any, account: AccountService) -> str:
    """Replace the key at once (the old one stops working); returns the new key, shown once."""
    key = secrets.token_urlsafe(KEY_BYTES)
    account.key_prefix, account.key_digest = key[:8], digest(key)
    account.save(update_fields=["key_prefix", "key_digest", "updated_at"])
    audit.record(actor=actor, action="account_service.rotate_key", target=account, changes={"key_prefix": key[:8]})
    return key


def account_service_for_key(key: str) -> AccountService | None:
    """The usable service holding `key`, or None."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    wanted = digest(key)
    account = AccountService.objects.select_related("service_provider").filter(key_digest=wanted).first()
    if account is None or not hmac.compare_digest(account.key_digest, wanted) or not account.is_usable:
        return None
    return account


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: ApiKey <key>`; `request.auth` is the AccountService, the user anonymous."""

    keyword = b"apikey"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed({"detail": "Invalid API key.", "code": "invalid_api_key"})
        try:
            account = account_service_for_key(parts[1].decode("ascii"))
        except UnicodeDecodeError:
            account = None
        if account is None:
            raise exceptions.AuthenticationFailed({"detail": "Invalid API key.", "code": "invalid_api_key"})
        audit.set_context(Audience.SERVICE, service=f"account-service:{account.name}")
        return AnonymousUser(), account

    def authenticate_header(self, request):
        return 'ApiKey realm="resource-server"'


class HasAccountServiceScope(BasePermission):
    """The view's `required_scope` must be among the calling key's scopes (else 403)."""

    message = "This API key does not have the scope this action needs."

    def has_permission(self, request, view) -> bool:
        account = request.auth
        if not isinstance(account, AccountService):
            return False
        return account.has_scope(view.required_scope)


class AccountServiceViewMixin:
    """Opens a view to trusted services' API keys only (no session, no bearer token)."""

    open_to_account_services = True
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasAccountServiceScope]
    required_scope: str = ""
    schema = ResourceServerSchema()


def validate_scopes(values: Iterable[str]) -> list[str]:
    account = AccountService(scopes=list(values))
    try:
        account.clean()
    except ValidationError as error:
        raise ValueError("; ".join(error.messages)) from error
    return account.scopes
