"""Writes on trusted services' API keys: creation and rotation, each key shown once."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction

from people.core import audit
from people.identity.models import ServiceProvider
from people.resource_server.models import AccountService

KEY_BYTES = 32


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
        key_digest=AccountService.digest(key),
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
    account.key_prefix, account.key_digest = key[:8], AccountService.digest(key)
    account.save(update_fields=["key_prefix", "key_digest", "updated_at"])
    audit.record(actor=actor, action="account_service.rotate_key", target=account, changes={"key_prefix": key[:8]})
    return key
