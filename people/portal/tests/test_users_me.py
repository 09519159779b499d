import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from people.teams.models import TeamRole
from tests.factories import OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/users/me/"
FEATURES_ON = {"CONTACTS_DISPLAY": True, "CONTACTS_CREATE": True, "MAILBOXES_CREATE": True, "TEAMS_DISPLAY": True, "TEAMS_CREATE": True}
FEATURES_OFF = {key: False for key in FEATURES_ON}


def test_anonymous_gets_401():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response.headers


def test_returns_user_organization_and_abilities(client_for):
    organization = OrganizationFactory(registration_id_list=["73282932000074"])
    me = UserFactory(organization=organization, language="fr-fr", timezone="Europe/Paris")
    with override_settings(FEATURES=FEATURES_ON):
        body = client_for(me).get(URL).json()
    assert body == {
        "id": str(me.pk), "email": me.email, "name": me.name, "language": "fr-fr", "timezone": "Europe/Paris",
        "organization": {"id": str(organization.pk), "name": organization.name, "registration_id_list": ["73282932000074"]},
        "is_device": False, "is_staff": False,
        "abilities": {
            "contacts": {"can_view": True, "can_create": True},
            "teams": {"can_view": True, "can_create": True},
            "mailboxes": {"can_view": False, "can_create": False},
        },
    }


def test_user_without_organization(client_for):
    body = client_for(UserFactory(organization=None)).get(URL).json()
    assert body["organization"] is None


def test_features_off_hide_contacts_and_teams(client_for):
    with override_settings(FEATURES=FEATURES_OFF):
        abilities = client_for(UserFactory()).get(URL).json()["abilities"]
    assert abilities["contacts"] == {"can_view": False, "can_create": False}
    assert abilities["teams"] == {"can_view": False, "can_create": False}


def test_contacts_create_needs_display(client_for):
    with override_settings(FEATURES={**FEATURES_ON, "CONTACTS_DISPLAY": False}):
        abilities = client_for(UserFactory()).get(URL).json()["abilities"]
    assert abilities["contacts"] == {"can_view": False, "can_create": False}


def test_team_administrators_see_teams_even_when_feature_is_off(client_for):
    me = UserFactory()
    TeamFactory(organization=me.organization, users=[(me, TeamRole.ADMIN)])
    with override_settings(FEATURES={**FEATURES_OFF, "TEAMS_CREATE": True}):
        abilities = client_for(me).get(URL).json()["abilities"]
    assert abilities["teams"] == {"can_view": True, "can_create": True}


def test_write_methods_are_not_allowed(client_for):
    client = client_for(UserFactory())
    assert client.put(URL, {"timezone": "UTC"}, format="json").status_code == 405
    assert client.delete(URL).status_code == 405


@pytest.mark.parametrize("display", [True, False])
@pytest.mark.parametrize("create", [True, False])
@pytest.mark.parametrize("administers_a_team", [True, False])
def test_abilities_say_what_the_api_accepts(client_for, display, create, administers_a_team):
    """`can_create` comes from the policy functions the create endpoints call: they agree."""
    me = UserFactory()
    if administers_a_team:
        TeamFactory(organization=me.organization, users=[(me, TeamRole.ADMIN)])
    features = {"CONTACTS_DISPLAY": display, "CONTACTS_CREATE": create, "MAILBOXES_CREATE": False,
                "TEAMS_DISPLAY": display, "TEAMS_CREATE": create}
    client = client_for(me)
    with override_settings(FEATURES=features):
        abilities = client.get(URL).json()["abilities"]
        team = client.post("/api/v1.0/teams/", {"name": "New"}, format="json")
        contact = client.post("/api/v1.0/contacts/", {"full_name": "Ada", "data": {}}, format="json")
    assert team.status_code == (201 if abilities["teams"]["can_create"] else 403)
    assert contact.status_code == (201 if abilities["contacts"]["can_create"] else 403)
    assert abilities["teams"]["can_create"] == (create and (display or administers_a_team))


@pytest.mark.parametrize("serializer", ["UserSerializer", "UserMeSerializer", "UserPickerSerializer"])
@pytest.mark.parametrize("with_organization", [True, False])
def test_the_written_out_answer_is_the_one_the_fields_describe(serializer, with_organization, rf):
    """The users' serializers write their answer out for speed: it stays what DRF makes of the
    declared fields (the schema), key for key and in order."""
    from rest_framework import serializers

    from people.identity.api.client import serializers as identity_serializers
    from people.portal.api.client import serializers as portal_serializers

    cls = getattr(identity_serializers, serializer, None) or getattr(portal_serializers, serializer)
    organization = OrganizationFactory(registration_id_list=["73282932000074", "11000201100044"]) if with_organization else None
    me = UserFactory(organization=organization, is_staff=True, is_device=True, language="fr-fr", timezone="Europe/Paris")
    request = rf.get("/")
    request.user = me
    instance = cls(me, context={"abilities": {"teams": {"can_view": True}}, "request": request})
    written_out = instance.data
    described = serializers.ModelSerializer.to_representation(instance, me)
    assert written_out == described
    assert list(written_out) == list(described)
