"""POST /api/v1.0/mail-domains/: any signed-in user adds a domain of their organization and owns
it; the platform creates and checks it in the background."""

import pytest
from django.core import mail
from rest_framework.test import APIClient

from people.core.models import AuditEntry, OutboxMessage, OutboxStatus
from people.mail.models import MailDomain, MailDomainAccess, MailDomainStatus
from tests.factories import MailDomainFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/mail-domains/"
BODY = {"name": "Ville-Exemple.FR", "support_email": "support@ville-exemple.fr"}


def test_anonymous_gets_401():
    assert APIClient().post(URL, BODY, format="json").status_code == 401


def test_creates_a_pending_domain_owned_by_the_caller(client_for, mail_platform, jobs):
    user = UserFactory()
    with jobs():
        response = client_for(user).post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "ville-exemple.fr"
    assert body["slug"] == "ville-exemplefr"
    assert body["status"] == "pending"  # answered before the platform was asked
    assert body["role"] == "owner"
    assert body["count_mailboxes"] == 0
    assert body["abilities"] == {
        "get": True, "patch": True, "put": True, "post": True, "delete": True, "manage_accesses": True,
    }
    domain = MailDomain.objects.get()
    assert domain.organization == user.organization
    assert MailDomainAccess.objects.get(domain=domain).user == user
    assert AuditEntry.objects.filter(action="mail_domain.create", target_id=str(domain.pk)).exists()
    # The job: created on the platform with its features and own webmail context, then checked.
    [creation] = mail_platform.requests("POST", path="/domains/")
    assert creation.body == {"name": "ville-exemple.fr", "features": ["webmail", "mailbox", "alias"], "context_name": "ville-exemple.fr"}
    assert creation.headers["authorization"].startswith("Basic ")
    assert mail_platform.requests("GET", "/check/")[0].headers["authorization"].startswith("Bearer ")
    domain.refresh_from_db()
    assert domain.status == MailDomainStatus.ENABLED
    assert domain.provisioned
    assert domain.expected_config[0] == {"target": "", "type": "mx", "value": "mx.mail.example.net."}
    assert domain.last_check_details["state"] == "ok"
    [message] = mail.outbox  # the support address hears of the change
    assert message.to == ["support@ville-exemple.fr"]
    assert "ville-exemple.fr" in message.subject


def test_a_domain_the_platform_has_already_is_taken_over(client_for, mail_platform, jobs):
    mail_platform.add_domain("ville-exemple.fr")
    with jobs():
        assert client_for(UserFactory()).post(URL, BODY, format="json").status_code == 201
    domain = MailDomain.objects.get()
    assert domain.status == MailDomainStatus.ENABLED
    assert OutboxMessage.objects.get(kind="mail.domain_sync").status == OutboxStatus.DELIVERED


def test_the_platform_down_leaves_it_pending_with_the_reason(client_for, mail_platform, jobs):
    mail_platform.outage(503)
    user = UserFactory()
    with jobs():
        response = client_for(user).post(URL, BODY, format="json")
    assert response.status_code == 201
    shown = client_for(user).get(f"{URL}ville-exemplefr/").json()
    assert shown["status"] == "pending"
    assert shown["status_message"] == "The mail platform did not answer; People tries again by itself (attempt 1)."


def test_same_name_is_refused(client_for):
    MailDomainFactory(name="ville-exemple.fr")
    response = client_for(UserFactory()).post(URL, BODY, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"name": ["Mail domain with this name already exists."]}
    assert MailDomain.objects.count() == 1


def test_slugs_stay_unique(client_for, mail_platform):
    MailDomainFactory(name="villeexemple.fr", slug="villeexemplefr")
    response = client_for(UserFactory()).post(URL, {**BODY, "name": "ville.exemple.fr"}, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "villeexemplefr-2"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "name": "localhost"}, "name"),
        ({**BODY, "name": "ville exemple.fr"}, "name"),
        ({**BODY, "name": "-ville.fr"}, "name"),
        ({**BODY, "name": "ville.123"}, "name"),
        ({**BODY, "name": ""}, "name"),
        ({**BODY, "support_email": "nope"}, "support_email"),
        ({"name": "ville.fr"}, "support_email"),
    ],
)
def test_bad_input_is_a_400_on_its_field(client_for, body, field):
    response = client_for(UserFactory()).post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not MailDomain.objects.exists()


def test_without_an_organization_it_is_refused(client_for):
    response = client_for(UserFactory(organization=None)).post(URL, BODY, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "no_organization"
    assert not MailDomain.objects.exists()
