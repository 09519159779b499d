"""What every app's policies share: the shape of the `abilities` the frontends read."""

from __future__ import annotations

from typing import Any


def object_abilities(*, get: bool, update: bool, delete: bool, **actions: Any) -> dict[str, Any]:
    """The abilities on one object, a flag per HTTP method the frontends check before offering
    an action: `put` and `patch` are both the right to update. `actions` adds the object's own
    (`manage_accesses`, `set_role_to`...)."""
    return {"get": get, "patch": update, "put": update, "delete": delete, **actions}
