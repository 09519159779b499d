"""Every model registered in the admin: changelist, search, change and add pages answer."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from people.core import audit
from people.core.models import Audience, OutboxMessage
from people.identity.models import OrganizationAccess, ServiceProvider
from tests import factories

pytestmark = pytest.mark.django_db

OURS = {"auth", "core", "identity", "teams", "contacts", "mail"}


@pytest.fixture
def rows(operator):
    """A few rows of every registered model."""
    organization = factories.OrganizationFactory(registration_id_list=["73282932000074"])
    users = factories.UserFactory.create_batch(3, organization=organization)
    team = factories.TeamFactory(organization=organization, users=[(users[0], "owner"), users[1]])
    factories.TeamFactory(organization=organization, parent=team)
    factories.InvitationFactory(team=team, issuer=users[0])
    apps.get_model("teams", "TeamWebhook").objects.create(team=team, url="https://service.example.test/scim/v2", secret="s", last_error="boom")
    owned = factories.ContactFactory(owner=users[0])
    factories.ContactFactory(owner=users[1], override=owned)
    factories.ContactFactory(owner=users[2], user=users[2])
    OrganizationAccess.objects.create(organization=organization, user=users[0])
    ServiceProvider.objects.create(name="Docs", audience_id="docs")
    Group.objects.create(name="operators")
    OutboxMessage.objects.create(kind="test.kind", payload={"a": 1}, last_error="boom")
    audit.record(actor=operator, action="team.create", target=team, audience=Audience.OPERATOR)
    domain = factories.MailDomainFactory(organization=organization, users=[(users[0], "owner")])
    factories.MailDomainInvitationFactory(domain=domain, issuer=users[0])
    factories.MailboxFactory(domain=domain)
    factories.AliasFactory(domain=domain)
    return users


def registered():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", registered(), ids=lambda model: model._meta.label)
def test_changelist_and_change_pages_load(client, rows, model):
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    response = client.get(changelist)
    assert response.status_code == 200
    if model._meta.app_label in OURS:  # other apps' models get no rows from the fixture
        assert response.context["cl"].result_count >= 1
    # Searches with odd input must not fail (non-UUID text on uuid columns, accents, huge terms).
    for term in ("Élodie", "not-a-uuid", "x" * 5000, "%_'\""):
        assert client.get(changelist, {"q": term}).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        change = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        assert client.get(change).status_code == 200
    for bad_id in ("not-a-uuid", "0" * 300):  # unknown or malformed ids: back to the list, no error
        missing = client.get(reverse("admin:{}_{}_change".format(*info), args=[bad_id]))
        assert missing.status_code == 302
    if admin.site._registry[model].has_add_permission(response.wsgi_request):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_every_app_model_is_registered():
    from django.apps import apps

    ours = {model for model in apps.get_models() if model.__module__.startswith("people.")}
    owned_elsewhere = {model for model in ours if model._meta.app_label not in OURS}
    missing = ours - set(admin.site._registry) - owned_elsewhere
    assert not missing, f"not in the admin: {sorted(m._meta.label for m in missing)}"


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:identity_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:identity_user_changelist", lambda n: factories.UserFactory.create_batch(n)),
        ("admin:teams_team_changelist", lambda n: factories.TeamFactory.create_batch(n)),
        ("admin:teams_teamaccess_changelist", lambda n: factories.TeamAccessFactory.create_batch(n)),
        ("admin:teams_invitation_changelist", lambda n: factories.InvitationFactory.create_batch(n)),
        ("admin:identity_organization_changelist", lambda n: factories.OrganizationFactory.create_batch(n)),
        ("admin:contacts_contact_changelist", lambda n: factories.ContactFactory.create_batch(n)),
        ("admin:core_auditentry_changelist", lambda n: [
            audit.record(actor=user, action="user.update", target=user) for user in factories.UserFactory.create_batch(n)
        ]),
    ],
)
def test_changelists_run_a_constant_number_of_queries(client, operator, django_assert_max_num_queries, url_name, make):
    make(5)
    with django_assert_max_num_queries(12):
        assert client.get(reverse(url_name)).status_code == 200
    make(45)
    with django_assert_max_num_queries(12):
        response = client.get(reverse(url_name))
    assert len(response.context["cl"].result_list) >= 50


def test_every_model_of_people_has_search_and_filters():
    lacking = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("people.") and not (model_admin.search_fields and model_admin.list_filter)
    ]
    assert not lacking
