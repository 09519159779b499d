"""The abilities of `users/me/`: what the frontend should offer the user across every app.

Each app states its own rule (`identity.policies`, `teams.policies`, `mail.policies`,
`contacts` through identity's feature switch); this module only gathers them, which needs all
the apps.
"""

from __future__ import annotations

from people.identity.models import User
from people.identity.policies import contact_feature_abilities
from people.mail.policies import user_mailbox_abilities
from people.teams.policies import user_team_abilities


def user_abilities(*, user: User) -> dict[str, dict[str, bool]]:
    return {
        "contacts": contact_feature_abilities(),
        "teams": dict(user_team_abilities(user=user)),
        "mailboxes": user_mailbox_abilities(user=user),
    }
