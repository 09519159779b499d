"""The account behind a verified set of identity claims: found, refreshed or created.

Identity checks the provider's answers (`identity.auth`: tokens, claims, matching); deciding
the account joins the apps (a refreshed account's profile card, a new one's invitations), so
it lives here, above them, and `OIDCAuthenticationBackend` below plugs it into identity's
OpenID Connect backend (the class named in AUTHENTICATION_BACKENDS).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from people.contacts.services import profile_contact_ensure
from people.core import audit
from people.core.errors import ValidationFailed
from people.core.models import Audience
from people.identity.auth import claims as read
from people.identity.auth.backends import (
    OIDCAuthenticationBackend as IdentityOIDCAuthenticationBackend,
)
from people.identity.auth.errors import (
    AccountCreationDisabled,
    AccountDisabled,
    EmailTaken,
    MissingClaims,
)
from people.identity.auth.matching import user_match
from people.identity.models import User
from people.identity.services import organization_get_or_create_for, user_create, user_update

logger = logging.getLogger("people.identity.auth")


class OIDCAuthenticationBackend(IdentityOIDCAuthenticationBackend):
    def account_for(self, claims: dict[str, Any]) -> User:
        return user_from_claims(claims=claims)


@transaction.atomic
def user_from_claims(*, claims: dict[str, Any]) -> User:
    """The active account for these (already verified) claims. All or nothing, in one transaction.

    - matched by `sub`, else by e-mail when allowed (see `user_match`); a disabled account is
      refused (`AccountDisabled`), never duplicated;
    - an account matched by e-mail is bound to the new `sub` (audited as `user.sub_rebind`);
    - e-mail, name and short name follow the claims when they changed; an e-mail already used
      by another account is not taken over (kept as it was, logged);
    - no match: created when `OIDC_CREATE_USER` (else `AccountCreationDisabled`), in the
      organization of the registration-id claim or of the e-mail's domain (created without any
      administrator if missing) by `user_create`, which gives it a profile contact, turns its
      pending invitations into accesses and queues its onboarding;
    - a user who signs in always has an organization: claims with neither an e-mail nor a
      registration id are refused (`MissingClaims`) for a new account, and for an existing one
      that has none yet; an existing account without one gets it from the claims.
    """
    missing = read.missing_essential_claims(claims)
    if missing:
        raise MissingClaims(missing)
    sub = read.text(claims.get("sub"))
    email = read.email_from(claims)
    name = read.full_name_from(claims)
    short_name = read.short_name_from(claims)

    with audit.acting_as(Audience.SYSTEM):
        user = user_match(sub=sub, email=email)
        if user is None:
            return _create(claims=claims, sub=sub, email=email, name=name, short_name=short_name)
        if not user.is_active:
            raise AccountDisabled()
        return _refresh(user=user, claims=claims, sub=sub, email=email, name=name, short_name=short_name)


def _refresh(*, user: User, claims: dict[str, Any], sub: str, email: str | None, name: str, short_name: str) -> User:
    changes: dict[str, Any] = {}
    if user.organization_id is None:
        # An account made without one (by an operator, say) gets its organization at sign-in.
        organization = _organization_from(claims=claims, email=email or user.email)
        if organization is None:
            raise MissingClaims(_organization_claims())
        changes["organization"] = organization
    if user.sub != sub:
        changes["sub"] = sub
    if name and user.name != name:
        changes["name"] = name
    if short_name and user.short_name != short_name:
        changes["short_name"] = short_name
    if email and user.email != email:
        if settings.USER_EMAIL_UNIQUE and User.objects.filter(email=email).exclude(pk=user.pk).exists():
            logger.warning("sign-in: e-mail change refused, address used by another account", extra={"user_id": str(user.pk)})
        else:
            changes["email"] = email
    if changes:
        user = user_update(actor=user, user=user, **changes)
    profile_contact_ensure(user=user)
    return user


def _organization_from(*, claims: dict[str, Any], email: str | None):
    """The organization of the registration-id claim, else of the e-mail's domain (created if
    missing); None when the claims carry neither."""
    registration_id = read.registration_id_from(claims)
    domain = email.split("@", 1)[1] if email else None
    if not registration_id and not domain:
        return None
    return organization_get_or_create_for(registration_id=registration_id, domain=domain)


def _organization_claims() -> list[str]:
    field = settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD
    return ["email", field] if field else ["email"]


def _create(*, claims: dict[str, Any], sub: str, email: str | None, name: str, short_name: str) -> User:
    if not settings.OIDC_CREATE_USER:
        raise AccountCreationDisabled()
    if email and settings.USER_EMAIL_UNIQUE and User.objects.filter(email=email).exists():
        # Only reachable with the e-mail fallback off: the address belongs to another account.
        raise EmailTaken()
    organization = _organization_from(claims=claims, email=email)
    if organization is None:
        # Users who sign in always belong to an organization: without an e-mail address nor a
        # registration id there is none to choose, and nothing is created.
        raise MissingClaims(_organization_claims())
    try:
        return user_create(actor=None, sub=sub, email=email, name=name, short_name=short_name, organization=organization)
    except (ValidationFailed, IntegrityError) as error:
        # A concurrent first sign-in of the same person created it a moment ago.
        existing = User.objects.filter(sub=sub).first()
        if existing is None:
            raise EmailTaken() from error
        if not existing.is_active:
            raise AccountDisabled() from error
        return existing
