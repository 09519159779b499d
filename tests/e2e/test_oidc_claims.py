"""Essential claims and the name built from claims, through the real provider."""

from __future__ import annotations

import pytest
import requests

from people.contacts.models import Contact
from people.core.models import AuditEntry, OutboxMessage
from people.identity.models import Organization, User
from people.teams.models import TeamAccess
from tests.factories import InvitationFactory
from tests.peers.oidc.fixtures import SIRET

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]

ESSENTIAL = ["email", "given_name", "usual_name"]


def _rows() -> dict[str, int]:
    models = (User, Organization, Contact, TeamAccess, OutboxMessage, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def test_missing_essential_claim_is_refused_with_a_clear_message(people_oidc):
    people_oidc.use(
        "people", OIDC_USERINFO_ESSENTIAL_CLAIMS=ESSENTIAL, OIDC_ORGANIZATION_REGISTRATION_ID_FIELD="siret",
        # A created account would be onboarded through the outbox: nothing may be queued.
        ONBOARDING_BACKEND="http", ONBOARDING_API_URL="http://127.0.0.1:9/contacts", ONBOARDING_API_KEY="k",
    )
    InvitationFactory(email="partial@new-domain.example.fr")
    before = _rows()
    login = people_oidc.new_account(email="partial@new-domain.example.fr", given_name="Pat", siret=SIRET)
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        assert result.location == "/api/v1.0/login-failure/?error=missing_claims"
        page = http.get(people_oidc.url(result.location), timeout=10)
        assert people_oidc.me(http).status_code in (401, 403)
    assert page.status_code == 200
    assert "did not give the following information: usual_name" in page.text
    assert not User.objects.filter(sub=login).exists()
    assert not Organization.objects.filter(registration_id_list=[SIRET]).exists()
    assert _rows() == before


def test_existing_user_gets_name_and_email_updates(people_oidc):
    people_oidc.use("people", OIDC_USERINFO_ESSENTIAL_CLAIMS=ESSENTIAL)
    login = people_oidc.new_account(email="first@example.fr", given_name="Ann", usual_name="Old")
    with requests.Session() as http:
        people_oidc.sign_in(http, login)
    people_oidc.provider.put_account(login, {"email": "second@example.fr", "given_name": "Ann", "usual_name": "New"})
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location == "/"
    user = User.objects.get(sub=login)
    assert (user.email, user.name) == ("second@example.fr", "Ann New")
    contact = Contact.objects.get(user=user)
    assert contact.full_name == "Ann New"
    assert {"type": "Work", "value": "second@example.fr"} in contact.data["emails"]


def test_full_name_fields_are_configurable(people_oidc):
    people_oidc.use("people", OIDC_USERINFO_FULLNAME_FIELDS=["usual_name", "given_name"])
    login = people_oidc.new_account(email="order@example.fr", given_name="Jean", usual_name="Moulin")
    with requests.Session() as http:
        people_oidc.sign_in(http, login)
    assert User.objects.get(sub=login).name == "Moulin Jean"
