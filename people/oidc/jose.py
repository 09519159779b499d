"""Checks of what the provider signs (JWS) or encrypts to us (JWE), one way for every caller.

- Signatures: only asymmetric algorithms from the caller's allow-list; `none` and HMAC are
  refused before any key is looked at, and a key is used only with the algorithm family of its
  type (`provider.verification_keys`), so the provider's public key never serves as an HMAC
  secret. Header parameters that would fetch or embed keys (`jku`, `jwk`, `x5u`) or that we do
  not understand (`crit`) are refused.
- Encryption: to our own key ring (`keys`), with the configured algorithm and encoding only.
- Issuer: an exact string match with the configured or discovered issuer (OpenID Connect Core
  3.1.3.7, RFC 9207, RFC 9701 §5): no normalisation, and nothing is accepted when no issuer is
  known.
- Time: `claims.check_time_claims`.

A structurally broken input raises `Unreadable` (an `InvalidToken`): the resource server turns it
into the provider's fault, the sign-in into a refused answer.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Collection
from typing import Any

from django.conf import settings
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.registry import HeaderParameter

from people.oidc import http, keys, provider
from people.oidc.errors import InvalidToken, Unreadable, UnusableAnswer

logger = logging.getLogger("people.oidc")

# Header parameters that would make us fetch or trust a key named by the token itself, or that
# change the processing rules (`crit`): none is used by the provider, all are refused.
REFUSED_HEADERS = ("crit", "jku", "jwk", "x5u")


def _check_audience_type(value: Any) -> None:
    if not isinstance(value, str) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError("must be a string or a list of strings")


# RFC 7519 §5.3: the provider may replicate claims in the JWE header; they are compared with
# the signed claims once decrypted and verified (`check_replicated_claims`).
REPLICATED_HEADERS = {
    "iss": HeaderParameter("Issuer (replicated claim)", "str"),
    "aud": HeaderParameter("Audience (replicated claim)", _check_audience_type),
}


def _json(raw: str | bytes, *, what: str) -> dict[str, Any]:
    try:
        return http.json_object(raw, what=what)
    except UnusableAnswer as error:
        raise Unreadable(error.reason, problem=error.problem) from None


def protected_header(token: str) -> dict[str, Any]:
    """The decoded protected header of a compact JWS or JWE (not yet trusted)."""
    segment = token.split(".", 1)[0]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (ValueError, binascii.Error):
        raise Unreadable("JOSE header is not base64url", problem="parse_error") from None
    return _json(raw, what="JOSE header")


def verify_jws(token: str, *, algorithms: Collection[str], typ: str | None = None) -> dict[str, Any]:
    """Check a compact JWS against the provider's keys; return its claims (not yet validated).

    `typ`, when given, is the explicit type the header must carry (RFC 8725 §3.11), compared
    without the `application/` prefix and case.
    """
    if not isinstance(token, str) or token.count(".") != 2:
        raise Unreadable("not a compact JWS", problem="not_a_jws")
    header = protected_header(token)
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in algorithms:
        raise InvalidToken(f"signature algorithm {algorithm!r} is not allowed")
    if typ is not None:
        found = header.get("typ")
        if not isinstance(found, str) or found.lower().removeprefix("application/") != typ:
            raise InvalidToken("missing or unexpected JWS typ")
    if any(name in header for name in REFUSED_HEADERS):
        raise InvalidToken("unsupported JOSE header parameter")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise InvalidToken("kid is not a string")
    candidates = provider.verification_keys(kid, algorithm)
    if not candidates:
        raise InvalidToken(f"no key of the provider matches kid {kid!r} and {algorithm}")
    for key in candidates:
        try:
            signed = jws.deserialize_compact(token, key, algorithms=[algorithm])
        except (JoseError, ValueError, TypeError):
            continue
        return _json(signed.payload, what="signed content")
    raise InvalidToken("bad signature")


def decrypt_jwe(token: str) -> tuple[str, dict[str, Any]]:
    """Decrypt a compact JWE addressed to our key ring; return the plaintext and its header."""
    if not isinstance(token, str) or token.count(".") != 4:
        raise Unreadable("not a compact JWE", problem="not_a_jwe")
    header = protected_header(token)
    ring = keys.get_key_ring()
    if not ring:
        raise InvalidToken("encrypted answer but no decryption key configured (OIDC_RS_PRIVATE_KEY_STR)")
    algorithms = [settings.OIDC_RS_ENCRYPTION_ALGO, settings.OIDC_RS_ENCRYPTION_ENCODING]
    if header.get("alg") != algorithms[0] or header.get("enc") != algorithms[1]:
        raise InvalidToken(f"unexpected encryption {header.get('alg')!r}/{header.get('enc')!r}")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise InvalidToken("JWE kid is not a string")
    registry = jwe.JWERegistry(header_registry=REPLICATED_HEADERS, algorithms=algorithms)
    for key in ring.candidates(kid):
        try:
            plaintext = jwe.decrypt_compact(token, key, registry=registry).plaintext
        except (JoseError, ValueError, TypeError) as error:
            logger.info("JWE decryption with key %s failed: %s", key.kid, type(error).__name__)
            continue
        try:
            return plaintext.decode("utf-8").strip(), header
        except UnicodeDecodeError:
            raise Unreadable("decrypted content is not text", problem="not_a_jws") from None
    raise InvalidToken(f"cannot decrypt the answer with our keys (kid {kid!r})")


def check_replicated_claims(header: dict[str, Any], claims: dict[str, Any]) -> None:
    """Claims copied in a JWE header (RFC 7519 §5.3) must be the signed ones."""
    for name in REPLICATED_HEADERS:
        if name in header and header[name] != claims.get(name):
            raise InvalidToken(f"JWE header {name} differs from the signed claims")


def check_issuer(value: Any, *, required: bool = True) -> None:
    """`iss` must be exactly the provider's issuer; absent is allowed only when not `required`."""
    if value is None and not required:
        return
    expected = provider.endpoints().issuer
    if not expected:
        raise InvalidToken("no issuer configured (OIDC_OP_ISSUER or OIDC_OP_URL): cannot check the issuer")
    if not isinstance(value, str) or value != expected:
        raise InvalidToken(f"issuer {value!r} is not {expected!r}")


def check_audience(
    claims: dict[str, Any], *, client_id: str | None, required: bool, what: str, authorized_party: bool = False
) -> None:
    """`aud` must name `client_id`. With `authorized_party` (OpenID Connect Core 3.1.3.7), several
    audiences are accepted only when `azp` is `client_id`."""
    audience = claims.get("aud")
    if audience is None and not required:
        return
    audiences = audience if isinstance(audience, list) else [audience]
    if not client_id or client_id not in audiences:
        raise InvalidToken(f"{what} is not addressed to us")
    if authorized_party and len(audiences) > 1 and claims.get("azp") != client_id:
        raise InvalidToken(f"{what} has several audiences and we are not the authorized party")
