"""Why something from the provider is not used: each error has a stable `code`, a `message`
meant for a person (the sign-in failure page shows it) and a `reason` for the logs only.

The sign-in turns these into its failure page, the resource server into 401 / 503 answers.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class OIDCError(Exception):
    """A failure of the protocol itself (token, provider, state): the message stays generic."""

    code = "login_failed"
    message = _("The sign-in failed. Please try again.")

    def __init__(self, reason: str = ""):
        self.reason = reason
        super().__init__(reason or str(self.message))


class InvalidToken(OIDCError):
    """What was presented or signed cannot be trusted: refuse it (sign-in failure, 401)."""

    code = "invalid_token"
    message = _("The answer of the identity provider could not be verified. Please try again.")


class Unreadable(InvalidToken):
    """Not even well-formed (JOSE structure, JSON): a token sent by a caller is refused like any
    invalid one, while a broken answer of the provider itself is the provider's fault (503).
    `problem` is a machine-readable code for the operator's logs."""

    def __init__(self, reason: str, *, problem: str):
        super().__init__(reason)
        self.problem = problem


class ProviderUnavailable(OIDCError):
    """The provider could not be reached, refused our call, or answered something unusable."""

    code = "provider_error"
    message = _("The identity provider could not be reached or refused the sign-in. Please try again later.")


class ProviderRefused(ProviderUnavailable):
    """The provider answered 4xx: our own request or credentials are refused, an operator must act."""


class UnusableAnswer(ProviderUnavailable):
    """An answer we refuse to read (too large, too deep, not JSON, not an object). `problem` is a
    machine-readable code; each caller logs it as its document's problem."""

    def __init__(self, reason: str, *, problem: str):
        super().__init__(reason)
        self.problem = problem
