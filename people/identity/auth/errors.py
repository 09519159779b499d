"""Why a sign-in is refused. Each error has a stable `code` (sent to the failure page as
`?error=<code>`) and a message meant for the person signing in; details stay in the logs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.core.errors import AlreadyExists, PermissionDenied, ValidationFailed
from people.oidc.errors import InvalidToken, OIDCError, ProviderUnavailable


class AccountDisabled(PermissionDenied):
    code = "account_disabled"
    default_detail = _("Your account is disabled. Please contact your administrator.")


class AccountCreationDisabled(PermissionDenied):
    code = "account_creation_disabled"
    default_detail = _("You have no account here, and accounts are not created at sign-in.")


class AmbiguousEmail(ValidationFailed):
    code = "ambiguous_email"
    default_detail = _(
        "Several accounts use this e-mail address, so we cannot tell which one is yours. "
        "Please contact your administrator."
    )


class EmailTaken(AlreadyExists):
    code = "email_taken"
    default_detail = _("Another account already uses this e-mail address. Please contact your administrator.")


class MissingClaims(ValidationFailed):
    code = "missing_claims"

    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            _("The identity provider did not give the following information: %(claims)s.")
            % {"claims": ", ".join(missing)},
            errors={name: [str(_("This claim is required."))] for name in missing},
        )


# Failures of the sign-in flow itself, never raised: the callback redirects to the failure
# page with their code. The provider's own failures (`InvalidToken`, `ProviderUnavailable`)
# come from `people.oidc`; `login_failed` is any other one, with a generic message.
LOGIN_FAILED = OIDCError.code
INVALID_STATE = "invalid_state"
ACCESS_DENIED = "access_denied"

# Messages shown by the failure page for a code found in its query string (never echoed).
MESSAGES = {
    **{
        error.code: error.default_detail
        for error in (AccountDisabled, AccountCreationDisabled, AmbiguousEmail, EmailTaken)
    },
    MissingClaims.code: _("The identity provider did not give all the information we need."),
    **{error.code: error.message for error in (OIDCError, InvalidToken, ProviderUnavailable)},
    INVALID_STATE: _("This sign-in attempt is unknown or has expired. Please sign in again."),
    ACCESS_DENIED: _("The sign-in was cancelled or refused by the identity provider."),
}
