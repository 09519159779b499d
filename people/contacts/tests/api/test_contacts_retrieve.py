import uuid

import pytest
from rest_framework.test import APIClient

from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(contact_id):
    return f"/api/v1.0/contacts/{contact_id}/"


def test_anonymous_gets_401():
    assert APIClient().get(url(ContactFactory().pk)).status_code == 401


def test_own_contact_with_notes(client_for):
    me = UserFactory()
    contact = ContactFactory(owner=me, notes="memo")
    response = client_for(me).get(url(contact.pk))
    assert response.status_code == 200
    assert response.json()["notes"] == "memo"
    assert response.json()["abilities"]["delete"] is True


def test_public_contact_without_notes(client_for):
    contact = ContactFactory(owner=None, notes="operator memo")
    response = client_for(UserFactory()).get(url(contact.pk))
    assert response.status_code == 200
    assert response.json()["notes"] == ""
    assert response.json()["abilities"] == {"get": True, "patch": False, "put": False, "delete": False}


def test_colleague_profile_card_is_visible_but_not_their_private_contacts(client_for):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    card = ContactFactory(owner=colleague, user=colleague, notes="private")
    private = ContactFactory(owner=colleague)
    client = client_for(me)
    response = client.get(url(card.pk))
    assert response.status_code == 200
    assert response.json()["notes"] == ""
    response = client.get(url(private.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "No Contact matches the given query."


def test_profile_card_of_another_organization_is_404(client_for):
    stranger = UserFactory()
    card = ContactFactory(owner=stranger, user=stranger)
    assert client_for(UserFactory()).get(url(card.pk)).status_code == 404


def test_overridden_contact_stays_readable_by_id(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None)
    ContactFactory(owner=me, override=base)
    assert client_for(me).get(url(base.pk)).status_code == 200


@pytest.mark.parametrize("contact_id", [uuid.uuid4(), "not-a-uuid", "42"])
def test_unknown_or_malformed_id_is_404(client_for, contact_id):
    assert client_for(UserFactory()).get(url(contact_id)).status_code == 404
