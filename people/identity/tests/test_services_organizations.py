import pytest

from people.core.errors import PermissionDenied, ValidationFailed
from people.core.models import Audience, AuditEntry
from people.identity import services
from people.identity.models import Organization, OrganizationAccess
from tests.factories import (
    OrganizationAccessFactory,
    OrganizationFactory,
    ServiceProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"


def test_finds_by_registration_id():
    organization = OrganizationFactory(registration_id_list=[SIRET])
    assert services.organization_get_or_create_for(registration_id=SIRET, domain="other.fr") == organization
    assert Organization.objects.count() == 1


def test_finds_by_domain_when_registration_id_is_unknown():
    organization = OrganizationFactory(domain_list=["ville.fr"])
    found = services.organization_get_or_create_for(registration_id="13002526500013", domain="Ville.FR")
    assert found == organization


def test_creates_from_registration_id_without_any_administrator():
    organization = services.organization_get_or_create_for(registration_id=SIRET, domain="ville.fr", name="Ville de X")
    assert organization.name == "Ville de X"
    assert organization.registration_id_list == [SIRET]
    assert organization.domain_list == []
    assert not OrganizationAccess.objects.exists()
    entry = AuditEntry.objects.get(action="organization.create")
    assert entry.actor is None
    assert entry.audience == Audience.SYSTEM
    # idempotent
    assert services.organization_get_or_create_for(registration_id=SIRET, domain=None) == organization
    assert Organization.objects.count() == 1


def test_creates_from_domain_named_after_it():
    organization = services.organization_get_or_create_for(registration_id=None, domain="mairie.fr")
    assert organization.name == "mairie.fr"
    assert organization.domain_list == ["mairie.fr"]


def test_needs_an_identifier():
    with pytest.raises(ValueError, match="registration id or a domain"):
        services.organization_get_or_create_for(registration_id="  ", domain=None)


def test_organization_update_audits_rename():
    admin = OrganizationAccessFactory(organization=OrganizationFactory(name="Old")).user
    services.organization_update(actor=admin, organization=admin.organization, name="New")
    entry = AuditEntry.objects.get(action="organization.update")
    assert entry.changes == {"name": ["Old", "New"]}
    assert entry.actor_id == admin.pk


def test_organization_update_refuses_identifier_of_another_and_saves_nothing():
    OrganizationFactory(domain_list=["taken.fr"])
    organization = OrganizationFactory(name="Mine", domain_list=["mine.fr"])
    with pytest.raises(ValidationFailed) as error:
        services.organization_update(actor=None, organization=organization, name="Renamed", domain_list=["taken.fr"])
    assert "domain_list" in error.value.errors
    organization.refresh_from_db()
    assert (organization.name, organization.domain_list) == ("Mine", ["mine.fr"])
    assert not AuditEntry.objects.filter(action="organization.update").exists()


def test_organization_update_service_providers():
    organization = OrganizationFactory()
    provider = ServiceProviderFactory()
    services.organization_update(actor=None, organization=organization, service_providers=[provider])
    assert list(organization.service_providers.all()) == [provider]
    assert AuditEntry.objects.get(action="organization.update").changes == {"service_providers": [[], [str(provider.pk)]]}


def test_member_door_requires_administrator():
    member = UserFactory()
    with pytest.raises(PermissionDenied):
        services.organization_update_by_member(actor=member, organization=member.organization, name="Hack")
