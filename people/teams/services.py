"""Writes on teams, accesses and invitations: the one place their rules are enforced.

Every function is atomic, takes the acting user, checks the policies, writes an audit entry in
the same transaction and queues outbound work (e-mails) in the outbox, so that nothing is sent
for a change that rolls back and no request waits on a mail server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from people.core import audit, outbox
from people.core.errors import (
    AlreadyExists,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from people.core.models import invitation_expiry
from people.core.services import (
    access_create,
    last_owner_keep,
    model_delete,
    model_update,
    unknown_fields_check,
)
from people.identity import selectors as identity_selectors
from people.identity.auth.errors import AmbiguousEmail
from people.identity.auth.matching import user_match
from people.identity.models import Organization, ServiceProvider, User, normalize_email
from people.teams import policies, selectors, tree, webhooks
from people.teams.models import (
    TEAM_NAME_MAX_LENGTH,
    Invitation,
    Team,
    TeamAccess,
    TeamRole,
    TeamWebhook,
    WebhookProtocol,
)

# Messages of the refusals: English msgids (what API callers without a language get, and what
# their tests compare with), translated into the request's language when raised: `_(NAME)`.
NOT_ALLOWED_TEAM = gettext_noop("You are not allowed to edit this team.")
NOT_ALLOWED_DELETE = gettext_noop("Only owners of a team can delete it.")
NOT_ALLOWED_ACCESSES = gettext_noop("You are not allowed to manage accesses for this team.")
NOT_ALLOWED_OWNER = gettext_noop("Only owners of a team can assign other users as owners.")
NOT_ALLOWED_INVITATIONS = gettext_noop("You are not allowed to manage invitations for this team.")
LAST_OWNER = gettext_noop("A team must keep at least one owner: add another owner first.")
EMAIL_KNOWN = gettext_noop("Email already known. Invitation not sent but access created instead.")
UNKNOWN_USER = gettext_noop("No active user has this id.")
NOT_ALLOWED_CREATE = gettext_noop("You are not allowed to create teams.")
PARENT_UNKNOWN = gettext_noop("No team you can see has this id.")
UNUSABLE_PROVIDERS = gettext_noop("No service provider you may use has these ids: {ids}. service-providers/ lists those you may use.")

INVITATION_EMAIL = "teams.invitation_email"
TEAM_FIELDS = ("name", "is_visible_all_services")


def _acting(
    *, actor: Any, team: Team, as_operator: bool = False, trusted_service: bool = False
) -> selectors.ActingTeam:
    """The team locked for this write, with the role the actor acts with (see
    `selectors.team_get_for_actor`, the one place that decides it)."""
    return selectors.team_get_for_actor(
        actor=actor,
        team=team,
        for_write=True,
        as_operator=as_operator,
        trusted_service=trusted_service,
    )


def _service_provider_links(
    *,
    actor: User,
    values: Iterable[ServiceProvider | Any],
    current: set[Any] = frozenset(),
    as_operator: bool = False,
    calling_service: ServiceProvider | None = None,
) -> set[Any]:
    """The provider ids a team links to once `actor` asks for `values` (see
    `policies.service_provider_links`). The actor may use the providers `service-providers/`
    shows them, an operator any provider, and a calling service on the resource server links
    itself, whatever the user's organization uses."""
    requested = {
        value.pk if isinstance(value, ServiceProvider) else selectors.parse_uuid(value)
        for value in values
    }
    if None in requested:
        raise ValidationFailed(_("Invalid id."), errors={"service_providers": [_("Invalid id.")]})
    if calling_service is not None:
        requested.add(calling_service.pk)
    candidates = (
        ServiceProvider.objects.all()
        if as_operator
        else identity_selectors.service_provider_list_visible_to(user=actor)
    )
    current = set(current)
    usable = set(candidates.filter(pk__in=requested | current).values_list("pk", flat=True))
    if calling_service is not None:
        usable.add(calling_service.pk)
    links, refused = policies.service_provider_links(
        requested=requested, current=current, usable=usable
    )
    if refused:
        ids = ", ".join(sorted(map(str, refused)))
        message = _(UNUSABLE_PROVIDERS).format(ids=ids)
        raise ValidationFailed(message, errors={"service_providers": [message]})
    return links


def _clean_name(name: Any) -> str:
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name:
        raise ValidationFailed(
            _("A team needs a name."), errors={"name": [_("This field may not be blank.")]}
        )
    if len(name) > TEAM_NAME_MAX_LENGTH:
        message = _("Ensure this field has no more than %(max)d characters.") % {"max": TEAM_NAME_MAX_LENGTH}
        raise ValidationFailed(_("The name is too long."), errors={"name": [message]})
    return name


def _parent_for(
    *, actor: User, parent: Team | Any, organization_id: Any, as_operator: bool
) -> Team:
    """The parent of a new team: a team of the same organization the actor edits, locked so
    that its children's paths are allocated one at a time. A parent the actor cannot see is
    the same field error as an unknown id."""
    try:
        acting = selectors.team_get_for_actor(
            actor=actor, team=parent, for_write=True, as_operator=as_operator
        )
    except NotFound:
        raise ValidationFailed(_(PARENT_UNKNOWN), errors={"parent": [_(PARENT_UNKNOWN)]}) from None
    if acting.team.organization_id != organization_id:
        raise ValidationFailed(
            _("The parent team belongs to another organization."),
            errors={"parent": [_("Invalid parent team.")]},
        )
    if not policies.team_role_can_edit(acting.role):
        raise PermissionDenied(_("You are not allowed to create a sub-team in this team."))
    return acting.team


# --- teams -----------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *,
    actor: User,
    name: str,
    parent: Team | Any | None = None,
    service_providers: Iterable[ServiceProvider | Any] = (),
    is_visible_all_services: bool = True,
    as_operator: bool = False,
    organization: Organization | None = None,
    owner: User | None = None,
    calling_service: ServiceProvider | None = None,
    trusted_service: bool = False,
) -> Team:
    """A team in the actor's organization, with the actor as its owner.

    Who may create teams at all is `policies.user_team_abilities` (the features, or already
    administering a team), the same answer `users/me/` gives. The organization is always the
    actor's: a client cannot place a team elsewhere. A `parent` (a row or an id) must be a
    team of that organization which the actor edits. An operator (`as_operator`, admin only)
    chooses the `organization` and the `owner` instead, both required: no team is born
    without an owner. `service_providers`: among those the actor may use; the resource
    server's `calling_service` is linked as well. A SCIM provisioning client
    (`trusted_service`, acting for nobody) chooses the `organization` and may leave the team
    without owner: its identity system manages the members, operators the rest.
    """
    if trusted_service:
        if organization is None:
            raise ValidationFailed(_("This field is required."), errors={"organization": [_("This field is required.")]})
        organization_id = organization.pk
    elif as_operator:
        if organization is None or owner is None:
            raise ValidationFailed(
                _("An organization and an owner are required."),
                errors={
                    k: [_("This field is required.")]
                    for k, v in (("organization", organization), ("owner", owner))
                    if v is None
                },
            )
        organization_id = organization.pk
    else:
        if organization is not None or owner is not None:
            raise ValidationFailed(
                _("Only operators choose the organization and the owner of a team.")
            )
        if not policies.user_team_abilities(user=actor)["can_create"]:
            raise PermissionDenied(_(NOT_ALLOWED_CREATE))
        organization_id, owner = actor.organization_id, actor
    if organization_id is None:
        raise ValidationFailed(
            _("You must belong to an organization to create a team."), code="no_organization"
        )
    name = _clean_name(name)
    providers = _service_provider_links(
        actor=actor,
        values=service_providers,
        as_operator=as_operator or trusted_service,
        calling_service=calling_service,
    )
    if parent is not None:
        parent = _parent_for(
            actor=actor, parent=parent, organization_id=organization_id, as_operator=as_operator
        )
    team = Team(
        name=name,
        organization_id=organization_id,
        parent=parent,
        is_visible_all_services=bool(is_visible_all_services),
    )
    tree.place_and_save(team)
    if providers:
        team.service_providers.set(providers)
    if owner is not None:
        TeamAccess.objects.create(team=team, user=owner, role=TeamRole.OWNER)
    audit.record(
        actor=actor,
        action="team.create",
        target=team,
        changes={
            "name": name,
            "parent": parent.pk if parent else None,
            "is_visible_all_services": team.is_visible_all_services,
            "service_providers": sorted(map(str, providers)),
            "owner": owner.pk if owner is not None else None,
        },
    )
    return team


@transaction.atomic
def team_update(*, actor: User, team: Team, as_operator: bool = False, **fields: Any) -> Team:
    """Change `name`, `is_visible_all_services` and/or `service_providers` (owners, administrators;
    links to providers the actor may not use are kept, see `policies.service_provider_links`)."""
    unknown_fields_check(fields, allowed={*TEAM_FIELDS, "service_providers"})
    acting = _acting(actor=actor, team=team, as_operator=as_operator)
    if not policies.team_role_can_edit(acting.role):
        raise PermissionDenied(_(NOT_ALLOWED_TEAM))
    data = {}
    if "name" in fields:
        data["name"] = _clean_name(fields["name"])
    if "is_visible_all_services" in fields:
        data["is_visible_all_services"] = bool(fields["is_visible_all_services"])
    changes = model_update(instance=team, data=data)
    if "service_providers" in fields:
        old_ids = set(team.service_providers.values_list("pk", flat=True))
        new_ids = _service_provider_links(
            actor=actor,
            values=fields["service_providers"],
            current=old_ids,
            as_operator=as_operator,
        )
        if old_ids != new_ids:
            team.service_providers.set(new_ids)
            changes["service_providers"] = [sorted(map(str, old_ids)), sorted(map(str, new_ids))]
    if changes:
        audit.record(actor=actor, action="team.update", target=team, changes=changes)
    if "name" in changes:
        webhooks.queue_rename(team=team)
    return team


@transaction.atomic
def team_delete(*, actor: User, team: Team, as_operator: bool = False) -> None:
    """Owners (and operators) only. Sub-teams go with their parent (the tree has no orphans)."""
    acting = _acting(actor=actor, team=team, as_operator=as_operator)
    if not policies.team_role_can_delete(acting.role):
        raise PermissionDenied(_(NOT_ALLOWED_DELETE))
    descendants = Team.objects.filter(path__startswith=team.path).exclude(pk=team.pk).count()
    webhooks.queue_delete(teams=Team.objects.filter(path__startswith=team.path).only("pk"))
    model_delete(
        actor=actor,
        instance=team,
        action="team.delete",
        changes={"name": team.name, "descendants": descendants},
    )


# --- accesses --------------------------------------------------------------------------------


def _access_create(
    *, actor: Any, team: Team, user: User, role: str, via: Invitation | None = None
) -> TeamAccess:
    access = access_create(
        actor=actor, model=TeamAccess, scope={"team": team}, user=user, role=role, via=via,
        action="team_access.create", already=_("This user is already a member of the team."),
    )
    webhooks.queue_members(team=team, op=webhooks.OP_ADD, users=[user])
    return access


def _role_names(roles: Iterable[str]) -> str:
    """Roles as the message's reader names them ("administrator, member" in English)."""
    return ", ".join(str(TeamRole(role).label) for role in roles)


def _check_role(role: Any) -> str:
    if role not in TeamRole.values:
        raise ValidationFailed(
            _("Unknown role."), errors={"role": [_('"%(role)s" is not a valid choice.') % {"role": role}]}
        )
    return role


def _require_manager(
    *, acting: selectors.ActingTeam, refused: str, role: str | None = None
) -> None:
    """Owners and administrators manage accesses and invitations; only owners hand out the
    owner role."""
    if not policies.team_role_can_edit(acting.role):
        raise PermissionDenied(_(refused))
    if role is not None and not policies.role_can_grant(actor_role=acting.role, role=role):
        raise PermissionDenied(_(NOT_ALLOWED_OWNER))


def _colleague(*, actor: User, user: User | Any) -> User:
    """The user named by id (or instance) among those the actor sees in `users/`: active users
    of their organization. Anyone else, unknown or of another organization, is the same field
    error, so that an id tells nothing; people of other organizations are added through an
    invitation to their exact e-mail address (see `invitation_create`)."""
    try:
        return identity_selectors.user_get_visible(user=actor, user_id=getattr(user, "pk", user))
    except NotFound:
        raise ValidationFailed(_(UNKNOWN_USER), errors={"user": [_(UNKNOWN_USER)]}) from None


@transaction.atomic
def team_access_create(
    *,
    actor: User | None,
    team: Team,
    user: User | Any,
    role: str = TeamRole.MEMBER,
    trusted_service: bool = False,
    as_operator: bool = False,
) -> TeamAccess:
    """Add a colleague of the actor, named by id or instance, to the team.

    `trusted_service`: a server-to-server caller whose credentials' scope the resource server
    already checked acts for nobody in the team (`actor` None), so no member role is required,
    and names the user it matched like at sign-in (a User). `as_operator`: an operator from the
    admin, acting as an owner, who may add any user (a User).
    """
    role = _check_role(role)
    acting = _acting(
        actor=actor, team=team, as_operator=as_operator, trusted_service=trusted_service
    )
    if not trusted_service:
        _require_manager(acting=acting, refused=NOT_ALLOWED_ACCESSES, role=role)
    if not (trusted_service or as_operator):
        user = _colleague(actor=actor, user=user)
    return _access_create(actor=actor, team=team, user=user, role=role)


def _locked_access(
    *, actor: User, access: TeamAccess, as_operator: bool = False
) -> tuple[TeamAccess, str | None, int]:
    """Lock the team, then re-read the access, the actor's role and the owner count.

    Reading after the lock is what keeps the last owner under concurrent requests: a second
    request waits here and then counts the owners the first one left.
    """
    try:
        acting = _acting(actor=actor, team=access.team, as_operator=as_operator)
    except NotFound:
        raise NotFound(selectors.ACCESS_NOT_FOUND) from None
    fresh = TeamAccess.objects.select_related("team", "user").filter(pk=access.pk).first()
    if fresh is None or acting.role is None:
        raise NotFound(selectors.ACCESS_NOT_FOUND)
    return fresh, acting.role, selectors.owner_count(team=acting.team)


@transaction.atomic
def team_access_update(
    *, actor: User, access: TeamAccess, role: str, as_operator: bool = False
) -> TeamAccess:
    """Change a member's role. Setting the current role again changes nothing and succeeds."""
    role = _check_role(role)
    access, actor_role, owners = _locked_access(actor=actor, access=access, as_operator=as_operator)
    # Permission first, as if another owner existed; the last owner rule is its own error.
    allowed = policies.access_set_role_to(
        actor_role=actor_role,
        access=access,
        owner_count=max(owners, 2),
        actor_id=actor.pk,
        as_operator=as_operator,
    )
    if not allowed:
        raise PermissionDenied(_(NOT_ALLOWED_ACCESSES))
    if role == access.role:
        return access
    if role not in allowed:
        raise PermissionDenied(
            _(NOT_ALLOWED_OWNER)
            if role == TeamRole.OWNER
            else _("You are only allowed to set role to %(roles)s.") % {"roles": _role_names(allowed)}
        )
    last_owner_keep(role=access.role, owner_count=owners, detail=_(LAST_OWNER))
    changes = model_update(instance=access, data={"role": role})
    audit.record(actor=actor, action="team_access.update", target=access, changes=changes)
    return access


@transaction.atomic
def team_access_delete(*, actor: User, access: TeamAccess, as_operator: bool = False) -> None:
    access, actor_role, owners = _locked_access(actor=actor, access=access, as_operator=as_operator)
    if not policies.access_can_delete(
        actor_role=actor_role,
        access=access,
        owner_count=max(owners, 2),
        actor_id=getattr(actor, "pk", None),  # None: a provisioning client, acting for nobody
        as_operator=as_operator,
    ):
        raise PermissionDenied(_(NOT_ALLOWED_ACCESSES))
    last_owner_keep(role=access.role, owner_count=owners, detail=_(LAST_OWNER))
    webhooks.queue_members(team=access.team, op=webhooks.OP_REMOVE, users=[access.user])
    model_delete(
        actor=actor,
        instance=access,
        action="team_access.delete",
        changes={"user": access.user_id, "role": access.role},
    )


# --- invitations -----------------------------------------------------------------------------


def _known_user(email: str) -> User | None:
    return identity_selectors.active_user_with_email(email)


def _send_invitation(invitation: Invitation, *, actor: Any) -> None:
    language = getattr(actor, "language", None) or settings.LANGUAGE_CODE
    invitation.email_outbox = outbox.enqueue(
        INVITATION_EMAIL, {"invitation_id": str(invitation.pk), "language": language}, recipient=invitation.email
    )
    invitation.save(update_fields=["email_outbox", "updated_at"])


def _require_invitation_manager(
    *, actor: User, team: Team, role: str | None = None, as_operator: bool = False
) -> None:
    acting = _acting(actor=actor, team=team, as_operator=as_operator)
    _require_manager(acting=acting, refused=NOT_ALLOWED_INVITATIONS, role=role)


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    team: Team,
    email: str,
    role: str = TeamRole.MEMBER,
    trusted_service: bool = False,
    as_operator: bool = False,
) -> Invitation | TeamAccess:
    """Invite an e-mail address; an address that already belongs to a user gets an access at once.

    One pending invitation per address and team: inviting again while it is pending is a
    conflict; an expired one is replaced. `trusted_service`: see `team_access_create`;
    `as_operator`: an operator from the admin, acting as an owner (the e-mail goes out the same).
    """
    role = _check_role(role)
    email = normalize_email(email)
    if not email:
        raise ValidationFailed(
            _("An e-mail address is required."), errors={"email": [_("This field is required.")]}
        )
    acting = _acting(
        actor=actor, team=team, as_operator=as_operator, trusted_service=trusted_service
    )
    if not trusted_service:
        _require_manager(acting=acting, refused=NOT_ALLOWED_INVITATIONS, role=role)
    user = _known_user(email)
    if user is not None:
        return _access_create(actor=actor, team=team, user=user, role=role)
    existing = Invitation.objects.filter(team=team, email=email).first()
    if existing is not None:
        if not existing.is_expired:
            raise AlreadyExists(
                _("This e-mail address is already invited to this team."), code="already_invited"
            )
        model_delete(
            actor=actor,
            instance=existing,
            action="invitation.delete",
            changes={"reason": "expired, replaced"},
        )
    invitation = Invitation.objects.create(
        team=team, email=email, role=role, issuer=actor, expires_at=invitation_expiry()
    )
    audit.record(
        actor=actor,
        action="invitation.create",
        target=invitation,
        changes={"email": email, "role": role},
    )
    _send_invitation(invitation, actor=actor)
    return invitation


@transaction.atomic
def team_member_add_or_invite(
    *, team: Team, sub: str | None = None, email: str | None = None, role: str = TeamRole.MEMBER
) -> TeamAccess | Invitation:
    """A trusted service's request to have a person in the team (its API key scoped already).

    The person is matched like at sign-in (`sub`, then `email`) and never created: a known
    user gets the access, an unknown e-mail address an invitation, turned into an access when
    that person first signs in. A deactivated user, an address shared by several users or an
    unknown `sub` without an address is refused, with nothing written.
    """
    try:
        user = user_match(sub=sub, email=email)
    except AmbiguousEmail as error:
        raise ValidationFailed(
            _("Several users have this e-mail address; name the user by sub."), code="ambiguous_email"
        ) from error
    if user is not None:
        if not user.is_active:
            raise ValidationFailed(_("This user is deactivated."), code="inactive_user")
        return team_access_create(actor=None, team=team, user=user, role=role, trusted_service=True)
    if email:
        return invitation_create(
            actor=None, team=team, email=email, role=role, trusted_service=True
        )
    raise ValidationFailed(
        _("No user has this sub; give an e-mail address to invite them."),
        code="unknown_user",
        errors={"sub": [_("No user has this sub.")]},
    )


@transaction.atomic
def invitation_refresh(
    *, actor: User, invitation: Invitation, as_operator: bool = False
) -> Invitation | TeamAccess:
    """Extend the invitation's validity from now and send the e-mail again.

    If the address has meanwhile become a user's, that user gets the access and the
    invitation goes away.
    """
    team = invitation.team
    _require_invitation_manager(actor=actor, team=team, as_operator=as_operator)
    user = _known_user(invitation.email)
    if user is not None:
        existing = TeamAccess.objects.filter(team=team, user=user).first()
        access = existing or _access_create(
            actor=actor, team=team, user=user, role=invitation.role, via=invitation
        )
        model_delete(
            actor=actor,
            instance=invitation,
            action="invitation.delete",
            changes={"reason": "user exists"},
        )
        return access
    changes = model_update(instance=invitation, data={"expires_at": invitation_expiry()})
    audit.record(actor=actor, action="invitation.refresh", target=invitation, changes=changes)
    _send_invitation(invitation, actor=actor)
    return invitation


@transaction.atomic
def invitation_update(
    *, actor: User, invitation: Invitation, as_operator: bool = False, **fields: Any
) -> Invitation:
    """Change the role offered and/or the expiry (`expires_at`, in the past to withdraw it
    without deleting it). Not offered by the API (405 there); the admin's operators use it."""
    unknown_fields_check(fields, allowed={"role", "expires_at"})
    role = _check_role(fields["role"]) if "role" in fields else None
    _require_invitation_manager(
        actor=actor, team=invitation.team, role=role, as_operator=as_operator
    )
    if "expires_at" in fields and fields["expires_at"] is None:
        raise ValidationFailed(
            _("An expiry is required."), errors={"expires_at": [_("This field is required.")]}
        )
    changes = model_update(instance=invitation, data=fields)
    if changes:
        audit.record(actor=actor, action="invitation.update", target=invitation, changes=changes)
    return invitation


@transaction.atomic
def invitation_delete(*, actor: User, invitation: Invitation, as_operator: bool = False) -> None:
    _require_invitation_manager(actor=actor, team=invitation.team, as_operator=as_operator)
    model_delete(
        actor=actor,
        instance=invitation,
        action="invitation.delete",
        changes={"email": invitation.email, "role": invitation.role},
    )


@transaction.atomic
def invitation_accept_pending(*, user: User) -> list[TeamAccess]:
    """Turn the user's unexpired invitations into accesses with the invited role.

    Called at sign-in and when an operator creates a user. Expired invitations are left for
    the team to refresh or delete. A user who already has an access keeps it unchanged.
    """
    email = normalize_email(user.email)
    if not email:
        return []
    invitations = list(
        Invitation.objects.select_related("team")
        .select_for_update()
        .filter(email=email, expires_at__gt=timezone.now())
        .order_by("created_at")
    )
    if not invitations:
        return []
    existing = set(
        TeamAccess.objects.filter(
            user=user, team_id__in=[i.team_id for i in invitations]
        ).values_list("team_id", flat=True)
    )
    accesses = []
    for invitation in invitations:
        if invitation.team_id not in existing:
            access = TeamAccess.objects.create(
                team=invitation.team, user=user, role=invitation.role
            )
            webhooks.queue_members(team=invitation.team, op=webhooks.OP_ADD, users=[user])
            audit.record(
                actor=user,
                action="team_access.create",
                target=access,
                changes={"user": user.pk, "role": invitation.role, "invitation": invitation.pk},
            )
            accesses.append(access)
            existing.add(invitation.team_id)
        model_delete(
            actor=user, instance=invitation, action="invitation.accept", changes={"email": email}
        )
    return accesses


# --- webhooks --------------------------------------------------------------------------------

NOT_ALLOWED_WEBHOOKS = selectors.NOT_ALLOWED_WEBHOOKS
WEBHOOK_URL_MAX_LENGTH = TeamWebhook._meta.get_field("url").max_length
WEBHOOK_SECRET_MAX_LENGTH = TeamWebhook._meta.get_field("secret").max_length
# A webhook's URL: http(s), a host name or address, an optional port, a path of URI characters
# (RFC 3986 §3.3); no credentials, query nor fragment (the SCIM paths are appended to it).
# `(?!.*\n)`: Python's `$` also matches before a final newline, JSON Schema's does not.
_PORT = r"(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}))?"
_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
WEBHOOK_URL_PATTERN = rf"^(?!.*\n)https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?{_PORT}(?:/(?:{_PCHAR}|/)*)?$"
# The token: printable ASCII, no spaces (it goes in a header).
WEBHOOK_SECRET_PATTERN = r"^(?!.*\n)[!-~]+$"


def _clean_webhook_url(url: Any) -> str:
    """An https URL (http too where TEAM_WEBHOOK_ALLOW_HTTP) that WEBHOOK_URL_PATTERN matches."""
    url = url if isinstance(url, str) else ""
    schemes = ("https://", "http://") if settings.TEAM_WEBHOOK_ALLOW_HTTP else ("https://",)
    if len(url) > WEBHOOK_URL_MAX_LENGTH or not re.fullmatch(WEBHOOK_URL_PATTERN, url) or not url.startswith(schemes):
        message = _("Enter an https URL, without user name nor password.")
        raise ValidationFailed(message, errors={"url": [message]})
    if not webhooks.host_allowed(url):
        message = _("People may not call this host; ask an operator for the hosts allowed.")
        raise ValidationFailed(message, errors={"url": [message]})
    return url.rstrip("/")


def _clean_webhook_secret(secret: Any) -> str:
    """Sent as `Authorization: Bearer <secret>`."""
    secret = secret if isinstance(secret, str) else ""
    if len(secret) > WEBHOOK_SECRET_MAX_LENGTH or not re.fullmatch(WEBHOOK_SECRET_PATTERN, secret):
        message = _("Enter the token the service gave, printable characters without spaces.")
        raise ValidationFailed(message, errors={"secret": [message]})
    return secret


def _require_webhook_manager(*, actor: User, team: Team, as_operator: bool = False) -> Team:
    acting = _acting(actor=actor, team=team, as_operator=as_operator)
    if not policies.team_role_can_manage_webhooks(acting.role):
        raise PermissionDenied(_(NOT_ALLOWED_WEBHOOKS))
    return acting.team


@transaction.atomic
def webhook_create(
    *, actor: User, team: Team, url: str, secret: str, protocol: str = WebhookProtocol.SCIM, as_operator: bool = False
) -> TeamWebhook:
    """A service told of the team's changes from now on; its group is made there (with the
    team's members) by the first delivery, queued here."""
    team = _require_webhook_manager(actor=actor, team=team, as_operator=as_operator)
    if protocol not in WebhookProtocol.values:
        raise ValidationFailed(_("Unknown protocol."), errors={"protocol": [_("Unknown protocol.")]})
    webhook = TeamWebhook.objects.create(
        team=team, url=_clean_webhook_url(url), secret=_clean_webhook_secret(secret), protocol=protocol
    )
    audit.record(actor=actor, action="team_webhook.create", target=webhook, changes={"url": webhook.url, "protocol": protocol})
    webhooks.queue_sync(webhook)
    return webhook


@transaction.atomic
def webhook_delete(*, actor: User, webhook: TeamWebhook, as_operator: bool = False) -> None:
    """The service is no longer told; its group stays there as it is (its messages on their way
    are dropped)."""
    if webhook.team_id is not None:
        _require_webhook_manager(actor=actor, team=webhook.team, as_operator=as_operator)
    elif not as_operator:
        raise NotFound(selectors.WEBHOOK_NOT_FOUND)
    model_delete(actor=actor, instance=webhook, action="team_webhook.delete", changes={"url": webhook.url})


@transaction.atomic
def webhook_retry(*, actor: User, webhook: TeamWebhook, as_operator: bool = False) -> TeamWebhook:
    """"Retry now": what waits in backoff is due now, and the group is put in full after it,
    which repairs what failed for good (an old change resent out of order could undo later ones)."""
    if webhook.team_id is None:
        if not as_operator:
            raise NotFound(selectors.WEBHOOK_NOT_FOUND)
        webhooks.retry_pending(webhook)
        return webhook
    _require_webhook_manager(actor=actor, team=webhook.team, as_operator=as_operator)
    retried = webhooks.retry_pending(webhook)
    webhooks.queue_sync(webhook)
    audit.record(actor=actor, action="team_webhook.retry", target=webhook, changes={"retried": retried})
    webhook.refresh_from_db()
    return webhook
