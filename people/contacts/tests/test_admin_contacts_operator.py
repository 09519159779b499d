"""The admin writes contacts through the services, as an operator."""

import pytest
from django.urls import reverse

from people.contacts import services
from people.contacts.models import Contact
from people.core.errors import PermissionDenied
from people.core.models import AuditEntry
from tests import factories

pytestmark = pytest.mark.django_db

ADD = "admin:contacts_contact_add"


def test_operator_creates_a_base_contact(client, operator):
    response = client.post(reverse(ADD), {"full_name": "Accueil", "short_name": "", "notes": "", "data": "{}"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = Contact.objects.get(full_name="Accueil")
    assert (contact.owner, contact.user, contact.short_name) == (None, None, None)
    entry = AuditEntry.objects.get(action="contact.create")
    assert (entry.actor, entry.audience) == (operator, "operator")


def test_override_needs_an_owner_and_nothing_is_written(client, operator):
    base = factories.ContactFactory(owner=None)
    response = client.post(reverse(ADD), {
        "override": str(base.pk), "full_name": "Copy", "notes": "", "data": "{}",
    })
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert not Contact.objects.filter(full_name="Copy").exists()


def test_override_for_a_chosen_owner(client, operator):
    base = factories.ContactFactory(owner=None)
    owner = factories.UserFactory()
    response = client.post(reverse(ADD), {
        "owner": str(owner.pk), "override": str(base.pk), "full_name": "Copy", "notes": "", "data": "{}",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Contact.objects.get(full_name="Copy").owner == owner


def test_profile_cards_are_never_deleted_and_others_go_through_the_service(client, operator):
    profile_user = factories.UserFactory()
    profile = factories.ContactFactory(owner=profile_user, user=profile_user)
    owned = factories.ContactFactory()
    url = reverse("admin:contacts_contact_changelist")
    response = client.post(url, {
        "action": "delete_selected", "_selected_action": [str(profile.pk), str(owned.pk)], "post": "yes",
    })
    assert response.status_code == 403
    assert Contact.objects.count() == 2
    response = client.post(url, {"action": "delete_selected", "_selected_action": [str(owned.pk)], "post": "yes"})
    assert response.status_code == 302
    assert list(Contact.objects.values_list("pk", flat=True)) == [profile.pk]
    entry = AuditEntry.objects.get(action="contact.delete")
    assert (entry.target_id, entry.actor, entry.audience) == (str(owned.pk), operator, "operator")


def test_operator_cannot_delete_a_profile_card_through_the_service(operator):
    profile_user = factories.UserFactory()
    profile = factories.ContactFactory(owner=profile_user, user=profile_user)
    with pytest.raises(PermissionDenied):
        services.contact_delete(actor=operator, contact=profile, as_operator=True)
    assert Contact.objects.filter(pk=profile.pk).exists()


def test_users_cannot_choose_the_owner():
    user = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        services.contact_create(actor=user, full_name="Planted", owner=factories.UserFactory())
    assert not Contact.objects.filter(full_name="Planted").exists()


def test_api_ignores_as_operator_and_owner(client_for):
    user, other = factories.UserFactory.create_batch(2)
    contact = factories.ContactFactory(owner=other, full_name="Theirs")
    response = client_for(user).patch(
        f"/api/v1.0/contacts/{contact.pk}/", {"full_name": "Mine", "as_operator": True}, format="json"
    )
    assert response.status_code in (403, 404)
    contact.refresh_from_db()
    assert contact.full_name == "Theirs"
    response = client_for(user).post(
        "/api/v1.0/contacts/", {"full_name": "New", "data": {}, "owner": str(other.pk), "as_operator": True}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Contact.objects.get(full_name="New").owner == user
    assert not Contact.objects.filter(full_name="New", owner=other).exists()
