"""The shape of `abilities`: one flag per HTTP method, `put` and `patch` always the same right."""

from __future__ import annotations

import pytest

from people.core.policies import object_abilities


@pytest.mark.parametrize("update", [True, False])
def test_put_and_patch_are_the_right_to_update(update):
    abilities = object_abilities(get=True, update=update, delete=False)
    assert abilities == {"get": True, "patch": update, "put": update, "delete": False}


def test_an_object_s_own_actions_follow_the_methods():
    abilities = object_abilities(get=True, update=False, delete=True, set_role_to=["member"])
    assert list(abilities) == ["get", "patch", "put", "delete", "set_role_to"]
    assert abilities["set_role_to"] == ["member"]
