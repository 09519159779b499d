"""Why a bearer token is refused: reasons are logged, never sent to the caller beyond a code."""

from __future__ import annotations


class InvalidToken(Exception):
    """The token cannot authenticate anyone (401). `reason` is for the logs only."""

    code = "invalid_token"

    def __init__(self, reason: str, *, code: str | None = None):
        super().__init__(reason)
        self.reason = reason
        if code:
            self.code = code


class UnknownUser(InvalidToken):
    """The token is valid but its subject is not an active user of People (never created here)."""

    code = "unknown_user"


class ProviderUnavailable(Exception):
    """The provider could not answer in time or answered nonsense (503): not the caller's fault."""
