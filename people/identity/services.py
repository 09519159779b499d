"""Writes on users and organizations. Views, admin, sign-in and SCIM all come through here."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from people.core import audit
from people.core.errors import PermissionDenied, ValidationFailed
from people.core.models import Audience
from people.core.services import full_clean, model_update, unknown_fields_check
from people.identity import lifecycle, policies
from people.identity.models import (
    IdentifierKind,
    Organization,
    OrganizationIdentifier,
    ServiceProvider,
    User,
    normalize_domain,
    normalize_email,
)

USER_IDENTITY_FIELDS = ("email", "name", "short_name", "language", "timezone", "is_active", "organization", "sub")
ORGANIZATION_FIELDS = ("name", "registration_id_list", "domain_list", "is_active", "metadata", "service_providers")


def validate_language(value: Any) -> str:
    codes = [code for code, _label in settings.LANGUAGES]
    if value not in codes:
        message = _("Choose one of: %(codes)s.") % {"codes": ", ".join(codes)}
        raise ValidationFailed(message, errors={"language": [message]})
    return value


def validate_timezone(value: Any) -> str:
    """An IANA name known to this system (`zoneinfo`), e.g. "Europe/Paris"."""
    message = _("%(value)s is not a known time zone.") % {"value": str(value)[:64]}
    if not isinstance(value, str) or not value or len(value) > 64:
        raise ValidationFailed(message, errors={"timezone": [message]})
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValidationFailed(message, errors={"timezone": [message]}) from None
    return value


def _audit_value(user: User, field: str) -> Any:
    return user.organization_id if field == "organization" else getattr(user, field)


USER_CREATE_AUDITED = ("sub", "email", "name", "organization", "is_staff", "is_superuser")


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    email: str | None,
    password: str | None = None,
    sub: str | None = None,
    name: str = "",
    short_name: str = "",
    organization: Organization | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
    audience: str | None = None,
    **fields: Any,
) -> User:
    """The one way a user comes to exist: sign-in, admin, `createsuperuser`, shell and demo.

    `password` None leaves the account without a usable password (agents sign in through their
    OpenID provider). The row is checked by the model's rules (e-mail normalised and unique
    when USER_EMAIL_UNIQUE) and inserted in a savepoint, so that a caller racing another
    creation can catch the `ValidationFailed` or `IntegrityError` and carry on. Audited as
    `user.create`; then every step registered with `lifecycle` runs (pending invitations become
    accesses, profile card, onboarding), in this transaction: all or nothing.
    `fields` are other model fields (`language`, `timezone`...), checked by the model too.
    """
    user = User(
        email=normalize_email(email), sub=(sub or "").strip() or None, name=name or "", short_name=short_name or "",
        organization=organization, is_staff=is_staff, is_superuser=is_superuser, **fields,
    )
    user.set_password(password)
    full_clean(user, exclude=["password"])
    with transaction.atomic():
        user.save()
    audit.record(
        actor=actor, action="user.create", target=user, audience=audience,
        changes={field: [None, _audit_value(user, field)] for field in USER_CREATE_AUDITED},
    )
    lifecycle.user_created_run(user=user)
    return user


@transaction.atomic
def user_update(*, actor: User | None, user: User, **fields: Any) -> User:
    """Change identity fields of `user`; no permission check (callers decide who may).

    Invariants: e-mail stored lower case and unique when USER_EMAIL_UNIQUE; language one of
    settings.LANGUAGES; a known time zone. Changes are audited with old and new values as
    `user.update`; a new `sub` (the account bound to another OpenID subject) is audited
    apart as `user.sub_rebind` so that it stands out. Nothing is written when nothing changed.
    """
    unknown_fields_check(fields, allowed=USER_IDENTITY_FIELDS)
    if "email" in fields:
        fields["email"] = normalize_email(fields["email"])
    if "sub" in fields:
        fields["sub"] = (fields["sub"] or "").strip() or None
    if "language" in fields:
        validate_language(fields["language"])
    if "timezone" in fields:
        validate_timezone(fields["timezone"])
    for field in ("name", "short_name"):
        if field in fields and fields[field] is None:
            fields[field] = ""

    changes = model_update(instance=user, data=fields, clean=True, clean_exclude=["password"], audit_value=_audit_value)
    rebind = changes.pop("sub", None)
    if changes:
        audit.record(actor=actor, action="user.update", target=user, changes=changes)
    if rebind:
        audit.record(actor=actor, action="user.sub_rebind", target=user, changes={"sub": rebind})
    return user


@transaction.atomic
def user_update_preferences(*, actor: User, user: User, **fields: Any) -> User:
    """The client API's self-service: language and time zone of one's own account only."""
    if not policies.user_can_update_preferences(user=actor, target=user):
        raise PermissionDenied()
    unknown_fields_check(fields, allowed={"language", "timezone"})
    return user_update(actor=actor, user=user, **fields)


def _find_organization(*, registration_id: str | None, domain: str | None) -> Organization | None:
    """Registration id first (the stronger identifier), then mail domain."""
    for kind, value in ((IdentifierKind.REGISTRATION_ID, registration_id), (IdentifierKind.DOMAIN, domain)):
        if value:
            row = OrganizationIdentifier.objects.select_related("organization").filter(kind=kind, value=value).first()
            if row is not None:
                return row.organization
    return None


def organization_get_or_create_for(*, registration_id: str | None, domain: str | None, name: str | None = None) -> Organization:
    """The organization a signing-in user belongs to, created on first sight.

    Exact match on `OrganizationIdentifier`: the registration id when given, else the mail
    domain (an organization set up by operators with its domain only still catches users
    whose provider sends a registration id). A new organization carries the one identifier
    that was used (registration id when given, else domain), is named `name` or after that
    identifier, and has NO administrator: rights are granted by operators only. Values sent
    by the identity provider are trusted as they are (no registration id validators), since
    refusing them would lock users out. Safe against concurrent sign-ins (one row wins).
    """
    registration_id = (registration_id or "").strip() or None
    domain = normalize_domain(domain or "") or None
    if not registration_id and not domain:
        raise ValueError("a registration id or a domain is required to find an organization")
    found = _find_organization(registration_id=registration_id, domain=domain)
    if found is not None:
        return found
    identifier = registration_id or domain
    organization = Organization(
        name=(name or "").strip()[:100] or identifier[:100],
        registration_id_list=[registration_id] if registration_id else [],
        domain_list=[] if registration_id else [domain],
    )
    try:
        with transaction.atomic():
            organization.save()
            audit.record(actor=None, action="organization.create", target=organization, audience=Audience.SYSTEM,
                         changes={"name": [None, organization.name], "registration_id_list": [None, organization.registration_id_list],
                                  "domain_list": [None, organization.domain_list]})
    except IntegrityError:
        found = _find_organization(registration_id=registration_id, domain=domain)
        if found is None:
            raise
        return found
    return organization


def service_provider_get_or_create(*, audience: str) -> ServiceProvider:
    """The service of the suite calling with this audience (its client id at the provider),
    created the first time it calls, named after it and attached to no organization: operators
    decide what it may see. Safe against concurrent first calls (one row wins); the creation is
    audited as `service_provider.create` by the system."""
    try:
        return ServiceProvider.objects.get(audience_id=audience)
    except ServiceProvider.DoesNotExist:
        pass
    provider = ServiceProvider(audience_id=audience, name=audience)
    try:
        with transaction.atomic():
            provider.save()
            audit.record(actor=None, action="service_provider.create", target=provider, audience=Audience.SYSTEM,
                         changes={"audience_id": [None, audience], "name": [None, audience]})
    except IntegrityError:  # a concurrent first call created it
        return ServiceProvider.objects.get(audience_id=audience)
    return provider


@transaction.atomic
def organization_update(*, actor: User | None, organization: Organization, **fields: Any) -> Organization:
    """Change an organization; model rules (identifiers unique across organizations, at least
    one identifier, registration id validators, metadata schema) are checked first and a
    refusal changes nothing. Audited as `organization.update` with old and new values."""
    unknown_fields_check(fields, allowed=ORGANIZATION_FIELDS)
    providers = fields.pop("service_providers", None)
    if isinstance(fields.get("name"), str):
        fields["name"] = fields["name"].strip()
    changes = model_update(instance=organization, data=fields, clean=True)
    if providers is not None:
        old = sorted(str(pk) for pk in organization.service_providers.values_list("pk", flat=True))
        organization.service_providers.set(providers)
        new = sorted(str(getattr(p, "pk", p)) for p in providers)
        if old != new:
            changes["service_providers"] = [old, new]
    if changes:
        audit.record(actor=actor, action="organization.update", target=organization, changes=changes)
    return organization


@transaction.atomic
def organization_update_by_member(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    """The client API's door: organization administrators rename their organization."""
    if not policies.organization_can_update(user=actor, organization=organization):
        raise PermissionDenied()
    unknown_fields_check(fields, allowed={"name"})
    return organization_update(actor=actor, organization=organization, **fields)
