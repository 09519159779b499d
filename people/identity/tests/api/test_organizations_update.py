import pytest
from rest_framework.test import APIClient

from people.core.models import AuditEntry
from people.identity.models import Organization
from tests.factories import OrganizationAccessFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(organization_id):
    return f"/api/v1.0/organizations/{organization_id}/"


@pytest.fixture
def admin():
    organization = OrganizationFactory(name="Old name", domain_list=["ville.fr"])
    return OrganizationAccessFactory(organization=organization).user


@pytest.mark.parametrize("method", ["put", "patch"])
def test_administrator_renames_and_it_is_audited(client_for, admin, method):
    organization = admin.organization
    response = getattr(client_for(admin), method)(url(organization.pk), {"name": "  New name "}, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "New name"
    organization.refresh_from_db()
    assert organization.name == "New name"
    entry = AuditEntry.objects.get(action="organization.update", target_id=str(organization.pk))
    assert entry.changes == {"name": ["Old name", "New name"]}
    assert entry.actor_id == admin.pk


def test_identifiers_are_read_only(client_for, admin):
    organization = admin.organization
    response = client_for(admin).patch(
        url(organization.pk), {"domain_list": ["evil.fr"], "registration_id_list": ["73282932000074"]}, format="json"
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.domain_list == ["ville.fr"]
    assert organization.registration_id_list == []


def test_editing_keeps_own_identifiers_without_duplicate_error(client_for, admin):
    """The organization's own identifiers are not "already used by another organization"."""
    organization = admin.organization
    organization.registration_id_list = ["73282932000074"]
    organization.save()
    response = client_for(admin).patch(url(organization.pk), {"name": "Renamed"}, format="json")
    assert response.status_code == 200


def test_member_without_access_gets_403(client_for, admin):
    member = UserFactory(organization=admin.organization)
    response = client_for(member).patch(url(admin.organization.pk), {"name": "Hack"}, format="json")
    assert response.status_code == 403
    assert Organization.objects.get(pk=admin.organization.pk).name == "Old name"


def test_other_organization_gets_404(client_for, admin):
    stranger = UserFactory()
    response = client_for(stranger).patch(url(admin.organization.pk), {"name": "Hack"}, format="json")
    assert response.status_code == 404
    assert Organization.objects.get(pk=admin.organization.pk).name == "Old name"


@pytest.mark.parametrize("payload", [{"name": ""}, {"name": "   "}, {"name": "x" * 101}, {"name": None}, {"name": {"a": 1}}, {}])
def test_bad_names_are_400_and_change_nothing(client_for, admin, payload):
    response = client_for(admin).put(url(admin.organization.pk), payload, format="json")
    assert response.status_code == 400
    assert "name" in response.json()
    assert Organization.objects.get(pk=admin.organization.pk).name == "Old name"
    assert not AuditEntry.objects.filter(action="organization.update").exists()


def test_patch_without_name_changes_nothing(client_for, admin):
    response = client_for(admin).patch(url(admin.organization.pk), {}, format="json")
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="organization.update").exists()


@pytest.mark.parametrize("method", ["put", "patch"])
def test_anonymous_gets_401_and_nothing_changes(admin, method):
    organization = admin.organization
    response = getattr(APIClient(), method)(url(organization.pk), {"name": "Taken over"}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    organization.refresh_from_db()
    assert organization.name == "Old name"
    assert not AuditEntry.objects.exists()


def test_post_is_405(client_for, admin):
    response = client_for(admin).post(url(admin.organization.pk), {"name": "New"}, format="json")
    assert response.status_code == 405
