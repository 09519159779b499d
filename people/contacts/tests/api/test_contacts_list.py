import pytest
from rest_framework.test import APIClient

from people.contacts.models import Contact
from people.core.api import pagination
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/contacts/"


def names(response):
    return [item["full_name"] for item in response.json()]


def profile_of(user, **fields):
    return ContactFactory(owner=user, user=user, full_name=fields.pop("full_name", user.name), **fields)


def test_anonymous_gets_401():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_visible_set(client_for):
    me = UserFactory(name="Me")
    colleague = UserFactory(organization=me.organization, name="Colleague")
    former = UserFactory(organization=me.organization, name="Former", is_active=False)
    stranger = UserFactory(name="Stranger")
    profile_of(me)
    profile_of(colleague)
    profile_of(former)
    profile_of(stranger)
    ContactFactory(owner=me, full_name="Mine")
    ContactFactory(owner=None, full_name="Public")
    ContactFactory(owner=colleague, full_name="Colleague's private")
    response = client_for(me).get(URL)
    assert response.status_code == 200
    assert names(response) == ["Colleague", "Me", "Mine", "Public"]


def test_user_without_organization_sees_no_profile_cards(client_for):
    me = UserFactory(organization=None, name="Me")
    profile_of(me)
    profile_of(UserFactory(organization=None, name="Other"))
    assert names(client_for(me).get(URL)) == ["Me"]


def test_own_override_replaces_the_contact_for_me_only(client_for):
    me = UserFactory()
    other = UserFactory(organization=me.organization)
    base = ContactFactory(owner=None, full_name="Base")
    ContactFactory(owner=me, override=base, full_name="My version")
    ContactFactory(owner=other, override=base, full_name="Their version")
    assert names(client_for(me).get(URL)) == ["My version"]
    third = UserFactory(organization=me.organization)
    assert names(client_for(third).get(URL)) == ["Base"]


def test_sorted_by_full_name_then_short_name_ordering_ignored(client_for):
    me = UserFactory()
    ContactFactory(owner=me, full_name="Bob", short_name="b")
    ContactFactory(owner=me, full_name="Alice", short_name="z")
    ContactFactory(owner=me, full_name="Alice", short_name="a")
    response = client_for(me).get(URL, {"ordering": "-full_name"})
    assert [(c["full_name"], c["short_name"]) for c in response.json()] == [
        ("Alice", "a"), ("Alice", "z"), ("Bob", "b"),
    ]


def test_q_matches_names_and_emails_accent_insensitive(client_for):
    me = UserFactory()
    ContactFactory(owner=me, full_name="Hélène Dupont", short_name="Lele")
    ContactFactory(owner=me, full_name="Marc", data={"emails": [{"type": "Work", "value": "m.durand@ville.fr"}]})
    ContactFactory(owner=me, full_name="Zoé", short_name="zz")
    client = client_for(me)
    assert names(client.get(URL, {"q": "helene"})) == ["Hélène Dupont"]
    assert names(client.get(URL, {"q": "LELE"})) == ["Hélène Dupont"]
    assert names(client.get(URL, {"q": "durand@ville"})) == ["Marc"]
    assert names(client.get(URL, {"q": "nobody"})) == []


def test_huge_q_is_400(client_for):
    response = client_for(UserFactory()).get(URL, {"q": "x" * 1000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_notes_are_only_shown_to_the_owner(client_for):
    me = UserFactory()
    ContactFactory(owner=me, full_name="Mine", notes="my memo")
    ContactFactory(owner=None, full_name="Public", notes="operator memo")
    results = {c["full_name"]: c for c in client_for(me).get(URL).json()}
    assert results["Mine"]["notes"] == "my memo"
    assert results["Public"]["notes"] == ""


def test_shape_and_abilities(client_for):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization, name="Colleague")
    own = ContactFactory(owner=me, full_name="Own")
    profile_of(me, full_name="Me myself")
    profile_of(colleague)
    ContactFactory(owner=None, full_name="Public")
    results = {c["full_name"]: c for c in client_for(me).get(URL).json()}
    assert set(results["Own"]) == {"id", "abilities", "override", "data", "full_name", "short_name", "notes", "owner"}
    assert results["Own"]["owner"] == str(me.pk)
    assert results["Own"]["id"] == str(own.pk)
    assert results["Own"]["abilities"] == {"get": True, "patch": True, "put": True, "delete": True}
    assert results["Me myself"]["abilities"] == {"get": True, "patch": True, "put": True, "delete": False}
    assert results["Colleague"]["abilities"] == {"get": True, "patch": False, "put": False, "delete": False}
    assert results["Public"]["abilities"] == {"get": True, "patch": False, "put": False, "delete": False}


def test_plain_array_unless_a_page_is_asked_for(client_for):
    """The suite's web client reads this list as an array; page-aware callers get the envelope."""
    me = UserFactory()
    ContactFactory.create_batch(25, owner=me)
    client = client_for(me)
    response = client.get(URL, {"q": ""})
    assert len(response.json()) == 25
    assert "X-Truncated" not in response.headers
    body = client.get(URL, {"page": 1}).json()
    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert len(client.get(URL, {"page": 2}).json()["results"]) == 5
    assert len(client.get(URL, {"page_size": 1000}).json()["results"]) == 25


def test_plain_array_is_capped_and_says_so(client_for, monkeypatch):
    monkeypatch.setattr(pagination, "ARRAY_MAX_ROWS", 4)
    me = UserFactory()
    ContactFactory.create_batch(5, owner=me)
    response = client_for(me).get(URL)
    assert len(response.json()) == 4
    assert response.headers["X-Truncated"] == "true"


def test_delete_on_collection_is_405(client_for):
    me = UserFactory()
    ContactFactory(owner=me)
    assert client_for(me).delete(URL).status_code == 405
    assert Contact.objects.count() == 1


@pytest.mark.parametrize("params", [{}, {"page_size": 100}])
@pytest.mark.parametrize("rows", [5, 50])
def test_constant_query_count(client_for, django_assert_max_num_queries, rows, params):
    me = UserFactory()
    ContactFactory.create_batch(rows, owner=me)
    for _ in range(rows):
        colleague = UserFactory(organization=me.organization)
        profile_of(colleague)
    client = client_for(me)
    with django_assert_max_num_queries(4):
        response = client.get(URL, params)
    body = response.json()
    assert len(body["results"] if params else body) == 2 * rows


def test_the_written_out_contact_is_the_one_the_fields_describe(rf):
    """ContactSerializer writes its answer out for speed: it stays what DRF makes of the declared
    fields (the schema), key for key and in order, for each kind of contact."""
    import json

    from rest_framework import serializers
    from rest_framework.renderers import JSONRenderer

    from people.contacts.api.client.serializers import ContactSerializer

    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    base = ContactFactory(owner=None, full_name="Base", notes="base notes")
    kinds = [
        ContactFactory(owner=me, full_name="Mine", notes="private memo", data={"emails": [{"type": "Work", "value": "a@b.fr"}]}),
        base,
        ContactFactory(owner=me, override=base, full_name="My version", notes="mine"),
        profile_of(colleague, notes="their memo"),
    ]
    request = rf.get("/")
    request.user = me
    for contact in kinds:
        serializer = ContactSerializer(contact, context={"request": request})
        written_out = json.loads(JSONRenderer().render(serializer.data))
        described = json.loads(JSONRenderer().render(serializers.ModelSerializer.to_representation(serializer, contact)))
        assert written_out == described
        assert list(written_out) == list(described)
