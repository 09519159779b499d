"""The time window of a JWT (RFC 7519 §4.1.4-4.1.6): `exp`, `nbf`, `iat`, checked one way.

Used for everything the provider signs for us (ID tokens, logout tokens, JWT introspection
answers) and for the `exp` of a JSON introspection answer. Each caller keeps its own error class
(its layer maps it to HTTP) and names what it checks in the message, so logs stay readable.

A NumericDate must be a finite JSON number: booleans, strings, NaN and infinities (which Python's
`json` accepts) and integers too large for a float are refused, so that no later arithmetic on a
claim (cache lifetimes) can raise.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from typing import Any


def is_numeric_date(value: Any) -> bool:
    """True for a finite JSON number (seconds since the epoch); False for anything else."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int beyond the range of a float
        return False


def check_time_claims(
    claims: Mapping[str, Any],
    *,
    leeway: float,
    error: type[Exception],
    what: str = "token",
    require_iat: bool = True,
    require_exp: bool = False,
    now: float | None = None,
) -> None:
    """Raise `error(message)` unless `claims` is valid now, give or take `leeway` seconds.

    `exp` (expiry) must not be past, `nbf` (not before) and `iat` (issued at) not in the future;
    a claim that is present must be a NumericDate even when it is optional. `iat` is required by
    default (signed tokens), `exp` is not (a logout token may omit it).
    """
    now = time.time() if now is None else now
    exp = claims.get("exp")
    if (exp is not None or require_exp) and (not is_numeric_date(exp) or exp < now - leeway):
        raise error(f"{what} expired or without a valid expiry")
    iat = claims.get("iat")
    if (iat is not None or require_iat) and (not is_numeric_date(iat) or iat > now + leeway):
        raise error(f"{what} issued in the future or without a valid iat")
    nbf = claims.get("nbf")
    if nbf is not None and (not is_numeric_date(nbf) or nbf > now + leeway):
        raise error(f"{what} not yet valid")
