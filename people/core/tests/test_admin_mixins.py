"""The admin's shared pieces: read-only admins refuse every write to anyone, even a superuser;
admins with a separate creation form show it on the add page only."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from people.contacts.models import Contact
from people.core.admin import ReadOnlyAdminMixin
from people.core.models import AuditEntry
from people.identity.models import OrganizationIdentifier
from people.teams.admin import TeamAccessInline
from people.teams.models import Invitation, Team
from tests import factories

pytestmark = pytest.mark.django_db


def _read_only_admins():
    inline = TeamAccessInline(Team, admin.site)
    return {
        "AuditEntry": admin.site._registry[AuditEntry],
        "OrganizationIdentifier": admin.site._registry[OrganizationIdentifier],
        "TeamAccessInline": inline,
    }


@pytest.mark.parametrize("name", sorted(_read_only_admins()))
def test_read_only_admins_refuse_add_change_and_delete_to_a_superuser(operator, name):
    model_admin = _read_only_admins()[name]
    assert isinstance(model_admin, ReadOnlyAdminMixin)
    request = RequestFactory().get("/")
    request.user = operator
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


@pytest.mark.parametrize(
    ("model", "make", "add_only"),
    [
        (Team, factories.TeamFactory, "owner"),
        (Invitation, factories.InvitationFactory, "email"),
        (Contact, factories.ContactFactory, "owner"),
    ],
    ids=["team", "invitation", "contact"],
)
def test_add_page_uses_the_creation_form_and_change_page_the_change_form(client, operator, model, make, add_only):
    model_admin = admin.site._registry[model]
    info = (model._meta.app_label, model._meta.model_name)
    add = client.get(reverse("admin:{}_{}_add".format(*info))).context["adminform"].form
    assert isinstance(add, model_admin.add_form)
    assert add_only in add.fields
    change = client.get(reverse("admin:{}_{}_change".format(*info), args=[make().pk])).context["adminform"].form
    assert isinstance(change, model_admin.form)
    assert not isinstance(change, model_admin.add_form)
    assert add_only not in change.fields
