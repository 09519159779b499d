"""Creating a contact from its page (`/contacts/new/`): the service's contact, audited; errors
next to their field and nothing created; a line added without JavaScript; the feature switch."""

import pytest

from people.contacts.models import Contact
from people.contacts.tests.web.postdata import contact_form
from people.core.models import AuditEntry
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/contacts/new/"


def field_error(body: str, field_id: str) -> str:
    """The error shown under a field (the element its `aria-describedby` names)."""
    assert f'aria-describedby="{field_id}-desc-error"' in body, f"no error linked to {field_id}"
    return body.split(f'id="{field_id}-desc-error"', 1)[1].split("</div>", 1)[0]


def test_the_empty_form_offers_an_e_mail_and_a_phone_line(client):
    client.force_login(UserFactory())
    body = client.get(URL).content.decode()
    assert 'name="full_name"' in body
    assert 'name="emails-0-value"' in body
    assert 'name="phones-0-value"' in body
    assert 'name="addresses-0-street"' not in body
    assert 'value="addresses"' in body  # its "add" button


def test_create_with_profile_fields(client):
    me = UserFactory()
    client.force_login(me)
    body = contact_form(
        full_name="Ada Lovelace", short_name="Ada", notes="Met at the forum",
        initial={"emails": 0, "phones": 0},
        emails=[{"kind": "Work", "value": "ada@example.fr"}],
        phones=[{"kind": "Mobile", "value": ""}],  # left empty: left out
        addresses=[{"kind": "", "street": "1 rue de la Paix", "zip": "75002", "city": "Paris", "state": "", "country": "France"}],
        organizations=[{"name": "DINUM", "department": "Etalab", "job_title": "Engineer"}],
        links=[{"kind": "Website", "value": "https://ada.example.fr"}],
        customFields=[{"name": "Office", "value": "B12"}],
    )
    response = client.post(URL, body)
    contact = Contact.objects.get(owner=me)
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert (contact.full_name, contact.short_name, contact.notes) == ("Ada Lovelace", "Ada", "Met at the forum")
    assert contact.data == {
        "emails": [{"type": "Work", "value": "ada@example.fr"}],
        "addresses": [{"street": "1 rue de la Paix", "zip": "75002", "city": "Paris", "country": "France"}],
        "organizations": [{"name": "DINUM", "department": "Etalab", "jobTitle": "Engineer"}],
        "links": [{"type": "Website", "value": "https://ada.example.fr"}],
        "customFields": {"Office": "B12"},
    }
    assert AuditEntry.objects.filter(action="contact.create", target_id=str(contact.pk)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Contact created." in page
    assert 'href="mailto:ada@example.fr"' in page
    assert "DINUM" in page


@pytest.mark.parametrize(
    ("lines", "field_id", "message"),
    [
        ({"emails": [{"kind": "Work", "value": "not-an-address"}]}, "id_emails-0-value", "Enter a valid email address."),
        ({"links": [{"kind": "Blog", "value": "example.fr/blog"}]}, "id_links-0-value", "Enter a full address"),
        ({"organizations": [{"name": "", "department": "Etalab", "job_title": ""}]}, "id_organizations-0-name", "Fill in this field"),
        ({"customFields": [{"name": "Office", "value": "1"}, {"name": "Office", "value": "2"}]}, "id_customFields-1-name", "used twice"),
        ({"phones": [{"kind": "Fax", "value": "01"}]}, "id_phones-0-kind", "Select a valid choice"),
    ],
)
def test_errors_are_next_to_their_field_and_nothing_is_created(client, lines, field_id, message):
    me = UserFactory()
    client.force_login(me)
    response = client.post(URL, contact_form(full_name="Ada", **lines))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in field_error(body, field_id)
    assert 'id="contact-form-errors"' in body
    assert not Contact.objects.filter(owner=me).exists()


def test_a_missing_name_is_shown_next_to_it_and_the_lines_are_kept(client):
    me = UserFactory()
    client.force_login(me)
    response = client.post(URL, contact_form(full_name="", emails=[{"kind": "Home", "value": "kept@example.fr"}]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in field_error(body, "id_full_name")
    assert 'value="kept@example.fr"' in body
    assert not Contact.objects.exists()


def test_adding_a_line_without_javascript_saves_nothing(client):
    me = UserFactory()
    client.force_login(me)
    body = contact_form(full_name="", emails=[{"kind": "Home", "value": "first@example.fr"}])
    response = client.post(URL, {**body, "add": "emails"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="first@example.fr"' in page
    assert 'name="emails-1-value"' in page
    assert page.split('name="emails-1-value"', 1)[1].split(">", 1)[0].count("autofocus") == 1
    assert "This field is required." not in page  # the input is not checked yet
    assert 'name="emails-TOTAL_FORMS" value="2"' in page
    assert not Contact.objects.exists()


def test_a_line_whose_remove_box_is_ticked_goes_when_adding(client):
    client.force_login(UserFactory())
    body = contact_form(full_name="Ada", emails=[{"kind": "Home", "value": "gone@example.fr", "DELETE": True},
                                                 {"kind": "Work", "value": "kept@example.fr"}])
    page = client.post(URL, {**body, "add": "phones"}).content.decode()
    assert "gone@example.fr" not in page
    assert 'value="kept@example.fr"' in page


def test_no_line_beyond_the_schema_maximum(client):
    client.force_login(UserFactory())
    lines = [{"kind": "", "street": f"{number} rue", "zip": "", "city": "", "state": "", "country": ""} for number in range(20)]
    page = client.post(URL, {**contact_form(full_name="Ada", addresses=lines), "add": "addresses"}).content.decode()
    assert 'name="addresses-19-street"' in page
    assert 'name="addresses-20-street"' not in page
    assert 'id="add-addresses"' not in page


def test_creating_is_refused_when_the_feature_is_off(client, settings):
    me = UserFactory()
    client.force_login(me)
    settings.FEATURES = {**settings.FEATURES, "CONTACTS_CREATE": False}
    assert client.get(URL).status_code == 403
    assert client.post(URL, contact_form(full_name="Ada")).status_code == 403
    assert not Contact.objects.exists()


def test_only_get_and_post(client):
    client.force_login(UserFactory())
    assert client.put(URL).status_code == 405


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    me = UserFactory()
    for number in range(count):
        ContactFactory(owner=me, full_name=f"Contact {number:03}")
    client.force_login(me)
    with django_assert_max_num_queries(2):
        assert client.get(URL).status_code == 200
    body = contact_form(full_name="Ada", emails=[{"kind": "Work", "value": f"e{n}@example.fr"} for n in range(min(count, 50))])
    with django_assert_max_num_queries(13):  # the contact, its audit entry, savepoints: whatever the lines
        assert client.post(URL, body).status_code == 302


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"full_name": "Ada"},  # no management forms
        {**contact_form(full_name="Ada"), "emails-TOTAL_FORMS": "100000"},
        {**contact_form(full_name="Ada"), "emails-TOTAL_FORMS": "x", "add": "emails"},
        {**contact_form(full_name="Ada"), "add": "nothing"},
        {**contact_form(full_name="Ada", initial={"emails": 0}), "emails-TOTAL_FORMS": "1", "emails-0-kind": "Work", "emails-0-value": "a\x00@example.fr"},
        {**contact_form(full_name="x" * 151)},
        {**contact_form(full_name="Ada"), "customFields-TOTAL_FORMS": "1", "customFields-0-name": "k\x00", "customFields-0-value": "v"},
    ],
)
def test_no_input_breaks_the_page(client, body):
    me = UserFactory()
    client.force_login(me)
    response = client.post(URL, body)
    assert response.status_code in {200, 302, 400}
    if response.status_code != 302:
        assert not Contact.objects.filter(owner=me).exists()
