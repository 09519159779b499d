"""Which account an OpenID identity (`sub`, e-mail) belongs to. Independent of requests: the
sign-in and the resource server's server-to-server calls use the same rule."""

from __future__ import annotations

from django.conf import settings

from people.identity.auth.errors import AmbiguousEmail
from people.identity.models import User, normalize_email


def user_match(*, sub: str | None, email: str | None) -> User | None:
    """The user with this `sub` (inactive ones included, so that a disabled account is found and
    refused rather than duplicated); else, when `OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION` is
    on, the one user with this e-mail (case-insensitive). Never guesses: two users with that
    e-mail raise `AmbiguousEmail`. At most two queries.
    """
    sub = (sub or "").strip()
    if sub:
        user = User.objects.filter(sub=sub).first()
        if user is not None:
            return user
    email = normalize_email(email)
    if not email or not settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION:
        return None
    # E-mails are stored normalized (lower case): an exact match is case-insensitive and indexed.
    users = list(User.objects.filter(email=email).order_by("created_at")[:2])
    if len(users) > 1:
        raise AmbiguousEmail()
    return users[0] if users else None
