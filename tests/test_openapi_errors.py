"""The schema documents every error answer of every operation, in the shape the API really sends.

The statuses come from what each view declares (people.core.api.schema.AutoSchema); here the
served schema is walked, and real error answers are checked against the documented bodies.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from rest_framework.test import APIClient

from people.identity.api.throttling import DirectoryRateThrottle
from people.teams.models import TeamRole
from tests import factories

pytestmark = pytest.mark.django_db

CONTACT_DATA = Path(__file__).resolve().parents[1] / "people" / "contacts" / "schemas" / "contact_data.json"
ERROR_BODIES = {"#/components/schemas/Error", "#/components/schemas/FieldErrors", "#/components/schemas/ScimError"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return APIClient().get("/api/v1.0/schema/", {"format": "json"}).json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation


def refs(node) -> set[str]:
    if isinstance(node, dict):
        return {node["$ref"]} if "$ref" in node else set().union(*(refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(refs(value) for value in node))
    return set()


def test_every_operation_documents_its_error_statuses(schema):
    walked = 0
    for path, method, operation in operations(schema):
        walked += 1
        statuses = {int(status) for status in operation["responses"] if int(status) >= 400}
        expected = set()
        if operation.get("security") != [{}]:
            expected |= {401}
            if method in {"POST", "PUT", "PATCH", "DELETE"}:
                expected |= {403}
        if "{" in path:
            expected |= {404}
        if "requestBody" in operation:
            expected |= {400, 415}
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", [])):
            expected |= {400}
        assert expected <= statuses, f"{method} {path} documents {sorted(statuses)}, misses {sorted(expected - statuses)}"
        for status in statuses:
            body = operation["responses"][str(status)]["content"]
            assert refs(body), f"{method} {path} {status}: {body}"
            assert refs(body) <= ERROR_BODIES, f"{method} {path} {status}: {body}"
    assert walked >= 40


@pytest.mark.parametrize(
    ("path", "method", "extra"),
    [
        ("/api/v1.0/teams/{team_id}/accesses/{id}/", "delete", {400}),  # the last owner stays
        ("/api/v1.0/teams/{team_id}/invitations/", "post", {409}),
        ("/api/v1.0/users/", "get", {429}),
        ("/resource-server/v1.0/teams/", "get", {429, 503}),
    ],
)
def test_statuses_declared_by_views_and_their_classes(schema, path, method, extra):
    assert extra <= {int(status) for status in schema["paths"][path][method]["responses"]}


def test_public_operation_documents_no_authentication_error(schema):
    assert set(schema["paths"]["/api/v1.0/config/"]["get"]["responses"]) == {"200"}


def check_answer(schema, path: str, method: str, response) -> None:
    """The answer's status is documented for the operation, and its body fits that status's schema."""
    documented = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, f"{response.status_code} not documented: {response.content!r}"
    body_schema = next(iter(documented[str(response.status_code)]["content"].values()))["schema"]
    jsonschema.validate(response.json(), {**body_schema, "components": schema["components"]})


@pytest.fixture
def owner():
    return factories.UserFactory()


@pytest.fixture
def team(owner):
    return factories.TeamFactory(organization=owner.organization, users=[(owner, TeamRole.OWNER)])


def test_real_error_answers_fit_the_documented_bodies(schema, client_for, owner, team, monkeypatch):
    client = client_for(owner)
    own_access = team.accesses.get(user=owner)
    detail = "/api/v1.0/teams/{team_id}/accesses/{id}/"
    answers = [
        ("/api/v1.0/teams/", "get", APIClient().get("/api/v1.0/teams/"), 401),
        ("/api/v1.0/teams/{id}/", "get", client.get(f"/api/v1.0/teams/{factories.TeamFactory().pk}/"), 404),
        ("/api/v1.0/teams/", "post", client.post("/api/v1.0/teams/", {}, format="json"), 400),
        (detail, "delete", client.delete(f"/api/v1.0/teams/{team.pk}/accesses/{own_access.pk}/"), 400),
        ("/api/v1.0/contacts/", "post", client.post("/api/v1.0/contacts/", {"full_name": "A", "data": {"x": 1}}, format="json"), 400),
        ("/api/v1.0/teams/", "post", client.post("/api/v1.0/teams/", "<x/>", content_type="application/xml"), 415),
    ]
    member = factories.UserFactory(organization=owner.organization)
    factories.TeamAccessFactory(team=team, user=member)
    answers.append(("/api/v1.0/teams/{id}/", "delete", client_for(member).delete(f"/api/v1.0/teams/{team.pk}/"), 403))
    csrf_client = APIClient(enforce_csrf_checks=True)
    csrf_client.force_login(owner)
    answers.append(("/api/v1.0/teams/", "post", csrf_client.post("/api/v1.0/teams/", {"name": "x"}, format="json"), 403))
    monkeypatch.setattr(DirectoryRateThrottle, "THROTTLE_RATES", {"user_burst": "1/minute"})
    client.get("/api/v1.0/users/me/")
    answers.append(("/api/v1.0/users/me/", "get", client.get("/api/v1.0/users/me/"), 429))
    for path, method, response, status in answers:
        assert response.status_code == status, (path, method, response.content)
        check_answer(schema, path, method, response)
    assert answers[3][2].json()["code"] == "last_owner"
    assert set(answers[4][2].json()) == {"data"}


def test_scim_errors_are_documented_as_the_scim_envelope(schema):
    response = APIClient().get("/resource-server/v1.0/scim/Me/")
    assert response.status_code == 401
    check_answer(schema, "/resource-server/v1.0/scim/Me/", "get", response)
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


@pytest.mark.parametrize("path", ["/api/v1.0/teams/{team_id}/invitations/", "/resource-server/v1.0/teams/{team_id}/invitations/"])
def test_invitation_create_documents_both_answers(schema, path):
    created = schema["paths"][path]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/InvitationOrAccess"}
    assert schema["components"]["schemas"]["InvitationOrAccess"]["oneOf"] == [
        {"$ref": "#/components/schemas/Invitation"},
        {"$ref": "#/components/schemas/TeamAccessCreated"},
    ]


def test_inviting_a_known_user_answers_the_access_as_documented(schema, client_for, owner, team):
    known = factories.UserFactory(organization=owner.organization)
    path = "/api/v1.0/teams/{team_id}/invitations/"
    response = client_for(owner).post(f"/api/v1.0/teams/{team.pk}/invitations/", {"email": known.email, "role": "member"}, format="json")
    assert response.status_code == 201
    assert "detail" in response.json()
    check_answer(schema, path, "post", response)
    access_only = {"$ref": "#/components/schemas/TeamAccessCreated", "components": schema["components"]}
    jsonschema.validate(response.json(), access_only)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(response.json(), {**access_only, "$ref": "#/components/schemas/Invitation"})


def test_contact_data_is_documented_as_its_json_schema(schema):
    expected = {key: value for key, value in json.loads(CONTACT_DATA.read_text()).items() if key != "$schema"}
    assert schema["components"]["schemas"]["ContactData"] == expected
    for name in ("Contact", "ContactCreateRequest", "ContactInputRequest", "PatchedContactInputRequest"):
        assert refs(schema["components"]["schemas"][name]["properties"]["data"]) == {"#/components/schemas/ContactData"}
