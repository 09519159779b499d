"""Every door that creates a user runs the same welcome: profile card, pending invitations
turned into accesses, onboarding queued in the outbox."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.contacts.models import Contact
from people.core.models import OutboxMessage
from people.identity import lifecycle, onboarding
from people.identity.models import User
from people.portal.accounts import user_welcome
from people.portal.signin import user_from_claims
from people.teams.models import Invitation, TeamAccess
from tests import factories

pytestmark = pytest.mark.django_db

EMAIL = "new.agent@ville.example.fr"


@pytest.fixture(autouse=True)
def _onboarding(settings):
    settings.ONBOARDING_BACKEND = "http"
    settings.ONBOARDING_API_URL = "http://127.0.0.1:9/contacts"
    settings.ONBOARDING_API_KEY = "key"
    settings.ONBOARDING_LIST_ID = 1


def _sign_in(settings):
    settings.OIDC_CREATE_USER = True
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = ["email"]
    return user_from_claims(claims={"sub": "sub-new", "email": EMAIL, "given_name": "New"})


def _admin(client):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.post(reverse("admin:identity_user_add"), {
        "email": EMAIL, "name": "New Agent", "organization": str(factories.OrganizationFactory().pk),
        "usable_password": "false",
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    return User.objects.get(email=EMAIL)


def _createsuperuser(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password-42")
    call_command("createsuperuser", "--noinput", "--email", EMAIL, stdout=StringIO())
    return User.objects.get(email=EMAIL)


def _manager():
    return User.objects.create_user(EMAIL, "a-long-enough-password-42")


@pytest.mark.parametrize("door", ["sign-in", "admin", "createsuperuser", "manager"])
def test_every_door_welcomes_the_new_user(door, client, settings, monkeypatch):
    invitation = factories.InvitationFactory(email=EMAIL, role="member")
    create = {
        "sign-in": lambda: _sign_in(settings),
        "admin": lambda: _admin(client),
        "createsuperuser": lambda: _createsuperuser(monkeypatch),
        "manager": _manager,
    }[door]
    user = create()
    assert Contact.objects.filter(user=user, owner=user).count() == 1
    assert TeamAccess.objects.filter(user=user, team=invitation.team, role="member").exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert OutboxMessage.objects.filter(kind=onboarding.KIND, payload={"user_id": str(user.pk)}).count() == 1


def test_the_demo_user_is_welcomed():
    call_command("demo", users=3, teams=1, organizations=1, stdout=StringIO(), stderr=StringIO())
    demo = User.objects.get(email="demo@example.com")
    assert Contact.objects.filter(user=demo, owner=demo).count() == 1
    assert OutboxMessage.objects.filter(kind=onboarding.KIND, payload={"user_id": str(demo.pk)}).count() == 1


def test_the_portal_registers_the_welcome_once_at_start():
    assert lifecycle.user_created_steps() == (user_welcome,)
