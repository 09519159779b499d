"""A domain's mailboxes: creating one (saved pending, its login link to the secondary
address), a pending or failed one saying why, disabling and enabling, sending the login link
again, resetting the password, and editing (viewers: their own only)."""

import pytest

from people.core.models import OutboxMessage
from people.mail import provisioning
from people.mail.messages import failure
from people.mail.models import Mailbox, MailboxStatus, MailDomain, MailDomainStatus
from people.mail.tests.web.helpers import audit_entries, page, part
from tests import factories

pytestmark = pytest.mark.django_db

NEW = {"first_name": "Inès", "last_name": "Durand", "local_part": "ines.durand", "secondary_email": "ines@perso.example.net"}


def test_an_administrator_creates_a_mailbox_that_is_pending(client, crew):
    client.force_login(crew.admin)
    form = client.get(page("mailbox-create", crew.domain)).content.decode()
    assert "a one-time login link is sent to the secondary e-mail address" in part(form, "mailbox-create-help", "</p>")
    response = client.post(page("mailbox-create", crew.domain), NEW)
    assert response.status_code == 302
    mailbox = Mailbox.objects.get(domain=crew.domain, local_part="ines.durand")
    assert mailbox.status == MailboxStatus.PENDING
    assert mailbox.operation.kind == provisioning.MAILBOX_SYNC
    body = client.get(response.url).content.decode()
    assert f"Its one-time login link will be sent to {NEW['secondary_email']}." in part(body, "messages", "</div>")
    row = part(body, f"mailbox-{mailbox.pk}", "</tr>")
    assert "Pending" in row
    assert "Being provisioned on the mail platform." in row


def test_on_a_domain_not_ready_the_mailbox_waits_and_says_so(client, crew):
    MailDomain.objects.filter(pk=crew.domain.pk).update(status=MailDomainStatus.PENDING)
    client.force_login(crew.owner)
    client.post(page("mailbox-create", crew.domain), NEW)
    mailbox = Mailbox.objects.get(local_part="ines.durand")
    body = client.get(page("detail", crew.domain)).content.decode()
    assert "Waiting for the domain to be ready on the mail platform." in part(body, f"mailbox-{mailbox.pk}", "</tr>")


def test_bad_input_is_shown_on_the_form_and_nothing_is_created(client, crew):
    client.force_login(crew.admin)
    before = (Mailbox.objects.count(), OutboxMessage.objects.count(), audit_entries())
    response = client.post(page("mailbox-create", crew.domain), {**NEW, "local_part": "Inès Durand", "secondary_email": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Lower case letters, digits, dots, hyphens and underscores." in body
    assert 'aria-invalid="true"' in body
    assert (Mailbox.objects.count(), OutboxMessage.objects.count(), audit_entries()) == before


def test_a_taken_address_is_refused_next_to_its_field(client, crew):
    factories.MailboxFactory(domain=crew.domain, local_part="ines.durand")
    client.force_login(crew.admin)
    response = client.post(page("mailbox-create", crew.domain), NEW)
    assert response.status_code == 400
    assert "A mailbox with this address already exists." in response.content.decode()
    assert Mailbox.objects.filter(local_part="ines.durand").count() == 1


def test_a_viewer_may_not_create_a_mailbox(client, crew):
    client.force_login(crew.viewer)
    assert 'id="mailbox-create-link"' not in client.get(page("detail", crew.domain)).content.decode()
    assert client.get(page("mailbox-create", crew.domain)).status_code == 403
    assert client.post(page("mailbox-create", crew.domain), NEW).status_code == 403
    assert not Mailbox.objects.filter(local_part="ines.durand").exists()


def test_a_failed_mailbox_says_why(client, crew):
    mailbox = factories.MailboxFactory(
        domain=crew.domain, status=MailboxStatus.FAILED, provisioned=False,
        failure=failure("display_name_taken", address=f"other@{crew.domain.name}"),
    )
    client.force_login(crew.viewer)
    row = part(client.get(page("detail", crew.domain)).content.decode(), f"mailbox-{mailbox.pk}", "</tr>")
    assert "Failed" in row
    assert f"already those of other@{crew.domain.name} in this domain" in row


def test_the_mailboxes_are_searched(client, crew):
    found = factories.MailboxFactory(domain=crew.domain, first_name="Zoé", last_name="Lambert")
    other = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.viewer)
    body = client.get(page("detail", crew.domain), {"q": "zoe lamb"}).content.decode()
    assert f'id="mailbox-{found.pk}"' in body
    assert f'id="mailbox-{other.pk}"' not in body


@pytest.mark.parametrize(
    ("action", "kind"),
    [("login_link", provisioning.MAILBOX_LINK_EMAIL), ("reset_password", provisioning.MAILBOX_PASSWORD_RESET)],
)
def test_links_and_resets_are_queued_for_the_secondary_address(client, crew, action, kind):
    mailbox = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.admin)
    response = client.post(page("detail", crew.domain), {"action": action, "id": str(mailbox.pk)})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind=kind).count() == 1
    assert "secondary e-mail address" in part(client.get(response.url).content.decode(), "messages", "</div>")


def test_a_login_link_without_a_secondary_address_is_refused_with_the_reason(client, crew):
    mailbox = factories.MailboxFactory(domain=crew.domain, secondary_email=None)
    client.force_login(crew.admin)
    before = OutboxMessage.objects.count()
    response = client.post(page("detail", crew.domain), {"action": "login_link", "id": str(mailbox.pk)})
    assert response.status_code == 400
    assert "requires a secondary email address" in part(response.content.decode(), "messages", "</div>")
    assert OutboxMessage.objects.count() == before


def test_disabling_then_enabling(client, crew):
    mailbox = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.owner)
    confirm = client.get(page("mailbox-confirm", crew.domain, mailbox.pk, "disable")).content.decode()
    assert f"Disable the mailbox {mailbox.local_part}@{crew.domain.name}?" in confirm
    client.post(page("detail", crew.domain), {"action": "disable", "id": str(mailbox.pk)})
    mailbox.refresh_from_db()
    assert (mailbox.active, mailbox.status) == (False, MailboxStatus.PENDING)
    row = part(client.get(page("detail", crew.domain)).content.decode(), f"mailbox-{mailbox.pk}", "</tr>")
    assert f'id="enable-{mailbox.pk}"' in row
    client.post(page("detail", crew.domain), {"action": "enable", "id": str(mailbox.pk)})
    mailbox.refresh_from_db()
    assert mailbox.active is True


def test_a_viewer_may_not_disable_a_mailbox(client, crew):
    mailbox = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.viewer)
    row = part(client.get(page("detail", crew.domain)).content.decode(), f"mailbox-{mailbox.pk}", "</tr>")
    assert "disable" not in row
    assert client.get(page("mailbox-confirm", crew.domain, mailbox.pk, "disable")).status_code == 403
    response = client.post(page("detail", crew.domain), {"action": "disable", "id": str(mailbox.pk)})
    assert response.status_code == 403
    mailbox.refresh_from_db()
    assert mailbox.active is True


def test_an_unknown_confirmation_is_the_404_page(client, crew):
    mailbox = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.owner)
    assert client.get(page("mailbox-confirm", crew.domain, mailbox.pk, "explode")).status_code == 404


def test_a_mailbox_of_another_domain_is_the_404_page(client, crew):
    elsewhere = factories.MailboxFactory()
    client.force_login(crew.owner)
    response = client.post(page("detail", crew.domain), {"action": "disable", "id": str(elsewhere.pk)})
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.active is True


def test_a_malformed_mailbox_id_changes_nothing(client, crew):
    client.force_login(crew.owner)
    before = audit_entries()
    response = client.post(page("detail", crew.domain), {"action": "disable", "id": "nope"})
    assert response.status_code == 400
    assert "Choose a mailbox of the domain." in response.content.decode()
    assert audit_entries() == before


def test_a_viewer_edits_their_own_mailbox_only(client, crew):
    own = factories.MailboxFactory(domain=crew.domain, local_part=crew.viewer.email.split("@")[0])
    crew.viewer.email = f"{own.local_part}@{crew.domain.name}"
    crew.viewer.save()
    other = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.viewer)
    body = client.get(page("detail", crew.domain)).content.decode()
    assert page("mailbox-edit", crew.domain, own.pk) in part(body, f"mailbox-{own.pk}", "</tr>")
    assert page("mailbox-edit", crew.domain, other.pk) not in body
    response = client.post(page("mailbox-edit", crew.domain, own.pk), {"first_name": "Jo", "last_name": "Own", "secondary_email": "jo@perso.example.net"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.first_name, own.secondary_email) == ("Jo", "jo@perso.example.net")
    response = client.post(page("mailbox-edit", crew.domain, other.pk), {"first_name": "X", "last_name": "Y", "secondary_email": "x@y.fr"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.first_name != "X"


def test_a_bad_edit_is_shown_and_changes_nothing(client, crew):
    mailbox = factories.MailboxFactory(domain=crew.domain)
    client.force_login(crew.admin)
    response = client.post(page("mailbox-edit", crew.domain, mailbox.pk), {"first_name": "", "last_name": "Y", "secondary_email": "x"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    mailbox.refresh_from_db()
    assert mailbox.last_name != "Y"


def test_with_the_creation_switched_off_no_mailbox_is_created(client, crew, settings):
    settings.FEATURES = {**settings.FEATURES, "MAILBOXES_CREATE": False}
    client.force_login(crew.owner)
    assert 'id="mailbox-create-link"' not in client.get(page("detail", crew.domain)).content.decode()
    assert client.get(page("mailbox-create", crew.domain)).status_code == 403
    response = client.post(page("mailbox-create", crew.domain), NEW)
    assert response.status_code == 403
    assert "Creating mailboxes is switched off on this service." in response.content.decode()
    assert not Mailbox.objects.filter(local_part="ines.durand").exists()


def test_the_search_as_one_types_swaps_the_table_only(client, crew):
    found = factories.MailboxFactory(domain=crew.domain, first_name="Zoé")
    client.force_login(crew.viewer)
    response = client.get(page("detail", crew.domain), {"q": "zoe"}, headers={"HX-Request": "true", "HX-Target": "results"})
    body = response.content.decode()
    assert f'id="mailbox-{found.pk}"' in body
    assert "<html" not in body
    assert 'id="domain-state"' not in body
