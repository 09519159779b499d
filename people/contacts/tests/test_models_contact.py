"""Override rules held by the model and the database, whatever door a write comes through."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from people.contacts.models import Contact
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_contact_cannot_override_itself():
    contact = ContactFactory()
    contact.override = contact
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "override" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.filter(pk=contact.pk).update(override=contact)


def test_an_override_has_an_owner():
    base = ContactFactory(owner=None)
    with pytest.raises(ValidationError) as error:
        Contact(owner=None, override=base, full_name="Copy").full_clean()
    assert "owner" in error.value.message_dict


def test_an_override_of_an_override_is_refused():
    base = ContactFactory(owner=None)
    first = ContactFactory(override=base)
    with pytest.raises(ValidationError) as error:
        Contact(owner=UserFactory(), override=first, full_name="Copy").full_clean()
    assert "override" in error.value.message_dict


def test_one_override_per_owner_and_base_in_the_database():
    base = ContactFactory(owner=None)
    mine = ContactFactory(override=base)
    ContactFactory(override=base)  # another owner may have their own
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.bulk_create([Contact(owner=mine.owner, override=base, full_name="Again")])
    assert Contact.objects.filter(override=base).count() == 2
