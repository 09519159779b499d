"""The teams list (`teams:list`): the teams of `GET teams/` (one's own, and those above them in
one's organization), searched without regard to accents, ordered and paginated from the URL."""

import pytest
from django.urls import reverse

from people.teams.models import TeamRole
from people.teams.tests.web.helpers import part, table
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("teams:list")


def test_signed_out_agents_are_sent_to_sign_in(client):
    response = client.get(URL + "?q=x")
    assert response.status_code == 302
    assert response.url == "/signin/?next=/teams/%3Fq%3Dx"


def test_own_teams_and_their_ancestors_with_role_and_counts(client):
    user = factories.UserFactory()
    parent = factories.TeamFactory(name="Direction", organization=user.organization)
    child = factories.TeamFactory(name="Service", organization=user.organization, parent=parent,
                                  users=[(user, TeamRole.ADMIN), factories.UserFactory()])
    factories.TeamFactory(name="Somebody else's", organization=user.organization)
    client.force_login(user)
    rows = table(client.get(URL).content.decode()).split("<tr")[2:]
    assert len(rows) == 2
    direction, service = rows
    assert f'href="/teams/{parent.pk}/"' in direction
    assert "Above one of your teams" in direction
    assert ">0<" in direction  # nobody is a member of the parent team itself
    assert f'href="/teams/{child.pk}/"' in service
    assert "Administrator" in service
    assert ">2<" in service


def test_search_ignores_accents_and_case_and_stays_in_the_url(client):
    user = factories.UserFactory()
    factories.TeamFactory(name="Équipe Numérique", users=[user])
    factories.TeamFactory(name="Budget", users=[user])
    client.force_login(user)
    body = client.get(URL, {"q": "NUMERIQUE"}).content.decode()
    results = table(body)
    assert "Équipe Numérique" in results
    assert "Budget" not in results
    assert 'value="NUMERIQUE"' in body  # the search field keeps what was searched
    assert "No team matches this search." in table(client.get(URL, {"q": "nothing"}).content.decode())


def test_ordering_and_pagination_come_from_the_url(client):
    user = factories.UserFactory()
    for number in range(25):
        factories.TeamFactory(name=f"Team {number:02}", users=[user])
    client.force_login(user)
    first = table(client.get(URL).content.decode())
    assert first.index("Team 00") < first.index("Team 19")
    assert "Team 20" not in first
    descending = table(client.get(URL, {"ordering": "-name"}).content.decode())
    assert descending.index("Team 24") < descending.index("Team 05")
    second = client.get(URL, {"ordering": "-name", "page": "2"}).content.decode()
    assert "Team 04" in table(second)
    assert "Team 05" not in table(second)
    assert 'href="?ordering=-name&amp;page=1"' in part(second, "results")  # links keep the ordering
    # An ordering the page does not offer, or a page out of range, still shows the page.
    assert client.get(URL, {"ordering": "password", "page": "99"}).status_code == 200


def test_htmx_gets_the_results_only(client):
    user = factories.UserFactory()
    factories.TeamFactory(name="Alpha", users=[user])
    client.force_login(user)
    response = client.get(URL, {"q": "alp"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="results"' in body
    assert "Alpha" in body


def test_create_button_follows_the_abilities(client, settings):
    user = factories.UserFactory()
    client.force_login(user)
    assert 'id="team-create-link"' in client.get(URL).content.decode()
    settings.FEATURES = {**settings.FEATURES, "TEAMS_CREATE": False}
    assert 'id="team-create-link"' not in client.get(URL).content.decode()


def test_the_page_is_french_by_default(client):
    client.force_login(factories.UserFactory(language="fr-fr"))
    body = client.get(URL).content.decode()
    assert "Créer une équipe" in body
    assert "Vous n’êtes encore membre d’aucune équipe." in body


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, rows):
    user = factories.UserFactory()
    parent = factories.TeamFactory(organization=user.organization)
    for number in range(rows):
        factories.TeamFactory(name=f"Team {number:03}", organization=user.organization, parent=parent,
                              users=[(user, TeamRole.OWNER), factories.UserFactory()])
    client.force_login(user)
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"page": "last", "ordering": "-created_at"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(URL, {"q": "team"}, HTTP_HX_REQUEST="true").status_code == 200
