"""GET /api/v1.0/teams/ costs what the caller's teams cost, whatever the number of teams.

PostgreSQL only: the plans are PostgreSQL's. A few thousand teams are enough for its planner
to prefer scanning every team if the visibility filter lets it.
"""

import pytest

from people.teams.models import Team
from tests import plans

pytestmark = [pytest.mark.django_db, plans.postgresql_plans]

URL = "/api/v1.0/teams/"


def test_count_and_page_read_the_users_teams_by_index(client_for):
    user = plans.load_teams_at_scale(teams=3000, users=2000, member_of=50)
    client = client_for(user)
    for params, rows in (({"page": 1, "page_size": 20}, 20), ({"page_size": 100}, 100)):
        with plans.recorded_sql() as statements:
            response = client.get(URL, params)
        assert response.status_code == 200
        body = response.json()
        # 50 sub-teams under 50 roots: the roots are visible as their ancestors.
        assert body["count"] == 100
        assert len(body["results"]) == rows
        team_reads = plans.reading_teams(statements)
        assert len(team_reads) == 2, [sql for sql, _ in team_reads]  # the count and the page
        plans.assert_scans_follow_the_user(team_reads)


def test_a_single_team_is_read_by_index(client_for):
    user = plans.load_teams_at_scale(teams=3000, users=2000, member_of=50)
    team = Team.objects.filter(accesses__user=user).first()
    with plans.recorded_sql() as statements:
        response = client_for(user).get(f"{URL}{team.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(team.pk)
    team_reads = plans.reading_teams(statements)
    assert len(team_reads) == 1
    plans.assert_scans_follow_the_user(team_reads)
