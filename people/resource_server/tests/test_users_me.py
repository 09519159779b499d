"""GET /resource-server/v1.0/users/me/: the token's user with their organization."""

import pytest

from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/resource-server/v1.0/users/me/"


def test_user_me_gives_user_and_organization(service):
    organization = OrganizationFactory(name="Ministry", registration_id_list=[])
    user = UserFactory(sub="agent-1", organization=organization, email="ada@example.gouv.fr", name="Ada")
    response = service.client_for(user).get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "id": str(user.pk),
        "email": "ada@example.gouv.fr",
        "name": "Ada",
        "language": "en-us",
        "timezone": "Europe/Paris",
        "organization": {"id": str(organization.pk), "name": "Ministry", "registration_id_list": []},
        "is_device": False,
        "is_staff": False,
    }


def test_user_without_organization(service):
    user = UserFactory(sub="agent-1", organization=None)
    assert service.client_for(user).get(URL).json()["organization"] is None


def test_user_me_query_count_is_constant(service, django_assert_max_num_queries):
    client = service.client_for(UserFactory(sub="agent-1"))
    client.get(URL)
    # user (with organization) + service provider row
    with django_assert_max_num_queries(2):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_user_me_is_read_only(service, method):
    client = service.client_for(UserFactory(sub="agent-1"))
    assert getattr(client, method)(URL).status_code == 405
