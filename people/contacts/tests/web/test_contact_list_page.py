"""The address book page (`/contacts/`): the API's selector (own, directory, colleagues' cards,
one's versions instead of the originals), search and page in the URL, htmx fragment, the
feature switches, a constant number of queries."""

import pytest

from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/contacts/"


def rows(response) -> list[str]:
    body = response.content.decode().split('id="contacts"', 1)[1].split("</tbody>", 1)[0]
    return [row.split("</a>", 1)[0].rsplit(">", 1)[1] for row in body.split("<tr>")[2:] if "<a href=" in row]


def profile_of(user, **fields):
    return ContactFactory(owner=user, user=user, full_name=fields.pop("full_name", user.name), **fields)


def test_anonymous_is_sent_to_the_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/contacts/"


def test_the_visible_contacts_with_their_kind(client):
    me = UserFactory(name="Me")
    colleague = UserFactory(organization=me.organization, name="Colleague")
    stranger = UserFactory(name="Stranger")
    profile_of(me)
    profile_of(colleague)
    profile_of(stranger)
    ContactFactory(owner=me, full_name="Mine", data={"emails": [{"type": "Work", "value": "mine@example.fr"}],
                                                     "phones": [{"type": "Mobile", "value": "06 00 00 00 01"}]})
    base = ContactFactory(owner=None, full_name="Public")
    ContactFactory(owner=colleague, full_name="Colleague's private")
    ContactFactory(owner=me, override=base, full_name="My public")
    client.force_login(me)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response) == ["Colleague", "Me", "Mine", "My public"]
    table = response.content.decode().split('id="contacts"', 1)[1]
    mine = table.split(">Mine</a>", 1)[1].split("</tr>", 1)[0]
    assert "My contact" in mine
    assert 'href="mailto:mine@example.fr"' in mine
    assert "06 00 00 00 01" in mine
    assert "My version" in table.split(">My public</a>", 1)[1].split("</tr>", 1)[0]
    assert "Colleague" in table.split(">Colleague</a>", 1)[1].split("</tr>", 1)[0]


def test_search_is_in_the_url_and_accent_insensitive(client):
    me = UserFactory()
    ContactFactory(owner=me, full_name="Hélène Dupont")
    ContactFactory(owner=me, full_name="Marc", data={"emails": [{"type": "Work", "value": "m.durand@ville.fr"}]})
    client.force_login(me)
    assert rows(client.get(URL, {"q": "helene"})) == ["Hélène Dupont"]
    assert rows(client.get(URL, {"q": "durand@ville"})) == ["Marc"]
    page = client.get(URL, {"q": "nobody"}).content.decode()
    assert "No contact matches “nobody”." in page
    assert 'value="nobody"' in page  # the search field keeps it


def test_pages_keep_the_search(client):
    me = UserFactory()
    for number in range(25):
        ContactFactory(owner=me, full_name=f"Agent {number:02}")
    ContactFactory(owner=me, full_name="Other")
    client.force_login(me)
    first = client.get(URL, {"q": "agent"})
    assert rows(first)[0] == "Agent 00"
    assert len(rows(first)) == 20
    assert 'href="?q=agent&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"q": "agent", "page": "2"})
    assert rows(second) == [f"Agent {number}" for number in range(20, 25)]
    assert rows(client.get(URL, {"q": "agent", "page": "99"})) == rows(second)  # out of range: the last


def test_htmx_gets_the_results_only(client):
    me = UserFactory()
    ContactFactory(owner=me, full_name="Ada")
    client.force_login(me)
    response = client.get(URL, {"q": "ada"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="fr-table')
    assert "<html" not in body
    assert rows(response) == ["Ada"]
    assert "HX-Request" in response["Vary"]


def test_the_create_button_follows_the_feature_switch(client, settings):
    client.force_login(UserFactory())
    assert 'id="contact-create"' in client.get(URL).content.decode()
    settings.FEATURES = {**settings.FEATURES, "CONTACTS_CREATE": False}
    assert 'id="contact-create"' not in client.get(URL).content.decode()


def test_contacts_not_shown_have_no_pages(client, settings):
    me = UserFactory()
    contact = ContactFactory(owner=me)
    client.force_login(me)
    settings.FEATURES = {**settings.FEATURES, "CONTACTS_DISPLAY": False}
    for url in (URL, f"{URL}new/", f"{URL}{contact.pk}/", f"{URL}{contact.pk}/edit/"):
        assert client.get(url).status_code == 404
    assert 'href="/contacts/"' not in client.get("/").content.decode()


def test_french_by_default(client):
    client.force_login(UserFactory(language="fr-fr"))
    body = client.get(URL).content.decode()
    assert "<h1 class=\"fr-mb-0\">Contacts</h1>" in body
    assert "Nouveau contact" in body
    assert "Vous n’avez encore aucun contact." in body


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    me = UserFactory()
    colleagues = [UserFactory(organization=me.organization) for _ in range(min(count, 30))]
    for number in range(count):
        owner = colleagues[number % len(colleagues)] if number % 3 == 0 else me
        ContactFactory(owner=owner, user=owner if number % 3 == 0 and not owner.profile_contacts.exists() else None,
                       full_name=f"Contact {number:03}", data={"emails": [{"type": "Work", "value": f"c{number}@example.fr"}]})
    client.force_login(me)
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    assert response.status_code == 200
    assert len(rows(response)) == min(count, 20)
