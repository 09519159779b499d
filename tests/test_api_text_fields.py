"""NUL characters, refused by PostgreSQL in text and jsonb, are a 400 on the field that holds
them, in every body field and query parameter of the client API, on every database; and text
that cannot be Unicode never reaches an answer."""

from __future__ import annotations

import json

import pytest

from tests.write_endpoints import make_world, snapshot

pytestmark = pytest.mark.django_db

NUL = "\x00"
DATA = {"emails": [{"type": "Work", "value": "ada@ville.fr"}]}

BODIES = [
    ("teams.create", {"name": f"Arch{NUL}ives"}, "name"),
    ("teams.update", {"name": NUL}, "name"),
    ("accesses.update", {"role": f"member{NUL}"}, "role"),
    ("invitations.create", {"email": f"new{NUL}@ville.fr", "role": "member"}, "email"),
    ("invitations.create", {"email": "new@ville.fr", "role": NUL}, "role"),
    ("webhooks.create", {"url": f"https://service.ville.fr/{NUL}", "secret": "token"}, "url"),
    ("webhooks.create", {"url": "https://service.ville.fr/scim", "secret": f"tok{NUL}en"}, "secret"),
    ("contacts.create", {"full_name": f"Ada{NUL}", "data": {}}, "full_name"),
    ("contacts.create", {"full_name": "Ada", "short_name": NUL, "data": {}}, "short_name"),
    ("contacts.create", {"full_name": "Ada", "notes": f"memo{NUL}", "data": {}}, "notes"),
    ("contacts.create", {"full_name": "Ada", "data": {"customFields": {"office": f"B{NUL}12"}}}, "data"),
    ("contacts.update", {"full_name": "Ada", "data": {"customFields": {f"of{NUL}fice": "B12"}}}, "data"),
    ("contacts.update", {"full_name": "Ada", "data": {"addresses": [{"type": "Work", "city": NUL}]}}, "data"),
    ("users.update", {"language": f"fr-fr{NUL}"}, "language"),
    ("users.update", {"timezone": f"Europe/Paris{NUL}"}, "timezone"),
    ("organizations.update", {"name": f"Ville{NUL}"}, "name"),
    ("mail_domains.create", {"name": "ville.fr", "support_email": f"a{NUL}@ville.fr"}, "support_email"),
    ("mail_invitations.create", {"email": "g@ville.fr", "role": NUL}, "role"),
    ("mailboxes.create", {"first_name": f"A{NUL}", "last_name": "B", "local_part": "ab"}, "first_name"),
    ("mailboxes.update", {"last_name": NUL}, "last_name"),
    ("aliases.create", {"local_part": "c", "destination": f"a{NUL}@ville.fr"}, "destination"),
]


@pytest.fixture
def world(client_for):
    return make_world(client_for)


@pytest.mark.parametrize(("operation", "body", "field"), BODIES)
def test_nul_in_a_body_field_is_a_400_on_that_field(world, operation, body, field):
    method, url, _valid = world.urls[operation]
    before = snapshot()
    response = world.client.generic(method.upper(), url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == [field]
    assert snapshot() == before


def test_nul_in_contact_data_is_named(world):
    method, url, _valid = world.urls["contacts.create"]
    body = {"full_name": "Ada", "data": {"customFields": {f"of{NUL}fice": "B12"}}}
    response = world.client.generic(method.upper(), url, json.dumps(body), content_type="application/json")
    [message] = response.json()["data"]
    assert message == "Validation error in 'customFields.of\\u0000fice': null characters (\\u0000) are not allowed."


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1.0/users/", "q"),
        ("/api/v1.0/teams/", "q"),
        ("/api/v1.0/contacts/", "q"),
        ("/api/v1.0/service-providers/", "name"),
        ("/api/v1.0/service-providers/", "audience_id"),
    ],
)
def test_nul_in_a_text_query_parameter_is_a_400_on_that_parameter(world, url, param):
    response = world.client.get(url, {param: f"ada{NUL}"})
    assert response.status_code == 400, response.content[:300]
    assert list(response.json()) == [param]


@pytest.mark.parametrize(
    "url",
    ["/api/v1.0/users/", "/api/v1.0/teams/", "/api/v1.0/contacts/", "/api/v1.0/service-providers/"],
)
@pytest.mark.parametrize("value", [NUL, "%00", "name,\x00-name"])
def test_nul_in_ordering_or_paging_is_never_a_server_error(world, url, value):
    for param in ("ordering", "page", "page_size", "team_id"):
        response = world.client.get(url, {param: value})
        assert response.status_code in (200, 400, 404), (param, response.content[:300])


@pytest.mark.parametrize("url", ["/api/v1.0/users/", "/api/v1.0/teams/", "/api/v1.0/contacts/"])
@pytest.mark.parametrize("raw", ["%ED%A0%80", "%FF", "%C0%80"])
def test_query_strings_that_are_not_utf8_are_never_a_server_error(world, url, raw):
    """Django decodes query strings with replacement characters: no lone surrogate can reach
    a view or an answer through them."""
    for param in ("q", "ordering", "page"):
        response = world.client.get(f"{url}?{param}={raw}")
        assert response.status_code in (200, 400, 404), (param, response.content[:300])
        response.json()
