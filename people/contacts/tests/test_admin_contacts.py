"""Admin of contacts: the kind filter and the audited edits."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db


def test_kind_filter(client, operator):
    base = factories.ContactFactory(owner=None, full_name="Base")
    owned = factories.ContactFactory(full_name="Owned")
    override = factories.ContactFactory(owner=owned.owner, override=base, full_name="Override")
    profile_user = factories.UserFactory()
    profile = factories.ContactFactory(owner=profile_user, user=profile_user, full_name="Profile")
    url = reverse("admin:contacts_contact_changelist")
    expected = {"base": {base}, "owned": {owned}, "override": {override}, "profile": {profile}}
    for kind, contacts in expected.items():
        shown = set(client.get(url, {"kind": kind}).context["cl"].result_list)
        assert shown == contacts, kind


def test_edit_is_audited(client, operator):
    contact = factories.ContactFactory(full_name="Jean Dupont", short_name="Jean")
    other = factories.UserFactory()
    response = client.post(reverse("admin:contacts_contact_change", args=[contact.pk]), {
        "owner": str(other.pk), "full_name": "Jeanne Dupont", "short_name": "Jeanne", "notes": "", "data": "{}",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact.refresh_from_db()
    assert contact.full_name == "Jeanne Dupont"
    assert contact.owner_id != other.pk  # fixed once created
    assert contact.search_text.startswith("jeanne dupont")
    entry = AuditEntry.objects.get(action="contact.update", target_id=str(contact.pk))
    assert entry.changes["full_name"] == ["Jean Dupont", "Jeanne Dupont"]
    assert entry.audience == "operator"
