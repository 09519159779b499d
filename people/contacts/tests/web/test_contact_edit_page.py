"""A contact's page and its edition: the owner edits (profile fields included), anyone else sees
no control and is refused when posting directly (403 for a contact they see, 404 for one they
do not), nothing changed."""

import pytest

from people.contacts.tests.web.postdata import contact_form
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = {
    "emails": [{"type": "Work", "value": "ada@example.fr"}, {"type": "Home", "value": "ada@home.example"}],
    "phones": [{"type": "Mobile", "value": "06 01 02 03 04"}],
    "customFields": {"Office": "B12"},
}


def test_the_owner_sees_the_details_notes_and_controls(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", notes="Private memo", data=DATA)
    client.force_login(me)
    body = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert 'href="mailto:ada@home.example"' in body
    assert 'href="tel:0601020304"' in body
    assert "Office" in body
    assert "Private memo" in body
    assert f'href="/contacts/{contact.pk}/edit/"' in body
    assert 'aria-controls="contact-delete"' in body  # the dialog's trigger
    assert f'href="/contacts/{contact.pk}/delete/"' in body  # the page standing in for it without JavaScript
    assert 'id="contact-override"' not in body  # one's own contact is edited, not overridden


def test_the_edit_form_shows_the_contact(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", data=DATA)
    client.force_login(me)
    body = client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert 'value="ada@home.example"' in body
    assert 'name="emails-1-DELETE"' in body
    assert 'name="customFields-0-name" value="Office"' in body
    assert 'name="addresses-TOTAL_FORMS" value="0"' in body


def test_the_owner_edits_removes_and_adds_lines(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", short_name="A", data=DATA)
    client.force_login(me)
    body = contact_form(
        full_name="Ada King", short_name="", notes="new memo",
        emails=[{"kind": "Work", "value": "ada@example.fr"}, {"kind": "Home", "value": "ada@home.example", "DELETE": True}],
        phones=[{"kind": "Work", "value": "01 02 03 04 05"}],
        customFields=[{"name": "Office", "value": ""}, {"name": "Floor", "value": "3"}],
        initial={"customFields": 1},
    )
    response = client.post(f"/contacts/{contact.pk}/edit/", body)
    assert response.status_code == 400  # "Office" emptied but named: fill it or empty the line
    body["customFields-0-name"] = ""
    response = client.post(f"/contacts/{contact.pk}/edit/", body)
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    contact.refresh_from_db()
    assert (contact.full_name, contact.short_name, contact.notes) == ("Ada King", None, "new memo")
    assert contact.data == {
        "emails": [{"type": "Work", "value": "ada@example.fr"}],
        "phones": [{"type": "Work", "value": "01 02 03 04 05"}],
        "customFields": {"Floor": "3"},
    }
    entry = AuditEntry.objects.get(action="contact.update", target_id=str(contact.pk))
    assert entry.changes["full_name"] == ["Ada", "Ada King"]


def test_a_group_emptied_is_kept_empty(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", data={"phones": [{"type": "Work", "value": "01"}]})
    client.force_login(me)
    body = contact_form(full_name="Ada", phones=[{"kind": "Work", "value": "01", "DELETE": True}])
    assert client.post(f"/contacts/{contact.pk}/edit/", body).status_code == 302
    contact.refresh_from_db()
    assert contact.data == {"phones": []}


def test_saving_unchanged_writes_nothing(client):
    me = UserFactory()
    contact = ContactFactory(owner=me, full_name="Ada", short_name="A", data=DATA)
    client.force_login(me)
    body = contact_form(
        full_name="Ada", short_name="A",
        emails=[{"kind": "Work", "value": "ada@example.fr"}, {"kind": "Home", "value": "ada@home.example"}],
        phones=[{"kind": "Mobile", "value": "06 01 02 03 04"}], customFields=[{"name": "Office", "value": "B12"}],
    )
    assert client.post(f"/contacts/{contact.pk}/edit/", body).status_code == 302
    assert not AuditEntry.objects.filter(action="contact.update").exists()


def test_someone_elses_contact_shows_no_control_and_refuses_edition(client):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    card = ContactFactory(owner=colleague, user=colleague, full_name="Colleague", notes="their memo", data=DATA)
    client.force_login(me)
    body = client.get(f"/contacts/{card.pk}/").content.decode()
    assert "Colleague" in body
    assert "their memo" not in body  # notes are their owner's
    assert f"/contacts/{card.pk}/edit/" not in body
    assert "contact-delete" not in body
    assert f'href="/contacts/{card.pk}/override/"' in body
    assert client.get(f"/contacts/{card.pk}/edit/").status_code == 403
    response = client.post(f"/contacts/{card.pk}/edit/", contact_form(full_name="Hacked"))
    assert response.status_code == 403
    assert "Only the owner of this contact may change it." in response.content.decode()
    card.refresh_from_db()
    assert card.full_name == "Colleague"
    assert card.data == DATA
    assert not AuditEntry.objects.filter(action="contact.update").exists()


def test_a_directory_contact_is_read_only_too(client):
    me = UserFactory()
    base = ContactFactory(owner=None, full_name="Standard")
    client.force_login(me)
    assert f"/contacts/{base.pk}/edit/" not in client.get(f"/contacts/{base.pk}/").content.decode()
    assert client.post(f"/contacts/{base.pk}/edit/", contact_form(full_name="Hacked")).status_code == 403
    base.refresh_from_db()
    assert base.full_name == "Standard"


def test_a_contact_one_does_not_see_is_404_and_unchanged(client):
    me = UserFactory()
    private = ContactFactory(owner=UserFactory(organization=me.organization), full_name="Private")
    stranger_card = ContactFactory(owner=(stranger := UserFactory()), user=stranger, full_name="Stranger")
    client.force_login(me)
    for contact in (private, stranger_card):
        assert client.get(f"/contacts/{contact.pk}/").status_code == 404
        assert client.get(f"/contacts/{contact.pk}/edit/").status_code == 404
        assert client.post(f"/contacts/{contact.pk}/edit/", contact_form(full_name="Hacked")).status_code == 404
        contact.refresh_from_db()
        assert contact.full_name != "Hacked"
    assert client.get("/contacts/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_one_edits_ones_own_profile_card_but_cannot_delete_it(client):
    me = UserFactory()
    card = ContactFactory(owner=me, user=me, full_name="Me")
    client.force_login(me)
    body = client.get(f"/contacts/{card.pk}/").content.decode()
    assert f'href="/contacts/{card.pk}/edit/"' in body
    assert "contact-delete" not in body
    assert client.post(f"/contacts/{card.pk}/edit/", contact_form(full_name="Me again")).status_code == 302
    card.refresh_from_db()
    assert card.full_name == "Me again"


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    me = UserFactory()
    data = {"emails": [{"type": "Work", "value": f"e{n}@example.fr"} for n in range(min(count, 50))],
            "phones": [{"type": "Work", "value": f"0{n}"} for n in range(min(count, 50))],
            "customFields": {f"field {n}": "x" for n in range(min(count, 50))}}
    contact = ContactFactory(owner=me, full_name="Ada", data=data)
    for _ in range(count):
        ContactFactory(owner=UserFactory(organization=me.organization), override=contact)
    client.force_login(me)
    with django_assert_max_num_queries(4):
        assert client.get(f"/contacts/{contact.pk}/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get(f"/contacts/{contact.pk}/edit/").status_code == 200
