"""The filter grammar (RFC 7644 §3.4.2.2), one test per rule, translated to SQL; pagination,
sorting, attribute selection and searches by POST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from people.identity.models import User
from people.scim.filters import MAX_FILTER_LENGTH
from people.scim.tests.test_auth import assert_scim_error

T0 = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def people(scim):
    alice = scim.create_user("Alice@ministere.gouv.fr", displayName="Alice Martin")
    bob = scim.create_user("bob@ministere.gouv.fr", displayName="Bob Durand", active=False, externalId="B-1")
    carol = scim.create_user("carol", emails=[{"value": "carol@x.fr", "type": "work"}])
    for day, body in enumerate((alice, bob, carol)):
        User.objects.filter(pk=body["id"]).update(created_at=T0 + timedelta(days=day), updated_at=T0 + timedelta(days=day))
    return scim


def names(scim, filter_text: str, path: str = "/Users", **params) -> list[str]:
    status, body, _r = scim.get(f"{path}?{urlencode({'filter': filter_text, **params})}")
    assert status == 200, body
    return sorted(resource.get("userName") or resource.get("displayName") for resource in body["Resources"])


def test_eq_is_case_insensitive_on_username(people):
    assert names(people, 'userName eq "ALICE@Ministere.GOUV.fr"') == ["Alice@ministere.gouv.fr"]


def test_eq_is_case_exact_on_external_id(people):
    assert names(people, 'externalId eq "B-1"') == ["bob@ministere.gouv.fr"]
    assert names(people, 'externalId eq "b-1"') == []


def test_ne(people):
    assert names(people, 'displayName ne "Alice Martin"') == ["bob@ministere.gouv.fr", "carol"]


def test_co(people):
    assert names(people, 'displayName co "MART"') == ["Alice@ministere.gouv.fr"]


def test_sw(people):
    assert names(people, 'userName sw "CA"') == ["carol"]


def test_ew(people):
    assert names(people, 'emails.value ew "@x.fr"') == ["carol"]


def test_pr(people):
    assert names(people, "externalId pr") == ["bob@ministere.gouv.fr"]


def test_gt(people):
    assert names(people, 'meta.created gt "2026-01-11T12:00:00Z"') == ["carol"]


def test_ge(people):
    assert names(people, 'meta.created ge "2026-01-11T12:00:00Z"') == ["bob@ministere.gouv.fr", "carol"]


def test_lt(people):
    assert names(people, 'meta.created lt "2026-01-11T12:00:00Z"') == ["Alice@ministere.gouv.fr"]


def test_le(people):
    assert names(people, 'meta.created le "2026-01-11T12:00:00+00:00"') == ["Alice@ministere.gouv.fr", "bob@ministere.gouv.fr"]


def test_meta_last_modified_gt(people):
    assert names(people, 'meta.lastModified gt "2026-01-12T00:00:00Z"') == ["carol"]


def test_boolean_eq(people):
    assert names(people, "active eq false") == ["bob@ministere.gouv.fr"]


def test_and(people):
    assert names(people, 'active eq true and displayName co "a"') == ["Alice@ministere.gouv.fr"]


def test_or(people):
    assert names(people, 'userName eq "carol" or externalId eq "B-1"') == ["bob@ministere.gouv.fr", "carol"]


def test_not(people):
    assert names(people, 'not (userName sw "a")') == ["bob@ministere.gouv.fr", "carol"]


def test_parentheses_and_precedence(people):
    # "and" binds tighter than "or"; parentheses change it.
    assert names(people, 'userName sw "a" or userName sw "b" and active eq true') == ["Alice@ministere.gouv.fr"]
    assert names(people, '(userName sw "a" or userName sw "b") and active eq false') == ["bob@ministere.gouv.fr"]


def test_complex_attribute_filter(people):
    assert names(people, 'emails[type eq "work" and value co "@x"]') == ["carol"]
    assert names(people, 'emails[type eq "home"]') == []


def test_schema_qualified_attribute(people):
    assert names(people, 'urn:ietf:params:scim:schemas:core:2.0:User:userName eq "carol"') == ["carol"]


def test_group_members_value_filter(people):
    users = {r["userName"]: r["id"] for r in people.get("/Users")[1]["Resources"]}
    people.create_group("With Alice", [users["Alice@ministere.gouv.fr"]])
    people.create_group("With Bob", [users["bob@ministere.gouv.fr"]])
    alice = users["Alice@ministere.gouv.fr"]
    assert names(people, f'members[value eq "{alice}"]', "/Groups") == ["With Alice"]
    assert names(people, f'members.value eq "{alice}"', "/Groups") == ["With Alice"]
    assert names(people, 'members[display co "bob" and type eq "User"]', "/Groups") == ["With Bob"]
    assert names(people, 'displayName sw "with" and not (members pr)', "/Groups") == []


@pytest.mark.parametrize(
    "text",
    [
        'userName eq',
        'userName eq "unterminated',
        'userName equals "a"',
        '(userName eq "a"',
        'userName eq "a")',
        'userName eq "a" and',
        'not userName eq "a"',
        'emails[value eq "a"',
        'userName eq a',
        'nickName eq "a"',
        'meta.created gt "yesterday"',
        'active gt true',
        '',
    ],
)
def test_syntax_errors_are_invalid_filter(people, text):
    assert_scim_error(*people.get(f"/Users?{urlencode({'filter': text})}"), 400, "invalidFilter")


def test_over_long_filter_is_invalid_filter(people):
    text = " or ".join(['userName eq "x"'] * (MAX_FILTER_LENGTH // 10))
    assert_scim_error(*people.get(f"/Users?{urlencode({'filter': text})}"), 400, "invalidFilter")


def test_deeply_nested_filter_is_invalid_filter(people):
    text = "(" * 50 + 'userName eq "x"' + ")" * 50
    assert_scim_error(*people.get(f"/Users?{urlencode({'filter': text})}"), 400, "invalidFilter")


def test_pagination_start_index_and_count(people):
    _s, body, _r = people.get("/Users?startIndex=2&count=1")
    assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (3, 2, 1)
    assert [r["userName"] for r in body["Resources"]] == ["bob@ministere.gouv.fr"]
    _s, body, _r = people.get("/Users?startIndex=3&count=10")
    assert [r["userName"] for r in body["Resources"]] == ["carol"]
    _s, body, _r = people.get("/Users?count=0")
    assert (body["totalResults"], body.get("Resources", [])) == (3, [])


def test_sort_by_and_order(people):
    _s, body, _r = people.get("/Users?sortBy=userName&sortOrder=descending")
    assert [r["userName"] for r in body["Resources"]] == ["carol", "bob@ministere.gouv.fr", "Alice@ministere.gouv.fr"]
    _s, body, _r = people.get("/Users?sortBy=displayName")
    assert [r["userName"] for r in body["Resources"]][1:] == ["Alice@ministere.gouv.fr", "bob@ministere.gouv.fr"]
    assert_scim_error(*people.get("/Users?sortBy=nickName"), 400, "invalidValue")


def test_attributes_and_excluded_attributes(people):
    _s, body, _r = people.get("/Users?attributes=userName&filter=" + "userName%20eq%20%22carol%22")
    assert set(body["Resources"][0]) == {"schemas", "id", "userName"}
    _s, body, _r = people.get("/Users?excludedAttributes=emails,displayName")
    assert all("emails" not in r and "displayName" not in r and "userName" in r for r in body["Resources"])


def test_search_by_post_on_users_and_root(people):
    people.create_group("Alpha team")
    search = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": 'displayName sw "al"', "count": 10}
    _s, body, _r = people.post("/Users/.search", search)
    assert [r["userName"] for r in body["Resources"]] == ["Alice@ministere.gouv.fr"]
    status, body, _r = people.post("/.search", search)
    assert status == 200
    assert body["totalResults"] == 2
    assert sorted(r["schemas"][0].rsplit(":", 1)[1] for r in body["Resources"]) == ["Group", "User"]
    assert_scim_error(*people.post("/.search", {**search, "filter": "userName eq"}), 400, "invalidFilter")


def test_a_members_filter_matches_only_members_the_client_sees(people):
    from people.teams.models import TeamAccess
    from tests.factories import UserFactory

    guest = UserFactory(email="guest@autre.gouv.fr")
    group = people.create_group("With a guest")
    TeamAccess.objects.create(team_id=group["id"], user=guest)
    assert names(people, f'members[value eq "{guest.pk}"]', "/Groups") == []
    assert names(people, "members pr", "/Groups") == []


def test_string_values_with_escaped_quotes(people):
    people.create_user("quote@ministere.gouv.fr", displayName='Agent "Q" Quinn')
    assert names(people, r'displayName eq "agent \"q\" quinn"') == ["quote@ministere.gouv.fr"]
