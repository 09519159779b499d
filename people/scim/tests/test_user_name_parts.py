"""A user's `name` (formatted, given and family names) as identity systems send it: kept as
given, the full name taken from it when `displayName` is absent, published, filtered, sorted
and patched; over-long parts are a 400 that changes nothing."""

from __future__ import annotations

from people.identity.models import User
from people.scim.tests.conftest import USER_SCHEMA, patch_body
from people.scim.tests.test_auth import assert_scim_error

ADA = {"givenName": "Ada", "familyName": "Lovelace"}


def test_given_and_family_names_make_the_full_name_and_come_back_as_given(scim):
    body = scim.create_user("ada@ministere.gouv.fr", name=ADA)
    assert User.objects.get(pk=body["id"]).name == "Ada Lovelace"
    assert body["displayName"] == "Ada Lovelace"
    assert body["name"] == ADA
    assert scim.get(f"/Users/{body['id']}")[1]["name"] == ADA


def test_display_name_then_formatted_name_win_over_the_parts(scim):
    both = scim.create_user("a@ministere.gouv.fr", displayName="Mme Ada Lovelace", name={"formatted": "Ada L.", **ADA})
    formatted = scim.create_user("b@ministere.gouv.fr", name={"formatted": "Ada L.", **ADA})
    assert User.objects.get(pk=both["id"]).name == "Mme Ada Lovelace"
    assert User.objects.get(pk=formatted["id"]).name == "Ada L."
    assert formatted["name"] == {"formatted": "Ada L.", **ADA}


def test_filter_and_sort_on_the_name_parts(scim):
    scim.create_user("ada@ministere.gouv.fr", name=ADA)
    scim.create_user("alan@ministere.gouv.fr", name={"givenName": "Alan", "familyName": "Turing"})
    scim.create_user("grace@ministere.gouv.fr", name={"givenName": "Grace", "familyName": "Hopper"})
    _status, found, _r = scim.get('/Users?filter=name.familyName eq "lovelace"')
    assert [row["userName"] for row in found["Resources"]] == ["ada@ministere.gouv.fr"]
    _status, found, _r = scim.get('/Users?filter=name.givenName sw "a"&sortBy=name.familyName&sortOrder=descending')
    assert [row["name"]["familyName"] for row in found["Resources"]] == ["Turing", "Lovelace"]


def test_patch_a_name_part(scim):
    body = scim.create_user("ada@ministere.gouv.fr", name=ADA)
    status, patched, _r = scim.patch(
        f"/Users/{body['id']}", patch_body({"op": "replace", "path": "name.familyName", "value": "King"})
    )
    assert status == 200, patched
    assert patched["name"] == {"givenName": "Ada", "familyName": "King"}
    assert User.objects.get(pk=body["id"]).name == "Ada King"


def test_an_over_long_part_is_a_400_and_changes_nothing(scim):
    status, body, response = scim.post(
        "/Users", {"schemas": [USER_SCHEMA], "userName": "ada@ministere.gouv.fr", "name": {"givenName": "A" * 256}}
    )
    assert_scim_error(status, body, response, 400, "invalidValue")
    assert not User.objects.filter(email="ada@ministere.gouv.fr").exists()


def test_the_user_schema_publishes_the_name_parts_it_stores(scim):
    _status, schema, _r = scim.get(f"/Schemas/{USER_SCHEMA}")
    name = next(attribute for attribute in schema["attributes"] if attribute["name"] == "name")
    assert sorted(sub["name"] for sub in name["subAttributes"]) == ["familyName", "formatted", "givenName"]
