"""Deleting one's own contact: a confirmation (dialog, or its page without JavaScript), then the
service. Profile cards and others' contacts are never deleted from here (403 or 404, nothing
changed)."""

import pytest

from people.contacts.models import Contact
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_confirmation_page_asks_before_deleting(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada")
    client.force_login(me)
    response = client.get(f"/contacts/{contact.pk}/delete/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Delete Ada?" in body
    assert f'<form method="post" action="/contacts/{contact.pk}/delete/" id="confirm-form">' in body
    assert f'href="/contacts/{contact.pk}/"' in body  # cancel
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_the_owner_deletes(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada")
    client.force_login(me)
    response = client.post(f"/contacts/{contact.pk}/delete/")
    assert response.status_code == 302
    assert response["Location"] == "/contacts/"
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(action="contact.delete", target_id=str(contact.pk)).exists()
    assert "Contact deleted." in client.get("/contacts/").content.decode()


def test_deleting_my_version_brings_the_original_back(client):
    me = UserFactory()
    base = ContactFactory(owner=None, full_name="Standard")
    mine = ContactFactory(owner=me, override=base, full_name="My standard")
    client.force_login(me)
    assert "your contacts show the original again" in client.get(f"/contacts/{mine.pk}/").content.decode()
    client.post(f"/contacts/{mine.pk}/delete/")
    listing = client.get("/contacts/").content.decode()
    assert ">Standard</a>" in listing
    assert "My standard" not in listing


def test_others_contacts_and_profile_cards_are_refused(client):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    card = ContactFactory(owner=colleague, user=colleague)
    base = ContactFactory(owner=None)
    own_card = ContactFactory(owner=me, user=me)
    client.force_login(me)
    for contact in (card, base, own_card):
        assert client.get(f"/contacts/{contact.pk}/delete/").status_code == 403
        response = client.post(f"/contacts/{contact.pk}/delete/")
        assert response.status_code == 403
        assert Contact.objects.filter(pk=contact.pk).exists()
    assert not AuditEntry.objects.filter(action="contact.delete").exists()


def test_a_contact_one_does_not_see_is_404(client):
    me = UserFactory()
    private = ContactFactory(owner=UserFactory(organization=me.organization))
    client.force_login(me)
    assert client.get(f"/contacts/{private.pk}/delete/").status_code == 404
    assert client.post(f"/contacts/{private.pk}/delete/").status_code == 404
    assert Contact.objects.filter(pk=private.pk).exists()


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada")
    for _ in range(count):
        ContactFactory(owner=UserFactory(organization=me.organization), override=contact)
    client.force_login(me)
    with django_assert_max_num_queries(3):
        assert client.get(f"/contacts/{contact.pk}/delete/").status_code == 200
