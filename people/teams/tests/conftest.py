"""Fixtures of the teams tests: a team with one user per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from people.identity.models import User
from people.teams.models import Team, TeamRole
from tests.factories import OrganizationFactory, TeamAccessFactory, TeamFactory, UserFactory


@dataclass
class Crew:
    team: Team
    owner: User
    admin: User
    member: User
    outsider: User


@pytest.fixture
def crew() -> Crew:
    """A team with an owner, an administrator and a member, plus an outsider of the same organization."""
    organization = OrganizationFactory()
    team = TeamFactory(organization=organization)
    users = {}
    for role in (TeamRole.OWNER, TeamRole.ADMIN, TeamRole.MEMBER):
        users[role] = UserFactory(organization=organization)
        TeamAccessFactory(team=team, user=users[role], role=role)
    return Crew(
        team=team,
        owner=users[TeamRole.OWNER],
        admin=users[TeamRole.ADMIN],
        member=users[TeamRole.MEMBER],
        outsider=UserFactory(organization=organization),
    )


@pytest.fixture
def anonymous():
    """An API client without a session: session-only endpoints answer 401 with a challenge."""
    from rest_framework.test import APIClient

    return APIClient()
