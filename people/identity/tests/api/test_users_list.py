import uuid

import pytest
from rest_framework.test import APIClient

from people.identity.models import User
from tests.factories import OrganizationFactory, TeamAccessFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/users/"


def ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_anonymous_gets_401_with_challenge():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_lists_active_users_of_same_organization_newest_first(client_for):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    UserFactory(organization=me.organization, is_active=False)
    UserFactory()  # another organization
    response = client_for(me).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert ids(response) == [str(colleague.pk), str(me.pk)]
    assert set(body["results"][0]) == {"id", "email", "name", "language", "timezone", "organization", "is_device", "is_staff"}
    assert body["results"][0]["organization"] == {
        "id": str(me.organization.pk), "name": me.organization.name,
        "registration_id_list": me.organization.registration_id_list,
    }


def test_user_without_organization_sees_only_themself(client_for):
    me = UserFactory(organization=None)
    UserFactory(organization=None)
    response = client_for(me).get(URL)
    assert ids(response) == [str(me.pk)]


def test_q_is_accent_and_case_insensitive_on_name_and_email(client_for):
    me = UserFactory(name="Zed")
    elodie = UserFactory(organization=me.organization, name="Élodie Durand", email="e.durand@ville.fr")
    UserFactory(organization=me.organization, name="Marc Martin", email="marc@ville.fr")
    client = client_for(me)
    assert ids(client.get(URL, {"q": "ELODIE"})) == [str(elodie.pk)]
    assert ids(client.get(URL, {"q": "durand@"})) == [str(elodie.pk)]
    assert ids(client.get(URL, {"q": "  "})) != []


def test_full_email_also_finds_a_user_of_another_organization(client_for):
    me = UserFactory()
    stranger = UserFactory(email="agent@other.gouv.fr")
    UserFactory(email="agent2@other.gouv.fr")
    client = client_for(me)
    assert ids(client.get(URL, {"q": "Agent@Other.gouv.fr"})) == [str(stranger.pk)]
    # a partial address never reaches another organization
    assert ids(client.get(URL, {"q": "agent@other"})) == []


def test_full_email_does_not_find_inactive_users(client_for):
    me = UserFactory()
    UserFactory(email="gone@other.gouv.fr", is_active=False)
    assert ids(client_for(me).get(URL, {"q": "gone@other.gouv.fr"})) == []


def test_team_id_excludes_members_of_a_team_of_the_caller(client_for):
    me = UserFactory()
    member = UserFactory(organization=me.organization)
    other = UserFactory(organization=me.organization)
    team = TeamFactory(organization=me.organization, users=[me, member])
    response = client_for(me).get(URL, {"team_id": str(team.pk)})
    assert ids(response) == [str(other.pk)]


def test_team_id_of_a_team_the_caller_is_not_in_changes_nothing(client_for):
    me = UserFactory()
    member = UserFactory(organization=me.organization)
    team = TeamFactory(organization=me.organization, users=[member])
    response = client_for(me).get(URL, {"team_id": str(team.pk)})
    assert set(ids(response)) == {str(me.pk), str(member.pk)}


@pytest.mark.parametrize("value", ["not-a-uuid", "1", "'; drop table"])
def test_malformed_team_id_is_a_field_error(client_for, value):
    response = client_for(UserFactory()).get(URL, {"team_id": value})
    assert response.status_code == 400
    assert "team_id" in response.json()


def test_unknown_team_id_is_fine(client_for):
    me = UserFactory()
    response = client_for(me).get(URL, {"team_id": str(uuid.uuid4())})
    assert ids(response) == [str(me.pk)]


def test_huge_q_is_refused_cleanly(client_for):
    response = client_for(UserFactory()).get(URL, {"q": "a" * 5000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_pagination_default_20_and_page_size_clamped_to_100(client_for):
    me = UserFactory()
    UserFactory.create_batch(120, organization=me.organization)
    client = client_for(me)
    body = client.get(URL).json()
    assert body["count"] == 121
    assert len(body["results"]) == 20
    assert body["next"].endswith("page=2")
    assert len(client.get(URL, {"page_size": 500}).json()["results"]) == 100
    assert client.get(URL, {"page": 99}).status_code == 404
    assert client.get(URL, {"page_size": "abc"}).status_code == 400  # see core/tests/test_pagination_page_size.py


def test_unknown_query_params_are_ignored(client_for):
    me = UserFactory()
    assert client_for(me).get(URL, {"foo": "bar", "ordering": "email"}).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_constant_query_count(client_for, django_assert_max_num_queries, rows):
    me = UserFactory()
    UserFactory.create_batch(rows, organization=me.organization)
    client = client_for(me)
    with django_assert_max_num_queries(4):
        response = client.get(URL, {"page_size": 100, "q": "example"})
    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("method", ["post", "delete"])
def test_writes_on_collection_are_not_allowed(client_for, method):
    response = getattr(client_for(UserFactory()), method)(URL, {}, format="json")
    assert response.status_code == 405
    assert User.objects.count() == 1


def test_member_of_team_is_excluded_only_once_with_several_teams(client_for):
    me = UserFactory()
    member = UserFactory(organization=me.organization)
    team = TeamFactory(organization=me.organization, users=[me, member])
    TeamAccessFactory(team=TeamFactory(organization=me.organization), user=member)
    OrganizationFactory()
    response = client_for(me).get(URL, {"team_id": str(team.pk)})
    assert ids(response) == []
