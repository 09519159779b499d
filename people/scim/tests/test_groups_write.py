"""Groups are teams: written through the teams services (their audit, the last owner rule)."""

from __future__ import annotations

from datetime import datetime

from people.core.models import Audience, AuditEntry
from people.scim.tests.conftest import GROUP_SCHEMA, patch_body
from people.scim.tests.test_auth import assert_scim_error
from people.teams.models import Team, TeamAccess, TeamRole
from tests.factories import TeamAccessFactory, TeamFactory


def _member_ids(team_id) -> set[str]:
    return {str(pk) for pk in TeamAccess.objects.filter(team_id=team_id).values_list("user_id", flat=True)}


def test_post_creates_a_team_with_members(scim, organization):
    a, b = scim.create_user("a@ministere.gouv.fr", displayName="A"), scim.create_user("b@ministere.gouv.fr")
    group = scim.create_group("Équipe", [a["id"], b["id"]], externalId="grp-1")
    team = Team.objects.get(pk=group["id"])
    assert (team.name, team.organization) == ("Équipe", organization)
    assert _member_ids(team.pk) == {a["id"], b["id"]}
    assert set(TeamAccess.objects.filter(team=team).values_list("role", flat=True)) == {TeamRole.MEMBER}
    assert group["externalId"] == "grp-1"
    assert {m["value"]: m["display"] for m in group["members"]} == {a["id"]: "A", b["id"]: "b@ministere.gouv.fr"}
    assert all(m["$ref"].endswith(f"/scim/v2/Users/{m['value']}") and m["type"] == "User" for m in group["members"])
    assert AuditEntry.objects.get(action="team.create", target_id=str(team.pk)).audience == Audience.SCIM


def test_patch_add_and_remove_members_with_a_value_filter(scim):
    a, b, c = (scim.create_user(f"{n}@ministere.gouv.fr") for n in "abc")
    group = scim.create_group("T", [a["id"], b["id"]])
    status, body, _r = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "add", "path": "members", "value": [{"value": c["id"]}]},
        {"op": "remove", "path": f'members[value eq "{a["id"]}"]'},
    ))
    assert status == 200, body
    assert _member_ids(group["id"]) == {b["id"], c["id"]}
    assert {m["value"] for m in body["members"]} == {b["id"], c["id"]}
    assert AuditEntry.objects.filter(action="team_access.delete", audience=Audience.SCIM).count() == 1


def test_patch_replace_members_and_name(scim):
    a, b = scim.create_user("a@ministere.gouv.fr"), scim.create_user("b@ministere.gouv.fr")
    group = scim.create_group("T", [a["id"]])
    status, _body, _r = scim.patch(f"/Groups/{group['id']}", patch_body(
        {"op": "replace", "path": "members", "value": [{"value": b["id"]}]},
        {"op": "replace", "path": "displayName", "value": "Renamed"},
    ))
    assert status == 200
    assert _member_ids(group["id"]) == {b["id"]}
    assert Team.objects.get(pk=group["id"]).name == "Renamed"


def test_put_replaces_name_members_and_external_id(scim):
    a, b = scim.create_user("a@ministere.gouv.fr"), scim.create_user("b@ministere.gouv.fr")
    group = scim.create_group("T", [a["id"]], externalId="old")
    status, body, _r = scim.put(f"/Groups/{group['id']}", {"schemas": [GROUP_SCHEMA], "displayName": "U", "members": [{"value": b["id"]}]})
    assert status == 200
    assert (body["displayName"], _member_ids(group["id"]), "externalId" in body) == ("U", {b["id"]}, False)


def test_member_of_another_organization_is_400_and_changes_nothing(scim, other_scim):
    mine, theirs = scim.create_user("a@ministere.gouv.fr"), other_scim.create_user("z@autre.gouv.fr")
    group = scim.create_group("T", [mine["id"]])
    status, body, response = scim.patch(f"/Groups/{group['id']}", patch_body({"op": "add", "path": "members", "value": [{"value": theirs["id"]}]}))
    assert_scim_error(status, body, response, 400, "invalidValue")
    assert _member_ids(group["id"]) == {mine["id"]}
    status, body, response = scim.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "X", "members": [{"value": theirs["id"]}]})
    assert_scim_error(status, body, response, 400, "invalidValue")
    assert Team.objects.filter(name="X").count() == 0


def test_removing_the_last_owner_is_refused_and_changes_nothing(scim, organization):
    owner = scim.create_user("owner@ministere.gouv.fr")
    team = TeamFactory(organization=organization, name="Made in People")
    TeamAccessFactory(team=team, user_id=owner["id"], role=TeamRole.OWNER)
    status, body, response = scim.patch(f"/Groups/{team.pk}", patch_body({"op": "remove", "path": "members"}))
    assert_scim_error(status, body, response, 400, "mutability")
    assert _member_ids(team.pk) == {owner["id"]}


def test_delete_removes_the_team(scim):
    group = scim.create_group("T")
    assert scim.delete(f"/Groups/{group['id']}")[0] == 204
    assert not Team.objects.filter(pk=group["id"]).exists()
    assert_scim_error(*scim.get(f"/Groups/{group['id']}"), 404)
    assert AuditEntry.objects.filter(action="team.delete", target_id=group["id"], audience=Audience.SCIM).exists()


def test_group_version_changes_with_its_members(scim):
    a = scim.create_user("a@ministere.gouv.fr")
    group = scim.create_group("T")
    scim.patch(f"/Groups/{group['id']}", patch_body({"op": "add", "path": "members", "value": [{"value": a["id"]}]}))
    status, body, response = scim.put(f"/Groups/{group['id']}", {"schemas": [GROUP_SCHEMA], "displayName": "T"}, headers={"If-Match": group["meta"]["version"]})
    assert_scim_error(status, body, response, 412)
    assert _member_ids(group["id"]) == {a["id"]}


def test_bad_group_input_is_400(scim):
    assert_scim_error(*scim.post("/Groups", {"schemas": [GROUP_SCHEMA]}), 400)
    assert_scim_error(*scim.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "x" * 101}), 400, "invalidValue")
    assert_scim_error(*scim.post("/Groups", {"schemas": [GROUP_SCHEMA], "displayName": "T", "members": [{"value": "not-an-id"}]}), 400, "invalidValue")
    assert not Team.objects.exists()


def test_a_team_provisioned_without_owner_works_in_the_client_api(scim, client_for):
    from people.identity.models import User

    member = scim.create_user("a@ministere.gouv.fr")
    group = scim.create_group("Provisioned", [member["id"]])
    api = client_for(User.objects.get(pk=member["id"]))
    response = api.get(f"/api/v1.0/teams/{group['id']}/")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["role"]) == ("Provisioned", TeamRole.MEMBER)
    assert api.get(f"/api/v1.0/teams/{group['id']}/accesses/").status_code == 200
    assert api.delete(f"/api/v1.0/teams/{group['id']}/").status_code == 403


def test_last_modified_moves_when_members_change(scim):
    a = scim.create_user("a@ministere.gouv.fr")
    group = scim.create_group("T")
    _s, body, _r = scim.patch(f"/Groups/{group['id']}", patch_body({"op": "add", "path": "members", "value": [{"value": a["id"]}]}))
    moment = datetime.fromisoformat
    assert moment(body["meta"]["lastModified"]) > moment(group["meta"]["lastModified"])
    _s, unchanged, _r = scim.patch(f"/Groups/{group['id']}", patch_body({"op": "replace", "path": "displayName", "value": "T"}))
    assert unchanged["meta"]["lastModified"] == body["meta"]["lastModified"]


def test_members_the_client_does_not_see_are_neither_published_nor_removed(scim, organization):
    from tests.factories import UserFactory

    mine = scim.create_user("a@ministere.gouv.fr")
    gone = scim.create_user("gone@ministere.gouv.fr")
    guest = UserFactory(email="guest@autre.gouv.fr")  # invited from another organization
    group = scim.create_group("T", [mine["id"], gone["id"]])
    TeamAccessFactory(team_id=group["id"], user=guest)
    scim.delete(f"/Users/{gone['id']}")  # deprovisioned: kept in the team, with its history

    _s, body, _r = scim.get(f"/Groups/{group['id']}")
    assert [m["value"] for m in body["members"]] == [mine["id"]]
    status, _b, _r = scim.put(f"/Groups/{group['id']}", {"schemas": [GROUP_SCHEMA], "displayName": "T"})
    assert status == 200
    assert _member_ids(group["id"]) == {gone["id"], str(guest.pk)}
