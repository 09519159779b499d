"""/api/v1.0/mail-domains/{slug}/accesses/: who manages a domain. Managers grant roles up to
their own, only owners touch owners, the last owner stays (the teams' rule: 400 `last_owner`),
and anyone without a role gets 404."""

import pytest

from people.core.models import AuditEntry
from people.mail.models import MailDomainAccess, MailDomainRole
from tests.factories import MailDomainAccessFactory, UserFactory

pytestmark = pytest.mark.django_db


def access_of(crew, user):
    return MailDomainAccess.objects.get(domain=crew.domain, user=user)


def url(crew, access=None):
    return crew.url(f"accesses/{access.pk}/" if access else "accesses/")


@pytest.mark.parametrize("role", ["owner", "admin", "viewer"])
def test_every_role_lists_with_what_it_may_set(client_for, crew, role):
    response = client_for(crew.user(role)).get(url(crew), {"ordering": "role"})
    assert response.status_code == 200
    rows = {row["user"]["id"]: row for row in response.json()["results"]}
    assert len(rows) == 3
    viewer_row = rows[str(crew.viewer.pk)]
    owner_row = rows[str(crew.owner.pk)]
    if role == "owner":
        assert viewer_row["can_set_role_to"] == ["administrator", "owner"]
        assert owner_row["can_set_role_to"] == []  # the only owner
    elif role == "admin":
        assert viewer_row["can_set_role_to"] == ["administrator"]
        assert owner_row["can_set_role_to"] == []  # only owners touch owners
        assert owner_row["abilities"]["delete"] is False
    else:
        assert viewer_row["can_set_role_to"] == []
        assert viewer_row["abilities"] == {"get": True, "patch": False, "put": False, "delete": False}
    assert viewer_row["user"] == {"id": str(crew.viewer.pk), "name": crew.viewer.name, "email": crew.viewer.email}


def test_no_role_gets_404_everywhere(client_for, crew):
    client = client_for(crew.outsider)
    access = access_of(crew, crew.viewer)
    assert client.get(url(crew)).status_code == 404
    assert client.get(url(crew, access)).status_code == 404
    assert client.patch(url(crew, access), {"role": "owner"}, format="json").status_code == 404
    assert client.delete(url(crew, access)).status_code == 404
    assert client.post(url(crew), {"user": str(crew.outsider.pk), "role": "owner"}, format="json").status_code == 404
    assert access_of(crew, crew.viewer).role == MailDomainRole.VIEWER


def test_search_and_query_count(client_for, crew, django_assert_max_num_queries):
    for _ in range(10):
        MailDomainAccessFactory(domain=crew.domain, user=UserFactory(organization=crew.domain.organization))
    client = client_for(crew.owner)
    with django_assert_max_num_queries(6):
        assert len(client.get(url(crew)).json()["results"]) == 13
    found = client.get(url(crew), {"q": crew.viewer.email}).json()["results"]
    assert [row["user"]["id"] for row in found] == [str(crew.viewer.pk)]


@pytest.mark.parametrize(("role", "grant", "status"), [
    ("owner", "owner", 201), ("owner", "administrator", 201), ("owner", "viewer", 201),
    ("admin", "owner", 403), ("admin", "administrator", 201), ("admin", "viewer", 201),
    ("viewer", "viewer", 403),
])
def test_create_grants_up_to_ones_own_role(client_for, crew, role, grant, status):
    response = client_for(crew.user(role)).post(url(crew), {"user": str(crew.outsider.pk), "role": grant}, format="json")
    assert response.status_code == status, response.json()
    assert MailDomainAccess.objects.filter(domain=crew.domain, user=crew.outsider).exists() == (status == 201)
    if status == 201:
        body = response.json()
        assert body["user"]["id"] == str(crew.outsider.pk)
        assert body["role"] == grant


def test_create_refuses_an_existing_access_and_unknown_users(client_for, crew):
    client = client_for(crew.owner)
    response = client.post(url(crew), {"user": str(crew.viewer.pk), "role": "viewer"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "already_member")
    stranger = UserFactory()  # another organization: not among the candidates
    response = client.post(url(crew), {"user": str(stranger.pk), "role": "viewer"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["user"]
    for body in ({}, {"user": "x"}, {"user": str(crew.outsider.pk), "role": "king"}):
        assert client.post(url(crew), body, format="json").status_code == 400


def test_owner_promotes_and_demotes(client_for, crew):
    access = access_of(crew, crew.viewer)
    client = client_for(crew.owner)
    response = client.patch(url(crew, access), {"role": "owner"}, format="json")
    assert response.status_code == 200
    assert response.json()["role"] == "owner"
    assert AuditEntry.objects.get(action="mail_domain_access.update").changes == {"role": ["viewer", "owner"]}
    # Owners manage owners: the first demotes the second.
    assert client.put(url(crew, access), {"role": "viewer"}, format="json").status_code == 200
    assert access_of(crew, crew.viewer).role == MailDomainRole.VIEWER


def test_admin_neither_promotes_to_owner_nor_touches_owners(client_for, crew):
    client = client_for(crew.admin)
    response = client.patch(url(crew, access_of(crew, crew.viewer)), {"role": "owner"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only owners of a domain can assign other users as owners."
    assert client.patch(url(crew, access_of(crew, crew.owner)), {"role": "viewer"}, format="json").status_code == 403
    assert client.delete(url(crew, access_of(crew, crew.owner))).status_code == 403
    assert access_of(crew, crew.owner).role == MailDomainRole.OWNER


def test_viewer_changes_nothing(client_for, crew):
    client = client_for(crew.viewer)
    access = access_of(crew, crew.admin)
    assert client.patch(url(crew, access), {"role": "viewer"}, format="json").status_code == 403
    assert client.delete(url(crew, access)).status_code == 403
    assert access_of(crew, crew.admin).role == MailDomainRole.ADMIN


def test_the_last_owner_stays_with_the_teams_error(client_for, crew):
    client = client_for(crew.owner)
    own = access_of(crew, crew.owner)
    response = client.patch(url(crew, own), {"role": "administrator"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "last_owner"
    response = client.delete(url(crew, own))
    assert response.status_code == 400
    assert response.json()["code"] == "last_owner"
    assert access_of(crew, crew.owner).role == MailDomainRole.OWNER
    # With a second owner, the first may step down.
    MailDomainAccessFactory(domain=crew.domain, role=MailDomainRole.OWNER)
    assert client.patch(url(crew, own), {"role": "viewer"}, format="json").status_code == 200


@pytest.mark.parametrize(("role", "target", "status"), [
    ("owner", "admin", 204), ("owner", "viewer", 204), ("admin", "viewer", 204), ("admin", "admin", 204),
])
def test_managers_remove_accesses(client_for, crew, role, target, status):
    access = access_of(crew, crew.user(target))
    assert client_for(crew.user(role)).delete(url(crew, access)).status_code == status
    assert not MailDomainAccess.objects.filter(pk=access.pk).exists()
    assert AuditEntry.objects.filter(action="mail_domain_access.delete", target_id=str(access.pk)).exists()


def test_retrieve(client_for, crew):
    access = access_of(crew, crew.admin)
    body = client_for(crew.viewer).get(url(crew, access)).json()
    assert (body["id"], body["role"]) == (str(access.pk), "administrator")
    assert client_for(crew.viewer).get(crew.url("accesses/5f0c4e1a-7b2d-4c3e-9a8f-0d1e2f3a4b5c/")).status_code == 404


# --- accesses/users/ --------------------------------------------------------------------------


def test_candidates_are_colleagues_without_a_role(client_for, crew):
    other = UserFactory()  # another organization
    response = client_for(crew.admin).get(crew.url("accesses/users/"))
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()]  # a plain array, as the suite's client reads it
    assert ids == [str(crew.outsider.pk)]
    # Someone else is found by their exact address only, showing no more than picking needs.
    [row] = client_for(crew.admin).get(crew.url("accesses/users/"), {"q": other.email}).json()
    assert (row["id"], row["organization"]) == (str(other.pk), None)
    paged = client_for(crew.admin).get(crew.url("accesses/users/"), {"page": 1}).json()
    assert paged["count"] == 1


def test_candidates_for_managers_only(client_for, crew):
    assert client_for(crew.viewer).get(crew.url("accesses/users/")).status_code == 403
    assert client_for(crew.outsider).get(crew.url("accesses/users/")).status_code == 404
