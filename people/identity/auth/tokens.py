"""Verification of what the provider signs for us: the ID token and JWT userinfo answers.

Only asymmetric algorithms from the allow-list (`OIDC_RP_ALLOWED_ALGOS` plus
`OIDC_RP_SIGN_ALGO`) are accepted: `none` and HMAC are refused before any key is looked at,
and a key is used only with the algorithm family of its type, so the provider's public key can
never serve as an HMAC secret. Userinfo may be a JWE (encrypted to our key, the one published at
`/api/v1.0/jwks`) wrapping a JWS: decrypted first, then verified like an ID token.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.registry import HeaderParameter

from config.oidc import SIGNING_ALGORITHMS
from people.core.jwt_claims import check_time_claims
from people.identity.auth import provider
from people.identity.auth.errors import InvalidToken, ProviderError

logger = logging.getLogger("people.identity.auth")

# RFC 7519 §5.3: the provider may replicate claims in the JWE header; they are compared with
# the signed claims once decrypted and verified.
REPLICATED_HEADERS = {
    "iss": HeaderParameter("Issuer (replicated claim)", "str"),
    "aud": HeaderParameter("Audience (replicated claim)", lambda value: _check_audience_type(value)),
}


def _check_audience_type(value: Any) -> None:
    if not isinstance(value, str) and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError("must be a string or a list of strings")


def allowed_algorithms() -> set[str]:
    return ({settings.OIDC_RP_SIGN_ALGO, *settings.OIDC_RP_ALLOWED_ALGOS}) & SIGNING_ALGORITHMS


def _segment_json(segment: str) -> Any:
    try:
        return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error) as error:
        raise InvalidToken("unreadable JOSE segment") from error


def protected_header(token: str) -> dict[str, Any]:
    header = _segment_json(token.split(".", 1)[0])
    if not isinstance(header, dict):
        raise InvalidToken("JOSE header is not an object")
    return header


def verify_signature(token: str) -> dict[str, Any]:
    """Check a compact JWS against the provider's keys; return its claims (not yet validated)."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise InvalidToken("not a compact JWS")
    header = protected_header(token)
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm not in allowed_algorithms():
        raise InvalidToken(f"signature algorithm {algorithm!r} is not allowed")
    if "crit" in header or "jku" in header or "jwk" in header or "x5u" in header:
        raise InvalidToken("unsupported JOSE header parameter")
    kid = header.get("kid")
    if kid is not None and not isinstance(kid, str):
        raise InvalidToken("kid is not a string")
    try:
        keys = provider.verification_keys(kid, algorithm)
    except provider.ProviderUnavailable as error:
        raise ProviderError(str(error)) from error
    if not keys:
        raise InvalidToken(f"no key of the provider matches kid {kid!r} and {algorithm}")
    for key in keys:
        try:
            signed = jws.deserialize_compact(token, key, algorithms=[algorithm])
        except (JoseError, ValueError, TypeError):
            continue
        try:
            claims = json.loads(signed.payload)
        except ValueError as error:
            raise InvalidToken("signed content is not JSON") from error
        if not isinstance(claims, dict):
            raise InvalidToken("signed content is not a JSON object")
        return claims
    raise InvalidToken("bad signature")


def _check_issuer(value: Any) -> None:
    expected = provider.expected_issuer()
    if expected:
        if value != expected:
            raise InvalidToken(f"issuer {value!r} is not {expected!r}")
        return
    # No issuer configured nor discovered: at least require the token endpoint's origin.
    token_endpoint = provider.endpoints().token_endpoint or ""
    origin = urlsplit(token_endpoint)
    issued = urlsplit(value) if isinstance(value, str) else None
    if not issued or (issued.scheme, issued.netloc) != (origin.scheme, origin.netloc):
        raise InvalidToken(f"issuer {value!r} does not match the provider")


def _check_audience(claims: dict[str, Any], *, required: bool) -> None:
    client_id = settings.OIDC_RP_CLIENT_ID
    audience = claims.get("aud")
    if audience is None and not required:
        return
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences:
        raise InvalidToken("token is not addressed to us")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise InvalidToken("several audiences and we are not the authorized party")


def verify_id_token(token: str, *, nonce: str | None) -> dict[str, Any]:
    """Signature, `iss`, `aud` (and `azp`), `exp`, `iat`, `nbf`, `nonce` and `sub` of an ID token."""
    claims = verify_signature(token)
    _check_issuer(claims.get("iss"))
    _check_audience(claims, required=True)
    check_time_claims(
        claims, leeway=settings.OIDC_CLOCK_SKEW, require_exp=True, error=InvalidToken, what="ID token"
    )
    if nonce is not None and claims.get("nonce") != nonce:
        raise InvalidToken("nonce mismatch")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise InvalidToken("ID token without subject")
    return claims


def decrypt(token: str) -> tuple[str, dict[str, Any]]:
    """Decrypt a compact JWE addressed to our encryption key(s); return plaintext and header."""
    from people.resource_server import keys  # our key ring, published at /api/v1.0/jwks

    header = protected_header(token)
    ring = keys.get_key_ring()
    if not ring:
        raise InvalidToken("encrypted answer but no decryption key configured (OIDC_RS_PRIVATE_KEY_STR)")
    algorithms = [settings.OIDC_RS_ENCRYPTION_ALGO, settings.OIDC_RS_ENCRYPTION_ENCODING]
    if header.get("alg") != algorithms[0] or header.get("enc") != algorithms[1]:
        raise InvalidToken(f"unexpected encryption {header.get('alg')!r}/{header.get('enc')!r}")
    kid = header.get("kid")
    candidates = ring.candidates(kid if isinstance(kid, str) else None)
    registry = jwe.JWERegistry(header_registry=REPLICATED_HEADERS, algorithms=algorithms)
    for key in candidates:
        try:
            return jwe.decrypt_compact(token, key, registry=registry).plaintext.decode("utf-8"), header
        except (JoseError, ValueError, TypeError, UnicodeDecodeError) as error:
            logger.info("JWE decryption with key %s failed: %s", key.kid, type(error).__name__)
            continue
    raise InvalidToken("cannot decrypt the answer with our keys")


def decode_userinfo(response: requests.Response, *, subject: str | None) -> dict[str, Any]:
    """Claims from a userinfo answer, JSON or JWT (signed, maybe encrypted) by Content-Type.

    `subject` is the ID token's `sub` when there is one (sign-in); None for a bare access token.
    """
    if response.status_code != 200:
        raise ProviderError(f"userinfo answered {response.status_code}")
    content_type = response.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type == "application/jwt":
        token, envelope = response.text.strip(), {}
        if token.count(".") == 4:
            token, envelope = decrypt(token)
            token = token.strip()
        claims = verify_signature(token)
        if "iss" in claims:
            _check_issuer(claims["iss"])
        _check_audience(claims, required=False)
        for name in ("iss", "aud"):
            if name in envelope and envelope[name] != claims.get(name):
                raise InvalidToken(f"JWE header {name} differs from the signed claims")
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            claims = response.json()
        except ValueError as error:
            raise ProviderError("userinfo is not JSON") from error
    else:
        raise ProviderError(f"userinfo has an unexpected content type {content_type!r}")
    if not isinstance(claims, dict):
        raise ProviderError("userinfo is not a JSON object")
    # OpenID Connect Core 5.3.2: the userinfo subject must be the ID token's.
    if subject is not None and claims.get("sub") != subject:
        raise InvalidToken("userinfo subject differs from the ID token's")
    return claims


BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def verify_logout_token(token: str) -> dict[str, Any]:
    """OpenID Connect Back-Channel Logout 1.0, section 2.6: signature, iss, aud, iat, exp, the
    logout event, `sub` or `sid`, no `nonce`, a `jti` (replay is the caller's check)."""
    claims = verify_signature(token)
    _check_issuer(claims.get("iss"))
    _check_audience(claims, required=True)
    check_time_claims(claims, leeway=settings.OIDC_CLOCK_SKEW, error=InvalidToken, what="logout token")
    events = claims.get("events")
    if not isinstance(events, dict) or not isinstance(events.get(BACKCHANNEL_LOGOUT_EVENT), dict):
        raise InvalidToken("not a back-channel logout event")
    if "nonce" in claims:
        raise InvalidToken("a logout token carries no nonce")
    sub, sid = claims.get("sub"), claims.get("sid")
    if not (isinstance(sub, str) and sub) and not (isinstance(sid, str) and sid):
        raise InvalidToken("logout token names neither sub nor sid")
    for name in ("sub", "sid"):
        if name in claims and not isinstance(claims[name], str):
            raise InvalidToken(f"{name} is not a string")
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti or len(jti) > 255:
        raise InvalidToken("logout token without jti")
    return claims
