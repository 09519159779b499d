"""Users and teams as SCIM resources (scim2-models), their versions (ETags), and what filters
and sorting may name."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db.models.functions import Lower
from scim2_models import Meta

from people.identity.models import User
from people.scim import filters as f
from people.scim import wire
from people.teams.models import Team, TeamAccess


def _version(*parts: Any) -> str:
    digest = hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:20]
    return f'W/"{digest}"'


def user_version(user: User) -> str:
    scim = getattr(user, "scim", None) if _has_scim(user) else None
    return _version(
        str(user.pk), user.updated_at.isoformat(), user.email, user.name, user.is_active,
        scim.user_name if scim else None, scim.external_id if scim else None,
        *((scim.formatted_name, scim.given_name, scim.family_name) if scim else ()),
    )


def _has_scim(obj: Any) -> bool:
    try:
        return getattr(obj, "scim", None) is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        return False


def user_resource(user: User, base_url: str) -> wire.User:
    scim = user.scim if _has_scim(user) else None
    return wire.User(
        id=str(user.pk),
        external_id=(scim.external_id or None) if scim else None,
        user_name=(scim.user_name if scim else None) or user.email or str(user.pk),
        name=_name(scim),
        display_name=user.name or None,
        emails=[wire.Email(value=user.email, type="work")] if user.email else None,
        active=user.is_active,
        meta=Meta(
            resource_type="User", created=user.created_at, last_modified=user.updated_at,
            location=f"{base_url}/Users/{user.pk}", version=user_version(user),
        ),
    )


def _name(scim: Any) -> wire.Name | None:
    if scim is None or not (scim.formatted_name or scim.given_name or scim.family_name):
        return None
    return wire.Name(
        formatted=scim.formatted_name or None, given_name=scim.given_name or None, family_name=scim.family_name or None
    )


def _members(team: Team) -> list[TeamAccess]:
    """The members the client sees, loaded by `selectors.group_list_for` (`scim_members`)."""
    return team.scim_members


def group_version(team: Team) -> str:
    scim = team.scim if _has_scim(team) else None
    members = sorted(str(access.user_id) for access in _members(team))
    return _version(str(team.pk), team.updated_at.isoformat(), team.name, scim.external_id if scim else None, members)


def group_resource(team: Team, base_url: str, *, with_members: bool = True) -> wire.Group:
    scim = team.scim if _has_scim(team) else None
    members = None
    if with_members:
        members = [
            wire.GroupMember(
                value=str(access.user_id), ref=f"{base_url}/Users/{access.user_id}", type="User",
                display=access.user.name or access.user.email or None,
            )
            for access in _members(team)
        ] or None
    return wire.Group(
        id=str(team.pk),
        external_id=(scim.external_id or None) if scim else None,
        display_name=team.name,
        members=members,
        meta=Meta(
            resource_type="Group", created=team.created_at, last_modified=team.updated_at,
            location=f"{base_url}/Groups/{team.pk}",
            version=group_version(team) if with_members else None,
        ),
    )


_META = {
    "meta.created": f.Attribute("created_at", f.DATETIME),
    "meta.lastmodified": f.Attribute("updated_at", f.DATETIME),
}

USER_FILTERS = f.AttributeMap(
    {
        "id": f.Attribute("pk", f.UUID),
        "externalid": f.Attribute("scim__external_id", case_exact=True),
        "username": f.Attribute("scim_user_name"),
        "displayname": f.Attribute("name"),
        "name.formatted": f.Attribute("scim__formatted_name"),
        "name.givenname": f.Attribute("scim__given_name"),
        "name.familyname": f.Attribute("scim__family_name"),
        "emails": f.Attribute("email"),
        "emails.value": f.Attribute("email"),
        "emails.type": f.Attribute("email", f.CONSTANT, constant="work"),
        "active": f.Attribute("is_active", f.BOOLEAN),
        "meta.resourcetype": f.Attribute(None, f.CONSTANT, constant="User"),
        **_META,
    },
    schemas=(wire.USER_SCHEMA,),
)

def group_filters(members: Any) -> f.AttributeMap:
    """Filterable attributes of groups; `members` (a queryset of user ids) are the members the
    client sees, the only ones a filter on `members` matches."""
    return f.AttributeMap(
        {
            "id": f.Attribute("pk", f.UUID),
            "externalid": f.Attribute("scim__external_id", case_exact=True),
            "displayname": f.Attribute("name"),
            "members": f.MultiValued(
                queryset=lambda: TeamAccess.objects.filter(user__in=members),
                link="team",
                attributes={
                    "value": f.Attribute("user_id", f.UUID),
                    "display": f.Attribute("user__name"),
                    "type": f.Attribute(None, f.CONSTANT, constant="User"),
                },
            ),
            "meta.resourcetype": f.Attribute(None, f.CONSTANT, constant="Group"),
            **_META,
        },
        schemas=(wire.GROUP_SCHEMA,),
    )


USER_SORT = {
    "id": "pk", "externalid": "scim__external_id", "username": Lower("scim_user_name"),
    "displayname": Lower("name"), "name.formatted": Lower("scim__formatted_name"),
    "name.givenname": Lower("scim__given_name"), "name.familyname": Lower("scim__family_name"), "emails": "email", "emails.value": "email", "active": "is_active",
    "meta.created": "created_at", "meta.lastmodified": "updated_at",
}
GROUP_SORT = {
    "id": "pk", "externalid": "scim__external_id", "displayname": Lower("name"),
    "meta.created": "created_at", "meta.lastmodified": "updated_at",
}
