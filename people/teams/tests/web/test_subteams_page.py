"""A team's sub-teams (`teams:subteams`): those the agent sees (a parent does not show its
children to its members), and creating one under a team one administers."""

import pytest
from django.urls import reverse

from people.teams.models import TeamRole
from people.teams.tests.web.helpers import table
from tests import factories

pytestmark = pytest.mark.django_db


def url(team) -> str:
    return reverse("teams:subteams", args=[team.pk])


def test_sub_teams_one_sees_and_how_many_others_exist(client, crew):
    mine = factories.TeamFactory(name="Mine", organization=crew.team.organization, parent=crew.team, users=[crew.member])
    factories.TeamFactory(name="Not mine", organization=crew.team.organization, parent=crew.team)
    client.force_login(crew.member)
    body = client.get(url(crew.team)).content.decode()
    rows = table(body)
    assert f'href="/teams/{mine.pk}/"' in rows
    assert "Not mine" not in rows
    assert "1 other sub-team exists, which only its members see." in body
    assert 'id="subteam-create-link"' not in body  # a member does not create sub-teams here


def test_administrators_are_offered_to_create_one(client, crew):
    client.force_login(crew.admin)
    body = client.get(url(crew.team)).content.decode()
    assert f'href="/teams/new/?parent={crew.team.pk}"' in body


def test_an_outsider_gets_404(client, crew):
    client.force_login(crew.outsider)
    assert client.get(url(crew.team)).status_code == 404


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, crew, django_assert_max_num_queries, rows):
    for _number in range(rows):
        factories.TeamFactory(organization=crew.team.organization, parent=crew.team, users=[(crew.owner, TeamRole.OWNER)])
    client.force_login(crew.owner)
    with django_assert_max_num_queries(8):
        assert client.get(url(crew.team), {"page": "last"}).status_code == 200
