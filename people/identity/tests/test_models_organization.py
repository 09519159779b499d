"""Organization rules: identifiers, SIRET check, metadata schema."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from people.identity.models import Organization, OrganizationIdentifier
from people.identity.validators import validate_siret
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"
OTHER_VALID_SIRET = "35600000000001"  # La Poste establishment (sum of digits divisible by 5)


@pytest.mark.parametrize("value", [VALID_SIRET, "13002526500013", OTHER_VALID_SIRET])
def test_siret_validator_accepts_valid_numbers(value):
    validate_siret(value)


@pytest.mark.parametrize("value", ["73282932000075", "1234567890123", "7328293200007a", "", "35600000000002"])
def test_siret_validator_refuses_invalid_numbers(value):
    with pytest.raises(ValidationError):
        validate_siret(value)


def test_invalid_siret_is_a_field_error_on_clean():
    organization = Organization(name="Ville", registration_id_list=["73282932000075"])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "registration_id_list" in error.value.message_dict


def test_one_identifier_list_is_required():
    organization = Organization(name="Nowhere", registration_id_list=[], domain_list=["  "])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "at least one" in str(error.value)


def test_lists_must_hold_strings():
    organization = Organization(name="Ville", registration_id_list=[1], domain_list="ville.fr")
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert set(error.value.message_dict) == {"registration_id_list", "domain_list"}


def test_domains_are_normalized_and_deduplicated():
    organization = Organization(name="Ville", domain_list=["Ville.FR.", "ville.fr", "mairie.fr"])
    organization.full_clean()
    organization.save()
    assert organization.domain_list == ["mairie.fr", "ville.fr"]
    assert sorted(OrganizationIdentifier.objects.filter(organization=organization).values_list("value", flat=True)) == [
        "mairie.fr", "ville.fr",
    ]


def test_identifier_of_another_organization_is_refused_by_clean():
    OrganizationFactory(registration_id_list=[VALID_SIRET], domain_list=["ville.fr"])
    organization = Organization(name="Copy", registration_id_list=[VALID_SIRET], domain_list=["ville.fr"])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert set(error.value.message_dict) == {"registration_id_list", "domain_list"}
    assert "already belongs to another organization" in error.value.message_dict["domain_list"][0]


def test_identifier_shared_by_two_organizations_is_refused_by_the_database():
    OrganizationFactory(domain_list=["ville.fr"])
    with pytest.raises(IntegrityError):
        OrganizationFactory(domain_list=["ville.fr"])


def test_editing_an_organization_with_its_own_identifiers_is_no_duplicate():
    """Validation must exclude the organization being edited from the duplicate lookup."""
    OrganizationFactory(domain_list=["other.fr"])
    organization = OrganizationFactory(registration_id_list=[VALID_SIRET], domain_list=["ville.fr"])
    organization = Organization.objects.get(pk=organization.pk)
    organization.name = "Renamed"
    organization.full_clean()  # must not report VALID_SIRET or ville.fr as taken
    organization.save()
    organization.refresh_from_db()
    assert organization.name == "Renamed"
    assert OrganizationIdentifier.objects.filter(organization=organization).count() == 2


def test_removed_identifier_is_freed_for_another_organization():
    organization = OrganizationFactory(domain_list=["old.fr", "ville.fr"])
    organization.domain_list = ["ville.fr"]
    organization.full_clean()
    organization.save()
    other = Organization(name="Other", domain_list=["old.fr"])
    other.full_clean()
    other.save()
    assert OrganizationIdentifier.objects.get(value="old.fr").organization == other


@pytest.mark.parametrize(
    "metadata",
    [{"is_commune": "yes"}, {"unknown": 1}, ["a"], {"city": "x" * 201}, {"website": "not a web address"}],
)
def test_metadata_must_follow_the_schema(metadata):
    organization = Organization(name="Ville", domain_list=["ville.fr"], metadata=metadata)
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "metadata" in error.value.message_dict


def test_valid_metadata():
    organization = Organization(
        name="Ville", domain_list=["ville.fr"],
        metadata={"is_commune": True, "is_public_service": True, "city": "Lyon", "website": "https://ville.fr"},
    )
    organization.full_clean()


def test_identifiers_are_compared_exactly_not_as_substrings():
    OrganizationFactory(registration_id_list=[VALID_SIRET], domain_list=["ville.fr"])
    organization = Organization(
        name="Neighbour", registration_id_list=["13002526500013"],
        domain_list=["petite-ville.fr", "ville.fr.example", "ville.f"],
    )
    organization.full_clean()
    organization.save()
    assert OrganizationIdentifier.objects.filter(organization=organization).count() == 4
