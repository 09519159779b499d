"""My organization (`/organization/`): name, registration ids, domains, the suite's services it
may use (paginated); its administrators rename it through the identity service, the others read
it and their POST is refused, nothing changed."""

import pytest

from people.core.models import AuditEntry
from people.identity.models import Organization
from tests.factories import (
    OrganizationAccessFactory,
    OrganizationFactory,
    ServiceProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/organization/"


@pytest.fixture
def administrator():
    organization = OrganizationFactory(name="Mairie de Lyon", registration_id_list=["21690123100011"],
                                       domain_list=["lyon.fr", "mairie-lyon.fr"])
    return OrganizationAccessFactory(organization=organization).user


def test_anonymous_is_sent_to_the_sign_in(client):
    assert client.get(URL)["Location"] == "/signin/?next=/organization/"


def test_a_member_reads_it(client, administrator):
    organization = administrator.organization
    organization.service_providers.add(ServiceProviderFactory(name="Messagerie", audience_id="messagerie"))
    ServiceProviderFactory(name="Not linked")
    member = UserFactory(organization=organization)
    client.force_login(member)
    body = client.get(URL).content.decode()
    assert '<h1 id="organization-name">Mairie de Lyon</h1>' in body
    assert "21690123100011" in body
    assert "<li>lyon.fr</li>" in body
    assert "<li>mairie-lyon.fr</li>" in body
    assert "Messagerie" in body
    assert "<code>messagerie</code>" in body
    assert "Not linked" not in body
    assert 'id="organization-read-only"' in body
    assert 'name="name"' not in body


def test_a_member_cannot_rename_it(client, administrator):
    member = UserFactory(organization=administrator.organization)
    client.force_login(member)
    for name in ("Renamed", ""):  # refused before the input is even read
        response = client.post(URL, {"name": name})
        assert response.status_code == 403
        assert "Only the administrators of the organization may rename it." in response.content.decode()
    assert Organization.objects.get(pk=administrator.organization_id).name == "Mairie de Lyon"
    assert not AuditEntry.objects.filter(action="organization.update").exists()


def test_an_administrator_renames_it(client, administrator):
    client.force_login(administrator)
    body = client.get(URL).content.decode()
    assert 'name="name" value="Mairie de Lyon"' in body
    response = client.post(URL, {"name": "  Ville de Lyon  "})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert Organization.objects.get(pk=administrator.organization_id).name == "Ville de Lyon"
    entry = AuditEntry.objects.get(action="organization.update", target_id=str(administrator.organization_id))
    assert entry.changes == {"name": ["Mairie de Lyon", "Ville de Lyon"]}
    page = client.get(URL).content.decode()
    assert "The organization is renamed." in page
    assert '<h1 id="organization-name">Ville de Lyon</h1>' in page


@pytest.mark.parametrize(("name", "message"), [("", "This field is required."), ("   ", "This field is required."), ("x" * 101, "at most 100 characters")])
def test_a_bad_name_is_shown_next_to_the_field(client, administrator, name, message):
    client.force_login(administrator)
    response = client.post(URL, {"name": name})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="id_name-desc-error"' in body
    assert message in body.split('id="id_name-desc-error"', 1)[1].split("</div>", 1)[0]
    assert '<h1 id="organization-name">Mairie de Lyon</h1>' in body
    assert Organization.objects.get(pk=administrator.organization_id).name == "Mairie de Lyon"


def test_an_administrator_of_another_organization_only_reads_their_own(client, administrator):
    outsider = UserFactory()
    OrganizationAccessFactory(organization=administrator.organization, user=outsider)
    client.force_login(outsider)
    body = client.get(URL).content.decode()
    assert outsider.organization.name in body
    assert 'id="organization-read-only"' in body


def test_without_an_organization(client):
    client.force_login(UserFactory(organization=None))
    assert 'id="organization-none"' in client.get(URL).content.decode()
    assert client.post(URL, {"name": "Mine"}).status_code == 404


def test_services_are_paginated_and_sorted_in_the_url(client, administrator):
    organization = administrator.organization
    organization.service_providers.add(*[ServiceProviderFactory(name=f"Service {n:02}") for n in range(25)])
    client.force_login(administrator)
    body = client.get(URL, {"ordering": "-name", "page": "2"}).content.decode()
    table = body.split('id="providers"', 1)[1]
    assert "Service 04" in table
    assert "Service 05" not in table
    assert 'aria-sort="descending"' in table


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, administrator, count):
    organization = administrator.organization
    organization.domain_list = [f"d{n}.example.fr" for n in range(count)]
    organization.save()
    organization.service_providers.add(*[ServiceProviderFactory() for _ in range(count)])
    for _ in range(count):
        UserFactory(organization=organization)
    client.force_login(administrator)
    with django_assert_max_num_queries(6):
        assert client.get(URL).status_code == 200
