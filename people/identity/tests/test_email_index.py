"""USER_EMAIL_UNIQUE: a partial unique index on e-mails, following the setting at `migrate`."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from people.identity.email_index import email_index_sync
from people.identity.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def settled() -> None:
    """PostgreSQL refuses to index a table with deferred constraint checks pending, which a
    test's open transaction has after inserts (a real `migrate` runs in autocommit)."""
    connection.check_constraints()


def test_the_database_refuses_a_second_account_with_an_address():
    UserFactory(email="ada@example.fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="ada@example.fr")])  # bypasses the services' check
    UserFactory(email=None)
    UserFactory(email=None)  # users without an address are not concerned
    assert User.objects.filter(email=None).count() == 2


def test_shared_addresses_are_allowed_when_the_setting_is_off(emails_not_unique):
    UserFactory(email="twice@example.fr")
    UserFactory(email="twice@example.fr")
    assert User.objects.filter(email="twice@example.fr").count() == 2


def test_switching_on_with_shared_addresses_names_the_setting_and_the_addresses(settings):
    settings.USER_EMAIL_UNIQUE = False
    assert email_index_sync() is False
    first = UserFactory(email="twice@example.fr")
    UserFactory(email="twice@example.fr")
    settings.USER_EMAIL_UNIQUE = True
    settled()
    with pytest.raises(ImproperlyConfigured) as error:
        email_index_sync()
    assert "USER_EMAIL_UNIQUE" in str(error.value)
    assert "twice@example.fr" in str(error.value)
    first.delete()
    settled()
    assert email_index_sync() is True
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="twice@example.fr")])


def test_migrate_makes_the_index_follow_the_setting(settings):
    settings.USER_EMAIL_UNIQUE = False
    call_command("migrate", "identity", verbosity=0)
    UserFactory(email="twice@example.fr")
    UserFactory(email="twice@example.fr")
    User.objects.filter(email="twice@example.fr").first().delete()
    settings.USER_EMAIL_UNIQUE = True
    settled()
    call_command("migrate", "identity", verbosity=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="twice@example.fr")])
