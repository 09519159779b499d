import uuid

import pytest
from rest_framework.test import APIClient

from people.contacts.models import Contact
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(contact_id):
    return f"/api/v1.0/contacts/{contact_id}/"


def test_anonymous_gets_401():
    contact = ContactFactory()
    assert APIClient().delete(url(contact.pk)).status_code == 401
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_owner_deletes_and_it_is_audited(client_for):
    me = UserFactory()
    contact = ContactFactory(owner=me)
    response = client_for(me).delete(url(contact.pk))
    assert response.status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(action="contact.delete", target_id=str(contact.pk), actor=me).exists()


def test_own_override_can_be_deleted_and_the_base_comes_back(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None, full_name="Base")
    override = ContactFactory(owner=me, override=base, full_name="Mine")
    client = client_for(me)
    assert client.delete(url(override.pk)).status_code == 204
    assert [c["full_name"] for c in client.get("/api/v1.0/contacts/").json()] == ["Base"]


def test_profile_card_cannot_be_deleted(client_for):
    me = UserFactory()
    card = ContactFactory(owner=me, user=me)
    assert client_for(me).delete(url(card.pk)).status_code == 403
    assert Contact.objects.filter(pk=card.pk).exists()


def test_public_contact_is_403(client_for):
    contact = ContactFactory(owner=None)
    assert client_for(UserFactory()).delete(url(contact.pk)).status_code == 403
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_invisible_is_404(client_for):
    contact = ContactFactory(owner=UserFactory())
    assert client_for(UserFactory()).delete(url(contact.pk)).status_code == 404
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.parametrize("contact_id", [uuid.uuid4(), "x.y", "zzz"])
def test_unknown_is_404(client_for, contact_id):
    assert client_for(UserFactory()).delete(url(contact_id)).status_code == 404
