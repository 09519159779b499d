"""My account (`/account/`): language and time zone through the identity service (audited, as
PATCH users/{id}/); the new language is the interface's at once; refused values next to their
field, nothing changed."""

import pytest
from django.test import Client

from people.core.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/account/"


def field_error(body: str, field_id: str) -> str:
    assert f'aria-describedby="{field_id}-desc-error"' in body
    return body.split(f'id="{field_id}-desc-error"', 1)[1].split("</div>", 1)[0]


def test_anonymous_is_sent_to_the_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/signin/?next=/account/"


def test_the_page_shows_the_account_and_its_preferences(client):
    user = UserFactory(name="Élodie Durand", email="elodie@example.gouv.fr", timezone="America/Cayenne")
    client.force_login(user)
    body = client.get(URL).content.decode()
    assert "Élodie Durand" in body
    assert "elodie@example.gouv.fr" in body
    assert user.organization.name in body
    assert '<option value="America/Cayenne" selected>' in body
    assert '<option value="en-us" selected>English</option>' in body
    assert '<option value="fr-fr">Français</option>' in body


def test_changing_the_language_changes_the_interface_at_once(client):
    user = UserFactory(language="en-us", timezone="Europe/Paris")
    client.force_login(user)
    assert '<html lang="en"' in client.get(URL).content.decode()
    response = client.post(URL, {"language": "fr-fr", "timezone": "Indian/Reunion"})
    assert response.status_code == 302
    assert response["Location"] == URL
    user.refresh_from_db()
    assert (user.language, user.timezone) == ("fr-fr", "Indian/Reunion")
    entry = AuditEntry.objects.get(action="user.update", target_id=str(user.pk))
    assert entry.changes == {"language": ["en-us", "fr-fr"], "timezone": ["Europe/Paris", "Indian/Reunion"]}
    page = client.get(URL).content.decode()
    assert '<html lang="fr"' in page
    assert "Vos préférences sont enregistrées." in page  # the confirmation in the new language
    assert "Mon compte" in page


def test_the_chosen_language_stays_after_signing_out(client):
    """The account's language is also the browser's cookie: signed-out pages keep it."""
    from django.conf import settings

    client.force_login(UserFactory(language="fr-fr"))
    response = client.post(URL, {"language": "en-us", "timezone": "Europe/Paris"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-us"
    del client.cookies[settings.SESSION_COOKIE_NAME]  # signed out; the browser keeps its other cookies
    assert '<html lang="en"' in client.get("/signin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_pages_show_times_in_the_users_time_zone(client):
    """An invitation expiring at midnight UTC expires at 14:00 in Kiritimati (UTC+14)."""
    from datetime import UTC, datetime

    from people.teams.models import Invitation, TeamRole
    from tests.factories import TeamFactory

    user = UserFactory(language="fr-fr", timezone="Pacific/Kiritimati")
    team = TeamFactory(organization=user.organization, users=[(user, TeamRole.OWNER)])
    invitation = Invitation.objects.create(team=team, email="new@example.gouv.fr", role=TeamRole.MEMBER, issuer=user)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=datetime(2030, 1, 1, tzinfo=UTC))
    client.force_login(user)
    body = client.get(f"/teams/{team.pk}/invitations/").content.decode()
    assert "01/01/2030 14:00" in body


def test_the_api_sees_the_change(client):
    user = UserFactory(language="en-us")
    client.force_login(user)
    client.post(URL, {"language": "fr-fr", "timezone": "UTC"})
    assert client.get("/api/v1.0/users/me/").json()["language"] == "fr-fr"


@pytest.mark.parametrize(
    ("values", "field_id", "message"),
    [
        ({"language": "de-de", "timezone": "UTC"}, "id_language", "Choose one of: en-us, fr-fr."),
        ({"language": "fr-fr", "timezone": "Mars/Olympus"}, "id_timezone", "Mars/Olympus is not a known time zone."),
        ({"language": "fr-fr", "timezone": ""}, "id_timezone", "This field is required."),
    ],
)
def test_refused_values_are_next_to_their_field_and_nothing_changes(client, values, field_id, message):
    user = UserFactory(language="en-us", timezone="Europe/Paris")
    client.force_login(user)
    response = client.post(URL, values)
    assert response.status_code == 400
    assert message in field_error(response.content.decode(), field_id)
    user.refresh_from_db()
    assert (user.language, user.timezone) == ("en-us", "Europe/Paris")
    assert not AuditEntry.objects.filter(action="user.update").exists()


def test_the_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    user = UserFactory(language="en-us")
    client.force_login(user)
    assert client.post(URL, {"language": "fr-fr", "timezone": "UTC"}).status_code == 403
    user.refresh_from_db()
    assert user.language == "en-us"


@pytest.mark.parametrize("count", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, count):
    user = UserFactory()
    for _ in range(count):
        UserFactory(organization=user.organization)
    client.force_login(user)
    # The session, and its user with whether they run a mail domain (the header's `mailboxes`).
    with django_assert_max_num_queries(2):
        assert client.get(URL).status_code == 200
