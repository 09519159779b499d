"""Role matrices of teams: the functions both the services and the `abilities` fields use."""

import uuid

import pytest

from people.teams import policies
from people.teams.models import TeamAccess, TeamRole
from tests.factories import TeamAccessFactory, UserFactory

ME = uuid.uuid4()


def access(role, user_id=None):
    return TeamAccess(role=role, user_id=user_id or uuid.uuid4())


@pytest.mark.parametrize(
    ("actor_role", "target", "owners", "set_role_to", "delete"),
    [
        (None, access(TeamRole.MEMBER), 1, [], False),
        (TeamRole.MEMBER, access(TeamRole.MEMBER), 1, [], False),
        (TeamRole.MEMBER, access(TeamRole.MEMBER, ME), 1, [], True),  # a member leaves
        (TeamRole.MEMBER, access(TeamRole.ADMIN), 1, [], False),
        (TeamRole.ADMIN, access(TeamRole.ADMIN, ME), 1, ["member"], True),  # an administrator leaves
        (TeamRole.ADMIN, access(TeamRole.MEMBER), 1, ["administrator"], True),
        (TeamRole.ADMIN, access(TeamRole.ADMIN), 1, ["member"], True),
        (TeamRole.ADMIN, access(TeamRole.OWNER), 2, [], False),
        (TeamRole.OWNER, access(TeamRole.MEMBER), 1, ["owner", "administrator"], True),
        (TeamRole.OWNER, access(TeamRole.OWNER), 2, [], False),  # another owner
        (TeamRole.OWNER, access(TeamRole.OWNER, ME), 1, [], False),  # the last owner: oneself
        (TeamRole.OWNER, access(TeamRole.OWNER, ME), 2, ["administrator", "member"], True),
    ],
)
def test_access_abilities(actor_role, target, owners, set_role_to, delete):
    abilities = policies.access_abilities(actor_role=actor_role, access=target, owner_count=owners, actor_id=ME)
    assert abilities["set_role_to"] == set_role_to
    assert abilities["delete"] is delete
    assert abilities["put"] is abilities["patch"] is bool(set_role_to)
    assert abilities["get"] is (actor_role is not None)


def test_team_abilities():
    assert policies.team_abilities(role=None) == dict.fromkeys(("get", "patch", "put", "delete", "manage_accesses"), False)
    assert policies.team_abilities(role=None, is_ancestor_only=True)["get"] is True
    assert policies.team_abilities(role=TeamRole.OWNER)["delete"] is True
    assert policies.team_abilities(role=TeamRole.ADMIN)["delete"] is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("display", "create", "role", "expected"),
    [
        (True, True, None, {"can_view": True, "can_create": True}),
        (True, False, None, {"can_view": True, "can_create": False}),
        (False, True, None, {"can_view": False, "can_create": False}),
        (False, True, TeamRole.MEMBER, {"can_view": False, "can_create": False}),
        (False, True, TeamRole.ADMIN, {"can_view": True, "can_create": True}),
        (False, False, TeamRole.OWNER, {"can_view": True, "can_create": False}),
    ],
)
def test_user_team_abilities(settings, display, create, role, expected):
    settings.FEATURES = {**settings.FEATURES, "TEAMS_DISPLAY": display, "TEAMS_CREATE": create}
    user = UserFactory()
    if role:
        TeamAccessFactory(user=user, role=role)
    assert policies.user_team_abilities(user=user) == expected


def test_anonymous_has_no_team_abilities():
    from django.contrib.auth.models import AnonymousUser

    assert policies.user_team_abilities(user=AnonymousUser()) == {"can_view": False, "can_create": False}


@pytest.mark.parametrize(
    ("requested", "current", "usable", "links", "refused"),
    [
        ({"a"}, set(), {"a", "b"}, {"a"}, set()),
        ({"a", "x"}, set(), {"a"}, {"a"}, {"x"}),  # x: unknown or of another organization, alike
        (set(), {"a", "h"}, {"a"}, {"h"}, set()),  # h: not the actor's to remove
        ({"h", "b"}, {"a", "h"}, {"a", "b"}, {"b", "h"}, set()),  # h sent back as the team shows it
    ],
)
def test_service_provider_links(requested, current, usable, links, refused):
    assert policies.service_provider_links(requested=requested, current=current, usable=usable) == (links, refused)
