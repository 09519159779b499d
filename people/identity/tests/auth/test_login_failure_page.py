"""GET /api/v1.0/login-failure/: the reason of the last refused sign-in, never echoed input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/login-failure/"


def test_message_stored_by_the_callback_is_shown_once(client):
    session = client.session
    session["oidc_login_error"] = {"code": "missing_claims", "message": "The identity provider did not give: siret."}
    session.save()
    first = client.get(URL, {"error": "missing_claims"})
    assert first.status_code == 200
    assert "did not give: siret." in first.content.decode()
    second = client.get(URL, {"error": "missing_claims"})
    assert "did not give all the information we need" in second.content.decode()


def test_known_code_without_session(client):
    assert "Your account is disabled" in client.get(URL, {"error": "account_disabled"}).content.decode()


@pytest.mark.parametrize("code", ["<script>alert(1)</script>", "x" * 10000, ""])
def test_unknown_code_gets_the_generic_message(client, code):
    page = client.get(URL, {"error": code}).content.decode()
    assert "The sign-in failed. Please try again." in page
    assert "<script>alert" not in page


def test_page_offers_to_try_again(client):
    assert 'href="/api/v1.0/authenticate/"' in client.get(URL).content.decode()


def test_page_is_translated(client):
    page = client.get(URL, {"error": "account_disabled"}, HTTP_ACCEPT_LANGUAGE="fr-fr")
    assert page.status_code == 200
    assert 'lang="fr' in page.content.decode()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("account_creation_disabled", "accounts are not created at sign-in"),
        ("ambiguous_email", "Several accounts use this e-mail address"),
        ("email_taken", "Another account already uses this e-mail address"),
        ("invalid_token", "could not be verified"),
        ("provider_error", "could not be reached or refused the sign-in"),
        ("invalid_state", "unknown or has expired"),
        ("access_denied", "cancelled or refused by the identity provider"),
        ("login_failed", "The sign-in failed. Please try again."),
    ],
)
def test_each_failure_code_has_its_own_message(client, code, message):
    assert message in client.get(URL, {"error": code}).content.decode()
