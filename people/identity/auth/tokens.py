"""What the sign-in accepts from the provider: the ID token, userinfo and the logout token.

The JOSE checks themselves (allowed algorithms, keys, signature, decryption, issuer, audience,
time window) are the provider layer's (`people.oidc.jose`); here are the rules of each of these
three documents. Signatures use the allow-list `OIDC_RP_ALLOWED_ALGOS` plus `OIDC_RP_SIGN_ALGO`.
Userinfo may be a JWE (encrypted to our key, the one published at `/api/v1.0/jwks`) wrapping a
JWS: decrypted first, then verified like an ID token.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from config.env import SIGNING_ALGORITHMS
from people.oidc import jose
from people.oidc.claims import check_time_claims
from people.oidc.errors import InvalidToken, ProviderUnavailable, UnusableAnswer
from people.oidc.http import Answer, json_object


def allowed_algorithms() -> set[str]:
    return ({settings.OIDC_RP_SIGN_ALGO, *settings.OIDC_RP_ALLOWED_ALGOS}) & SIGNING_ALGORITHMS


def _verify(token: str) -> dict[str, Any]:
    return jose.verify_jws(token, algorithms=allowed_algorithms())


def _check_audience(claims: dict[str, Any], *, required: bool, what: str) -> None:
    jose.check_audience(
        claims, client_id=settings.OIDC_RP_CLIENT_ID, required=required, what=what, authorized_party=True
    )


def verify_id_token(token: str, *, nonce: str | None) -> dict[str, Any]:
    """Signature, `iss`, `aud` (and `azp`), `exp`, `iat`, `nbf`, `nonce` and `sub` of an ID token."""
    claims = _verify(token)
    jose.check_issuer(claims.get("iss"))
    _check_audience(claims, required=True, what="token")
    check_time_claims(
        claims, leeway=settings.OIDC_CLOCK_SKEW, require_exp=True, error=InvalidToken, what="ID token"
    )
    if nonce is not None and claims.get("nonce") != nonce:
        raise InvalidToken("nonce mismatch")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip():
        raise InvalidToken("ID token without subject")
    return claims


def decode_userinfo(answer: Answer, *, subject: str | None) -> dict[str, Any]:
    """Claims from a userinfo answer, JSON or JWT (signed, maybe encrypted) by Content-Type.

    `subject` is the ID token's `sub` when there is one (sign-in); None for a bare access token.
    """
    if answer.content_type == "application/jwt":
        token, envelope = answer.body.decode("ascii", errors="replace").strip(), {}
        if token.count(".") == 4:
            token, envelope = jose.decrypt_jwe(token)
        claims = _verify(token)
        if "iss" in claims:
            jose.check_issuer(claims["iss"])
        _check_audience(claims, required=False, what="token")
        jose.check_replicated_claims(envelope, claims)
    elif answer.content_type == "application/json" or answer.content_type.endswith("+json"):
        try:
            claims = json_object(answer.body, what="userinfo")
        except UnusableAnswer as error:
            raise ProviderUnavailable(f"userinfo is not JSON or not an object: {error.reason}") from None
    else:
        raise ProviderUnavailable(f"userinfo has an unexpected content type {answer.content_type!r}")
    # OpenID Connect Core 5.3.2: the userinfo subject must be the ID token's.
    if subject is not None and claims.get("sub") != subject:
        raise InvalidToken("userinfo subject differs from the ID token's")
    return claims


BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def verify_logout_token(token: str) -> dict[str, Any]:
    """OpenID Connect Back-Channel Logout 1.0, section 2.6: signature, iss, aud, iat, exp, the
    logout event, `sub` or `sid`, no `nonce`, a `jti` (replay is the caller's check)."""
    claims = _verify(token)
    jose.check_issuer(claims.get("iss"))
    _check_audience(claims, required=True, what="token")
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
