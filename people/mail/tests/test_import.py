"""Import of what the platform has and People not (a command, and a periodic job): technical
accounts skipped, what People knows never touched, what it cannot hold skipped and said."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from people.core.models import AuditEntry
from people.mail import tasks
from people.mail.models import Alias, AliasStatus, Mailbox, MailboxStatus, MailDomainStatus
from tests.factories import AliasFactory, MailboxFactory, MailDomainFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_platform(crew, platform):
    platform.add_mailbox(crew.domain.name, "ada.lovelace", "Ada", "Lovelace")
    platform.add_mailbox(crew.domain.name, "known", "Known", "One")
    platform.add_mailbox(crew.domain.name, "Not Valid", "Bad", "Name")
    platform.add_mailbox(crew.domain.name, "twin", "Jean", "Dupont")  # People's jean has this name
    platform.domains[crew.domain.name].aliases += [("contact", "ada.lovelace@" + crew.domain.name), ("known", "x@y.fr")]
    MailboxFactory(domain=crew.domain, local_part="known", status=MailboxStatus.PENDING, provisioned=False)
    MailboxFactory(domain=crew.domain, local_part="jean", first_name="Jean", last_name="Dupont")
    AliasFactory(domain=crew.domain, local_part="known", destination="x@y.fr", status=AliasStatus.DELETING)
    return platform


def test_the_command_imports_what_people_does_not_have(crew, on_platform):
    out = StringIO()
    call_command("mail_import", crew.domain.name, stdout=out)
    imported = Mailbox.objects.get(local_part="ada.lovelace")
    assert (imported.first_name, imported.last_name, imported.status, imported.provisioned) == (
        "Ada", "Lovelace", MailboxStatus.ENABLED, True,
    )
    assert imported.secondary_email is None
    assert not Mailbox.objects.filter(local_part="oxadmin").exists()  # the technical account
    assert Mailbox.objects.get(local_part="known").status == MailboxStatus.PENDING  # untouched
    assert not Mailbox.objects.filter(local_part="twin").exists()  # its name is another's
    assert Mailbox.objects.count() == 3
    alias = Alias.objects.get(local_part="contact")
    assert (alias.status, alias.provisioned) == (AliasStatus.ENABLED, True)
    assert Alias.objects.get(local_part="known").status == AliasStatus.DELETING  # being deleted: not brought back
    text = out.getvalue()
    assert f"{crew.domain.name}: 1 mailboxes, 1 aliases imported, 2 skipped" in text
    assert "display name of another mailbox" in text
    assert AuditEntry.objects.filter(action="mailbox.import").count() == 1
    assert AuditEntry.objects.filter(action="alias.import").count() == 1


def test_a_second_run_imports_nothing(crew, on_platform):
    call_command("mail_import", crew.domain.name, stdout=StringIO())
    before = (Mailbox.objects.count(), Alias.objects.count())
    call_command("mail_import", stdout=StringIO())
    assert (Mailbox.objects.count(), Alias.objects.count()) == before


def test_the_periodic_job_does_every_enabled_domain_and_survives_one_down(crew, platform, mail_platform):
    platform.add_mailbox(crew.domain.name, "ada", "Ada", "L")
    elsewhere = MailDomainFactory()  # enabled in People, unknown to the platform (404)
    MailDomainFactory(status=MailDomainStatus.PENDING)  # not enabled: not imported
    assert tasks.mail_import_all() == 1
    assert Mailbox.objects.get().local_part == "ada"
    assert not Mailbox.objects.filter(domain=elsewhere).exists()


def test_the_command_names_what_failed(crew, platform):
    platform.outage(500)
    with pytest.raises(CommandError, match=f"{crew.domain.name}: mail platform answered 500"):
        call_command("mail_import", stdout=StringIO())
    with pytest.raises(CommandError, match="nope.fr: unknown to People"):
        call_command("mail_import", "nope.fr", stdout=StringIO())
