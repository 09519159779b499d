"""One's own version of a contact (`/contacts/<id>/override/`, the API's `override`): made from
the original, shown instead of it to its owner only; never of one's own contact nor of a
version; a second one is refused by the service."""

import pytest

from people.contacts.models import Contact
from people.contacts.tests.web.postdata import contact_form
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague_card():
    colleague = UserFactory(name="Colleague")
    return ContactFactory(owner=colleague, user=colleague, full_name="Colleague", notes="their memo",
                          data={"emails": [{"type": "Work", "value": "colleague@example.fr"}]})


def test_the_form_starts_from_the_original_without_its_notes(client, colleague_card):
    me = UserFactory(organization=colleague_card.user.organization)
    client.force_login(me)
    body = client.get(f"/contacts/{colleague_card.pk}/override/").content.decode()
    assert 'name="full_name" value="Colleague"' in body
    assert 'value="colleague@example.fr"' in body
    assert "their memo" not in body


def test_my_version_replaces_the_colleagues_card_for_me_only(client, colleague_card):
    me = UserFactory(organization=colleague_card.user.organization)
    third = UserFactory(organization=me.organization)
    client.force_login(me)
    body = contact_form(full_name="Colleague (direct line)", notes="call after 2pm",
                        emails=[{"kind": "Work", "value": "colleague@example.fr"}],
                        phones=[{"kind": "Work", "value": "01 02"}], initial={"phones": 0})
    response = client.post(f"/contacts/{colleague_card.pk}/override/", body)
    mine = Contact.objects.get(owner=me, override=colleague_card)
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{mine.pk}/"
    assert mine.data == {"emails": [{"type": "Work", "value": "colleague@example.fr"}], "phones": [{"type": "Work", "value": "01 02"}]}
    assert mine.notes == "call after 2pm"
    assert AuditEntry.objects.filter(action="contact.create", target_id=str(mine.pk)).exists()
    colleague_card.refresh_from_db()
    assert colleague_card.full_name == "Colleague"

    page = client.get(response["Location"]).content.decode()
    assert f'href="/contacts/{colleague_card.pk}/"' in page  # to the original
    assert f'href="/contacts/{mine.pk}/edit/"' in page
    listing = client.get("/contacts/").content.decode()
    assert "Colleague (direct line)" in listing
    assert f"/contacts/{colleague_card.pk}/" not in listing
    original = client.get(f"/contacts/{colleague_card.pk}/").content.decode()
    assert f'href="/contacts/{mine.pk}/"' in original
    assert 'id="contact-override"' not in original

    client.force_login(third)
    assert "Colleague (direct line)" not in client.get("/contacts/").content.decode()


def test_a_second_version_goes_to_the_first_or_is_refused(client, colleague_card):
    me = UserFactory(organization=colleague_card.user.organization)
    mine = ContactFactory(owner=me, override=colleague_card, full_name="Mine")
    client.force_login(me)
    response = client.get(f"/contacts/{colleague_card.pk}/override/")
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{mine.pk}/edit/"
    response = client.post(f"/contacts/{colleague_card.pk}/override/", contact_form(full_name="Again"))
    assert response.status_code == 400
    assert "already exists" in response.content.decode().split('id="contact-form-errors"', 1)[1].split("</div>", 1)[0]
    assert Contact.objects.filter(owner=me, override=colleague_card).count() == 1


def test_own_contacts_and_versions_are_not_overridden(client, colleague_card):
    me = UserFactory(organization=colleague_card.user.organization)
    own = ContactFactory(owner=me, full_name="Own")
    version = ContactFactory(owner=me, override=colleague_card, full_name="Version")
    client.force_login(me)
    for contact in (own, version):
        assert 'id="contact-override"' not in client.get(f"/contacts/{contact.pk}/").content.decode()
        assert client.get(f"/contacts/{contact.pk}/override/").status_code == 403
        assert client.post(f"/contacts/{contact.pk}/override/", contact_form(full_name="X")).status_code == 403
    assert Contact.objects.filter(owner=me).count() == 2


def test_a_contact_one_does_not_see_is_404(client, colleague_card):
    stranger = UserFactory()  # another organization: the card is not theirs to see
    client.force_login(stranger)
    assert client.get(f"/contacts/{colleague_card.pk}/override/").status_code == 404
    assert client.post(f"/contacts/{colleague_card.pk}/override/", contact_form(full_name="X")).status_code == 404
    assert not Contact.objects.filter(owner=stranger).exists()


def test_refused_when_creating_is_off(client, colleague_card, settings):
    me = UserFactory(organization=colleague_card.user.organization)
    client.force_login(me)
    settings.FEATURES = {**settings.FEATURES, "CONTACTS_CREATE": False}
    assert 'id="contact-override"' not in client.get(f"/contacts/{colleague_card.pk}/").content.decode()
    assert client.post(f"/contacts/{colleague_card.pk}/override/", contact_form(full_name="X")).status_code == 403
    assert not Contact.objects.filter(owner=me).exists()


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, colleague_card, count):
    colleague_card.data = {"emails": [{"type": "Work", "value": f"e{n}@example.fr"} for n in range(min(count, 50))]}
    colleague_card.save()
    me = UserFactory(organization=colleague_card.user.organization)
    for _ in range(count):
        ContactFactory(owner=UserFactory(organization=me.organization), override=colleague_card)
    client.force_login(me)
    with django_assert_max_num_queries(4):
        assert client.get(f"/contacts/{colleague_card.pk}/override/").status_code == 200
