import pytest
from rest_framework.test import APIClient

from people.core.models import AuditEntry
from tests.factories import UNKNOWN_ID, UserFactory

pytestmark = pytest.mark.django_db


def url(user_id):
    return f"/api/v1.0/users/{user_id}/"


def test_anonymous_gets_401():
    user = UserFactory()
    response = APIClient().patch(url(user.pk), {"language": "fr-fr"}, format="json")
    assert response.status_code == 401


def test_patch_own_language_and_timezone(client_for):
    me = UserFactory(language="en-us", timezone="UTC", name="Ada")
    response = client_for(me).patch(url(me.pk), {"language": "fr-fr", "timezone": "America/Cayenne"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "fr-fr"
    assert body["timezone"] == "America/Cayenne"
    assert "abilities" not in body
    me.refresh_from_db()
    assert (me.language, me.timezone) == ("fr-fr", "America/Cayenne")
    entry = AuditEntry.objects.get(action="user.update", target_id=str(me.pk))
    assert entry.changes == {"language": ["en-us", "fr-fr"], "timezone": ["UTC", "America/Cayenne"]}
    assert entry.actor_id == me.pk


def test_read_only_fields_are_ignored(client_for):
    me = UserFactory(name="Ada", email="ada@example.gouv.fr")
    response = client_for(me).patch(
        url(me.pk), {"name": "Eve", "email": "eve@evil.fr", "is_staff": True, "organization": None}, format="json"
    )
    assert response.status_code == 200
    me.refresh_from_db()
    assert (me.name, me.email, me.is_staff) == ("Ada", "ada@example.gouv.fr", False)
    assert me.organization_id is not None


def test_put_requires_timezone(client_for):
    me = UserFactory(timezone="UTC")
    response = client_for(me).put(url(me.pk), {"language": "fr-fr"}, format="json")
    assert response.status_code == 400
    assert "timezone" in response.json()
    me.refresh_from_db()
    assert me.language == "en-us"


def test_put_with_timezone_only(client_for):
    me = UserFactory(timezone="UTC")
    response = client_for(me).put(url(me.pk), {"timezone": "Europe/Paris"}, format="json")
    assert response.status_code == 200
    assert response.json()["timezone"] == "Europe/Paris"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"language": "de-de"}, "language"),
        ({"language": 12}, "language"),
        ({"language": None}, "language"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": ["UTC"]}, "timezone"),
        ({"timezone": "x" * 10000}, "timezone"),
    ],
)
def test_bad_values_are_400_and_change_nothing(client_for, payload, field):
    me = UserFactory(language="en-us", timezone="UTC")
    response = client_for(me).patch(url(me.pk), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    me.refresh_from_db()
    assert (me.language, me.timezone) == ("en-us", "UTC")
    assert not AuditEntry.objects.filter(action="user.update").exists()


def test_body_that_is_not_an_object_is_400(client_for):
    me = UserFactory()
    response = client_for(me).patch(url(me.pk), ["timezone"], format="json")
    assert response.status_code == 400


def test_colleague_gets_403(client_for):
    me = UserFactory()
    colleague = UserFactory(organization=me.organization, language="en-us")
    response = client_for(me).patch(url(colleague.pk), {"language": "fr-fr"}, format="json")
    assert response.status_code == 403
    colleague.refresh_from_db()
    assert colleague.language == "en-us"


def test_user_of_another_organization_is_404(client_for):
    me = UserFactory()
    stranger = UserFactory(language="en-us")
    response = client_for(me).patch(url(stranger.pk), {"language": "fr-fr"}, format="json")
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.language == "en-us"


@pytest.mark.parametrize("user_id", [UNKNOWN_ID, "not-a-uuid", "12345"], ids=["unknown", "malformed", "integer"])
def test_unknown_or_malformed_id_is_404(client_for, user_id):
    response = client_for(UserFactory()).patch(url(user_id), {"language": "fr-fr"}, format="json")
    assert response.status_code == 404


def test_unchanged_values_write_no_audit(client_for):
    me = UserFactory(language="en-us", timezone="UTC")
    response = client_for(me).patch(url(me.pk), {"language": "en-us"}, format="json")
    assert response.status_code == 200
    assert not AuditEntry.objects.filter(action="user.update").exists()


def test_get_and_delete_detail_are_405(client_for):
    me = UserFactory()
    client = client_for(me)
    assert client.get(url(me.pk)).status_code == 405
    assert client.delete(url(me.pk)).status_code == 405
