"""The home page at `/`: signed out the sign-in page; signed in the agent's organization, teams
(role, member count), invitations waiting, and shortcuts to what their abilities allow."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_gets_the_sign_in_page(client, settings):
    settings.PEOPLE_DEV_LOGIN = False
    page = client.get("/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="signed-out"' in body
    assert 'href="/api/v1.0/authenticate/"' in body
    assert "/dev/login/" not in body
    settings.PEOPLE_DEV_LOGIN = True
    assert 'href="/dev/login/"' in client.get("/").content.decode()


def test_signed_in_user_sees_name_organization_and_sign_out(client):
    user = factories.UserFactory(name="Élodie Durand")
    client.force_login(user)
    body = client.get("/").content.decode()
    assert "Élodie Durand" in body
    assert user.organization.name in body
    assert 'href="/api/v1.0/swagger/"' in body
    assert '<form method="post" action="/api/v1.0/logout/"' in body
    assert 'href="/admin/"' not in body  # only operators get the administration's shortcut


def test_teams_with_role_and_member_count(client):
    user = factories.UserFactory()
    owned = factories.TeamFactory(name="Alpha", users=[(user, "owner"), factories.UserFactory(), factories.UserFactory()])
    factories.TeamFactory(name="Bravo", users=[(user, "member")])
    factories.TeamFactory(name="Not mine", users=[factories.UserFactory()])
    client.force_login(user)
    body = client.get("/").content.decode()
    table = body.split('id="home-teams"', 1)[1].split("</table>", 1)[0]
    alpha, bravo = table.split("<tr>")[2:4]
    assert "Alpha" in alpha
    assert "Owner" in alpha
    assert ">3<" in alpha
    assert "Bravo" in bravo
    assert "Member" in bravo
    assert ">1<" in bravo
    assert "Not mine" not in body
    assert owned.name in body


def test_pending_invitations_sent_by_the_user(client):
    user = factories.UserFactory()
    team = factories.TeamFactory(name="Alpha", users=[(user, "owner")])
    factories.InvitationFactory(team=team, issuer=user, email="waiting@example.gouv.fr")
    factories.InvitationFactory(team=team, issuer=user, email="expired@example.gouv.fr",
                                expires_at=timezone.now() - timedelta(days=1))
    factories.InvitationFactory(team=team, email="someone-else-sent@example.gouv.fr")
    client.force_login(user)
    invitations = client.get("/").content.decode().split('id="home-invitations"', 1)[1].split("</ul>", 1)[0]
    assert "waiting@example.gouv.fr" in invitations
    assert "expired@example.gouv.fr" not in invitations
    assert "someone-else-sent@example.gouv.fr" not in invitations


def test_shortcuts_follow_the_abilities(client, settings):
    user = factories.UserFactory(is_staff=True)
    client.force_login(user)
    assert 'href="/admin/"' in client.get("/").content.decode()
    settings.FEATURES = {**settings.FEATURES, "TEAMS_DISPLAY": False, "CONTACTS_DISPLAY": False}
    shortcuts = client.get("/").content.decode().split('id="home-shortcuts"', 1)[1].split("</ul>", 1)[0]
    assert "teams/" not in shortcuts
    assert "contacts/" not in shortcuts


@pytest.mark.parametrize("rows", [3, 200])
def test_constant_number_of_queries(client, django_assert_max_num_queries, rows):
    user = factories.UserFactory()
    for number in range(rows):
        team = factories.TeamFactory(name=f"Team {number:03}", users=[(user, "administrator")])
        factories.InvitationFactory(team=team, issuer=user)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200


def test_the_page_is_french_for_a_french_user(client):
    client.force_login(factories.UserFactory(language="fr-fr"))
    body = client.get("/").content.decode()
    assert '<html lang="fr"' in body
    assert "Mon organisation" in body
    assert "Se déconnecter" in body


def test_only_get(client):
    assert client.post("/").status_code == 405


def test_sign_out_form_signs_out(settings):
    settings.PEOPLE_DEV_LOGIN = True
    client = Client(enforce_csrf_checks=True)
    user = factories.UserFactory()
    client.force_login(user)
    body = client.get("/").content.decode()
    action = body.split('<form method="post" action="', 1)[1].split('"', 1)[0]
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = client.post(action, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert 'id="signed-out"' in client.get("/").content.decode()
