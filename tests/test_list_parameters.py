"""`page`, `page_size` and `q` follow one rule on every list, client API and resource server.

A bad `page` or `page_size` is a 400 naming the parameter; a page past the end stays the 404
"Invalid page." of the suite's directory; a `q` longer than the limit is a 400 naming `q` and
the limit. The lists are read from the OpenAPI schema too, so a new list joins these tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from drf_spectacular.generators import SchemaGenerator

from people.core.api.queries import SEARCH_MAX_LENGTH
from people.resource_server.tests.conftest import (  # noqa: F401
    fake_provider,
    op_signing_key,
    rs_key,
    rs_settings,
    service,
)
from people.teams.models import TeamWebhook
from tests.factories import (
    AliasFactory,
    ContactFactory,
    InvitationFactory,
    MailboxFactory,
    MailDomainFactory,
    MailDomainInvitationFactory,
    ServiceProviderFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1.0/users/": "client",
    "/api/v1.0/teams/": "client",
    "/api/v1.0/teams/{team_id}/accesses/": "client",
    "/api/v1.0/teams/{team_id}/invitations/": "client",
    "/api/v1.0/teams/{team_id}/webhooks/": "client",
    "/api/v1.0/service-providers/": "client",
    "/api/v1.0/contacts/": "client",
    "/api/v1.0/mail-domains/": "client",
    "/api/v1.0/mail-domains/{domain_slug}/accesses/": "client",
    "/api/v1.0/mail-domains/{domain_slug}/accesses/users/": "client",
    "/api/v1.0/mail-domains/{domain_slug}/invitations/": "client",
    "/api/v1.0/mail-domains/{domain_slug}/mailboxes/": "client",
    "/api/v1.0/mail-domains/{domain_slug}/aliases/": "client",
    "/resource-server/v1.0/teams/": "service",
    "/resource-server/v1.0/teams/{team_id}/invitations/": "service",
}
SEARCHED = [
    "/api/v1.0/users/", "/api/v1.0/teams/", "/api/v1.0/teams/{team_id}/accesses/", "/api/v1.0/contacts/",
    "/api/v1.0/mail-domains/", "/api/v1.0/mail-domains/{domain_slug}/accesses/",
    "/api/v1.0/mail-domains/{domain_slug}/accesses/users/", "/api/v1.0/mail-domains/{domain_slug}/mailboxes/",
    "/api/v1.0/mail-domains/{domain_slug}/aliases/",
]


@dataclass
class World:
    url: str
    client: object


@pytest.fixture(params=sorted(LISTS))
def world(request, client_for) -> World:
    """The caller sees one row in the list under test, through the door that list is for."""
    user = UserFactory(sub="agent-1")
    provider = ServiceProviderFactory(audience_id="service-a")
    provider.organizations.add(user.organization)
    team = TeamFactory(organization=user.organization, users=[(user, "owner")])
    team.service_providers.add(provider)
    InvitationFactory(team=team)
    TeamWebhook.objects.create(team=team, url="https://service.example.test/scim/v2", secret="s")
    ContactFactory(owner=user, full_name="Mine")
    domain = MailDomainFactory(organization=user.organization, users=[(user, "owner")])
    MailboxFactory(domain=domain)
    AliasFactory(domain=domain)
    MailDomainInvitationFactory(domain=domain)
    UserFactory(organization=user.organization)  # a colleague to give a role on the domain
    url = request.param.replace("{team_id}", str(team.pk)).replace("{domain_slug}", domain.slug)
    if LISTS[request.param] == "service":
        return World(url=url, client=request.getfixturevalue("service").client_for(user))
    return World(url=url, client=client_for(user))


def _schema_paths_with(parameter: str) -> dict[str, dict]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        for name in operations.get("get", {}).get("parameters", []):
            if name["name"] == parameter:
                found[path] = name
    return found


def test_every_paginated_and_every_searched_list_is_covered():
    assert set(_schema_paths_with("page")) == set(LISTS)
    searched = _schema_paths_with("q")
    assert set(searched) == set(SEARCHED)
    assert {path: q["schema"].get("maxLength") for path, q in searched.items()} == dict.fromkeys(
        SEARCHED, SEARCH_MAX_LENGTH
    )


@pytest.mark.parametrize("name", ["page", "page_size"])
@pytest.mark.parametrize("value", ["", "0", "-1", "abc", "1.5", "2e3", " 1", "١"])
def test_a_bad_page_or_page_size_is_a_400_naming_it(world, name, value):
    response = world.client.get(world.url, {name: value})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [name]
    assert re.search(r"integer of 1 or more", body[name][0])


@pytest.mark.parametrize(("name", "values"), [("page", "1&page=2"), ("page", "1&page=last"), ("page_size", "1&page_size=2")])
def test_a_page_or_page_size_given_twice_is_a_400_naming_it(world, name, values):
    response = world.client.get(f"{world.url}?{name}={values}")
    assert response.status_code == 400
    assert response.json() == {name: ["Give this parameter once."]}


def test_good_pages_and_sizes_answer_the_envelope(world):
    for params in ({"page": "1"}, {"page": "last"}, {"page_size": "1"}, {"page_size": "100000"},
                   {"page": "1", "page_size": "99999999999999999999999"}):
        response = world.client.get(world.url, params)
        assert response.status_code == 200, params
        assert response.json()["count"] >= 1


@pytest.mark.parametrize("page", ["2", "99999999999999999999999"])
def test_a_page_past_the_end_is_a_404(world, page):
    response = world.client.get(world.url, {"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.parametrize("path", SEARCHED)
def test_a_q_over_the_limit_is_a_400_naming_q_and_the_limit(client_for, path):
    user = UserFactory()
    team = TeamFactory(organization=user.organization, users=[(user, "owner")])
    domain = MailDomainFactory(organization=user.organization, users=[(user, "owner")])
    client = client_for(user)
    url = path.replace("{team_id}", str(team.pk)).replace("{domain_slug}", domain.slug)
    assert client.get(url, {"q": "x" * SEARCH_MAX_LENGTH}).status_code == 200
    response = client.get(url, {"q": "x" * (SEARCH_MAX_LENGTH + 1)})
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["q"]
    assert str(SEARCH_MAX_LENGTH) in body["q"][0]
