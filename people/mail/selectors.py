"""Reads of mail domains and what they hold, limited to what the caller may see.

A domain is seen by the users who have a role on it; everything under it (accesses,
invitations, mailboxes, aliases) is read through `domain_get_for_actor`, which answers 404
for a domain the caller has no role on, as for an unknown one. Lists carry what their rows
show as annotations and joins, so a page costs the same queries whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from people.core.errors import NotFound
from people.core.ordering import apply_ordering
from people.core.search import normalize, search
from people.core.selectors import get_or_not_found, not_found_message
from people.identity import selectors as identity_selectors
from people.identity.models import User
from people.mail.models import (
    Alias,
    AliasStatus,
    Mailbox,
    MailDomain,
    MailDomainAccess,
    MailDomainInvitation,
    MailDomainRole,
)

DOMAIN_NOT_FOUND = not_found_message(MailDomain)
DOMAIN_ORDERING = ("created_at", "name")
ACCESS_ORDERING = ("role", "user__email", "user__name", "created_at")
MAILBOX_ORDERING = ("created_at", "first_name", "last_name", "local_part", "status")
ALIAS_ORDERING = ("local_part", "destination", "created_at")


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _mailbox_count() -> Coalesce:
    counted = (
        Mailbox.objects.filter(domain=OuterRef("pk")).order_by().values("domain").annotate(total=Count("pk")).values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def domain_list_visible_to(*, user: Any) -> QuerySet[MailDomain]:
    """Domains the user has a role on, with `user_role` and `count_mailboxes` (subqueries run
    for the rows returned only) and their latest outbox message (why one is pending)."""
    if not _signed_in(user):
        return MailDomain.objects.none()
    own = MailDomainAccess.objects.filter(user=user)
    return (
        MailDomain.objects.filter(pk__in=own.values("domain_id"))
        .annotate(
            user_role=Subquery(own.filter(domain=OuterRef("pk")).values("role")[:1]),
            count_mailboxes=_mailbox_count(),
        )
        .select_related("operation")
    )


def domain_search(queryset: QuerySet[MailDomain], query: str | None) -> QuerySet[MailDomain]:
    return search(queryset, query, field="name")


def domain_order(queryset: QuerySet[MailDomain], raw: str | None) -> QuerySet[MailDomain]:
    return apply_ordering(queryset, raw, allowed=DOMAIN_ORDERING, default=["-created_at"])


def domain_get_visible(*, user: Any, slug: Any) -> MailDomain:
    """One domain of the user's, annotated as in the list."""
    found = domain_list_visible_to(user=user).filter(slug=str(slug)).first() if isinstance(slug, str) else None
    if found is None:
        raise NotFound(DOMAIN_NOT_FOUND)
    return found


@dataclass(frozen=True)
class ActingDomain:
    """A domain and the role its actor has on it (None: an operator or a job, acting for nobody)."""

    domain: MailDomain
    role: str | None


def domain_get_for_actor(
    *, actor: Any, domain: MailDomain | str, for_write: bool = False, as_system: bool = False
) -> ActingDomain:
    """The one entry to act on a domain: the domain (a row, or a slug) if the actor has a role on
    it, with that role; NotFound otherwise, as for an unknown slug.

    With `for_write` the domain's row is locked until the end of the caller's transaction and
    the role read after the lock: writes that depend on its accesses (the last owner) or on its
    status run one at a time. `as_system`: a background job, which acts on any domain.
    """
    slug = domain.slug if isinstance(domain, MailDomain) else domain
    if not isinstance(slug, str):
        raise NotFound(DOMAIN_NOT_FOUND)
    if for_write or not isinstance(domain, MailDomain):
        rows = MailDomain.objects.filter(slug=slug)
        row = (rows.select_for_update() if for_write else rows).first()
        if row is None:
            raise NotFound(DOMAIN_NOT_FOUND)
        domain = row  # read under the lock when writing: its status may have moved
    if as_system:
        return ActingDomain(domain=domain, role=None)
    role = role_of(user=actor, domain=domain, fresh=for_write)
    if role is None:
        raise NotFound(DOMAIN_NOT_FOUND)
    return ActingDomain(domain=domain, role=role)


def role_of(*, user: Any, domain: MailDomain, fresh: bool = False) -> str | None:
    """The user's role: the `user_role` annotation unless `fresh`, else one query."""
    if hasattr(domain, "user_role") and not fresh:
        return domain.user_role
    if not _signed_in(user):
        return None
    return MailDomainAccess.objects.filter(domain_id=domain.pk, user=user).values_list("role", flat=True).first()


def owner_count(*, domain: MailDomain) -> int:
    return MailDomainAccess.objects.filter(domain=domain, role=MailDomainRole.OWNER).count()


# --- accesses ------------------------------------------------------------------------------


def access_list_for(*, domain: MailDomain) -> QuerySet[MailDomainAccess]:
    return MailDomainAccess.objects.filter(domain=domain).select_related("user")


def access_search(queryset: QuerySet[MailDomainAccess], query: str | None) -> QuerySet[MailDomainAccess]:
    return search(queryset, query, field="user__search_text")


def access_order(queryset: QuerySet[MailDomainAccess], raw: str | None) -> QuerySet[MailDomainAccess]:
    return apply_ordering(queryset, raw, allowed=ACCESS_ORDERING, default=["-created_at"])


def access_get(*, domain: MailDomain, access_id: Any) -> MailDomainAccess:
    return get_or_not_found(access_list_for(domain=domain), access_id)


def access_candidates(*, user: User, domain: MailDomain, query: str | None = None) -> QuerySet[User]:
    """Whom the user may give a role on the domain: the users `users/` shows them (their
    organization's active users; someone else by their exact e-mail address) who have none."""
    return identity_selectors.user_search(user=user, query=query).exclude(mail_domain_accesses__domain=domain)


# --- invitations ---------------------------------------------------------------------------


def invitation_list_for(*, domain: MailDomain) -> QuerySet[MailDomainInvitation]:
    """Newest first, expired ones included."""
    return MailDomainInvitation.objects.filter(domain=domain).select_related("email_outbox").order_by("-created_at", "pk")


def invitation_get(*, domain: MailDomain, invitation_id: Any) -> MailDomainInvitation:
    return get_or_not_found(invitation_list_for(domain=domain), invitation_id)


# --- mailboxes -----------------------------------------------------------------------------


def mailbox_list_for(*, domain: MailDomain) -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(domain=domain).select_related("domain", "operation")


def mailbox_search(queryset: QuerySet[Mailbox], query: str | None) -> QuerySet[Mailbox]:
    """Accent- and case-insensitive, on names, local part and secondary e-mail address."""
    return search(queryset, query)


def mailbox_order(queryset: QuerySet[Mailbox], raw: str | None) -> QuerySet[Mailbox]:
    return apply_ordering(queryset, raw, allowed=MAILBOX_ORDERING, default=["-created_at"])


def mailbox_get(*, domain: MailDomain, mailbox_id: Any) -> Mailbox:
    return get_or_not_found(mailbox_list_for(domain=domain), mailbox_id)


# --- aliases -------------------------------------------------------------------------------


def alias_list_for(*, domain: MailDomain) -> QuerySet[Alias]:
    """The domain's aliases, those being deleted left out."""
    return Alias.objects.filter(domain=domain).exclude(status=AliasStatus.DELETING).select_related("operation")


def alias_search(queryset: QuerySet[Alias], query: str | None) -> QuerySet[Alias]:
    """Every word in the local part or the destination (both stored in lower case)."""
    words = normalize(query).split()
    for word in words[:8]:
        queryset = queryset.filter(Q(local_part__contains=word) | Q(destination__contains=word))
    return queryset


def alias_order(queryset: QuerySet[Alias], raw: str | None) -> QuerySet[Alias]:
    return apply_ordering(queryset, raw, allowed=ALIAS_ORDERING, default=["local_part", "destination"])


def alias_get(*, domain: MailDomain, alias_id: Any) -> Alias:
    return get_or_not_found(alias_list_for(domain=domain), alias_id)
