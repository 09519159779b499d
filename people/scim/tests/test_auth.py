"""Only provisioning clients' bearer tokens open /scim/v2/, each to its own organization; every
error there is a SCIM error body."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from people.resource_server.services import account_service_create
from people.scim.models import ScimClient
from people.scim.tests.conftest import ERROR_SCHEMA, SCIM_JSON, USER_SCHEMA, Scim
from tests.factories import UserFactory


def assert_scim_error(status_code, body, response, expected_status, scim_type=None):
    assert status_code == expected_status
    assert response["Content-Type"] == SCIM_JSON
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(expected_status)
    if scim_type:
        assert body["scimType"] == scim_type


@pytest.mark.parametrize("path", ["/Users", "/Groups", "/ServiceProviderConfig", "/Schemas", "/Users/.search"])
def test_without_token_401(scim, path):
    assert_scim_error(*scim.get(path, token=None), 401)


def test_wrong_token_401(scim):
    assert_scim_error(*scim.get("/Users", token="not-a-token"), 401)


def test_inactive_client_401(scim):
    ScimClient.objects.filter(pk=scim.row.pk).update(is_active=False)
    assert_scim_error(*scim.get("/Users"), 401)


def test_session_user_does_not_reach_scim(scim, organization):
    scim.http.force_login(UserFactory(organization=organization, is_staff=True, is_superuser=True))
    assert_scim_error(*scim.get("/Users", token=None), 401)


def test_resource_server_key_does_not_reach_scim(scim):
    _account, key = account_service_create(actor=None, name="Service", scopes=[])
    for header in (f"ApiKey {key}", f"Bearer {key}"):
        status, body, response = scim.request("GET", "/Users", token=None, headers={"Authorization": header})
        assert_scim_error(status, body, response, 401)


def test_unknown_path_is_a_scim_404(scim):
    assert_scim_error(*scim.get("/Nothing/here"), 404)
    assert_scim_error(*scim.get("/"), 404)


def test_method_not_allowed_is_a_scim_405(scim):
    status, body, response = scim.delete("/Users")
    assert_scim_error(status, body, response, 405)
    assert response["Allow"] == "GET, POST"


def test_client_sees_only_its_organization(scim, other_scim):
    mine = scim.create_user("agent@ministere.gouv.fr")
    theirs = other_scim.create_user("agent@autre.gouv.fr")
    group = other_scim.create_group("Their team")

    _s, listing, _r = scim.get("/Users")
    assert [resource["id"] for resource in listing["Resources"]] == [mine["id"]]
    assert_scim_error(*scim.get(f"/Users/{theirs['id']}"), 404)
    assert_scim_error(*scim.put(f"/Users/{theirs['id']}", {"schemas": [USER_SCHEMA], "userName": "x@y.fr"}), 404)
    assert_scim_error(*scim.delete(f"/Groups/{group['id']}"), 404)
    assert other_scim.get(f"/Groups/{group['id']}")[0] == 200
    assert other_scim.get(f"/Users/{theirs['id']}")[1]["userName"] == "agent@autre.gouv.fr"


def test_operators_of_the_organization_are_not_published(scim, organization):
    UserFactory(organization=organization, is_staff=True)
    assert scim.get("/Users")[1]["totalResults"] == 0


def test_command_prints_the_token_alone_on_its_last_line(organization):
    out = StringIO()
    call_command("scim_client_create", "--name", "Annuaire", "--organization", "MINISTERE.gouv.fr", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    client = ScimClient.objects.get(name="Annuaire")
    assert client.organization == organization
    assert client.token_digest == ScimClient.digest(token)
    assert token not in client.token_digest
    assert Scim(token, organization).get("/Users")[0] == 200


def test_command_refuses_an_unknown_organization(db):
    with pytest.raises(CommandError, match="no organization"):
        call_command("scim_client_create", "--name", "X", "--organization", "unknown.example", stdout=StringIO())
    assert not ScimClient.objects.exists()


def test_bulk_is_not_implemented_as_the_configuration_says(scim):
    assert scim.get("/ServiceProviderConfig")[1]["bulk"]["supported"] is False
    assert_scim_error(*scim.post("/Bulk", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": []}), 501)
