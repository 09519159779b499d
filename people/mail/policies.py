"""Who may do what on mail domains, their accesses, invitations, mailboxes and aliases.

The single source of each rule: the services call these functions to decide, and the API
returns their results as `abilities` (and `can_set_role_to`), so that what a client is shown is
what the server accepts. Pure functions, apart from `user_mailbox_abilities` (one query).

Roles rank viewer < administrator < owner. Viewers see the domain, its mailboxes and aliases,
and may update their own mailbox (its address is their e-mail); administrators and owners
manage mailboxes, aliases, accesses and invitations; only owners manage owners; nobody grants
a role above their own; a domain keeps one owner (`people.core.policies.is_last_owner`, the
rule teams follow too).
"""

from __future__ import annotations

from typing import Any

from people.core.features import feature_enabled
from people.core.policies import is_last_owner, object_abilities
from people.identity.models import normalize_email
from people.mail.models import Mailbox, MailDomainAccess, MailDomainRole

RANK = {MailDomainRole.VIEWER: 0, MailDomainRole.ADMIN: 1, MailDomainRole.OWNER: 2}
MANAGER_ROLES = frozenset({MailDomainRole.OWNER, MailDomainRole.ADMIN})


def role_can_manage(role: str | None) -> bool:
    """Owners and administrators manage the domain's mailboxes, aliases, accesses and invitations."""
    return role in MANAGER_ROLES


def domain_abilities(*, role: str | None) -> dict[str, bool]:
    """A domain is never updated nor deleted through the API; `post` is creating in it."""
    manage = role_can_manage(role)
    return object_abilities(
        get=role is not None, update=manage, delete=role == MailDomainRole.OWNER, post=manage, manage_accesses=manage
    )


def role_can_grant(*, actor_role: str | None, role: str) -> bool:
    """Managers grant roles up to their own, never above."""
    return role_can_manage(actor_role) and role in RANK and RANK[role] <= RANK[actor_role]


def access_can_change(*, actor_role: str | None, access: MailDomainAccess) -> bool:
    """Managers change others' accesses; an owner's only by an owner."""
    if not role_can_manage(actor_role):
        return False
    return access.role != MailDomainRole.OWNER or actor_role == MailDomainRole.OWNER


def access_set_role_to(*, actor_role: str | None, access: MailDomainAccess, owner_count: int) -> list[str]:
    """Roles the actor may give `access` (its current one left out), in alphabetical order, as
    the suite's clients show them; none for the domain's only owner."""
    if not access_can_change(actor_role=actor_role, access=access):
        return []
    if is_last_owner(role=access.role, owner_count=owner_count):
        return []
    return sorted(
        role.value for role in MailDomainRole if role != access.role and role_can_grant(actor_role=actor_role, role=role)
    )


def access_can_delete(*, actor_role: str | None, access: MailDomainAccess, owner_count: int) -> bool:
    return access_can_change(actor_role=actor_role, access=access) and not is_last_owner(
        role=access.role, owner_count=owner_count
    )


def access_abilities(*, actor_role: str | None, access: MailDomainAccess, owner_count: int) -> dict[str, Any]:
    set_role_to = access_set_role_to(actor_role=actor_role, access=access, owner_count=owner_count)
    return object_abilities(
        get=actor_role is not None,
        update=bool(set_role_to),
        delete=access_can_delete(actor_role=actor_role, access=access, owner_count=owner_count),
        set_role_to=set_role_to,
    )


def is_own_mailbox(*, user: Any, mailbox: Mailbox, domain_name: str) -> bool:
    """The mailbox whose address is the user's e-mail (compared case-insensitively)."""
    email = normalize_email(getattr(user, "email", None))
    return bool(email) and email == f"{mailbox.local_part}@{domain_name}"


def mailbox_can_update(*, role: str | None, user: Any, mailbox: Mailbox, domain_name: str) -> bool:
    """Managers update every mailbox; anyone with a role, their own (names, secondary e-mail)."""
    if role_can_manage(role):
        return True
    return role is not None and is_own_mailbox(user=user, mailbox=mailbox, domain_name=domain_name)


def mailbox_abilities(*, role: str | None, user: Any, mailbox: Mailbox, domain_name: str) -> dict[str, Any]:
    """Mailboxes are never deleted (disabled instead)."""
    manage = role_can_manage(role)
    return object_abilities(
        get=role is not None,
        update=mailbox_can_update(role=role, user=user, mailbox=mailbox, domain_name=domain_name),
        delete=False,
        disable=manage,
        enable=manage,
        reset_password=manage,
        login_link=manage,
    )


def alias_abilities(*, role: str | None) -> dict[str, Any]:
    manage = role_can_manage(role)
    return {"get": role is not None, "delete": manage}


def user_mailbox_abilities(*, user: Any) -> dict[str, bool]:
    """The `mailboxes` entry of `users/me/`: shown to users with a role on a mail domain;
    creating needs the MAILBOXES_CREATE switch as well (on only while the mail app is served)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"can_view": False, "can_create": False}
    can_view = getattr(user, "has_mail_domain_access", None)  # read with the session's user
    if can_view is None:
        can_view = MailDomainAccess.objects.filter(user=user).exists()
    return {"can_view": can_view, "can_create": can_view and feature_enabled("MAILBOXES_CREATE")}
