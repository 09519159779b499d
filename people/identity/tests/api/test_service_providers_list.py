import pytest
from rest_framework.test import APIClient

from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/service-providers/"


def names(response):
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def me():
    user = UserFactory()
    user.organization.service_providers.add(
        ServiceProviderFactory(name="Visio", audience_id="visio"),
        ServiceProviderFactory(name="Docs", audience_id="docs"),
        ServiceProviderFactory(name="Messagerie", audience_id="mail"),
    )
    return user


def test_anonymous_gets_401():
    assert APIClient().get(URL).status_code == 401


def test_lists_providers_of_own_organization_by_name(client_for, me):
    other = ServiceProviderFactory(name="Other", audience_id="other")
    UserFactory().organization.service_providers.add(other)
    # a provider used by one of my teams but not linked to my organization stays hidden
    team = TeamFactory(organization=me.organization, users=[me])
    team.service_providers.add(ServiceProviderFactory(name="Team only", audience_id="team-only"))
    response = client_for(me).get(URL)
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert names(response) == ["Docs", "Messagerie", "Visio"]
    assert set(response.json()["results"][0]) == {"id", "audience_id", "name"}


def test_user_without_organization_gets_empty_page(client_for):
    response = client_for(UserFactory(organization=None)).get(URL)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_filter_name_icontains_and_audience_exact(client_for, me):
    client = client_for(me)
    assert names(client.get(URL, {"name": "SAG"})) == ["Messagerie"]
    assert names(client.get(URL, {"audience_id": "docs"})) == ["Docs"]
    assert names(client.get(URL, {"audience_id": "doc"})) == []


def test_ordering(client_for, me):
    client = client_for(me)
    assert names(client.get(URL, {"ordering": "-name"})) == ["Visio", "Messagerie", "Docs"]
    assert names(client.get(URL, {"ordering": "created_at"})) == ["Visio", "Docs", "Messagerie"]
    assert names(client.get(URL, {"ordering": "-created_at"})) == ["Messagerie", "Docs", "Visio"]
    assert names(client.get(URL, {"ordering": "audience_id,secret"})) == ["Docs", "Messagerie", "Visio"]


def test_huge_filter_is_400(client_for, me):
    response = client_for(me).get(URL, {"name": "x" * 1000})
    assert response.status_code == 400
    assert "name" in response.json()


def test_writes_are_405(client_for, me):
    assert client_for(me).post(URL, {"name": "x", "audience_id": "x"}, format="json").status_code == 405


@pytest.mark.parametrize("rows", [5, 50])
def test_constant_query_count(client_for, django_assert_max_num_queries, rows):
    user = UserFactory()
    user.organization.service_providers.add(*ServiceProviderFactory.create_batch(rows))
    client = client_for(user)
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("ordering", ["x" * 10000, "-name\x00", "-name,-name,created_at"], ids=["long", "nul", "repeated"])
def test_ordering_is_parsed_as_on_every_list(client_for, me, ordering):
    """Unknown names are ignored, whatever their length, as on teams/ and accesses/."""
    expected = ["Visio", "Messagerie", "Docs"] if ordering.startswith("-name,") else ["Docs", "Messagerie", "Visio"]
    assert names(client_for(me).get(URL, {"ordering": ordering})) == expected
