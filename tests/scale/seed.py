"""Run inside `manage.py shell` of the stack's database: two owners of one team, signed in, and
the provider's `alice` for the resource-server calls. Prints the ids and session keys as JSON.

Production refuses the development sign-in, so the sessions are rows written here, as the
sign-in would write them; the instances only read them.
"""

import json

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from people.teams.models import TeamAccess, TeamRole
from tests.factories import OrganizationFactory, TeamFactory, UserFactory


def session_for(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = "people.identity.auth.backends.PasswordBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


organization = OrganizationFactory()
owners = [UserFactory(organization=organization, email=f"owner{n}@scale.example.gouv.fr") for n in (1, 2)]
UserFactory(sub="alice", email="alice.martin@ministere.example.gouv.fr", organization=organization)
# The provider's `bob`, whom one test deactivates (under a rate limit of their own).
UserFactory(sub="bob", email="bob.durand@commune.example.fr", organization=organization)
team = TeamFactory(organization=organization, users=[(user, TeamRole.OWNER) for user in owners])
print(json.dumps({
    "team": str(team.pk),
    "owners": [
        {
            "id": str(user.pk),
            "access": str(TeamAccess.objects.get(team=team, user=user).pk),
            "session": session_for(user),
        }
        for user in owners
    ],
}))
