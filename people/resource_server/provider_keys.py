"""The provider's signing keys (its JWKS), used to verify signed introspection responses.

Kept in the Django cache (shared by every worker) for `OIDC_RS_OP_JWKS_CACHE_TTL` seconds. A
response signed with a `kid` we do not know triggers one refresh, at most once every
`OIDC_RS_OP_JWKS_REFRESH_INTERVAL` seconds, so that forged `kid`s cannot flood the provider.
"""

from __future__ import annotations

import json
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from people.resource_server import http
from people.resource_server.errors import ProviderUnavailable

logger = logging.getLogger("people.resource_server")

CACHE_KEY = "rs:op-jwks:v1"
REFRESH_LOCK_KEY = "rs:op-jwks:refreshing"

# Parsing a key set costs more than reading it: remember the last parsed document per process.
_parsed: tuple[str, KeySet] | None = None


def get_key_set(*, refresh: bool = False) -> KeySet:
    """The provider's keys; `refresh=True` asks for fresh ones (rate-limited)."""
    document = None if refresh else cache.get(CACHE_KEY)
    if refresh and not cache.add(REFRESH_LOCK_KEY, 1, settings.OIDC_RS_OP_JWKS_REFRESH_INTERVAL or None):
        document = cache.get(CACHE_KEY)
    if document is None:
        document = _fetch()
        if settings.OIDC_RS_OP_JWKS_CACHE_TTL:
            cache.set(CACHE_KEY, document, settings.OIDC_RS_OP_JWKS_CACHE_TTL)
    return _parse(document)


def _fetch() -> str:
    endpoint = settings.OIDC_OP_JWKS_ENDPOINT
    if not endpoint:
        logger.error("OIDC_OP_JWKS_ENDPOINT is not set: cannot verify signed introspection responses")
        raise ProviderUnavailable("no JWKS endpoint configured")
    try:
        response = http.session().get(
            endpoint,
            headers={"Accept": "application/json"},
            timeout=settings.OIDC_RS_TIMEOUT,
            verify=settings.OIDC_VERIFY_SSL,
        )
    except requests.RequestException as error:
        logger.warning("provider JWKS unreachable: %s", type(error).__name__)
        raise ProviderUnavailable("provider JWKS unreachable") from error
    if response.status_code != 200:
        logger.warning("provider JWKS answered %s", response.status_code)
        raise ProviderUnavailable(f"provider JWKS answered {response.status_code}")
    return response.text


def _parse(document: str) -> KeySet:
    global _parsed
    parsed = _parsed
    if parsed is not None and parsed[0] == document:
        return parsed[1]
    try:
        data = json.loads(document)
        key_set = KeySet.import_key_set({"keys": [key for key in data["keys"] if key.get("use", "sig") == "sig"]})
    except (ValueError, KeyError, TypeError, AttributeError, JoseError) as error:
        cache.delete(CACHE_KEY)
        logger.warning("provider JWKS is not a valid key set: %s", error)
        raise ProviderUnavailable("provider JWKS is invalid") from error
    _parsed = (document, key_set)
    return key_set
