"""Reads of trusted services' API keys."""

from __future__ import annotations

import hmac

from people.resource_server.models import AccountService

# Far above a generated key (43 characters): longer input is not worth hashing.
MAX_KEY_LENGTH = 200


def account_service_for_key(key: str) -> AccountService | None:
    """The usable service holding `key`, or None (unknown, inactive or expired alike)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        return None
    wanted = AccountService.digest(key)
    account = AccountService.objects.select_related("service_provider").filter(key_digest=wanted).first()
    if account is None or not hmac.compare_digest(account.key_digest, wanted) or not account.is_usable:
        return None
    return account
