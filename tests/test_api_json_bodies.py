"""JSON bodies of every write operation: too deep, too large or not Unicode text is a 400/413
that names the problem and changes nothing; moderately nested valid bodies still pass."""

from __future__ import annotations

import json

import pytest

from people.core.untrusted import MAX_JSON_DEPTH
from tests.write_endpoints import make_world, snapshot

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "teams.create",
    "teams.update",
    "accesses.create",
    "accesses.update",
    "invitations.create",
    "webhooks.create",
    "contacts.create",
    "contacts.update",
    "users.update",
    "organizations.update",
    "mail_domains.create",
    "mail_accesses.create",
    "mail_accesses.update",
    "mail_invitations.create",
    "mailboxes.create",
    "mailboxes.update",
    "aliases.create",
]


@pytest.fixture
def world(client_for):
    return make_world(client_for)


def send(world, operation: str, raw: str | bytes, content_type: str = "application/json"):
    method, url, _body = world.urls[operation]
    return world.client.generic(method.upper(), url, raw, content_type=content_type)


def nested(depth: int) -> str:
    """A JSON array `depth` levels deep."""
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("operation", [*OPERATIONS, "invitations.refresh"])
def test_valid_body_with_an_unknown_member_nested_to_the_limit_passes(world, operation):
    _method, _url, body = world.urls[operation]
    # The top-level object is one level: the extra member brings the body exactly to the limit.
    raw = json.dumps(body)[:-1] + ("," if body else "") + f'"ignored": {nested(MAX_JSON_DEPTH - 1)}}}'
    response = send(world, operation, raw)
    assert response.status_code in (200, 201), response.content[:300]


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 100_000])
def test_too_deep_body_is_a_400_naming_the_limit(world, operation, depth):
    before = snapshot()
    response = send(world, operation, nested(depth))
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "json_too_deep"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in body["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("operation", ["teams.create", "contacts.update", "invitations.create"])
def test_too_deep_member_inside_a_valid_body_is_a_400(world, operation):
    _method, _url, body = world.urls[operation]
    before = snapshot()
    raw = json.dumps(body)[:-1] + f', "ignored": {nested(MAX_JSON_DEPTH)}}}'
    response = send(world, operation, raw)
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert snapshot() == before


@pytest.mark.parametrize("operation", OPERATIONS)
def test_body_over_the_upload_limit_is_a_413(world, operation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = snapshot()
    response = send(world, operation, json.dumps({"name": "x" * 2000}))
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 1000 bytes: send less data per request.",
        "code": "request_too_large",
    }
    assert snapshot() == before


@pytest.mark.parametrize("operation", ["teams.create", "invitations.create", "organizations.update"])
def test_form_body_over_the_upload_limit_is_refused(world, operation, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    before = snapshot()
    response = send(world, operation, "name=" + "x" * 2000, "application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert snapshot() == before


SURROGATES = {
    "teams.create": '{"name": "Archives \\ud800"}',
    "teams.update": '{"name": "\\udfff"}',
    "accesses.update": '{"role": "\\ud800"}',
    "invitations.create": '{"email": "new@ville.fr", "role": "\\ud800"}',
    "contacts.create": '{"full_name": "Ada", "data": {"customFields": {"\\ud83d": "key"}}}',
    "users.update": '{"language": "\\ud800"}',
    "organizations.update": '{"name": "\\ude00 x"}',
    "mailboxes.create": '{"first_name": "\\ud800", "last_name": "B", "local_part": "ab"}',
    "aliases.create": '{"local_part": "c", "destination": "\\udfff@b.fr"}',
}


@pytest.mark.parametrize(("operation", "raw"), SURROGATES.items())
def test_lone_surrogate_is_a_400(world, operation, raw):
    before = snapshot()
    response = send(world, operation, raw)
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "invalid_unicode"
    assert "lone surrogate" in body["detail"]
    assert snapshot() == before


def test_surrogate_pairs_are_text(world):
    """An escaped pair is one character outside the Basic Multilingual Plane: accepted."""
    response = send(world, "teams.create", '{"name": "Archives \\ud83d\\ude00"}')
    assert response.status_code == 201
    assert response.json()["name"] == "Archives \U0001f600"


@pytest.mark.parametrize("raw", ['{"name": NaN}', '{"name": Infinity}', '{"name": "x"', b'{"name": "\xff"}'])
def test_other_malformed_json_is_a_400(world, raw):
    before = snapshot()
    response = send(world, "teams.create", raw)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error")
    assert snapshot() == before


def test_form_body_with_too_many_fields_is_a_400(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    before = snapshot()
    response = send(world, "teams.create", "&".join(f"f{n}=1" for n in range(10)), "application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request has more than 5 fields.", "code": "too_many_fields"}
    assert snapshot() == before


@pytest.mark.parametrize(
    ("operation", "raw"),
    [("accesses.update", "role=%ED%A0%80"), ("teams.create", "name=%ED%A0%80"), ("invitations.create", "email=a%ED%A0%80@ville.fr&role=%ED%B0%80")],
)
def test_form_bodies_that_are_not_utf8_are_never_a_server_error(world, operation, raw):
    """Django decodes form bodies with replacement characters: the answer can always be encoded."""
    response = send(world, operation, raw, "application/x-www-form-urlencoded")
    assert response.status_code in (200, 201, 400), response.content[:300]
    assert "\ufffd" in json.dumps(response.json(), ensure_ascii=False)
