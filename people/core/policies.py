"""What every app's policies share: the shape of the `abilities` the frontends read, and the
rules of every object that has owners (teams, mail domains)."""

from __future__ import annotations

from typing import Any


def object_abilities(*, get: bool, update: bool, delete: bool, **actions: Any) -> dict[str, Any]:
    """The abilities on one object, a flag per HTTP method the frontends check before offering
    an action: `put` and `patch` are both the right to update. `actions` adds the object's own
    (`manage_accesses`, `set_role_to`...)."""
    return {"get": get, "patch": update, "put": update, "delete": delete, **actions}


OWNER_ROLE = "owner"


def is_last_owner(*, role: str | None, owner_count: int) -> bool:
    """An object with owners (a team, a mail domain) keeps one: its only owner may neither
    leave nor be demoted, or nobody could manage it any more. `owner_count` is read after the
    object's row is locked, so that two owners stepping down at once leave one."""
    return role == OWNER_ROLE and owner_count <= 1
