"""Mail domains, who may manage them (accesses) and who is invited to."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from people.core import audit, outbox
from people.core.errors import AlreadyExists, NotFound, PermissionDenied, ValidationFailed
from people.core.models import OutboxStatus, invitation_expiry
from people.core.selectors import not_found_message
from people.core.services import (
    access_create,
    full_clean,
    last_owner_keep,
    model_delete,
    model_update,
)
from people.identity import selectors as identity_selectors
from people.identity.models import User, normalize_domain, normalize_email
from people.mail import policies, provisioning, selectors
from people.mail.models import (
    MailDomain,
    MailDomainAccess,
    MailDomainInvitation,
    MailDomainRole,
    MailDomainStatus,
    slug_base,
)
from people.mail.services.common import acting, language_of, require_manager

EMAIL_KNOWN = "Email already known. Invitation not sent but access created instead."


# --- domains ---------------------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    """The name without its dots, as the suite's clients build it; numbered when two names
    give the same (`ex.ample.fr` and `exa.mple.fr`). The unique index settles a race."""
    base = slug_base(name)
    slug, number = base, 1
    while MailDomain.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def mail_domain_create(*, actor: User, name: Any, support_email: Any) -> MailDomain:
    """A domain of the actor's organization, with the actor as its owner, created on the mail
    platform by a background job (the answer says `pending`; see `provisioning.domain_sync`)."""
    if actor.organization_id is None:
        raise ValidationFailed(_("You must belong to an organization to add a mail domain."), code="no_organization")
    name = normalize_domain(name) if isinstance(name, str) else ""
    if MailDomain.objects.filter(name=name).exists():
        message = _("Mail domain with this name already exists.")
        raise AlreadyExists(message, code="already_exists", errors={"name": [message]})
    domain = MailDomain(
        name=name,
        slug=_unique_slug(name),
        organization_id=actor.organization_id,
        support_email=normalize_email(support_email) if isinstance(support_email, str) else "",
    )
    full_clean(domain, exclude=["organization"])
    domain.save()
    MailDomainAccess.objects.create(domain=domain, user=actor, role=MailDomainRole.OWNER)
    audit.record(
        actor=actor, action="mail_domain.create", target=domain,
        changes={"name": name, "support_email": domain.support_email, "owner": actor.pk},
    )
    provisioning.queue_domain_sync(domain)
    return domain


@transaction.atomic
def mail_domain_fetch(*, actor: User, domain: MailDomain | str, as_operator: bool = False) -> MailDomain:
    """Check the domain again now (managers, operators): a job asks the platform for its status
    and the DNS records it expects. A check already on its way is not queued twice: one waiting
    after a failed attempt is tried again at once."""
    if as_operator:
        domain = selectors.domain_get_for_actor(actor=actor, domain=domain, for_write=True, as_system=True).domain
    else:
        acting_domain = acting(actor=actor, domain=domain)
        require_manager(acting_domain.role)
        domain = acting_domain.domain
    if domain.status == MailDomainStatus.DISABLED:
        raise ValidationFailed(_("This mail domain is disabled: it is not checked any more."), code="domain_disabled")
    operation = domain.operation
    if operation is None or operation.status != OutboxStatus.PENDING:
        provisioning.queue_domain_sync(domain)
    elif operation.attempts:  # waiting after a failed attempt: tried again now, not queued twice
        outbox.retry_now(operation)
    return domain


@transaction.atomic
def mail_domain_set_disabled(*, actor: User, domain: MailDomain, disabled: bool, as_operator: bool = False) -> MailDomain:
    """Operators only (the admin): a disabled domain is no longer checked, and its mailboxes and
    aliases no longer change; enabled again, it is pending until its next check, queued now."""
    if not as_operator:
        raise PermissionDenied(_("Only operators disable or enable a mail domain."))
    domain = selectors.domain_get_for_actor(actor=actor, domain=domain, for_write=True, as_system=True).domain
    old = domain.status
    if (old == MailDomainStatus.DISABLED) == disabled:
        return domain
    new = MailDomainStatus.DISABLED if disabled else MailDomainStatus.PENDING
    changes = model_update(instance=domain, data={"status": new})
    audit.record(actor=actor, action="mail_domain.disable" if disabled else "mail_domain.enable", target=domain, changes=changes)
    provisioning.queue_domain_status_email(domain, old=old, new=new)
    if not disabled:
        provisioning.queue_domain_sync(domain)
    return domain


# --- accesses --------------------------------------------------------------------------------

def _check_role(role: Any) -> str:
    if role not in MailDomainRole.values:
        message = _('"%(role)s" is not a valid choice.') % {"role": role}
        raise ValidationFailed(message, errors={"role": [message]})
    return role


def _require_grant(acting_domain: selectors.ActingDomain, role: str) -> None:
    """Managers hand out roles up to their own."""
    require_manager(acting_domain.role, _("You are not allowed to manage accesses for this mail domain."))
    if not policies.role_can_grant(actor_role=acting_domain.role, role=role):
        raise PermissionDenied(
            _("Only owners of a domain can assign other users as owners.") if role == MailDomainRole.OWNER else _("You cannot grant a role higher than your own.")
        )


def _access_create(*, actor: Any, domain: MailDomain, user: User, role: str, via: Any = None) -> MailDomainAccess:
    return access_create(
        actor=actor, model=MailDomainAccess, scope={"domain": domain}, user=user, role=role, via=via,
        action="mail_domain_access.create", already=_("This user already has a role on this mail domain."),
    )


@transaction.atomic
def mail_domain_access_create(*, actor: User, domain: MailDomain | str, user: User | Any, role: Any) -> MailDomainAccess:
    """Give a colleague (an id among those `accesses/users/` lists) a role on the domain."""
    role = _check_role(role)
    acting_domain = acting(actor=actor, domain=domain)
    _require_grant(acting_domain, role)
    try:
        user = identity_selectors.user_get_visible(user=actor, user_id=getattr(user, "pk", user))
    except NotFound:
        message = _("No active user has this id.")
        raise ValidationFailed(message, errors={"user": [message]}) from None
    return _access_create(actor=actor, domain=acting_domain.domain, user=user, role=role)


def _locked_access(*, actor: User, access: MailDomainAccess) -> tuple[MailDomainAccess, str | None, int]:
    """Lock the domain, then read the access, the actor's role and the owner count again: the
    last owner holds under concurrent requests."""
    acting_domain = acting(actor=actor, domain=access.domain)
    fresh = MailDomainAccess.objects.select_related("user", "domain").filter(pk=access.pk).first()
    if fresh is None:
        raise NotFound(not_found_message(MailDomainAccess))
    return fresh, acting_domain.role, selectors.owner_count(domain=acting_domain.domain)


@transaction.atomic
def mail_domain_access_update(*, actor: User, access: MailDomainAccess, role: Any) -> MailDomainAccess:
    """Change a role; setting the current one again changes nothing."""
    role = _check_role(role)
    access, actor_role, owners = _locked_access(actor=actor, access=access)
    # Permission first, as if another owner existed; the last owner is its own error.
    allowed = policies.access_set_role_to(actor_role=actor_role, access=access, owner_count=max(owners, 2))
    if not allowed:
        raise PermissionDenied(_("You are not allowed to modify role for this user."))
    if role == access.role:
        return access
    if role not in allowed:
        raise PermissionDenied(
            _("Only owners of a domain can assign other users as owners.")
            if role == MailDomainRole.OWNER
            else _("You are only allowed to set role to %(roles)s.") % {"roles": ", ".join(allowed)}
        )
    last_owner_keep(role=access.role, owner_count=owners, detail=_("A mail domain must keep at least one owner: add another owner first."))
    changes = model_update(instance=access, data={"role": role})
    audit.record(actor=actor, action="mail_domain_access.update", target=access, changes=changes)
    return access


@transaction.atomic
def mail_domain_access_delete(*, actor: User, access: MailDomainAccess) -> None:
    access, actor_role, owners = _locked_access(actor=actor, access=access)
    if not policies.access_can_delete(actor_role=actor_role, access=access, owner_count=max(owners, 2)):
        raise PermissionDenied(_("You are not allowed to remove this access."))
    last_owner_keep(role=access.role, owner_count=owners, detail=_("A mail domain must keep at least one owner: add another owner first."))
    model_delete(
        actor=actor, instance=access, action="mail_domain_access.delete",
        changes={"user": access.user_id, "role": access.role},
    )


# --- invitations -----------------------------------------------------------------------------


def _send_invitation(invitation: MailDomainInvitation, *, actor: Any) -> None:
    invitation.email_outbox = outbox.enqueue(
        provisioning.INVITATION_EMAIL,
        {"invitation_id": str(invitation.pk), "language": language_of(actor)},
        recipient=invitation.email,
    )
    invitation.save(update_fields=["email_outbox", "updated_at"])


@transaction.atomic
def mail_domain_invitation_create(
    *, actor: User, domain: MailDomain | str, email: Any, role: Any = MailDomainRole.VIEWER
) -> MailDomainInvitation | MailDomainAccess:
    """Invite an address to manage the domain; an address that already belongs to a user gets
    the access at once. One pending invitation per address and domain; an expired one is
    replaced. The same validity and refresh as team invitations (INVITATION_VALIDITY_DAYS)."""
    role = _check_role(role)
    email = normalize_email(email) if isinstance(email, str) else None
    if not email:
        message = _("This field is required.")
        raise ValidationFailed(message, errors={"email": [message]})
    acting_domain = acting(actor=actor, domain=domain)
    _require_grant(acting_domain, role)
    domain = acting_domain.domain
    user = identity_selectors.active_user_with_email(email)
    if user is not None:
        return _access_create(actor=actor, domain=domain, user=user, role=role)
    existing = MailDomainInvitation.objects.filter(domain=domain, email=email).first()
    if existing is not None:
        if not existing.is_expired:
            raise AlreadyExists(_("This e-mail address is already invited to this mail domain."), code="already_invited")
        model_delete(actor=actor, instance=existing, action="mail_domain_invitation.delete", changes={"reason": "expired, replaced"})
    invitation = MailDomainInvitation(domain=domain, email=email, role=role, issuer=actor, expires_at=invitation_expiry())
    full_clean(invitation, exclude=["issuer", "domain", "email_outbox"])
    invitation.save()
    audit.record(
        actor=actor, action="mail_domain_invitation.create", target=invitation, changes={"email": email, "role": role}
    )
    _send_invitation(invitation, actor=actor)
    return invitation


@transaction.atomic
def mail_domain_invitation_refresh(
    *, actor: User, invitation: MailDomainInvitation
) -> MailDomainInvitation | MailDomainAccess:
    """Valid again from now, and the e-mail sent again; an address that has meanwhile become a
    user's gets the access, and the invitation goes."""
    acting_domain = acting(actor=actor, domain=invitation.domain)
    _require_grant(acting_domain, invitation.role)
    domain = acting_domain.domain
    user = identity_selectors.active_user_with_email(invitation.email)
    if user is not None:
        existing = MailDomainAccess.objects.filter(domain=domain, user=user).first()
        access = existing or _access_create(actor=actor, domain=domain, user=user, role=invitation.role, via=invitation)
        model_delete(actor=actor, instance=invitation, action="mail_domain_invitation.delete", changes={"reason": "user exists"})
        return access
    changes = model_update(instance=invitation, data={"expires_at": invitation_expiry()})
    audit.record(actor=actor, action="mail_domain_invitation.refresh", target=invitation, changes=changes)
    _send_invitation(invitation, actor=actor)
    return invitation


@transaction.atomic
def mail_domain_invitation_delete(*, actor: User, invitation: MailDomainInvitation) -> None:
    require_manager(acting(actor=actor, domain=invitation.domain).role)
    model_delete(
        actor=actor, instance=invitation, action="mail_domain_invitation.delete",
        changes={"email": invitation.email, "role": invitation.role},
    )


@transaction.atomic
def mail_domain_invitation_accept_pending(*, user: User) -> list[MailDomainAccess]:
    """The user's unexpired domain invitations become accesses with the invited role (at their
    first sign-in, or when an operator creates them); expired ones are left to refresh."""
    email = normalize_email(user.email)
    if not email:
        return []
    invitations = list(
        MailDomainInvitation.objects.select_related("domain")
        .select_for_update()
        .filter(email=email, expires_at__gt=timezone.now())
        .order_by("created_at")
    )
    existing = set(
        MailDomainAccess.objects.filter(user=user, domain_id__in=[i.domain_id for i in invitations]).values_list(
            "domain_id", flat=True
        )
    )
    accesses = []
    for invitation in invitations:
        if invitation.domain_id not in existing:
            accesses.append(_access_create(actor=user, domain=invitation.domain, user=user, role=invitation.role, via=invitation))
            existing.add(invitation.domain_id)
        model_delete(actor=user, instance=invitation, action="mail_domain_invitation.accept", changes={"email": email})
    return accesses
