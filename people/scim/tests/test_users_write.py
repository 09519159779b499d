"""Users over SCIM: created, replaced, patched and deprovisioned through the identity services;
bad input is a SCIM 400 (or 409) with its scimType, and changes nothing."""

from __future__ import annotations

import pytest

from people.core.models import Audience, AuditEntry
from people.identity.models import User
from people.scim.tests.conftest import USER_SCHEMA, patch_body
from people.scim.tests.test_auth import assert_scim_error
from tests.factories import UserFactory


def test_post_creates_a_user_of_the_organization_audited_as_scim(scim, organization):
    body = scim.create_user("Jeanne.Martin@Ministere.gouv.fr", displayName="Jeanne Martin", externalId="ext-1")
    user = User.objects.get(pk=body["id"])
    assert (user.email, user.name, user.organization, user.is_active) == (
        "jeanne.martin@ministere.gouv.fr", "Jeanne Martin", organization, True,
    )
    assert body["userName"] == "Jeanne.Martin@Ministere.gouv.fr"
    assert body["emails"] == [{"value": "jeanne.martin@ministere.gouv.fr", "type": "work"}]
    assert body["externalId"] == "ext-1"
    assert body["meta"]["location"].endswith(f"/scim/v2/Users/{user.pk}")
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert entry.audience == Audience.SCIM
    assert entry.service == "scim:Identity system"


def test_email_from_emails_when_username_is_not_an_address(scim):
    body = scim.create_user("jmartin", emails=[{"value": "jm@ministere.gouv.fr", "type": "work"}])
    assert User.objects.get(pk=body["id"]).email == "jm@ministere.gouv.fr"
    assert body["userName"] == "jmartin"


@pytest.mark.parametrize("user_name", ["agent@ministere.gouv.fr", "AGENT@ministere.gouv.fr"])
def test_duplicate_username_is_409_uniqueness_case_insensitive(scim, user_name):
    scim.create_user("agent@ministere.gouv.fr")
    status, body, response = scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": user_name})
    assert_scim_error(status, body, response, 409, "uniqueness")
    assert User.objects.count() == 1


def test_username_taken_by_a_signed_in_user_is_409(scim, organization):
    UserFactory(email="known@ministere.gouv.fr", organization=organization)
    assert_scim_error(*scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": "Known@ministere.gouv.fr"}), 409, "uniqueness")


@pytest.mark.parametrize(
    ("raw", "scim_type"),
    [
        (b"{not json", "invalidSyntax"),
        (b"[1, 2]", "invalidSyntax"),
        (b'{"schemas": ["urn:example:unknown"], "userName": "a@b.fr"}', "invalidValue"),
        (b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a@b.fr", "active": "maybe"}', "invalidValue"),
        (b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 12}', "invalidValue"),
        (b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a@b.fr", "emails": [{"value": "nope"}]}', "invalidValue"),
        (b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "displayName": "no userName"}', None),
        (b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "a@b.fr", "nickName": "unknown attribute"}', None),
    ],
)
def test_bad_input_is_a_scim_400_and_creates_nothing(scim, raw, scim_type):
    status, body, response = scim.request("POST", "/Users", raw=raw)
    assert_scim_error(status, body, response, 400, scim_type)
    assert not User.objects.exists()


def test_put_replaces_the_user(scim):
    created = scim.create_user("a@ministere.gouv.fr", displayName="A", externalId="x")
    status, body, _r = scim.put(f"/Users/{created['id']}", {"schemas": [USER_SCHEMA], "userName": "b@ministere.gouv.fr", "displayName": "B"})
    assert status == 200
    user = User.objects.get(pk=created["id"])
    assert (user.email, user.name) == ("b@ministere.gouv.fr", "B")
    assert "externalId" not in body
    assert body["userName"] == "b@ministere.gouv.fr"


def test_patch_deactivates_and_renames(scim):
    created = scim.create_user("a@ministere.gouv.fr")
    status, body, _r = scim.patch(f"/Users/{created['id']}", patch_body(
        {"op": "replace", "value": {"active": False, "displayName": "Agent A"}},
    ))
    assert status == 200
    assert body["active"] is False
    assert body["displayName"] == "Agent A"
    user = User.objects.get(pk=created["id"])
    assert (user.is_active, user.name) == (False, "Agent A")


def test_patch_with_an_unknown_op_is_400_and_changes_nothing(scim):
    created = scim.create_user("a@ministere.gouv.fr", displayName="A")
    status, body, response = scim.patch(f"/Users/{created['id']}", patch_body({"op": "explode", "path": "displayName", "value": "B"}))
    assert_scim_error(status, body, response, 400)
    assert User.objects.get(pk=created["id"]).name == "A"


def test_delete_deactivates_keeps_history_and_unpublishes(scim):
    created = scim.create_user("a@ministere.gouv.fr")
    assert scim.delete(f"/Users/{created['id']}")[0] == 204
    user = User.objects.get(pk=created["id"])
    assert user.is_active is False
    assert AuditEntry.objects.filter(target_id=str(user.pk), action="scim.user.deprovision").exists()
    assert_scim_error(*scim.get(f"/Users/{created['id']}"), 404)
    assert scim.get("/Users")[1]["totalResults"] == 0


def test_if_match_mismatch_is_412_and_changes_nothing(scim):
    created = scim.create_user("a@ministere.gouv.fr", displayName="A")
    version = created["meta"]["version"]
    scim.patch(f"/Users/{created['id']}", patch_body({"op": "replace", "path": "displayName", "value": "B"}))
    stale = {"If-Match": version}
    status, body, response = scim.put(f"/Users/{created['id']}", {"schemas": [USER_SCHEMA], "userName": "a@ministere.gouv.fr", "displayName": "C"}, headers=stale)
    assert_scim_error(status, body, response, 412)
    assert_scim_error(*scim.delete(f"/Users/{created['id']}", headers=stale), 412)
    assert User.objects.get(pk=created["id"]).name == "B"


def test_if_match_current_version_succeeds(scim):
    created = scim.create_user("a@ministere.gouv.fr")
    _s, current, response = scim.get(f"/Users/{created['id']}")
    assert response["ETag"] == current["meta"]["version"]
    status, _b, _r = scim.patch(f"/Users/{created['id']}", patch_body({"op": "replace", "path": "displayName", "value": "B"}),
                                headers={"If-Match": current["meta"]["version"]})
    assert status == 200


def test_if_none_match_current_version_is_304_then_200_after_a_change(scim):
    created = scim.create_user("a@ministere.gouv.fr")
    version = created["meta"]["version"]
    assert scim.get(f"/Users/{created['id']}", headers={"If-None-Match": version})[0] == 304
    scim.patch(f"/Users/{created['id']}", patch_body({"op": "replace", "path": "displayName", "value": "B"}))
    assert scim.get(f"/Users/{created['id']}", headers={"If-None-Match": version})[0] == 200


def test_if_none_match_on_a_write_is_412(scim):
    created = scim.create_user("a@ministere.gouv.fr")
    status, body, response = scim.put(f"/Users/{created['id']}", {"schemas": [USER_SCHEMA], "userName": "a@ministere.gouv.fr"},
                                      headers={"If-None-Match": created["meta"]["version"]})
    assert_scim_error(status, body, response, 412)


@pytest.mark.parametrize(("first", "second"), [("agent@ministere.gouv.fr", "AGENT@ministere.gouv.fr"), ("jdoe", "JDoe")])
def test_a_uniqueness_race_lost_in_the_database_is_409(scim, monkeypatch, first, second):
    from people.scim import selectors

    scim.create_user(first)
    monkeypatch.setattr(selectors, "user_name_taken", lambda **kwargs: False)  # as if checked before the other insert
    monkeypatch.setattr(selectors, "email_taken", lambda **kwargs: False)
    status, body, response = scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": second})
    assert_scim_error(status, body, response, 409, "uniqueness")
    assert User.objects.count() == 1


def test_removing_active_leaves_the_account_active_its_default(scim):
    created = scim.create_user("a@ministere.gouv.fr", active=False)
    status, body, _r = scim.patch(f"/Users/{created['id']}", patch_body({"op": "remove", "path": "active"}))
    assert status == 200
    assert body["active"] is True
    assert User.objects.get(pk=created["id"]).is_active is True


def test_posting_a_deprovisioned_username_brings_the_same_account_back(scim, other_scim):
    created = scim.create_user("a@ministere.gouv.fr", displayName="A")
    scim.delete(f"/Users/{created['id']}")
    assert_scim_error(*other_scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": "A@ministere.gouv.fr"}), 409, "uniqueness")
    status, body, _r = scim.post("/Users", {"schemas": [USER_SCHEMA], "userName": "A@ministere.gouv.fr", "displayName": "A again"})
    assert status == 201
    assert body["id"] == created["id"]
    assert (body["active"], body["displayName"]) == (True, "A again")
    assert User.objects.count() == 1
    assert scim.get(f"/Users/{created['id']}")[0] == 200


def test_a_body_over_the_upload_limit_is_413(scim, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    raw = b'{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "' + b"a" * 2000 + b'"}'
    assert_scim_error(*scim.request("POST", "/Users", raw=raw), 413)
    assert not User.objects.exists()
