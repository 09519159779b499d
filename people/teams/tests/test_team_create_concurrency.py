"""Creating a team never fails because someone else created one at the same moment (PostgreSQL only).

Paths are allocated from the last sibling's: without a lock, creations started together read
the same last sibling and all but one collide on the unique path.
"""

import time

import pytest

from people.teams import services, tree
from people.teams.models import Team, TeamRole
from tests.concurrency import concurrent_postgresql, run_together
from tests.factories import OrganizationFactory, TeamFactory, UserFactory

pytestmark = concurrent_postgresql

CREATIONS = 24


@pytest.fixture(autouse=True)
def slow_next_path(monkeypatch):
    """Widen the race window between reading the last sibling and inserting after it."""
    real = tree.next_path

    def slow(parent):
        path = real(parent)
        time.sleep(0.02)
        return path

    monkeypatch.setattr(tree, "next_path", slow)


def _assert_distinct_paths(teams):
    paths = [team.path for team in teams]
    assert len(set(paths)) == len(paths) == CREATIONS


def test_top_level_teams_created_at_once_by_two_organizations_all_succeed():
    users = [UserFactory(organization=OrganizationFactory()) for _ in range(2)]
    outcomes = run_together(
        [
            lambda i=i: services.team_create(actor=users[i % 2], name=f"Team {i}")
            for i in range(CREATIONS)
        ]
    )
    assert outcomes == ["ok"] * CREATIONS
    _assert_distinct_paths(Team.objects.filter(depth=1))


def test_sub_teams_of_one_parent_created_at_once_all_succeed():
    organization = OrganizationFactory()
    owner, admin = UserFactory(organization=organization), UserFactory(organization=organization)
    parent = TeamFactory(organization=organization, users=[(owner, TeamRole.OWNER), (admin, TeamRole.ADMIN)])
    outcomes = run_together(
        [
            lambda i=i: services.team_create(actor=(owner, admin)[i % 2], name=f"Sub {i}", parent=parent)
            for i in range(CREATIONS)
        ]
    )
    assert outcomes == ["ok"] * CREATIONS
    children = Team.objects.filter(parent=parent)
    _assert_distinct_paths(children)
    assert all(child.path.startswith(parent.path) and child.depth == 2 for child in children)


def test_top_level_teams_posted_at_once_are_all_created(client_for):
    clients = [client_for(UserFactory(organization=OrganizationFactory())) for _ in range(2)]

    def post(client, name):
        response = client.post("/api/v1.0/teams/", {"name": name}, format="json")
        assert response.status_code == 201, response.json()

    outcomes = run_together([lambda i=i: post(clients[i % 2], f"Team {i}") for i in range(CREATIONS)])
    assert outcomes == ["ok"] * CREATIONS
    _assert_distinct_paths(Team.objects.filter(depth=1))
