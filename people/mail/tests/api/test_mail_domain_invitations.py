"""/api/v1.0/mail-domains/{slug}/invitations/: addresses invited to manage a domain, with the
team invitations' validity and refresh, an e-mail through the outbox, and an access at once
for an address that is already a user's."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from people.mail.models import MailDomainAccess, MailDomainInvitation, MailDomainRole
from tests.factories import MailDomainInvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def url(crew, rest=""):
    return crew.url(f"invitations/{rest}")


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_invite_and_an_email_goes(client_for, crew, jobs, role):
    with jobs():
        response = client_for(crew.user(role)).post(url(crew), {"email": "Guest@Example.FR", "role": "viewer"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["email"], body["role"], body["domain"], body["is_expired"]) == (
        "guest@example.fr", "viewer", str(crew.domain.pk), False,
    )
    assert body["issuer"] == str(crew.user(role).pk)
    assert body["delivery"]["state"] == "pending"  # as written; sent right after
    [message] = mail.outbox
    assert message.to == ["guest@example.fr"]
    assert crew.domain.name in message.subject
    assert crew.domain.name in message.body
    assert message.alternatives[0][1] == "text/html"
    invitation = MailDomainInvitation.objects.get()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    shown = client_for(crew.viewer).get(url(crew, f"{invitation.pk}/")).json()
    assert shown["delivery"]["state"] == "sent"


def test_viewer_403_no_role_404(client_for, crew):
    assert client_for(crew.viewer).post(url(crew), {"email": "g@example.fr"}, format="json").status_code == 403
    assert client_for(crew.outsider).post(url(crew), {"email": "g@example.fr"}, format="json").status_code == 404
    assert client_for(crew.outsider).get(url(crew)).status_code == 404
    assert not MailDomainInvitation.objects.exists()


def test_nobody_invites_above_their_role(client_for, crew):
    response = client_for(crew.admin).post(url(crew), {"email": "g@example.fr", "role": "owner"}, format="json")
    assert response.status_code == 403
    assert not MailDomainInvitation.objects.exists()


def test_an_address_of_a_user_gets_the_access_at_once(client_for, crew):
    response = client_for(crew.owner).post(
        url(crew), {"email": crew.outsider.email.upper(), "role": "administrator"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["detail"] == "Email already known. Invitation not sent but access created instead."
    assert body["role"] == "administrator"
    assert MailDomainAccess.objects.get(domain=crew.domain, user=crew.outsider).role == MailDomainRole.ADMIN
    assert not MailDomainInvitation.objects.exists()


def test_one_pending_invitation_per_address_an_expired_one_is_replaced(client_for, crew):
    client = client_for(crew.owner)
    assert client.post(url(crew), {"email": "g@example.fr"}, format="json").status_code == 201
    response = client.post(url(crew), {"email": "g@example.fr"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "already_invited")
    with freeze_time(timezone.now() + timedelta(days=8)):
        assert client.post(url(crew), {"email": "g@example.fr"}, format="json").status_code == 201
    assert MailDomainInvitation.objects.count() == 1


def test_list_retrieve_and_delete(client_for, crew):
    invitation = MailDomainInvitationFactory(domain=crew.domain)
    expired = MailDomainInvitationFactory(domain=crew.domain, expires_at=timezone.now() - timedelta(days=1))
    rows = client_for(crew.viewer).get(url(crew)).json()["results"]
    assert {row["id"]: row["is_expired"] for row in rows} == {str(invitation.pk): False, str(expired.pk): True}
    assert client_for(crew.viewer).delete(url(crew, f"{invitation.pk}/")).status_code == 403
    assert client_for(crew.admin).delete(url(crew, f"{invitation.pk}/")).status_code == 204
    assert not MailDomainInvitation.objects.filter(pk=invitation.pk).exists()
    for method in ("put", "patch"):
        assert getattr(client_for(crew.owner), method)(url(crew, f"{expired.pk}/"), {}, format="json").status_code == 405


def test_refresh_extends_and_sends_again(client_for, crew, jobs):
    invitation = MailDomainInvitationFactory(domain=crew.domain, expires_at=timezone.now() - timedelta(days=1))
    with jobs():
        response = client_for(crew.admin).post(url(crew, f"{invitation.pk}/refresh/"))
    assert response.status_code == 200
    assert response.json()["is_expired"] is False
    invitation.refresh_from_db()
    assert not invitation.is_expired  # saved, not only answered
    assert [m.to for m in mail.outbox] == [[invitation.email]]
    assert client_for(crew.viewer).post(url(crew, f"{invitation.pk}/refresh/")).status_code == 403


def test_refresh_of_an_address_become_a_user_gives_the_access(client_for, crew):
    invitation = MailDomainInvitationFactory(domain=crew.domain, role=MailDomainRole.ADMIN)
    user = UserFactory(email=invitation.email)
    response = client_for(crew.owner).post(url(crew, f"{invitation.pk}/refresh/"))
    assert response.status_code == 201
    assert MailDomainAccess.objects.get(domain=crew.domain, user=user).role == MailDomainRole.ADMIN
    assert not MailDomainInvitation.objects.exists()


def test_an_invitation_of_another_domain_is_404(client_for, crew):
    elsewhere = MailDomainInvitationFactory()
    assert client_for(crew.owner).post(url(crew, f"{elsewhere.pk}/refresh/")).status_code == 404
    assert client_for(crew.owner).delete(url(crew, f"{elsewhere.pk}/")).status_code == 404
