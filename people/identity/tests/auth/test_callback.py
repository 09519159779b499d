"""GET /api/v1.0/callback/: code exchange, verification, sign-in; every refusal path."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from people.contacts.models import Contact
from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.identity.models import Organization, User
from people.teams.models import Invitation, TeamAccess
from tests.factories import InvitationFactory, UserFactory

from .conftest import TOKEN_URL, USERINFO_URL

pytestmark = pytest.mark.django_db

CALLBACK = "/api/v1.0/callback/"
ONBOARDING_API = "https://mailing.example.test/v3/contacts"
SIRET = "13002526500013"


def start(client, **query) -> dict[str, str]:
    location = client.get("/api/v1.0/authenticate/", query)["Location"]
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def provider_answers(fake_op, params, *, userinfo=None, token_status=200, **id_claims):
    id_token = fake_op.sign(fake_op.claims(nonce=params["nonce"], **id_claims))
    fake_op.mocked.post(TOKEN_URL, status=token_status, json={"id_token": id_token, "access_token": "at-1", "token_type": "Bearer"})
    fake_op.mocked.get(USERINFO_URL, json=userinfo if userinfo is not None else {"sub": "sub-1", "email": "ana@example.fr", "given_name": "Ana", "usual_name": "Lima"})
    return id_token


def test_successful_sign_in(client, fake_op):
    params = start(client, next="/teams/")
    id_token = provider_answers(fake_op, params)
    response = client.get(CALLBACK, {"code": "code-1", "state": params["state"]})
    assert response.status_code == 302
    assert response["Location"] == "/teams/"
    user = User.objects.get(sub="sub-1")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["oidc_id_token"] == id_token
    assert params["state"] not in client.session["oidc_states"]
    exchange = next(call.request for call in fake_op.mocked.calls if call.request.url == TOKEN_URL)
    body = parse_qs(exchange.body)
    assert body["code"] == ["code-1"]
    assert body["client_secret"] == ["client-secret"]
    assert body["redirect_uri"] == ["http://testserver/api/v1.0/callback/"]
    assert len(body["code_verifier"][0]) == 64
    assert client.get("/api/v1.0/users/me/").status_code == 200


def test_default_redirect_after_sign_in(client, fake_op):
    params = start(client)
    provider_answers(fake_op, params)
    assert client.get(CALLBACK, {"code": "c", "state": params["state"]})["Location"] == "/"


def test_state_is_used_once(client, fake_op):
    params = start(client)
    provider_answers(fake_op, params)
    client.get(CALLBACK, {"code": "c", "state": params["state"]})
    replay = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert replay.status_code == 400


@pytest.mark.parametrize("query", [{"code": "c", "state": "unknown"}, {"code": "c", "state": ""}, {"code": "c"}])
def test_unknown_state_is_a_400_page(client, fake_op, query):
    start(client)
    response = client.get(CALLBACK, query)
    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "unknown or has expired" in response.content.decode()
    assert not User.objects.exists()


def test_nonce_mismatch_fails(client, fake_op):
    params = start(client)
    provider_answers(fake_op, {**params, "nonce": "another"})
    response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"] == "/api/v1.0/login-failure/?error=invalid_token"
    assert not User.objects.exists()


def test_token_endpoint_error(client, fake_op):
    params = start(client)
    provider_answers(fake_op, params, token_status=400)
    response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"] == "/api/v1.0/login-failure/?error=provider_error"


def test_userinfo_of_another_subject(client, fake_op):
    params = start(client)
    provider_answers(fake_op, params, userinfo={"sub": "intruder", "email": "x@example.fr"})
    response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"].endswith("error=invalid_token")
    assert not User.objects.exists()


def test_provider_error_answer_ends_any_previous_session(client, fake_op):
    user = UserFactory()
    client.force_login(user)
    params = start(client)
    response = client.get(CALLBACK, {"error": "access_denied", "state": params["state"]})
    assert response["Location"] == "/api/v1.0/login-failure/?error=access_denied"
    assert params["state"] not in client.session.get("oidc_states", {})
    assert "_auth_user_id" not in client.session


def test_silent_attempt_comes_back_quietly(client, fake_op):
    params = start(client, silent="true", next="/contacts/")
    response = client.get(CALLBACK, {"error": "login_required", "state": params["state"]})
    assert response["Location"] == "/contacts/"
    assert "_auth_user_id" not in client.session


def test_login_required_without_silent_is_a_failure(client, fake_op):
    params = start(client)
    response = client.get(CALLBACK, {"error": "login_required", "state": params["state"]})
    assert response["Location"].endswith("error=access_denied")


def test_missing_code_is_a_failure(client, fake_op):
    params = start(client)
    response = client.get(CALLBACK, {"state": params["state"]})
    assert response["Location"].endswith("error=login_failed")


def test_disabled_user_message_reaches_the_failure_page(client, fake_op):
    UserFactory(sub="sub-1", is_active=False)
    params = start(client)
    provider_answers(fake_op, params)
    response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"] == "/api/v1.0/login-failure/?error=account_disabled"
    page = client.get(response["Location"])
    assert "Your account is disabled" in page.content.decode()


def test_token_answer_without_tokens(client, fake_op):
    params = start(client)
    fake_op.mocked.post(TOKEN_URL, body=json.dumps({"token_type": "Bearer"}), content_type="application/json")
    response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"].endswith("error=provider_error")


def test_failure_url_setting_is_honoured(client, fake_op, settings):
    settings.LOGIN_REDIRECT_URL_FAILURE = "https://front.example.fr/login?from=people"
    params = start(client)
    response = client.get(CALLBACK, {"error": "access_denied", "state": params["state"]})
    assert response["Location"] == "https://front.example.fr/login?from=people&error=access_denied"


def test_client_secret_basic_when_configured(client, fake_op, settings):
    settings.OIDC_TOKEN_USE_BASIC_AUTH = True
    params = start(client)
    provider_answers(fake_op, params)
    client.get(CALLBACK, {"code": "c", "state": params["state"]})
    exchange = next(call.request for call in fake_op.mocked.calls if call.request.url == TOKEN_URL)
    assert exchange.headers["Authorization"].startswith("Basic ")
    assert "client_secret" not in parse_qs(exchange.body)
    assert User.objects.filter(sub="sub-1").exists()


@pytest.fixture
def onboarding(settings):
    settings.JOBS_MODE = "eager"
    settings.ONBOARDING_BACKEND = "http"
    settings.ONBOARDING_API_URL = ONBOARDING_API
    settings.ONBOARDING_API_KEY = "api-key"
    settings.ONBOARDING_LIST_ID = 3
    return settings


def rows() -> dict[str, int]:
    models = (User, Organization, Contact, Invitation, TeamAccess, OutboxMessage, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_missing_essential_claim_explains_and_creates_nothing(
    client, fake_op, onboarding, django_capture_on_commit_callbacks
):
    onboarding.OIDC_USERINFO_ESSENTIAL_CLAIMS = ["email", "given_name", "usual_name"]
    onboarding.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = "siret"
    InvitationFactory(email="ana@example.fr")  # would become an access if the account were made
    before = rows()
    params = start(client)
    provider_answers(fake_op, params, userinfo={"sub": "sub-1", "email": "ana@example.fr", "given_name": "Ana", "usual_name": " ", "siret": SIRET})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"] == "/api/v1.0/login-failure/?error=missing_claims"
    assert rows() == before
    assert not callbacks
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "did not give the following information: usual_name." in page.content.decode()


def test_onboarding_failure_never_blocks_the_sign_in(client, fake_op, onboarding, django_capture_on_commit_callbacks):
    fake_op.mocked.post(ONBOARDING_API, status=503)
    params = start(client)
    provider_answers(fake_op, params)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(CALLBACK, {"code": "c", "state": params["state"]})
    assert response["Location"] == "/"
    assert client.get("/api/v1.0/users/me/").json()["email"] == "ana@example.fr"
    sent = [call.request for call in fake_op.mocked.calls if call.request.url == ONBOARDING_API]
    assert len(sent) == 1
    assert json.loads(sent[0].body)["email"] == "ana@example.fr"
    message = OutboxMessage.objects.get(kind="identity.onboarding")
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert "503" in message.last_error
    assert message.next_attempt_at > message.created_at
