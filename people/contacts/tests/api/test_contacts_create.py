import uuid

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from people.contacts.models import Contact
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/contacts/"
FEATURES = {"CONTACTS_DISPLAY": True, "CONTACTS_CREATE": True, "TEAMS_DISPLAY": True, "TEAMS_CREATE": True, "MAILBOXES_CREATE": True}


def test_anonymous_gets_401():
    response = APIClient().post(URL, {"full_name": "X", "data": {}}, format="json")
    assert response.status_code == 401
    assert not Contact.objects.exists()


def test_creates_a_contact_owned_by_the_caller(client_for):
    me = UserFactory()
    data = {
        "emails": [{"type": "Work", "value": "ada@ville.fr"}],
        "phones": [{"type": "Mobile", "value": "+33 6 00 00 00 00"}],
        "addresses": [{"type": "Work", "city": "Lyon"}],
        "links": [{"type": "Website", "value": "https://ville.fr"}],
        "customFields": {"office": "B12"},
        "organizations": [{"name": "Ville", "jobTitle": "Archiviste"}],
    }
    response = client_for(me).post(
        URL, {"full_name": "Ada", "short_name": "A", "notes": "memo", "data": data, "owner": str(uuid.uuid4())},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    contact = Contact.objects.get(pk=body["id"])
    assert contact.owner == me
    assert body == {
        "id": str(contact.pk), "abilities": {"get": True, "patch": True, "put": True, "delete": True},
        "override": None, "data": data, "full_name": "Ada", "short_name": "A", "notes": "memo", "owner": str(me.pk),
    }
    assert AuditEntry.objects.filter(action="contact.create", target_id=str(contact.pk), actor=me).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"emails": [{"type": "Work", "value": "not-an-email"}]}, "Validation error in 'emails.0.value'"),
        ({"emails": [{"type": "Office", "value": "a@b.fr"}]}, "Validation error in 'emails.0.type'"),
        ({"emails": [{"type": "Work"}]}, "Validation error in 'emails.0'"),
        ({"unknown": 1}, "Validation error in '(root)'"),
        ("a string", "Validation error in '(root)'"),
        ([1, 2], "Validation error in '(root)'"),
        ({"customFields": {"a": 1}}, "Validation error in 'customFields.a'"),
        ({"links": [{"type": "Website", "value": "not a link"}]}, "Validation error in 'links.0.value'"),
    ],
)
def test_invalid_data_is_400_on_data(client_for, data, message):
    response = client_for(UserFactory()).post(URL, {"full_name": "X", "data": data}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["data"]
    assert response.json()["data"][0].startswith(message)
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"data": {}}, "full_name"),
        ({"full_name": "", "data": {}}, "full_name"),
        ({"full_name": "x" * 151, "data": {}}, "full_name"),
        ({"full_name": {"a": 1}, "data": {}}, "full_name"),
        ({"full_name": "X"}, "data"),
        ({"full_name": "X", "data": None}, "data"),
        ({"full_name": "X", "short_name": "y" * 31, "data": {}}, "short_name"),
        ({"full_name": "X", "notes": "n" * 20000, "data": {}}, "notes"),
        ({"full_name": "X", "data": {}, "override": "not-a-uuid"}, "override"),
    ],
)
def test_bad_fields_are_400(client_for, payload, field):
    response = client_for(UserFactory()).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Contact.objects.exists()


def test_override_of_a_visible_contact(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None, full_name="Base")
    response = client_for(me).post(URL, {"full_name": "Mine", "data": {}, "override": str(base.pk)}, format="json")
    assert response.status_code == 201
    assert response.json()["override"] == str(base.pk)


def test_second_override_of_the_same_contact_is_400(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None)
    ContactFactory(owner=me, override=base)
    response = client_for(me).post(URL, {"full_name": "Again", "data": {}, "override": str(base.pk)}, format="json")
    assert response.status_code == 400
    assert response.json() == {"__all__": ["Contact with this Owner and Override already exists."]}
    assert Contact.objects.filter(override=base).count() == 1


def test_override_of_an_override_is_400(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None)
    other_override = ContactFactory(owner=None, override=None)
    other_override.override = base
    other_override.save()
    response = client_for(me).post(URL, {"full_name": "X", "data": {}, "override": str(other_override.pk)}, format="json")
    assert response.status_code == 400
    assert "override" in response.json()


def test_override_of_an_invisible_or_unknown_contact_is_400(client_for):
    me = UserFactory()
    hidden = ContactFactory(owner=UserFactory())
    client = client_for(me)
    for target in (hidden.pk, uuid.uuid4()):
        response = client.post(URL, {"full_name": "X", "data": {}, "override": str(target)}, format="json")
        assert response.status_code == 400
        assert "override" in response.json()
    assert not Contact.objects.filter(owner=me).exists()


def test_override_of_own_contact_is_400(client_for):
    me = UserFactory()
    mine = ContactFactory(owner=me)
    response = client_for(me).post(URL, {"full_name": "X", "data": {}, "override": str(mine.pk)}, format="json")
    assert response.status_code == 400
    assert "override" in response.json()


def test_override_of_a_colleague_profile_card(client_for):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    card = ContactFactory(owner=colleague, user=colleague)
    response = client_for(me).post(URL, {"full_name": "My colleague", "data": {}, "override": str(card.pk)}, format="json")
    assert response.status_code == 201


def test_feature_off_forbids_creation(client_for):
    with override_settings(FEATURES={**FEATURES, "CONTACTS_CREATE": False}):
        response = client_for(UserFactory()).post(URL, {"full_name": "X", "data": {}}, format="json")
    assert response.status_code == 403
    assert not Contact.objects.exists()


@pytest.mark.parametrize("body", ['["full_name"]', '"text"', "{not json", "null", "12"])
def test_body_that_is_not_an_object_is_400(client_for, body):
    response = client_for(UserFactory()).generic("POST", URL, body, content_type="application/json")
    assert response.status_code == 400
    assert not Contact.objects.exists()
