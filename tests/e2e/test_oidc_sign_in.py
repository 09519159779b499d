"""Sign-in through the real OpenID provider: account creation, organization, name, redirects."""

from __future__ import annotations

import pytest
import requests

from people.contacts.models import Contact
from people.core.models import AuditEntry
from people.identity.models import Organization, User
from people.teams.models import Invitation, TeamAccess, TeamRole
from tests.factories import InvitationFactory, TeamFactory
from tests.peers.oidc.fixtures import SIRET

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_creates_the_account_in_the_siret_organization(people_oidc):
    people_oidc.use("people", OIDC_ORGANIZATION_REGISTRATION_ID_FIELD="siret",
                    OIDC_USERINFO_ESSENTIAL_CLAIMS=["email", "given_name", "usual_name"])
    login = people_oidc.new_account(
        email="Camille.Dupont@Mairie.example.fr", given_name="Camille", usual_name="Dupont", siret=SIRET
    )
    with requests.Session() as http:
        result = people_oidc.sign_in(http, login)
        assert result.response.status_code == 302
        assert result.location == "/"
        me = people_oidc.me(http)
    assert me.status_code == 200, me.text
    assert me.json()["email"] == "camille.dupont@mairie.example.fr"

    user = User.objects.get(sub=login)
    assert user.name == "Camille Dupont"
    assert user.short_name == "Camille"
    assert user.organization.registration_id_list == [SIRET]
    assert user.organization.name == SIRET
    assert not user.organization.accesses.exists()
    assert Contact.objects.filter(user=user, owner=user).count() == 1
    assert AuditEntry.objects.filter(action="user.create", target_id=str(user.pk)).exists()


def test_organization_from_the_email_domain_without_registration_id(people_oidc):
    people_oidc.use("people", OIDC_ORGANIZATION_REGISTRATION_ID_FIELD="siret")
    login = people_oidc.new_account(email="leo@commune-exemple.fr", given_name="", usual_name="")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location == "/"
    user = User.objects.get(sub=login)
    assert user.name == "leo"
    assert user.organization.domain_list == ["commune-exemple.fr"]
    assert Organization.objects.filter(domain_list=["commune-exemple.fr"]).count() == 1


def test_pending_invitations_become_accesses(people_oidc):
    team = TeamFactory()
    InvitationFactory(team=team, email="invited@example.fr", role=TeamRole.ADMIN)
    login = people_oidc.new_account(email="Invited@example.fr", given_name="In", usual_name="Vited")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login).location == "/"
    access = TeamAccess.objects.get(user__sub=login)
    assert (access.team, access.role) == (team, TeamRole.ADMIN)
    assert not Invitation.objects.filter(email="invited@example.fr").exists()


def test_next_url_is_kept_only_for_allowed_hosts(people_oidc):
    login = people_oidc.new_account(email="next@example.fr", given_name="N", usual_name="X")
    with requests.Session() as http:
        assert people_oidc.sign_in(http, login, query="?next=/teams/42/").location == "/teams/42/"
    for unsafe in ("https://evil.example.com/", "//evil.example.com/", "/%5Cevil.example.com/", "javascript:alert(1)"):
        with requests.Session() as http:
            assert people_oidc.sign_in(http, login, query=f"?next={unsafe}").location == "/", unsafe
