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
    contact = ContactFactory(full_name="Ada")
    assert APIClient().patch(url(contact.pk), {"full_name": "X"}, format="json").status_code == 401
    contact.refresh_from_db()
    assert contact.full_name == "Ada"


def test_owner_puts_everything(client_for):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", short_name="A", notes="old")
    payload = {"full_name": "Ada L.", "short_name": None, "notes": "new", "data": {"emails": [{"type": "Home", "value": "a@b.fr"}]}}
    response = client_for(me).put(url(contact.pk), payload, format="json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.full_name, contact.short_name, contact.notes) == ("Ada L.", None, "new")
    assert contact.data == payload["data"]
    assert "a@b.fr" in contact.search_text
    entry = AuditEntry.objects.get(action="contact.update")
    assert entry.changes["full_name"] == ["Ada", "Ada L."]


def test_put_requires_full_name_and_data(client_for):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada")
    response = client_for(me).put(url(contact.pk), {"notes": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"full_name", "data"}


def test_patch_one_field_and_override_is_ignored(client_for):
    me = UserFactory()
    base = ContactFactory(owner=None)
    contact = ContactFactory(owner=me, full_name="Ada", data={"customFields": {"a": "b"}})
    response = client_for(me).patch(url(contact.pk), {"short_name": "Lady", "override": str(base.pk)}, format="json")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert (contact.full_name, contact.short_name, contact.override_id) == ("Ada", "Lady", None)
    assert contact.data == {"customFields": {"a": "b"}}


def test_invalid_data_changes_nothing(client_for):
    me = UserFactory()
    contact = ContactFactory(owner=me, data={})
    response = client_for(me).patch(url(contact.pk), {"data": {"phones": [{"type": "Fax", "value": "1"}]}}, format="json")
    assert response.status_code == 400
    assert response.json()["data"][0].startswith("Validation error in 'phones.0.type'")
    contact.refresh_from_db()
    assert contact.data == {}
    assert not AuditEntry.objects.filter(action="contact.update").exists()


def test_owner_edits_own_profile_card(client_for):
    me = UserFactory()
    card = ContactFactory(owner=me, user=me, full_name="Me")
    response = client_for(me).patch(url(card.pk), {"notes": "about me"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["public", "colleague_card"])
def test_visible_but_not_owned_is_403(client_for, kind):
    me = UserFactory()
    if kind == "public":
        contact = ContactFactory(owner=None, full_name="Keep")
    else:
        colleague = UserFactory(organization=me.organization)
        contact = ContactFactory(owner=colleague, user=colleague, full_name="Keep")
    response = client_for(me).patch(url(contact.pk), {"full_name": "Changed"}, format="json")
    assert response.status_code == 403
    assert Contact.objects.get(pk=contact.pk).full_name == "Keep"


def test_invisible_is_404(client_for):
    contact = ContactFactory(owner=UserFactory(), full_name="Keep")
    response = client_for(UserFactory()).put(url(contact.pk), {"full_name": "Changed", "data": {}}, format="json")
    assert response.status_code == 404
    assert Contact.objects.get(pk=contact.pk).full_name == "Keep"


@pytest.mark.parametrize("contact_id", [uuid.uuid4(), "abc"])
def test_unknown_is_404(client_for, contact_id):
    assert client_for(UserFactory()).patch(url(contact_id), {"full_name": "x"}, format="json").status_code == 404
