"""Who may do what on teams, accesses and invitations.

These functions are the single source of each rule: the services call them to decide, and the
API returns their results as `abilities`, so what a client is shown matches what the server
accepts. They are pure, apart from `user_team_abilities` (one query when the display feature is
off), and take everything they need as arguments.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from people.core import policies as core_policies
from people.core.policies import object_abilities
from people.teams.models import TeamAccess, TeamRole

EDIT_ROLES = frozenset({TeamRole.OWNER, TeamRole.ADMIN})


def effective_role(*, role: str | None, as_operator: bool = False) -> str | None:
    """An operator acting from the admin may do what an owner may do; invariants (the last
    owner stays) are still the services' to enforce, whatever the role."""
    return TeamRole.OWNER.value if as_operator else role


def team_role_can_edit(role: str | None) -> bool:
    """Owners and administrators edit the team and manage its accesses and invitations."""
    return role in EDIT_ROLES


def team_role_can_manage_webhooks(role: str | None) -> bool:
    """Owners and administrators see and manage the team's webhooks (URLs of the services told
    of its changes, and their delivery status); members do not."""
    return role in EDIT_ROLES


def team_role_can_delete(role: str | None) -> bool:
    return role == TeamRole.OWNER


def team_abilities(*, role: str | None, is_ancestor_only: bool = False) -> dict[str, bool]:
    """Abilities on a team. Seeing a team only as an ancestor of one's own grants `get` alone."""
    can_edit = team_role_can_edit(role)
    return object_abilities(
        get=role is not None or is_ancestor_only,
        update=can_edit,
        delete=team_role_can_delete(role),
        manage_accesses=can_edit,
    )


def role_can_grant(*, actor_role: str | None, role: str) -> bool:
    """Only owners hand out the owner role; owners and administrators hand out the others."""
    if role == TeamRole.OWNER:
        return actor_role == TeamRole.OWNER
    return team_role_can_edit(actor_role)


def access_set_role_to(
    *, actor_role: str | None, access: TeamAccess, owner_count: int, actor_id: Any, as_operator: bool = False
) -> list[str]:
    """Roles the actor may give to `access` (its current role excluded).

    An owner access is only ever changed by that owner (or an operator), and never while it is
    the team's only owner: the team must keep one. Other accesses are changed by owners and
    administrators, and only owners promote to owner.
    """
    actor_role = effective_role(role=actor_role, as_operator=as_operator)
    if actor_role is None:
        return []
    if access.role == TeamRole.OWNER:
        if (access.user_id != actor_id and not as_operator) or actor_role != TeamRole.OWNER or owner_count <= 1:
            return []
        return [TeamRole.ADMIN.value, TeamRole.MEMBER.value]
    return [
        role.value
        for role in (TeamRole.OWNER, TeamRole.ADMIN, TeamRole.MEMBER)
        if role != access.role and role_can_grant(actor_role=actor_role, role=role)
    ]


def access_can_delete(
    *, actor_role: str | None, access: TeamAccess, owner_count: int, actor_id: Any, as_operator: bool = False
) -> bool:
    """Anyone may leave a team (delete their own access), whatever their role, except its last
    owner: the team must keep one. Other accesses are removed by editors, owners' only by an
    operator (while another owner remains)."""
    actor_role = effective_role(role=actor_role, as_operator=as_operator)
    if actor_role is None:
        return False
    if access.user_id == actor_id:
        return not is_last_owner(access=access, owner_count=owner_count)
    if access.role == TeamRole.OWNER:
        return as_operator and owner_count > 1
    return team_role_can_edit(actor_role)


def is_last_owner(*, access: TeamAccess, owner_count: int) -> bool:
    return core_policies.is_last_owner(role=access.role, owner_count=owner_count)


def access_abilities(*, actor_role: str | None, access: TeamAccess, owner_count: int, actor_id: Any) -> dict[str, Any]:
    set_role_to = access_set_role_to(actor_role=actor_role, access=access, owner_count=owner_count, actor_id=actor_id)
    return object_abilities(
        get=actor_role is not None,
        update=bool(set_role_to),
        delete=access_can_delete(actor_role=actor_role, access=access, owner_count=owner_count, actor_id=actor_id),
        set_role_to=set_role_to,
    )


def service_provider_links(*, requested: set[Any], current: set[Any], usable: set[Any]) -> tuple[set[Any], set[Any]]:
    """The team's service-provider links once the actor sends `requested`, and the ids refused.

    An actor links and unlinks only the providers they may use (`usable`: those their
    organization may use, as `service-providers/` lists them, plus the calling service on the
    resource server). Links to any other provider, made by an operator or by another service,
    stay whatever the list says: the actor could not restore them once dropped, and a client
    that offers only the providers it lists must not remove them unseen. Sending such a link
    back as the team shows it is accepted (a read-modify-write). Any other id is refused, known
    or not, so that the answer tells nothing of providers the actor may not see.
    """
    refused = requested - usable - current
    return (requested & usable) | (current - usable), refused


def user_team_abilities(*, user: Any) -> dict[str, bool]:
    """The `teams` entry of `/users/me/` abilities.

    Teams are shown when the feature is on, or to anyone who already administers a team (they
    must be able to manage it even when the feature is off). Creating needs both the display
    and the creation features.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return {"can_view": False, "can_create": False}
    can_view = bool(settings.FEATURES.get("TEAMS_DISPLAY")) or TeamAccess.objects.filter(
        user=user, role__in=list(EDIT_ROLES)
    ).exists()
    return {"can_view": can_view, "can_create": can_view and bool(settings.FEATURES.get("TEAMS_CREATE"))}
