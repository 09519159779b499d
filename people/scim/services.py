"""Writes of the SCIM server: provisioning clients, and users and teams as a client provisions
them, through the identity and teams services (their rules, the last owner, the audit).

Requests are already parsed into scim2-models resources (`people.scim.wire`); what People
does not store is refused there. A refusal here is a scim2-models exception (its `scimType`
and status), raised before anything is written or rolling the transaction back.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from scim2_models import InvalidValueException, MutabilityException, UniquenessException

from people.core import audit
from people.core.errors import DomainError, LastOwner, ValidationFailed
from people.core.models import Audience
from people.identity import services as identity_services
from people.identity.models import Organization, User, normalize_email
from people.scim import selectors, wire
from people.scim.models import ScimClient, ScimGroup, ScimUser
from people.teams import services as team_services
from people.teams.models import Team, TeamAccess

TOKEN_BYTES = 32


@transaction.atomic
def scim_client_create(*, actor: Any, name: str, organization: Organization) -> tuple[ScimClient, str]:
    """A new provisioning client and its bearer token, returned once and never stored in clear."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = ScimClient(
        name=(name or "").strip(), organization=organization,
        token_prefix=token[:8], token_digest=ScimClient.digest(token),
    )
    client.full_clean()
    client.save()
    audit.record(
        actor=actor, action="scim_client.create", target=client,
        changes={"name": client.name, "organization": organization.pk},
    )
    return client, token


@transaction.atomic
def scim_client_rotate_token(*, actor: Any, client: ScimClient) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client.token_prefix, client.token_digest = token[:8], ScimClient.digest(token)
    client.save(update_fields=["token_prefix", "token_digest", "updated_at"])
    audit.record(actor=actor, action="scim_client.rotate_token", target=client, changes={})
    return token


def _domain_error(error: DomainError) -> Exception:
    if isinstance(error, LastOwner):
        return MutabilityException(detail=error.detail)
    if set(error.errors) == {"email"}:  # the model's only rule left on an address parsed already
        return UniquenessException(detail=error.detail)
    messages = [str(m) for ms in error.errors.values() for m in ms] if error.errors else []
    return InvalidValueException(detail="; ".join(messages) or error.detail)


# --- users -----------------------------------------------------------------------------------


def _user_fields(
    resource: wire.User, *, user_pk: Any = None, stored: ScimUser | None = None
) -> tuple[str, dict[str, Any]]:
    """userName, and the user model's fields the resource sets (all of them: a replacement)."""
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise InvalidValueException(detail="userName is required.")
    if len(user_name) > 255:
        raise InvalidValueException(detail="userName is longer than 255 characters.")
    emails = [e for e in resource.emails or [] if e.value]
    if len(emails) > 1:
        raise InvalidValueException(detail="A user has one e-mail address: send at most one in emails.")
    email = normalize_email(str(emails[0].value)) if emails else None
    if emails and emails[0].type not in (None, "work"):
        raise InvalidValueException(detail='The e-mail address is the user\'s work address: emails.type is "work".')
    if email is None and "@" in user_name:
        email = normalize_email(user_name)
    if selectors.user_name_taken(user_name=user_name, exclude_pk=user_pk):
        raise UniquenessException(detail="Another user has this userName.")
    if email and settings.USER_EMAIL_UNIQUE and selectors.email_taken(email=email, exclude_pk=user_pk):
        raise UniquenessException(detail="Another user has this e-mail address.")
    return user_name, {
        "email": email,
        "name": _full_name(resource, stored=stored),
        "is_active": resource.active if resource.active is not None else True,
    }


NAME_PARTS = (("formatted_name", "formatted"), ("given_name", "given_name"), ("family_name", "family_name"))


def _name_parts(resource: wire.User) -> dict[str, str]:
    """The `name` sub-attributes the client sent, kept as given (ScimUser's fields)."""
    name = resource.name
    parts = {field: ((getattr(name, attribute, None) or "") if name else "").strip() for field, attribute in NAME_PARTS}
    for field, value in parts.items():
        if len(value) > 255:
            raise InvalidValueException(detail=f"name.{dict(NAME_PARTS)[field]} is longer than 255 characters.")
    return parts


def _from_parts(parts: dict[str, str]) -> str:
    joined = " ".join(value for value in (parts["given_name"], parts["family_name"]) if value)
    return parts["formatted_name"] or joined


def _full_name(resource: wire.User, *, stored: ScimUser | None = None) -> str:
    """The user's full name: `displayName`, else `name.formatted`, else the given and family
    names. A `displayName` that only repeats what the `stored` name made (a PATCH of a name part
    sends the rest of the user as it was) follows the new name."""
    made = _from_parts(_name_parts(resource))
    display = (resource.display_name or "").strip()
    stored_made = _from_parts({field: getattr(stored, field) for field, _a in NAME_PARTS}) if stored else None
    if display and made and display == stored_made:
        return made
    return display or made


def _scim_user_save(*, user: User, user_name: str, resource: wire.User, row: ScimUser | None) -> None:
    """Create or update the user's SCIM row (`row`: the one read before, None when it has none)."""
    wanted = {"user_name": user_name, "external_id": resource.external_id or "", **_name_parts(resource)}
    if row is None:
        ScimUser.objects.create(user=user, **wanted)
        audit.record(actor=None, action="scim.user.link", target=user,
                     changes={k: [None, v] for k, v in wanted.items() if v})
    elif any(getattr(row, k) != v for k, v in wanted.items()):
        changes = {k: [getattr(row, k), v] for k, v in wanted.items() if getattr(row, k) != v}
        for k, v in wanted.items():
            setattr(row, k, v)
        row.save(update_fields=list(wanted))
        User.objects.filter(pk=user.pk).update(updated_at=timezone.now())
        audit.record(actor=None, action="scim.user.update", target=user, changes=changes)


@transaction.atomic
def scim_user_create(*, client: ScimClient, resource: wire.User) -> User:
    """A new user of the client's organization; or, when the userName is that of a user the
    client deprovisioned, that same account back (active, with its history)."""
    returning = selectors.user_deprovisioned_for(client=client, user_name=(resource.user_name or "").strip())
    if returning is not None:
        ScimUser.objects.filter(user=returning).update(deprovisioned_at=None)
        audit.record(actor=None, action="scim.user.reprovision", target=returning, changes={})
        if resource.active is None:
            resource.active = True
        return scim_user_replace(client=client, user=returning, resource=resource)
    user_name, fields = _user_fields(resource)
    try:
        user = identity_services.user_create(
            actor=None, email=fields["email"], name=fields["name"], is_active=fields["is_active"],
            organization=client.organization, audience=Audience.SCIM,
        )
    except ValidationFailed as error:
        raise _domain_error(error) from None
    _scim_user_save(user=user, user_name=user_name, resource=resource, row=None)  # a new user
    return user


@transaction.atomic
def scim_user_replace(*, client: ScimClient, user: User, resource: wire.User) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    row = ScimUser.objects.filter(user=user).first()
    user_name, fields = _user_fields(resource, user_pk=user.pk, stored=row)
    try:
        identity_services.user_update(actor=None, user=user, **fields)
    except ValidationFailed as error:
        raise _domain_error(error) from None
    _scim_user_save(user=user, user_name=user_name, resource=resource, row=row)
    return user


@transaction.atomic
def scim_user_delete(*, client: ScimClient, user: User) -> None:
    """Deprovision: the account is deactivated and kept with its history (teams, audit), and
    no longer published to the client."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        identity_services.user_update(actor=None, user=user, is_active=False)
    row, _created = ScimUser.objects.get_or_create(user=user, defaults={"user_name": user.email or str(user.pk)})
    row.deprovisioned_at = timezone.now()
    row.save(update_fields=["deprovisioned_at"])
    audit.record(actor=None, action="scim.user.deprovision", target=user, changes={})


# --- groups ----------------------------------------------------------------------------------


def _member_users(*, client: ScimClient, resource: wire.Group) -> dict[str, User]:
    values = [m.value for m in resource.members or []]
    if any(not value for value in values):
        raise InvalidValueException(detail="Each member needs a value: the id of a user.")
    if any(m.type not in (None, "User") for m in resource.members or []):
        raise InvalidValueException(detail="Members are users: nested groups are not supported.")
    found, unknown = selectors.users_for_members(client=client, ids=values)
    if unknown:
        raise InvalidValueException(detail=f"No user of this organization has these ids: {', '.join(unknown[:10])}.")
    return {str(user.pk): user for user in found.values()}


def _scim_group_save(*, team: Team, external_id: str | None) -> None:
    external_id = external_id or ""
    row = ScimGroup.objects.filter(team=team).first()
    if row is None:
        if external_id:
            ScimGroup.objects.create(team=team, external_id=external_id)
            audit.record(actor=None, action="scim.group.update", target=team, changes={"external_id": [None, external_id]})
    elif row.external_id != external_id:
        audit.record(actor=None, action="scim.group.update", target=team, changes={"external_id": [row.external_id, external_id]})
        row.external_id = external_id
        row.save(update_fields=["external_id"])
        Team.objects.filter(pk=team.pk).update(updated_at=timezone.now())


def _members_set(*, client: ScimClient, team: Team, wanted: dict[str, User]) -> None:
    """Remove the members not wanted, add the new ones (as members), among the users the client
    sees: other members stay. The group's `meta.lastModified` moves when its members do."""
    visible = selectors.user_list_for(client=client).values("pk")
    current = {str(a.user_id): a for a in TeamAccess.objects.filter(team=team, user__in=visible).select_related("team")}
    for user_id, access in current.items():
        if user_id not in wanted:
            team_services.team_access_delete(actor=None, access=access, as_operator=True)
    for user_id, user in wanted.items():
        if user_id not in current:
            team_services.team_access_create(actor=None, team=team, user=user, trusted_service=True)
    if current.keys() != wanted.keys():
        Team.objects.filter(pk=team.pk).update(updated_at=timezone.now())


@transaction.atomic
def scim_group_create(*, client: ScimClient, resource: wire.Group) -> Team:
    members = _member_users(client=client, resource=resource)
    try:
        team = team_services.team_create(
            actor=None, name=resource.display_name or "", organization=client.organization, trusted_service=True,
        )
        _members_set(client=client, team=team, wanted=members)
    except DomainError as error:
        raise _domain_error(error) from None
    _scim_group_save(team=team, external_id=resource.external_id)
    return team


@transaction.atomic
def scim_group_replace(*, client: ScimClient, team: Team, resource: wire.Group) -> Team:
    members = _member_users(client=client, resource=resource)
    try:
        team_services.team_update(actor=None, team=team, as_operator=True, name=resource.display_name or "")
        _members_set(client=client, team=team, wanted=members)
    except DomainError as error:
        raise _domain_error(error) from None
    _scim_group_save(team=team, external_id=resource.external_id)
    return team


@transaction.atomic
def scim_group_delete(*, client: ScimClient, team: Team) -> None:
    team_services.team_delete(actor=None, team=team, as_operator=True)
