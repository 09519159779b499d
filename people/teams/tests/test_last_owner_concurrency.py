"""The last owner stays even when two owners step away at the same moment (PostgreSQL only)."""

import time

import pytest

from people.teams import selectors, services
from people.teams.models import TeamAccess, TeamRole
from tests.concurrency import concurrent_postgresql, run_together
from tests.factories import TeamFactory, UserFactory

pytestmark = concurrent_postgresql


@pytest.fixture
def slow_owner_count(monkeypatch):
    """Widen the race window: without the team lock, both requests would count two owners."""
    real = selectors.owner_count

    def slow(*, team):
        count = real(team=team)
        time.sleep(0.3)
        return count

    monkeypatch.setattr(selectors, "owner_count", slow)


def _two_owner_team():
    first, second = UserFactory(), UserFactory()
    team = TeamFactory(users=[(first, TeamRole.OWNER), (second, TeamRole.OWNER)])
    return team, [TeamAccess.objects.get(team=team, user=user) for user in (first, second)], [first, second]


@pytest.mark.usefixtures("slow_owner_count")
def test_two_owners_leaving_at_once_leave_one_owner():
    team, accesses, users = _two_owner_team()
    outcomes = run_together(
        [lambda i=i: services.team_access_delete(actor=users[i], access=accesses[i]) for i in range(2)]
    )
    assert sorted(outcomes) == ["last_owner", "ok"]
    assert TeamAccess.objects.filter(team=team, role=TeamRole.OWNER).count() == 1


@pytest.mark.usefixtures("slow_owner_count")
def test_one_steps_down_while_the_other_leaves():
    team, accesses, users = _two_owner_team()
    outcomes = run_together(
        [
            lambda: services.team_access_update(actor=users[0], access=accesses[0], role=TeamRole.MEMBER),
            lambda: services.team_access_delete(actor=users[1], access=accesses[1]),
        ]
    )
    assert sorted(outcomes) == ["last_owner", "ok"]
    assert TeamAccess.objects.filter(team=team, role=TeamRole.OWNER).count() == 1
