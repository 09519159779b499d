"""What a new account gets from every app, whichever door created it."""

from __future__ import annotations

from people.contacts.services import profile_contact_ensure
from people.identity.models import User
from people.identity.onboarding import onboarding_enqueue
from people.mail.services.domains import mail_domain_invitation_accept_pending
from people.teams.services import invitation_accept_pending


def user_welcome(*, user: User) -> None:
    """A user now exists: their profile card, the team and mail-domain accesses their address
    was invited to, their onboarding (queued in the outbox). Registered with `identity.lifecycle` at start-up, run by
    `identity.services.user_create` in the creation's transaction."""
    profile_contact_ensure(user=user)
    invitation_accept_pending(user=user)
    mail_domain_invitation_accept_pending(user=user)
    onboarding_enqueue(user=user)
