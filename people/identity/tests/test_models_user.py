import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from people.identity.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_stored_lower_case():
    user = UserFactory(email="  Ada.Lovelace@Example.GOUV.fr ")
    user.refresh_from_db()
    assert user.email == "ada.lovelace@example.gouv.fr"


def test_create_user_normalizes_email():
    user = User.objects.create_user(email="BOB@EXAMPLE.FR", password="x-long-password-42")
    assert user.email == "bob@example.fr"


def test_empty_email_is_stored_as_null():
    user = UserFactory(email="   ")
    user.refresh_from_db()
    assert user.email is None


@override_settings(USER_EMAIL_UNIQUE=True)
def test_duplicate_email_is_refused_when_unique():
    UserFactory(email="ada@example.fr")
    user = User(email="ADA@example.fr")
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert "email" in error.value.message_dict


@override_settings(USER_EMAIL_UNIQUE=False)
def test_duplicate_email_is_allowed_when_not_unique():
    UserFactory(email="ada@example.fr")
    User(email="ada@example.fr", organization=None).full_clean(exclude=["password"])


@override_settings(USER_EMAIL_UNIQUE=True)
def test_editing_a_user_keeps_own_email():
    user = UserFactory(email="ada@example.fr")
    user.name = "Ada"
    user.full_clean(exclude=["password"])


def test_search_text_follows_name_and_email():
    user = UserFactory(name="Élodie", email="E@x.fr")
    assert user.search_text == "elodie e@x.fr"
