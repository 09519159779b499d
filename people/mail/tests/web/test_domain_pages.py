"""My mail domains, adding one, and a domain's status in words with the DNS records to
publish and "check again" (which queues the check, as `mail-domains/{slug}/fetch/` does)."""

import pytest
from django.urls import reverse

from people.core.models import OutboxMessage
from people.mail import provisioning
from people.mail.messages import failure
from people.mail.models import MailDomain, MailDomainAccess, MailDomainRole, MailDomainStatus
from people.mail.tests.web.helpers import audit_entries, page, part
from tests import factories

pytestmark = pytest.mark.django_db

RECORDS = [
    {"target": "", "type": "mx", "value": "mx.mail.example.net."},
    {"target": "webmail", "type": "cname", "value": "webmail.mail.example.net."},
]


def test_the_list_shows_my_domains_only_with_status_role_and_count(client, crew):
    other = factories.MailDomainFactory(organization=crew.domain.organization)
    factories.MailboxFactory.create_batch(2, domain=crew.domain)
    client.force_login(crew.admin)
    body = client.get(reverse("mail:list")).content.decode()
    row = part(body, f"domain-{crew.domain.slug}", "</tr>")
    assert "Enabled" in row
    assert "Administrator" in row
    assert "<td>2</td>" in row
    assert other.name not in body


def test_the_list_is_searched(client, crew):
    mine = factories.MailDomainFactory(name="mairie-ailleurs.fr", organization=crew.domain.organization)
    factories.MailDomainAccessFactory(domain=mine, user=crew.viewer)
    client.force_login(crew.viewer)
    body = client.get(reverse("mail:list"), {"q": "ailleurs"}).content.decode()
    assert "mairie-ailleurs.fr" in body
    assert crew.domain.name not in part(body, "results")


def test_the_header_and_home_link_the_domains_for_those_with_a_role(client, crew):
    client.force_login(crew.viewer)
    home = client.get(reverse("home")).content.decode()
    assert 'id="nav-mail"' in home
    assert 'id="shortcut-mail"' in home
    client.force_login(crew.outsider)
    home = client.get(reverse("home")).content.decode()
    assert 'id="nav-mail"' not in home
    assert 'id="shortcut-mail"' not in home


def test_adding_a_domain_makes_me_its_owner_and_queues_its_creation(client, crew):
    client.force_login(crew.viewer)
    response = client.post(reverse("mail:create"), {"name": "Ville-Nouvelle.fr", "support_email": "it@ville-nouvelle.fr"})
    domain = MailDomain.objects.get(name="ville-nouvelle.fr")
    assert response.status_code == 302
    assert response.url == page("detail", domain)
    assert MailDomainAccess.objects.get(domain=domain).role == MailDomainRole.OWNER
    assert domain.operation.kind == provisioning.DOMAIN_SYNC
    body = client.get(response.url).content.decode()
    assert "Pending" in part(body, "domain-status", "</span>")
    assert "being set up on the mail platform" in part(body, "status-explanation", "</p>")


def test_a_bad_domain_name_is_shown_next_to_its_field_and_nothing_is_added(client, crew):
    client.force_login(crew.owner)
    before = (MailDomain.objects.count(), audit_entries())
    response = client.post(reverse("mail:create"), {"name": "not a domain", "support_email": "nope"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a domain name such as example.fr." in body
    assert "Enter a valid email address." in body
    assert (MailDomain.objects.count(), audit_entries()) == before


def test_a_taken_domain_name_is_the_services_refusal(client, crew):
    client.force_login(crew.owner)
    response = client.post(reverse("mail:create"), {"name": crew.domain.name, "support_email": "it@example.fr"})
    assert response.status_code == 400
    assert "Mail domain with this name already exists." in response.content.decode()
    assert MailDomain.objects.filter(name=crew.domain.name).count() == 1


def test_without_an_organization_one_may_not_add_a_domain(client):
    user = factories.UserFactory(organization=None)
    client.force_login(user)
    assert 'id="domain-create-link"' not in client.get(reverse("mail:list")).content.decode()
    response = client.post(reverse("mail:create"), {"name": "ville.fr", "support_email": "it@ville.fr"})
    assert response.status_code == 403
    assert not MailDomain.objects.exists()


@pytest.mark.parametrize(
    ("status", "label", "words"),
    [
        (MailDomainStatus.ENABLED, "Enabled", "The domain is ready"),
        (MailDomainStatus.PENDING, "Pending", "being set up"),
        (MailDomainStatus.FAILED, "Failed", "could not repair its side of this domain"),
        (MailDomainStatus.DISABLED, "Disabled", "disabled by the service's operators"),
    ],
)
def test_the_status_in_words(client, crew, status, label, words):
    MailDomain.objects.filter(pk=crew.domain.pk).update(status=status, failure=failure("domain_checks_failed"))
    client.force_login(crew.viewer)
    body = client.get(page("detail", crew.domain)).content.decode()
    assert label in part(body, "domain-status", "</span>")
    assert words in part(body, "domain-state", "</section>")
    assert 'id="dns-records"' not in body


def test_action_required_shows_the_records_to_publish_and_check_again(client, crew):
    MailDomain.objects.filter(pk=crew.domain.pk).update(
        status=MailDomainStatus.ACTION_REQUIRED, expected_config=RECORDS,
        last_check_details={"mx": {"ok": False, "internal": False, "errors": [{"code": "no_mx", "detail": "No MX record"}]}},
    )
    client.force_login(crew.admin)
    body = client.get(page("detail", crew.domain)).content.decode()
    assert "Action required" in part(body, "domain-status", "</span>")
    records = part(body, "dns-records", "</table>")
    assert "webmail.mail.example.net." in records
    assert "mx.mail.example.net." in records
    assert "cname" in records
    assert "No MX record" in part(body, "failing-checks", "</ul>")
    assert 'id="check-again"' in body


def test_check_again_queues_the_check_without_waiting(client, crew):
    client.force_login(crew.admin)
    before = OutboxMessage.objects.filter(kind=provisioning.DOMAIN_SYNC).count()
    response = client.post(page("detail", crew.domain), {"action": "check"})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind=provisioning.DOMAIN_SYNC).count() == before + 1
    assert "will be checked again in a moment" in client.get(response.url).content.decode()


def test_a_viewer_has_no_check_again_and_is_refused_it(client, crew):
    client.force_login(crew.viewer)
    assert 'id="check-again"' not in client.get(page("detail", crew.domain)).content.decode()
    before = OutboxMessage.objects.count()
    response = client.post(page("detail", crew.domain), {"action": "check"})
    assert response.status_code == 403
    assert OutboxMessage.objects.count() == before


def test_a_disabled_domain_is_not_checked_again(client, crew):
    MailDomain.objects.filter(pk=crew.domain.pk).update(status=MailDomainStatus.DISABLED)
    client.force_login(crew.owner)
    assert 'id="check-again"' not in client.get(page("detail", crew.domain)).content.decode()
    before = OutboxMessage.objects.count()
    response = client.post(page("detail", crew.domain), {"action": "check"})
    assert response.status_code == 400
    assert "it is not checked any more" in response.content.decode()
    assert OutboxMessage.objects.count() == before


def test_an_unknown_action_changes_nothing(client, crew):
    client.force_login(crew.owner)
    before = (OutboxMessage.objects.count(), audit_entries())
    response = client.post(page("detail", crew.domain), {"action": "explode"})
    assert response.status_code == 400
    assert "This action is unknown." in response.content.decode()
    assert (OutboxMessage.objects.count(), audit_entries()) == before
