"""Sign-in through the real provider: matching by sub, e-mail fallback and rebind, refusals."""

from __future__ import annotations

import pytest
import requests

from people.core.models import AuditEntry
from people.identity.models import User
from tests.factories import UserFactory

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_changed_sub_is_rebound_through_the_email_fallback(people_oidc):
    first = people_oidc.new_account(email="rotating@example.fr", given_name="Rita", usual_name="Tating")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, first).location == "/"
    user = User.objects.get(sub=first)

    # The same person comes back with another subject and a new surname.
    second = people_oidc.new_account(email="ROTATING@example.fr", given_name="Rita", usual_name="Married")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, second).location == "/"
        assert people_oidc.me(http).json()["id"] == str(user.pk)

    assert User.objects.filter(email="rotating@example.fr").count() == 1
    user.refresh_from_db()
    assert user.sub == second
    assert user.name == "Rita Married"
    rebind = AuditEntry.objects.get(action="user.sub_rebind", target_id=str(user.pk))
    assert rebind.changes == {"sub": [first, second]}


def test_without_fallback_a_new_sub_with_a_known_email_is_refused(people_oidc):
    people_oidc.use("people", OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION=False)
    existing = UserFactory(email="taken@example.fr", sub="old-sub")
    login = people_oidc.new_account(email="taken@example.fr", given_name="T", usual_name="K")
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        assert result.location == "/api/v1.0/login-failure/?error=email_taken"
        assert people_oidc.me(http).status_code in (401, 403)
    existing.refresh_from_db()
    assert existing.sub == "old-sub"
    assert not User.objects.filter(sub=login).exists()


def test_disabled_user_is_refused_and_not_duplicated(people_oidc):
    login = people_oidc.new_account(email="gone@example.fr", given_name="Gone", usual_name="Away")
    UserFactory(sub=login, email="gone@example.fr", is_active=False, name="Old Name")
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        assert result.location == "/api/v1.0/login-failure/?error=account_disabled"
        page = http.get(people_oidc.url(result.location), timeout=10)
        assert people_oidc.me(http).status_code in (401, 403)
    assert page.status_code == 200
    assert "Your account is disabled" in page.text
    assert User.objects.filter(email="gone@example.fr").count() == 1
    assert User.objects.get(sub=login).name == "Old Name"


def test_disabled_user_found_by_email_is_refused_too(people_oidc):
    UserFactory(sub="previous-sub", email="off@example.fr", is_active=False)
    login = people_oidc.new_account(email="off@example.fr", given_name="O", usual_name="F")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location.endswith("error=account_disabled")
    assert User.objects.filter(email="off@example.fr").count() == 1
    assert User.objects.get(email="off@example.fr").sub == "previous-sub"


def test_two_accounts_with_the_email_are_never_guessed(people_oidc, emails_not_unique):
    UserFactory(sub="a", email="twice@example.fr")
    UserFactory(sub="b", email="twice@example.fr")
    login = people_oidc.new_account(email="twice@example.fr", given_name="T", usual_name="W")
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        assert result.location.endswith("error=ambiguous_email")
        page = http.get(people_oidc.url(result.location), timeout=10)
    assert "Several accounts use this e-mail address" in page.text
    assert set(User.objects.filter(email="twice@example.fr").values_list("sub", flat=True)) == {"a", "b"}


def test_no_account_is_created_when_creation_is_off(people_oidc):
    people_oidc.use("people", OIDC_CREATE_USER=False)
    login = people_oidc.new_account(email="new@example.fr", given_name="N", usual_name="W")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location.endswith("error=account_creation_disabled")
    assert not User.objects.filter(email="new@example.fr").exists()
