"""GET /resource-server/v1.0/teams/ costs what the user's teams cost, whatever the number of teams.

PostgreSQL only: the plans are PostgreSQL's (see people/teams/tests/api/test_teams_list_plan.py).
"""

import pytest

from tests import plans

pytestmark = [pytest.mark.django_db, plans.postgresql_plans]

URL = "/resource-server/v1.0/teams/"


def test_count_page_and_retrieve_read_the_users_teams_by_index(service):
    user = plans.load_teams_at_scale(teams=3000, users=2000, member_of=50)
    client = service.client_for(user, audience="docs")
    with plans.recorded_sql() as statements:
        response = client.get(URL, {"page_size": 20})
    assert response.status_code == 200
    assert response.json()["count"] > 20
    list_reads = plans.reading_teams(statements)
    assert len(list_reads) == 2  # the count and the page
    plans.assert_scans_follow_the_user(list_reads)

    team_id = response.json()["results"][0]["id"]
    with plans.recorded_sql() as statements:
        assert client.get(f"{URL}{team_id}/").json()["id"] == team_id
    retrieve_reads = plans.reading_teams(statements)
    assert len(retrieve_reads) == 1
    plans.assert_scans_follow_the_user(retrieve_reads)
