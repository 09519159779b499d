"""`user_from_claims`: refusals, refresh of existing accounts, creation — all in one transaction."""

from __future__ import annotations

from unittest import mock

import pytest

from people.contacts.models import Contact
from people.core.models import AuditEntry, OutboxMessage
from people.identity.auth.errors import (
    AccountCreationDisabled,
    AccountDisabled,
    EmailTaken,
    MissingClaims,
)
from people.identity.models import Organization, User
from people.portal.signin import user_from_claims
from people.teams.models import Invitation, TeamAccess
from tests.factories import InvitationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

SIRET = "13002526500013"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = ["email"]
    settings.OIDC_USERINFO_FULLNAME_FIELDS = ["given_name", "usual_name"]
    settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = "siret"
    settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = True
    settings.OIDC_CREATE_USER = True
    settings.USER_EMAIL_UNIQUE = True
    settings.ONBOARDING_BACKEND = "none"


def claims(**values):
    return {"sub": "sub-1", "email": "jane.doe@ville.example.fr", "given_name": "Jane", "usual_name": "Doe", **values}


def test_creation_with_the_registration_id_organization():
    user = user_from_claims(claims=claims(siret=SIRET))
    assert (user.sub, user.email, user.name, user.short_name) == ("sub-1", "jane.doe@ville.example.fr", "Jane Doe", "Jane")
    assert user.organization.registration_id_list == [SIRET]
    assert not user.has_usable_password()
    assert not user.organization.accesses.exists()
    assert Contact.objects.filter(user=user).count() == 1
    assert AuditEntry.objects.filter(action="user.create", target_id=str(user.pk), audience="system").exists()


def test_creation_joins_the_existing_domain_organization():
    organization = OrganizationFactory(domain_list=["ville.example.fr"])
    user = user_from_claims(claims=claims())
    assert user.organization == organization
    assert Organization.objects.count() == 1


def test_creation_without_email_nor_registration_id_is_refused_and_creates_nothing(settings):
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = []
    audit_before = AuditEntry.objects.count()
    with pytest.raises(MissingClaims) as refused:
        user_from_claims(claims={"sub": "sub-1", "given_name": "Jane"})
    assert refused.value.missing == ["email", "siret"]
    assert (User.objects.count(), Organization.objects.count(), Contact.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.count() == audit_before


def test_creation_with_a_registration_id_and_no_email_has_its_organization(settings):
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = []
    user = user_from_claims(claims={"sub": "sub-1", "siret": SIRET})
    assert user.email is None
    assert user.organization.registration_id_list == [SIRET]


def test_existing_account_without_organization_gets_one_at_sign_in():
    user = UserFactory(sub="sub-1", email="jane.doe@ville.example.fr", organization=None)
    assert user_from_claims(claims=claims()) == user
    user.refresh_from_db()
    assert user.organization.domain_list == ["ville.example.fr"]
    entry = AuditEntry.objects.get(action="user.update", target_id=str(user.pk))
    assert entry.changes["organization"] == [None, str(user.organization.pk)]


def test_existing_account_without_organization_nor_claims_to_find_one_is_refused(settings):
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = []
    settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = None
    user = UserFactory(sub="sub-1", email=None, organization=None)
    with pytest.raises(MissingClaims) as refused:
        user_from_claims(claims={"sub": "sub-1"})
    assert refused.value.missing == ["email"]
    user.refresh_from_db()
    assert user.organization is None
    assert Organization.objects.count() == 0


def test_pending_invitations_become_accesses():
    invitation = InvitationFactory(email="jane.doe@ville.example.fr")
    user = user_from_claims(claims=claims())
    assert TeamAccess.objects.filter(user=user, team=invitation.team, role=invitation.role).exists()
    assert not Invitation.objects.filter(pk=invitation.pk).exists()


def test_missing_essential_claims_create_nothing():
    with pytest.raises(MissingClaims) as error:
        user_from_claims(claims={"sub": "sub-1", "given_name": "Jane"})
    assert error.value.missing == ["email"]
    assert not User.objects.exists()
    assert not Organization.objects.exists()


def test_creation_is_all_or_nothing():
    with mock.patch("people.portal.accounts.invitation_accept_pending", side_effect=RuntimeError("boom")), \
            pytest.raises(RuntimeError):
        user_from_claims(claims=claims(siret=SIRET))
    assert not User.objects.exists()
    assert not Organization.objects.exists()
    assert not Contact.objects.exists()
    assert not AuditEntry.objects.exists()


def test_creation_disabled(settings):
    settings.OIDC_CREATE_USER = False
    with pytest.raises(AccountCreationDisabled):
        user_from_claims(claims=claims())
    assert not User.objects.exists()


def test_email_of_another_account_without_fallback(settings):
    settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = False
    UserFactory(sub="other", email="jane.doe@ville.example.fr")
    with pytest.raises(EmailTaken):
        user_from_claims(claims=claims())
    assert User.objects.count() == 1


def test_disabled_account_is_refused_and_unchanged():
    user = UserFactory(sub="sub-1", email="old@example.fr", name="Old", is_active=False)
    with pytest.raises(AccountDisabled):
        user_from_claims(claims=claims())
    user.refresh_from_db()
    assert (user.email, user.name) == ("old@example.fr", "Old")
    assert User.objects.count() == 1


def test_existing_account_follows_the_claims():
    user = UserFactory(sub="sub-1", email="old@example.fr", name="Jane Smith")
    assert user_from_claims(claims=claims()) == user
    user.refresh_from_db()
    assert (user.email, user.name) == ("jane.doe@ville.example.fr", "Jane Doe")
    entry = AuditEntry.objects.get(action="user.update", target_id=str(user.pk))
    assert entry.changes["email"] == ["old@example.fr", "jane.doe@ville.example.fr"]


def test_unchanged_account_writes_nothing():
    UserFactory(sub="sub-1", email="jane.doe@ville.example.fr", name="Jane Doe", short_name="Jane")
    user_from_claims(claims=claims())
    before = AuditEntry.objects.count()
    user_from_claims(claims=claims())
    assert AuditEntry.objects.count() == before


def test_email_owned_by_another_account_is_not_taken_over():
    UserFactory(sub="other", email="jane.doe@ville.example.fr")
    user = UserFactory(sub="sub-1", email="jane@old.example.fr")
    assert user_from_claims(claims=claims()) == user
    user.refresh_from_db()
    assert user.email == "jane@old.example.fr"


def test_match_by_email_rebinds_the_sub():
    user = UserFactory(sub="random-at-each-login", email="jane.doe@ville.example.fr")
    assert user_from_claims(claims=claims(sub="sub-2")) == user
    user.refresh_from_db()
    assert user.sub == "sub-2"
    entry = AuditEntry.objects.get(action="user.sub_rebind", target_id=str(user.pk))
    assert entry.changes == {"sub": ["random-at-each-login", "sub-2"]}


def test_onboarding_is_queued_for_new_accounts_only(settings):
    settings.ONBOARDING_BACKEND = "http"
    settings.ONBOARDING_API_URL = "https://mailing.example.test/contacts"
    settings.ONBOARDING_API_KEY = "key"
    user = user_from_claims(claims=claims())
    message = OutboxMessage.objects.get(kind="identity.onboarding")
    assert message.payload == {"user_id": str(user.pk)}
    user_from_claims(claims=claims())
    assert OutboxMessage.objects.filter(kind="identity.onboarding").count() == 1


def test_no_onboarding_message_without_backend():
    user_from_claims(claims=claims())
    assert not OutboxMessage.objects.filter(kind="identity.onboarding").exists()


def test_query_count_of_a_returning_user(django_assert_max_num_queries):
    user_from_claims(claims=claims(siret=SIRET))
    with django_assert_max_num_queries(8):
        user_from_claims(claims=claims(siret=SIRET))
