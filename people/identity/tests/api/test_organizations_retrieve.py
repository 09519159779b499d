import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import OrganizationAccessFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(organization_id):
    return f"/api/v1.0/organizations/{organization_id}/"


def test_anonymous_gets_401():
    response = APIClient().get(url(OrganizationFactory().pk))
    assert response.status_code == 401


def test_member_reads_own_organization(client_for):
    organization = OrganizationFactory(name="Ville", registration_id_list=["73282932000074"], domain_list=["ville.fr"])
    me = UserFactory(organization=organization)
    response = client_for(me).get(url(organization.pk))
    assert response.status_code == 200
    assert response.json() == {
        "id": str(organization.pk), "name": "Ville", "registration_id_list": ["73282932000074"],
        "domain_list": ["ville.fr"], "abilities": {"get": True, "patch": False, "put": False, "delete": False},
    }


def test_administrator_abilities(client_for):
    access = OrganizationAccessFactory()
    abilities = client_for(access.user).get(url(access.organization.pk)).json()["abilities"]
    assert abilities == {"get": True, "patch": True, "put": True, "delete": False}


def test_administrator_from_outside_sees_the_organization_they_administer(client_for):
    organization = OrganizationFactory()
    admin = UserFactory()  # member of another organization
    OrganizationAccessFactory(organization=organization, user=admin)
    assert client_for(admin).get(url(organization.pk)).status_code == 200


def test_other_organization_is_404(client_for):
    me = UserFactory()
    other = OrganizationFactory()
    response = client_for(me).get(url(other.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "No Organization matches the given query."


def test_user_without_organization_sees_none(client_for):
    me = UserFactory(organization=None)
    assert client_for(me).get(url(OrganizationFactory().pk)).status_code == 404


@pytest.mark.parametrize("organization_id", [uuid.uuid4(), "nope", "0"])
def test_unknown_or_malformed_id_is_404(client_for, organization_id):
    assert client_for(UserFactory()).get(url(organization_id)).status_code == 404


def test_list_is_not_routed(client_for):
    response = client_for(UserFactory()).get("/api/v1.0/organizations/")
    assert response.status_code == 404


def test_delete_is_405(client_for):
    access = OrganizationAccessFactory()
    response = client_for(access.user).delete(url(access.organization.pk))
    assert response.status_code == 405
    assert access.organization.__class__.objects.filter(pk=access.organization.pk).exists()
