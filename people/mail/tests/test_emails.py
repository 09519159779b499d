"""The mail app's e-mails: HTML and text, in the reader's language, escaped, never a password;
sent through the outbox, so a mail server down is retried (with a new one-time link)."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from freezegun import freeze_time

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.mail import emails, provisioning
from people.mail.models import MailDomainStatus
from tests.factories import (
    MailboxFactory,
    MailDomainFactory,
    MailDomainInvitationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_invitation_escapes_in_html_only():
    issuer = UserFactory(name="Ana <b>Bel</b>")
    invitation = MailDomainInvitationFactory(issuer=issuer, domain=MailDomainFactory(name="ville.fr"))
    subject, text, html = emails.invitation(invitation, language="en-us")
    assert subject == 'Invitation to manage the mail domain "ville.fr"'
    assert "Ana <b>Bel</b> invites you to manage the mail domain" in text
    assert "Ana &lt;b&gt;Bel&lt;/b&gt;" in html
    assert "as viewer" in text
    assert '<html lang="en">' in html


def test_the_readers_language_is_used():
    invitation = MailDomainInvitationFactory()
    _subject, _text, html = emails.invitation(invitation, language="fr-fr")
    assert '<html lang="fr">' in html
    _subject, _text, html = emails.invitation(invitation, language="en-us")
    assert '<html lang="en">' in html
    _subject, _text, html = emails.invitation(invitation, language="xx")  # unknown: the default, French
    assert '<html lang="fr">' in html


@pytest.mark.parametrize(
    ("reason", "subject", "sentence"),
    [
        ("welcome", "Your new mailbox jean@ville.fr", "Your mailbox jean@ville.fr is ready."),
        ("login_link", "Your link to sign in to jean@ville.fr", "Here is your link to sign in"),
        ("password_reset", "The password of jean@ville.fr was reset", "the former one no longer works"),
    ],
)
def test_mailbox_links(reason, subject, sentence):
    mailbox = MailboxFactory(domain=MailDomainFactory(name="ville.fr"), local_part="jean")
    link = "https://webmail.example.net/code/ONE-TIME"
    got_subject, text, html = emails.mailbox_link(mailbox, reason=reason, link=link, language="en-us")
    assert got_subject == subject
    assert sentence in text
    assert link in text
    assert f'href="{link}"' in html
    assert "choose your password there" in text


@pytest.mark.parametrize("status", ["enabled", "action_required", "failed", "pending"])
def test_domain_status_in_words(status):
    domain = MailDomainFactory(
        name="ville.fr", status=status, expected_config=[{"target": "imap", "type": "cname", "value": "imap.x.net."}],
        last_check_details={"mx": {"ok": False, "internal": False, "errors": [{"code": "mx", "detail": "No MX"}]}},
    )
    subject, text, html = emails.domain_status(domain, old="pending", new=status, language="en-us")
    words = {"enabled": "enabled", "action_required": "action required", "failed": "failed", "pending": "pending"}[status]
    assert subject == f"Mail domain ville.fr: {words}"
    assert f"is now {words}" in text
    assert ("imap CNAME imap.x.net." in text) == (status == "action_required")
    assert ("mx: No MX" in text) == (status == "action_required")
    assert ("Contact the support" in text) == (status == "failed")


def test_a_mail_server_down_is_retried_with_a_new_link(crew, platform, jobs, monkeypatch, client_for):
    mailbox = MailboxFactory(domain=crew.domain, local_part="jean", secondary_email="jean@perso.fr")
    platform.add_mailbox(crew.domain.name, "jean", mailbox.first_name, mailbox.last_name)

    def down(self, messages):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(EmailBackend, "send_messages", down)
    with jobs():
        assert client_for(crew.owner).post(crew.url(f"mailboxes/{mailbox.pk}/login_link/")).status_code == 200
    message = OutboxMessage.objects.get(kind=provisioning.MAILBOX_LINK_EMAIL)
    assert message.status == OutboxStatus.PENDING
    monkeypatch.undo()
    with freeze_time(timezone.now() + timedelta(hours=1)):
        outbox.deliver_due()
    [sent] = mail.outbox
    assert len(platform.codes) == 2  # the link of the lost attempt is not reused
    assert platform.codes[-1][1] in sent.body
    assert platform.codes[0][1] not in sent.body


def test_status_emails_of_a_domain_keep_their_order(mail_platform, jobs):
    domain = MailDomainFactory(status=MailDomainStatus.PENDING, provisioned=True)
    platform_domain = mail_platform.add_domain(domain.name, external_ok=False)
    with jobs():
        provisioning.queue_domain_sync(domain)
    platform_domain.external_ok = True
    with jobs():
        provisioning.queue_domain_sync(domain)
    assert [m.subject.rsplit(" : ", 1)[1] for m in mail.outbox] == ["action requise", "actif"]  # default: French


@pytest.fixture
def french_catalog(tmp_path, settings):
    """The app's French catalog, compiled as `make` does once the catalogs pipeline lands
    (GNU msgfmt here), and read from a locale folder of the test's own."""
    import shutil
    import subprocess
    from pathlib import Path

    from django.utils.translation import trans_real

    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    source = Path(__file__).resolve().parents[1] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    target = tmp_path / "fr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    subprocess.run(["msgfmt", "--check-format", "-o", str(target / "django.mo"), str(source)], check=True)
    settings.LOCALE_PATHS = [tmp_path, *settings.LOCALE_PATHS]
    trans_real._translations = {}
    yield
    trans_real._translations = {}


def test_the_emails_in_french(french_catalog):
    invitation = MailDomainInvitationFactory(domain=MailDomainFactory(name="ville.fr"), issuer=UserFactory(name="Ana"))
    subject, text, html = emails.invitation(invitation, language="fr-fr")
    assert subject == "Invitation à gérer le domaine de messagerie « ville.fr »"
    assert "Ana vous invite à gérer le domaine de messagerie « ville.fr »" in text
    assert "en tant que lecteur" in text
    assert "Se connecter pour accepter" in html
    mailbox = MailboxFactory(domain=invitation.domain, local_part="jean")
    subject, text, _html = emails.mailbox_link(mailbox, reason="welcome", link="https://w/code/x", language="fr-fr")
    assert subject == "Votre nouvelle boîte mail jean@ville.fr"
    assert "Votre boîte mail jean@ville.fr est prête." in text
    subject, text, _html = emails.domain_status(invitation.domain, old="pending", new="action_required", language="fr-fr")
    assert subject == "Domaine de messagerie ville.fr : action requise"
