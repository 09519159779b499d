"""Who manages a domain: giving a role to a person found by search (among the roles one may
grant), changing a role, removing one (the last owner stays, with the reason), and invitations."""

import pytest

from people.core.models import OutboxMessage
from people.mail import provisioning
from people.mail.models import MailDomainAccess, MailDomainInvitation, MailDomainRole
from people.mail.tests.web.helpers import audit_entries, page, part
from tests import factories

pytestmark = pytest.mark.django_db


def access_of(crew, user) -> MailDomainAccess:
    return MailDomainAccess.objects.get(domain=crew.domain, user=user)


def test_an_administrator_finds_a_colleague_and_gives_a_role_up_to_their_own(client, crew):
    client.force_login(crew.admin)
    body = client.get(page("access-add", crew.domain), {"q": crew.outsider.email}).content.decode()
    row = part(body, f"candidate-{crew.outsider.pk}", "</tr>")
    assert '<option value="administrator">' in row
    assert '<option value="owner">' not in row
    assert f'id="candidate-{crew.viewer.pk}"' not in body  # already has a role
    response = client.post(page("access-add", crew.domain), {"user": str(crew.outsider.pk), "role": "administrator"})
    assert response.status_code == 302
    assert access_of(crew, crew.outsider).role == MailDomainRole.ADMIN


def test_a_forged_owner_role_is_the_services_refusal(client, crew):
    client.force_login(crew.admin)
    response = client.post(page("access-add", crew.domain), {"user": str(crew.outsider.pk), "role": "owner"})
    assert response.status_code == 403
    assert "Only owners of a domain can assign other users as owners." in response.content.decode()
    assert not MailDomainAccess.objects.filter(user=crew.outsider).exists()


def test_a_malformed_add_changes_nothing(client, crew):
    client.force_login(crew.admin)
    before = (MailDomainAccess.objects.count(), audit_entries())
    response = client.post(page("access-add", crew.domain), {"user": "nope", "role": "king"})
    assert response.status_code == 400
    assert "Choose a person and one of the roles offered." in response.content.decode()
    assert (MailDomainAccess.objects.count(), audit_entries()) == before


def test_a_viewer_sees_the_accesses_without_controls(client, crew):
    client.force_login(crew.viewer)
    body = client.get(page("accesses", crew.domain)).content.decode()
    assert f'id="access-{access_of(crew, crew.owner).pk}"' in body
    assert 'id="access-add-link"' not in body
    assert "<select" not in body
    assert client.get(page("access-add", crew.domain)).status_code == 403


def test_changing_a_role(client, crew):
    access = access_of(crew, crew.viewer)
    client.force_login(crew.owner)
    response = client.post(page("accesses", crew.domain), {"action": "role", "access": str(access.pk), "role": "owner"})
    assert response.status_code == 302
    access.refresh_from_db()
    assert access.role == MailDomainRole.OWNER


def test_the_last_owner_stays_and_reads_why(client, crew):
    access = access_of(crew, crew.owner)
    client.force_login(crew.owner)
    before = audit_entries()
    response = client.post(page("accesses", crew.domain), {"action": "role", "access": str(access.pk), "role": "viewer"})
    assert response.status_code == 400
    assert "A mail domain must keep at least one owner: add another owner first." in part(response.content.decode(), "messages", "</div>")
    response = client.post(page("accesses", crew.domain), {"action": "remove", "id": str(access.pk)})
    assert response.status_code == 400
    access.refresh_from_db()
    assert access.role == MailDomainRole.OWNER
    assert audit_entries() == before


def test_removing_an_access(client, crew):
    access = access_of(crew, crew.viewer)
    client.force_login(crew.admin)
    confirm = client.get(page("access-remove", crew.domain, access.pk)).content.decode()
    assert "They will no longer see the domain" in confirm
    response = client.post(page("accesses", crew.domain), {"action": "remove", "id": str(access.pk)})
    assert response.status_code == 302
    assert not MailDomainAccess.objects.filter(pk=access.pk).exists()


def test_an_administrator_may_not_remove_an_owner(client, crew):
    access = access_of(crew, crew.owner)
    client.force_login(crew.admin)
    assert client.get(page("access-remove", crew.domain, access.pk)).status_code == 403
    assert client.post(page("accesses", crew.domain), {"action": "remove", "id": str(access.pk)}).status_code == 403
    assert MailDomainAccess.objects.filter(pk=access.pk).exists()


def test_inviting_refreshing_and_cancelling(client, crew):
    client.force_login(crew.admin)
    response = client.post(page("invitations", crew.domain), {"email": "Nouveau@Ville.fr", "role": "viewer"})
    assert response.status_code == 302
    invitation = MailDomainInvitation.objects.get(domain=crew.domain)
    assert invitation.email == "nouveau@ville.fr"
    assert invitation.email_outbox.kind == provisioning.INVITATION_EMAIL
    assert f'id="invitation-{invitation.pk}"' in client.get(response.url).content.decode()
    client.post(page("invitations", crew.domain), {"action": "resend", "id": str(invitation.pk)})
    assert OutboxMessage.objects.filter(kind=provisioning.INVITATION_EMAIL).count() == 2
    assert "Cancel the invitation to nouveau@ville.fr?" in client.get(page("invitation-cancel", crew.domain, invitation.pk)).content.decode()
    client.post(page("invitations", crew.domain), {"action": "cancel", "id": str(invitation.pk)})
    assert not MailDomainInvitation.objects.exists()


def test_an_invitation_to_a_known_address_gives_the_role_at_once(client, crew):
    client.force_login(crew.owner)
    response = client.post(page("invitations", crew.domain), {"email": crew.outsider.email, "role": "administrator"})
    assert response.status_code == 302
    assert access_of(crew, crew.outsider).role == MailDomainRole.ADMIN
    assert not MailDomainInvitation.objects.exists()


def test_a_bad_invitation_is_shown_and_sends_nothing(client, crew):
    factories.MailDomainInvitationFactory(domain=crew.domain, email="deja@ville.fr")
    client.force_login(crew.admin)
    before = (MailDomainInvitation.objects.count(), OutboxMessage.objects.count())
    response = client.post(page("invitations", crew.domain), {"email": "not-an-address", "role": "viewer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(page("invitations", crew.domain), {"email": "deja@ville.fr", "role": "viewer"})
    assert response.status_code == 400
    assert "already invited" in response.content.decode()
    assert (MailDomainInvitation.objects.count(), OutboxMessage.objects.count()) == before


def test_a_viewer_may_not_invite(client, crew):
    client.force_login(crew.viewer)
    assert 'id="invite-form"' not in client.get(page("invitations", crew.domain)).content.decode()
    assert client.post(page("invitations", crew.domain), {"email": "x@ville.fr"}).status_code == 403
    assert not MailDomainInvitation.objects.exists()
