"""The roles' rules, in one place, and the `mailboxes` abilities of `users/me/`."""

import pytest
from django.test import override_settings

from people.core import features
from people.identity.models import User
from people.mail import policies
from people.mail.models import Mailbox, MailDomainAccess, MailDomainRole
from tests.factories import MailDomainAccessFactory, UserFactory

OWNER, ADMIN, VIEWER = MailDomainRole.OWNER, MailDomainRole.ADMIN, MailDomainRole.VIEWER


@pytest.mark.parametrize(
    ("actor", "target", "owners", "expected"),
    [
        (OWNER, VIEWER, 1, ["administrator", "owner"]),
        (OWNER, ADMIN, 1, ["owner", "viewer"]),
        (OWNER, OWNER, 2, ["administrator", "viewer"]),
        (OWNER, OWNER, 1, []),  # the last owner
        (ADMIN, VIEWER, 1, ["administrator"]),
        (ADMIN, ADMIN, 1, ["viewer"]),
        (ADMIN, OWNER, 2, []),
        (VIEWER, VIEWER, 1, []),
        (None, VIEWER, 1, []),
    ],
)
def test_roles_one_may_set(actor, target, owners, expected):
    access = MailDomainAccess(role=target)
    assert policies.access_set_role_to(actor_role=actor, access=access, owner_count=owners) == expected
    abilities = policies.access_abilities(actor_role=actor, access=access, owner_count=owners)
    assert abilities["patch"] == abilities["put"] == bool(expected)


@pytest.mark.parametrize(
    ("actor", "target", "owners", "expected"),
    [(OWNER, OWNER, 2, True), (OWNER, OWNER, 1, False), (ADMIN, OWNER, 2, False), (ADMIN, ADMIN, 1, True),
     (ADMIN, VIEWER, 1, True), (VIEWER, VIEWER, 1, False)],
)
def test_who_removes_an_access(actor, target, owners, expected):
    assert policies.access_can_delete(actor_role=actor, access=MailDomainAccess(role=target), owner_count=owners) is expected


def test_nobody_grants_above_their_role():
    assert policies.role_can_grant(actor_role=ADMIN, role=OWNER) is False
    assert policies.role_can_grant(actor_role=ADMIN, role=ADMIN) is True
    assert policies.role_can_grant(actor_role=VIEWER, role=VIEWER) is False
    assert policies.role_can_grant(actor_role=OWNER, role=OWNER) is True


def test_own_mailbox_is_matched_by_email_whatever_the_case():
    user = UserFactory.build(email="Jean.Dupont@Ville.fr")
    own, other = Mailbox(local_part="jean.dupont"), Mailbox(local_part="marie")
    assert policies.mailbox_can_update(role=VIEWER, user=user, mailbox=own, domain_name="ville.fr")
    assert not policies.mailbox_can_update(role=VIEWER, user=user, mailbox=other, domain_name="ville.fr")
    assert not policies.mailbox_can_update(role=None, user=user, mailbox=own, domain_name="ville.fr")
    assert policies.mailbox_can_update(role=ADMIN, user=user, mailbox=other, domain_name="ville.fr")


ALL_ON = {"CONTACTS_DISPLAY": True, "CONTACTS_CREATE": True, "MAILBOXES_CREATE": True, "TEAMS_DISPLAY": True,
          "TEAMS_CREATE": True}


@pytest.mark.django_db
@pytest.mark.parametrize("switch", [True, False])
def test_users_me_shows_mailboxes_to_users_with_a_domain(client_for, switch):
    with override_settings(FEATURES={**ALL_ON, "MAILBOXES_CREATE": switch}):
        nobody = client_for(UserFactory()).get("/api/v1.0/users/me/").json()["abilities"]["mailboxes"]
        access = MailDomainAccessFactory(role=VIEWER)
        me = client_for(access.user).get("/api/v1.0/users/me/").json()["abilities"]["mailboxes"]
        config = client_for(access.user).get("/api/v1.0/config/").json()["FEATURES"]["MAILBOXES_CREATE"]
    assert nobody == {"can_view": False, "can_create": False}
    assert me == {"can_view": True, "can_create": switch}
    assert config is switch


@pytest.mark.django_db
def test_nothing_is_announced_while_the_mail_app_is_not_served(client_for, monkeypatch):
    monkeypatch.setitem(features.SERVED_BY, "MAILBOXES_CREATE", "people.absent")
    access = MailDomainAccessFactory(role=OWNER)
    with override_settings(FEATURES=ALL_ON):
        me = client_for(access.user).get("/api/v1.0/users/me/").json()["abilities"]["mailboxes"]
    assert me == {"can_view": True, "can_create": False}


@pytest.mark.django_db
@pytest.mark.parametrize("has_domain", [True, False])
def test_users_me_reads_the_mail_role_with_the_session_s_user(client_for, django_assert_num_queries, has_domain):
    """The session and its user, whose query also tells whether they have a role on a mail
    domain: no query of its own for the `mailboxes` ability."""
    user = MailDomainAccessFactory(role=VIEWER).user if has_domain else UserFactory()
    client = client_for(user)
    with override_settings(FEATURES=ALL_ON), django_assert_num_queries(2):
        mailboxes = client.get("/api/v1.0/users/me/").json()["abilities"]["mailboxes"]
    assert mailboxes["can_view"] is has_domain


@pytest.mark.django_db
def test_a_user_read_elsewhere_is_asked_for_the_role():
    """A user not read as the session's (a factory's, an admin's) has no annotation: the
    ability asks the database."""
    access = MailDomainAccessFactory(role=VIEWER)
    user = User.objects.get(pk=access.user.pk)
    assert not hasattr(user, "has_mail_domain_access")
    assert policies.user_mailbox_abilities(user=user)["can_view"] is True
    assert policies.user_mailbox_abilities(user=UserFactory())["can_view"] is False
