import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from people.core import features
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/config/"


def test_anonymous_reads_config():
    response = APIClient().get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "LANGUAGES": [["en-us", "English"], ["fr-fr", "French"]],
        "FEATURES": {
            "CONTACTS_DISPLAY": True, "CONTACTS_CREATE": True, "MAILBOXES_CREATE": True,
            "TEAMS_DISPLAY": True, "TEAMS_CREATE": True,
        },
        "RELEASE": "NA", "COMMIT": "NA", "CRISP_WEBSITE_ID": None,
    }


@override_settings(RELEASE="1.2.3", COMMIT="abc123", CRISP_WEBSITE_ID="crisp-id", FEATURES={"TEAMS_CREATE": False})
def test_values_come_from_settings():
    body = APIClient().get(URL).json()
    assert body["RELEASE"] == "1.2.3"
    assert body["COMMIT"] == "abc123"
    assert body["CRISP_WEBSITE_ID"] == "crisp-id"
    assert body["FEATURES"] == {"TEAMS_CREATE": False}


ALL_ON = {"CONTACTS_DISPLAY": True, "CONTACTS_CREATE": True, "MAILBOXES_CREATE": True,
          "TEAMS_DISPLAY": True, "TEAMS_CREATE": True}


@override_settings(FEATURES=ALL_ON)
def test_a_switch_is_off_while_its_feature_is_not_served(monkeypatch):
    """Without the app that serves it, announcing the feature would send clients to 404s (an
    app that is not installed stands in for the mail app)."""
    assert APIClient().get(URL).json()["FEATURES"] == ALL_ON  # people.mail is installed
    monkeypatch.setitem(features.SERVED_BY, "MAILBOXES_CREATE", "people.absent")
    assert APIClient().get(URL).json()["FEATURES"] == {**ALL_ON, "MAILBOXES_CREATE": False}


@pytest.mark.parametrize("setting", [True, False])
def test_a_served_feature_follows_its_setting(settings, setting):
    """Once the serving app is installed the switch is the setting."""
    settings.FEATURES = {**ALL_ON, "MAILBOXES_CREATE": setting}
    assert APIClient().get(URL).json()["FEATURES"]["MAILBOXES_CREATE"] is setting


def test_signed_in_user_reads_the_same():
    client = APIClient()
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 200


def test_writes_are_405():
    assert APIClient().post(URL, {}, format="json").status_code == 405
