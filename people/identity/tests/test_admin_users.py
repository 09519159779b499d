"""Admin of users: creation, identity changes through the service, `sub` frozen, password form."""

import pytest
from django.urls import reverse

from people.core.models import AuditEntry
from people.identity.models import User
from people.teams.models import Invitation, TeamAccess
from tests import factories

pytestmark = pytest.mark.django_db


def change_data(user, **overrides):
    data = {
        "email": user.email, "name": user.name, "short_name": user.short_name, "language": user.language,
        "timezone": user.timezone, "organization": str(user.organization_id or ""), "is_active": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_sub_is_read_only_after_creation(client, operator):
    user = factories.UserFactory(sub="original-sub")
    url = reverse("admin:identity_user_change", args=[user.pk])
    page = client.get(url).content.decode()
    assert 'name="sub"' not in page
    assert "original-sub" in page
    response = client.post(url, change_data(user, sub="forged-sub", name="New Name"))
    assert response.status_code == 302, response.content
    user.refresh_from_db()
    assert user.sub == "original-sub"
    assert user.name == "New Name"
    entry = AuditEntry.objects.get(action="user.update", target_id=str(user.pk))
    assert entry.audience == "operator"
    assert entry.changes["name"][1] == "New Name"


def test_sub_can_be_set_on_creation(client, operator):
    organization = factories.OrganizationFactory()
    response = client.post(reverse("admin:identity_user_add"), {
        "email": "New.Agent@Example.gouv.fr", "name": "New Agent", "sub": "sub-new",
        "organization": str(organization.pk), "usable_password": "false",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(sub="sub-new")
    assert user.email == "new.agent@example.gouv.fr"
    assert user.organization == organization
    assert not user.has_usable_password()
    assert AuditEntry.objects.filter(action="user.create", target_id=str(user.pk), audience="operator").exists()


def test_duplicate_email_is_refused(client, operator):
    factories.UserFactory(email="taken@example.gouv.fr")
    user = factories.UserFactory()
    response = client.post(reverse("admin:identity_user_change", args=[user.pk]), change_data(user, email="TAKEN@example.gouv.fr"))
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.email != "taken@example.gouv.fr"


def test_staff_flag_change_is_audited(client, operator):
    user = factories.UserFactory()
    response = client.post(reverse("admin:identity_user_change", args=[user.pk]), change_data(user, is_staff="on"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert AuditEntry.objects.get(target_id=str(user.pk), action="user.update").changes == {"is_staff": [False, True]}


def test_password_change_uses_the_usual_form(client, operator):
    user = factories.UserFactory()
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": "a-Long-pass-phrase-42", "password2": "a-Long-pass-phrase-42", "usable_password": "true"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-Long-pass-phrase-42")
    assert AuditEntry.objects.filter(action="user.password_change", target_id=str(user.pk)).exists()


def test_organization_autocomplete(client, operator):
    factories.OrganizationFactory(name="Mairie de Lyon")
    factories.OrganizationFactory(name="Préfecture")
    response = client.get(reverse("admin:autocomplete"), {
        "app_label": "identity", "model_name": "user", "field_name": "organization", "term": "lyon",
    })
    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["Mairie de Lyon"]


def test_search_is_accent_insensitive(client, operator):
    target = factories.UserFactory(name="Élodie Durand")
    factories.UserFactory(name="Someone Else")
    response = client.get(reverse("admin:identity_user_changelist"), {"q": "elodie"})
    assert [user.pk for user in response.context["cl"].result_list] == [target.pk]


def test_group_change_is_audited(client, operator):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="support")
    user = factories.UserFactory()
    response = client.post(reverse("admin:identity_user_change", args=[user.pk]), change_data(user, groups=[str(group.pk)]))
    assert response.status_code == 302
    assert list(user.groups.all()) == [group]
    assert AuditEntry.objects.get(target_id=str(user.pk), action="user.update").changes == {"groups": [[], [str(group.pk)]]}


def test_created_user_gets_the_accesses_of_pending_invitations(client, operator):
    invitation = factories.InvitationFactory(email="invited@example.gouv.fr", role="administrator")
    response = client.post(reverse("admin:identity_user_add"), {
        "email": "Invited@Example.gouv.fr", "name": "Invited", "organization": str(invitation.team.organization_id),
        "usable_password": "false",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="invited@example.gouv.fr")
    assert TeamAccess.objects.get(team=invitation.team, user=user).role == "administrator"
    assert not Invitation.objects.exists()
    entry = AuditEntry.objects.get(action="team_access.create")
    assert (entry.audience, entry.changes["invitation"]) == ("operator", str(invitation.pk))
