"""The SCIM 2.0 wire format of what People stores, as scim2-models resources.

Only the attributes People stores are declared, so that `Schemas` (built from these models)
publishes exactly what the server supports, and a payload is parsed and serialized by the
same description. Users: `userName`, `name` (formatted, given and family names), `displayName`
(the full name), one e-mail address,
`active`, `externalId`. Groups (teams): `displayName`, `members` (users), `externalId`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import EmailStr, Field
from scim2_models import (
    URN,
    CaseExact,
    ComplexAttribute,
    Mutability,
    Reference,
    Required,
    Resource,
    ResourceType,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


class Email(ComplexAttribute):
    """A user has one e-mail address, their work address (no `primary`: it is the only one)."""

    value: Annotated[EmailStr | None, Required.true] = None
    type: str | None = Field(None, examples=["work"])


class Name(ComplexAttribute):
    """The user's name as the provisioning client gave it (kept as given)."""

    formatted: str | None = None
    """The full name."""

    family_name: str | None = None
    given_name: str | None = None


class User(Resource[Any]):
    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Uniqueness.server, Required.true] = None
    """The e-mail address, or any identifier unique to the server (case-insensitive)."""

    name: Name | None = None
    """The name's parts as the client gave them; the full name is `displayName`, else
    `name.formatted`, else the given and family names."""

    display_name: str | None = None
    """The user's full name."""

    emails: list[Email] | None = None
    """At most one address: the user's e-mail address."""

    active: bool | None = None
    """False: the account is deactivated (it cannot sign in)."""


class GroupMember(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, CaseExact.true, Required.true] = None
    ref: Annotated[Reference[User] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])
    display: Annotated[str | None, Mutability.read_only] = None


class Group(Resource[Any]):
    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true] = None
    members: list[GroupMember] | None = None




def resource_types(base_url: str) -> list[ResourceType]:
    return [
        ResourceType(
            id="User", name="User", endpoint="/Users", description="Agents of the organization",
            schema_=URN(USER_SCHEMA), meta={"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/User"},
        ),
        ResourceType(
            id="Group", name="Group", endpoint="/Groups", description="Teams of the organization",
            schema_=URN(GROUP_SCHEMA), meta={"resourceType": "ResourceType", "location": f"{base_url}/ResourceTypes/Group"},
        ),
    ]
