"""GET /resource-server/v1.0/teams/: the user's teams shared with the calling service."""

import pytest

from tests.factories import ServiceProviderFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/resource-server/v1.0/teams/"


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


def test_list_is_scoped_to_the_service(service):
    user = UserFactory(sub="agent-1")
    service_a = ServiceProviderFactory(audience_id="service-a")
    service_b = ServiceProviderFactory(audience_id="service-b")
    of_a = TeamFactory(users=[user])
    of_a.service_providers.add(service_a)
    of_b = TeamFactory(users=[user])
    of_b.service_providers.add(service_b)
    shared = TeamFactory(users=[user], is_visible_all_services=True)
    TeamFactory(users=[user])  # linked to nobody, not shared
    TeamFactory(is_visible_all_services=True)  # not the user's team
    outsider = TeamFactory()
    outsider.service_providers.add(service_a)

    response = service.client_for(user, audience="service-a").get(URL)
    assert response.status_code == 200
    assert _ids(response) == {str(of_a.pk), str(shared.pk)}
    assert _ids(service.client_for(user, audience="service-b").get(URL)) == {str(of_b.pk), str(shared.pk)}


def test_unknown_service_sees_only_teams_shared_with_all(service):
    user = UserFactory(sub="agent-1")
    linked = TeamFactory(users=[user])
    linked.service_providers.add(ServiceProviderFactory(audience_id="service-a"))
    shared = TeamFactory(users=[user], is_visible_all_services=True)
    assert _ids(service.client_for(user, audience="service-new").get(URL)) == {str(shared.pk)}


def test_list_shape(service):
    user = UserFactory(sub="agent-1")
    team = TeamFactory(users=[user], is_visible_all_services=True, name="Ops")
    TeamFactory(parent=team, organization=team.organization)
    [row] = service.client_for(user).get(URL).json()["results"]
    assert set(row) == {"id", "name", "created_at", "updated_at", "depth", "path", "numchild", "is_visible_all_services"}
    assert (row["name"], row["depth"], row["numchild"]) == ("Ops", 1, 1)


def test_list_is_paginated_and_ordered(service):
    user = UserFactory(sub="agent-1")
    teams = [TeamFactory(users=[user], is_visible_all_services=True) for _ in range(3)]
    client = service.client_for(user)
    body = client.get(URL, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["results"][0]["id"] == str(teams[-1].pk)  # newest first
    ordered = client.get(URL, {"ordering": "created_at", "page_size": 100}).json()["results"]
    assert [row["id"] for row in ordered] == [str(team.pk) for team in teams]
    assert client.get(URL, {"ordering": "secret_field"}).status_code == 200
    assert client.get(URL, {"page": 99}).status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_constant(service, django_assert_max_num_queries, count):
    user = UserFactory(sub="agent-1")
    provider = ServiceProviderFactory(audience_id="service-a")
    for _ in range(count):
        TeamFactory(users=[user]).service_providers.add(provider)
    client = service.client_for(user)
    client.get(URL)
    # user, service provider, count, page
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"page_size": 100})
    assert response.json()["count"] == count
