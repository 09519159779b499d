"""Why a bearer token is refused beyond the provider's own reasons (`people.oidc.errors`):
reasons are logged, never sent to the caller beyond a code."""

from __future__ import annotations

from people.oidc.errors import InvalidToken


class UnknownUser(InvalidToken):
    """The token is valid but its subject is not an active user of People (never created here)."""

    code = "unknown_user"
