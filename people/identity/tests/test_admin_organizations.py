"""Admin of organizations: identifiers edited as comma-separated text, checked by the model."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.identity.models import Organization, OrganizationAccess, OrganizationIdentifier
from tests import factories

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"
OTHER_SIRET = "35600000000001"


def form_data(name, registration_ids="", domains="", **extra):
    return {
        "name": name, "registration_id_list": registration_ids, "domain_list": domains, "is_active": "on",
        "metadata": "{}", "accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0", **extra,
    }


def test_editing_an_organization_is_no_duplicate_of_itself(client, operator):
    organization = factories.OrganizationFactory(registration_id_list=[SIRET], domain_list=["mairie.example.fr"])
    url = reverse("admin:identity_organization_change", args=[organization.pk])
    page = client.get(url).content.decode()
    assert 'value="mairie.example.fr"' in page  # shown as text, not JSON
    response = client.post(url, form_data("Mairie renamed", SIRET, "mairie.example.fr, annexe.example.fr"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.name == "Mairie renamed"
    assert organization.domain_list == ["annexe.example.fr", "mairie.example.fr"]
    assert set(OrganizationIdentifier.objects.filter(organization=organization).values_list("value", flat=True)) == {
        SIRET, "mairie.example.fr", "annexe.example.fr",
    }
    entry = AuditEntry.objects.get(action="organization.update", target_id=str(organization.pk))
    assert entry.audience == "operator"
    assert set(entry.changes) == {"name", "domain_list"}


def test_identifier_of_another_organization_is_refused(client, operator):
    factories.OrganizationFactory(registration_id_list=[SIRET], domain_list=["taken.example.fr"])
    organization = factories.OrganizationFactory(domain_list=["mine.example.fr"])
    url = reverse("admin:identity_organization_change", args=[organization.pk])
    response = client.post(url, form_data("Mine", SIRET, "mine.example.fr, TAKEN.example.fr"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "registration_id_list" in errors
    assert "domain_list" in errors
    organization.refresh_from_db()
    assert organization.domain_list == ["mine.example.fr"]


def test_invalid_siret_and_empty_identifiers_are_refused(client, operator):
    url = reverse("admin:identity_organization_add")
    response = client.post(url, form_data("Bad", "12345678901234"))
    assert response.status_code == 200
    assert "registration_id_list" in response.context["adminform"].form.errors
    response = client.post(url, form_data("Empty"))
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Organization.objects.filter(name__in=["Bad", "Empty"]).exists()


def test_creation_syncs_identifiers_and_is_audited(client, operator):
    response = client.post(reverse("admin:identity_organization_add"), form_data("New", f"{OTHER_SIRET},", " New.Example.FR "))
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(name="New")
    assert organization.registration_id_list == [OTHER_SIRET]
    assert organization.domain_list == ["new.example.fr"]
    assert OrganizationIdentifier.objects.filter(organization=organization).count() == 2
    assert AuditEntry.objects.filter(action="organization.create", target_id=str(organization.pk)).exists()


def test_search_by_identifier(client, operator):
    target = factories.OrganizationFactory(registration_id_list=[SIRET])
    factories.OrganizationFactory()
    response = client.get(reverse("admin:identity_organization_changelist"), {"q": SIRET})
    assert [row.pk for row in response.context["cl"].result_list] == [target.pk]


def test_creation_with_service_providers(client, operator):
    provider = factories.ServiceProviderFactory()
    response = client.post(
        reverse("admin:identity_organization_add"),
        form_data("With services", domains="services.example.fr", service_providers=[str(provider.pk)]),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(name="With services")
    assert list(organization.service_providers.all()) == [provider]
    entry = AuditEntry.objects.get(action="organization.create", target_id=str(organization.pk))
    assert entry.changes["service_providers"] == [None, [str(provider.pk)]]


def test_administrators_granted_and_removed_inline_are_audited(client, operator):
    organization = factories.OrganizationFactory(name="Ville", domain_list=["ville.example.fr"])
    agent = factories.UserFactory(organization=organization)
    url = reverse("admin:identity_organization_change", args=[organization.pk])
    response = client.post(url, form_data(
        "Ville", domains="ville.example.fr", **{
            "accesses-TOTAL_FORMS": "1", "accesses-0-user": str(agent.pk), "accesses-0-role": "administrator",
        },
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    access = OrganizationAccess.objects.get(organization=organization)
    entry = AuditEntry.objects.get(action="organizationaccess.create")
    assert (entry.actor, entry.audience, entry.target_id) == (operator, "operator", str(access.pk))
    assert entry.changes["user"] == [None, str(agent.pk)]

    response = client.post(url, form_data(
        "Ville", domains="ville.example.fr", **{
            "accesses-TOTAL_FORMS": "1", "accesses-INITIAL_FORMS": "1", "accesses-0-id": str(access.pk),
            "accesses-0-organization": str(organization.pk), "accesses-0-user": str(agent.pk),
            "accesses-0-role": "administrator", "accesses-0-DELETE": "on",
        },
    ))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not OrganizationAccess.objects.exists()
    entry = AuditEntry.objects.get(action="organizationaccess.delete")
    assert (entry.actor, entry.target_id) == (operator, str(access.pk))
