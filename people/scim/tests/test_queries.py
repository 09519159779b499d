"""Listing with a filter and serializing a large team cost a constant number of queries."""

from __future__ import annotations

from urllib.parse import urlencode

from people.identity.models import User, user_search_text
from people.teams.models import TeamAccess
from tests.factories import TeamFactory


def _users(organization, count: int, prefix: str = "agent") -> list[User]:
    return User.objects.bulk_create(
        User(email=f"{prefix}{n}@ministere.gouv.fr", name=f"Agent {n}", organization=organization,
             search_text=user_search_text(f"Agent {n}", f"{prefix}{n}@ministere.gouv.fr"))
        for n in range(count)
    )


def test_listing_1000_users_with_a_filter_is_a_constant_number_of_queries(scim, organization, django_assert_max_num_queries):
    _users(organization, 1000)
    url = "/Users?" + urlencode({"filter": 'userName sw "agent" and emails[type eq "work"]', "count": 1000})
    with django_assert_max_num_queries(3):  # the client's token, the count, the page
        status, body, _r = scim.get(url)
    assert status == 200
    assert (body["totalResults"], len(body["Resources"])) == (1000, 1000)
    with django_assert_max_num_queries(3):
        assert len(scim.get(url.replace("count=1000", "count=5"))[1]["Resources"]) == 5


def test_listing_1000_groups_with_a_filter_is_a_constant_number_of_queries(scim, organization, django_assert_max_num_queries):
    users = _users(organization, 3)
    teams = [TeamFactory(organization=organization, name=f"Team {n}") for n in range(1000)]
    TeamAccess.objects.bulk_create(TeamAccess(team=team, user=user) for team in teams for user in users)
    url = "/Groups?" + urlencode({"filter": f'displayName sw "team" and members[value eq "{users[0].pk}"]', "count": 1000})
    with django_assert_max_num_queries(4):  # the token, the count, the page, the members of the page
        status, body, _r = scim.get(url)
    assert status == 200
    assert (body["totalResults"], len(body["Resources"])) == (1000, 1000)
    assert all(len(group["members"]) == 3 for group in body["Resources"])


def test_a_group_with_5000_members_serializes_without_a_query_per_member(scim, organization, django_assert_max_num_queries):
    users = _users(organization, 5000)
    team = TeamFactory(organization=organization)
    TeamAccess.objects.bulk_create(TeamAccess(team=team, user=user) for user in users)
    with django_assert_max_num_queries(3):  # the token, the team, its members
        status, body, _r = scim.get(f"/Groups/{team.pk}")
    assert status == 200
    assert len(body["members"]) == 5000
    assert {m["value"] for m in body["members"]} == {str(u.pk) for u in users}


def test_groups_without_their_members_skip_loading_them(scim, organization, django_assert_max_num_queries):
    users = _users(organization, 2)
    team = TeamFactory(organization=organization, name="B team")
    TeamFactory(organization=organization, name="A team")
    TeamAccess.objects.bulk_create(TeamAccess(team=team, user=user) for user in users)
    with django_assert_max_num_queries(3):  # the token, the count, the page: no members
        _s, body, _r = scim.get("/Groups?excludedAttributes=members&sortBy=displayName&sortOrder=descending")
    assert [group["displayName"] for group in body["Resources"]] == ["B team", "A team"]
    assert all("members" not in group for group in body["Resources"])
    _s, body, _r = scim.get("/Groups?attributes=displayName&sortBy=displayName")
    assert [set(group) for group in body["Resources"]] == [{"schemas", "id", "displayName"}] * 2


def test_adding_one_member_to_a_group_of_5000_costs_queries_for_that_member_only(scim, organization, django_assert_max_num_queries):
    from people.scim.tests.conftest import patch_body

    users = _users(organization, 5001)
    team = TeamFactory(organization=organization)
    TeamAccess.objects.bulk_create(TeamAccess(team=team, user=user) for user in users[:5000])
    with django_assert_max_num_queries(30):
        status, body, _r = scim.patch(f"/Groups/{team.pk}", patch_body({"op": "add", "path": "members", "value": [{"value": str(users[-1].pk)}]}))
    assert status == 200
    assert len(body["members"]) == 5001
    assert TeamAccess.objects.filter(team=team).count() == 5001
