import pytest

from people.contacts.models import Contact
from people.contacts.services import profile_contact_ensure
from people.core.models import AuditEntry
from people.identity.services import user_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_creates_the_profile_card():
    user = UserFactory(name="Ada Lovelace", email="ada@ville.fr")
    contact = profile_contact_ensure(user=user)
    assert (contact.owner, contact.user, contact.full_name) == (user, user, "Ada Lovelace")
    assert contact.data == {"emails": [{"type": "Work", "value": "ada@ville.fr"}]}
    assert "ada@ville.fr" in contact.search_text


def test_is_idempotent():
    user = UserFactory()
    first = profile_contact_ensure(user=user)
    second = profile_contact_ensure(user=user)
    assert first.pk == second.pk
    assert Contact.objects.count() == 1
    assert AuditEntry.objects.filter(action__startswith="contact.profile").count() == 1


def test_full_name_falls_back_to_email():
    user = UserFactory(name="", email="bob@ville.fr")
    assert profile_contact_ensure(user=user).full_name == "bob@ville.fr"


def test_user_without_email():
    user = UserFactory(name="Device", email=None)
    assert profile_contact_ensure(user=user).data == {}


def test_follows_name_and_email_changes_and_keeps_other_entries():
    user = UserFactory(name="Ada", email="ada@ville.fr")
    contact = profile_contact_ensure(user=user)
    contact.data = {
        "emails": [{"type": "Home", "value": "ada@home.fr"}, {"type": "Work", "value": "ada@ville.fr"}],
        "phones": [{"type": "Mobile", "value": "06"}],
    }
    contact.save()
    user_update(actor=None, user=user, name="Ada L.", email="ada.l@ville.fr")
    contact = profile_contact_ensure(user=user)
    assert contact.full_name == "Ada L."
    assert contact.data == {
        "emails": [{"type": "Home", "value": "ada@home.fr"}, {"type": "Work", "value": "ada.l@ville.fr"}],
        "phones": [{"type": "Mobile", "value": "06"}],
    }
    assert AuditEntry.objects.filter(action="contact.profile_update").count() == 1
