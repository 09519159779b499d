"""`user_create`: the one creation of a user, its audit and the steps every new user goes through."""

from __future__ import annotations

import pytest

from people.core.errors import ValidationFailed
from people.core.models import AuditEntry
from people.identity import lifecycle
from people.identity.models import User
from people.identity.services import user_create
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(monkeypatch):
    """The registered steps replaced by one that records what it was given."""
    seen = []
    monkeypatch.setattr(lifecycle, "_user_created_steps", [lambda *, user: seen.append((user.pk, User.objects.filter(pk=user.pk).exists()))])
    return seen


def test_the_row_is_normalised_checked_and_audited(steps):
    organization = OrganizationFactory()
    user = user_create(actor=None, email=" Ana.Lopez@Example.FR ", sub=" sub-1 ", name="Ana Lopez", organization=organization)
    user.refresh_from_db()
    assert (user.email, user.sub, user.name, user.organization) == ("ana.lopez@example.fr", "sub-1", "Ana Lopez", organization)
    assert not user.has_usable_password()
    assert not user.is_staff
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert entry.audience == "system"
    assert entry.changes["email"] == [None, "ana.lopez@example.fr"]
    assert entry.changes["organization"] == [None, str(organization.pk)]
    assert steps == [(user.pk, True)]


def test_a_password_and_the_operator_audience(steps):
    operator = UserFactory(is_staff=True)
    user = user_create(actor=operator, audience="operator", email="op@example.fr", password="a-long-enough-password-42",
                       is_staff=True, timezone="Europe/Paris")
    assert user.check_password("a-long-enough-password-42")
    assert (user.is_staff, user.timezone) == (True, "Europe/Paris")
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert (entry.audience, entry.actor_id) == ("operator", operator.pk)
    assert entry.changes["is_staff"] == [None, True]


def test_a_taken_email_creates_nothing(settings, steps):
    settings.USER_EMAIL_UNIQUE = True
    UserFactory(email="taken@example.fr")
    with pytest.raises(ValidationFailed) as error:
        user_create(actor=None, email="TAKEN@example.fr")
    assert "email" in error.value.errors
    assert User.objects.count() == 1
    assert steps == []
    assert not AuditEntry.objects.filter(action="user.create").exists()


def test_a_failing_step_creates_nothing(monkeypatch):
    def broken(*, user):
        raise RuntimeError("step failed")

    monkeypatch.setattr(lifecycle, "_user_created_steps", [broken])
    with pytest.raises(RuntimeError):
        user_create(actor=None, email="ana@example.fr")
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_step_registered_twice_runs_once(monkeypatch):
    monkeypatch.setattr(lifecycle, "_user_created_steps", [])
    calls = []

    def step(*, user):
        calls.append(user.pk)

    lifecycle.user_created_step_register(step)
    lifecycle.user_created_step_register(step)
    user = user_create(actor=None, email="ana@example.fr")
    assert calls == [user.pk]
