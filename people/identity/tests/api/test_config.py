import pytest
from django.test import override_settings
from rest_framework.test import APIClient

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


def test_signed_in_user_reads_the_same():
    client = APIClient()
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 200


def test_writes_are_405():
    assert APIClient().post(URL, {}, format="json").status_code == 405
