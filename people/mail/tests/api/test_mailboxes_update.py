"""PUT/PATCH /api/v1.0/mail-domains/{slug}/mailboxes/{id}/: managers, and a viewer for their
own mailbox; new names go to the platform, the secondary address stays in People."""

import pytest

from people.core.models import AuditEntry
from people.mail.models import Mailbox, MailboxStatus, MailDomainStatus
from tests.factories import MailboxFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(crew, platform):
    box = MailboxFactory(domain=crew.domain, first_name="Jean", last_name="Dupont", local_part="jean.dupont")
    platform.add_mailbox(crew.domain.name, "jean.dupont", "Jean", "Dupont")
    return box


def url(crew, mailbox):
    return crew.url(f"mailboxes/{mailbox.pk}/")


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_rename_and_the_platform_follows(client_for, crew, platform, mailbox, jobs, role):
    with jobs():
        response = client_for(crew.user(role)).patch(url(crew, mailbox), {"first_name": "Jeanne"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "pending"
    mailbox.refresh_from_db()
    assert (mailbox.first_name, mailbox.status) == ("Jeanne", MailboxStatus.ENABLED)
    box = platform.mailbox(mailbox.email)
    assert (box["givenName"], box["displayName"], box["active"]) == ("Jeanne", "Jeanne Dupont", "yes")
    assert AuditEntry.objects.get(action="mailbox.update").changes == {"first_name": ["Jean", "Jeanne"]}


def test_put_needs_both_names(client_for, crew, mailbox):
    client = client_for(crew.owner)
    assert client.put(url(crew, mailbox), {"first_name": "Jeanne"}, format="json").status_code == 400
    response = client.put(url(crew, mailbox), {"first_name": "Jeanne", "last_name": "Durand"}, format="json")
    assert response.status_code == 200


def test_the_secondary_address_does_not_reach_the_platform(client_for, crew, platform, mailbox, jobs):
    with jobs():
        response = client_for(crew.owner).patch(url(crew, mailbox), {"secondary_email": "new@perso.fr"}, format="json")
    assert response.status_code == 200
    assert Mailbox.objects.get().secondary_email == "new@perso.fr"
    assert platform.requests("PATCH") == []


def test_local_part_and_domain_are_ignored(client_for, crew, mailbox):
    response = client_for(crew.owner).patch(
        url(crew, mailbox), {"local_part": "other", "domain": "x", "last_name": "Martin"}, format="json"
    )
    assert response.status_code == 200
    assert (Mailbox.objects.get().local_part, Mailbox.objects.get().last_name) == ("jean.dupont", "Martin")


def test_a_viewer_updates_their_own_mailbox_only(client_for, crew, mailbox):
    viewer = crew.viewer
    own = MailboxFactory(domain=crew.domain, local_part="moi")
    viewer.email = f"Moi@{crew.domain.name}"
    viewer.save()
    client = client_for(viewer)
    assert client.patch(url(crew, own), {"secondary_email": "moi@perso.fr"}, format="json").status_code == 200
    assert client.patch(url(crew, mailbox), {"first_name": "X"}, format="json").status_code == 403
    assert Mailbox.objects.get(pk=mailbox.pk).first_name == "Jean"
    [row] = [r for r in client.get(crew.url("mailboxes/")).json()["results"] if r["id"] == str(own.pk)]
    assert row["abilities"]["patch"] is True
    assert row["abilities"]["disable"] is False


def test_no_role_404(client_for, crew, mailbox):
    assert client_for(crew.outsider).patch(url(crew, mailbox), {"first_name": "X"}, format="json").status_code == 404


def test_names_of_another_mailbox_are_refused(client_for, crew, mailbox):
    MailboxFactory(domain=crew.domain, first_name="Marie", last_name="Curie")
    response = client_for(crew.owner).patch(url(crew, mailbox), {"first_name": "marie", "last_name": "CURIE"}, format="json")
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]
    assert Mailbox.objects.get(pk=mailbox.pk).first_name == "Jean"


def test_a_disabled_domain_refuses_changes(client_for, crew, mailbox):
    crew.domain.status = MailDomainStatus.DISABLED
    crew.domain.save()
    response = client_for(crew.owner).patch(url(crew, mailbox), {"first_name": "X"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "domain_disabled")


def test_renaming_a_mailbox_refused_for_its_name_creates_it(client_for, crew, platform, jobs):
    """The fix a failed mailbox's reason asks for: other names, and the creation is tried again."""
    platform.add_mailbox(crew.domain.name, "marie.curie", "Marie", "Curie")
    with jobs():
        response = client_for(crew.owner).post(
            crew.url("mailboxes/"), {"first_name": "Marie", "last_name": "Curie", "local_part": "m.curie"}, format="json"
        )
    assert response.status_code == 201  # People did not know the platform's Marie Curie
    mailbox = Mailbox.objects.get(local_part="m.curie")
    assert mailbox.status == MailboxStatus.FAILED
    shown = client_for(crew.owner).get(url(crew, mailbox)).json()
    assert shown["status_message"].startswith(f"The first and last names are already those of marie.curie@{crew.domain.name}")
    with jobs():
        assert client_for(crew.owner).patch(url(crew, mailbox), {"first_name": "Marie S."}, format="json").status_code == 200
    mailbox.refresh_from_db()
    assert mailbox.status == MailboxStatus.ENABLED
    assert platform.mailbox(mailbox.email)["displayName"] == "Marie S. Curie"
