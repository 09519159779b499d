"""GET /api/v1.0/mail-domains/ and /mail-domains/{slug}/: the caller's domains, with their
mailbox counts, at a constant number of queries; POST .../fetch/ checks one again now."""

import pytest
from rest_framework.test import APIClient

from people.core.models import OutboxMessage
from people.mail.models import MailDomainRole, MailDomainStatus
from tests.factories import MailboxFactory, MailDomainFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1.0/mail-domains/"


def test_anonymous_gets_401():
    assert APIClient().get(URL).status_code == 401


def test_lists_only_domains_with_a_role_with_their_counts(client_for):
    me = UserFactory()
    mine = MailDomainFactory(users=[(me, MailDomainRole.VIEWER)])
    MailboxFactory.create_batch(3, domain=mine)
    other = MailDomainFactory()
    MailboxFactory(domain=other)
    response = client_for(me).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row["slug"] == mine.slug
    assert row["count_mailboxes"] == 3
    assert row["role"] == "viewer"
    assert row["abilities"] == {
        "get": True, "patch": False, "put": False, "post": False, "delete": False, "manage_accesses": False,
    }
    assert set(row) >= {
        "id", "name", "slug", "status", "abilities", "created_at", "updated_at", "count_mailboxes",
        "support_email", "last_check_details", "action_required_details", "expected_config",
    }


def test_ordering_search_and_pages(client_for):
    me = UserFactory()
    for name in ("alpha.fr", "beta.fr", "gamma.fr"):
        MailDomainFactory(name=name, users=[me])
    client = client_for(me)
    assert [r["name"] for r in client.get(URL, {"ordering": "name"}).json()["results"]] == ["alpha.fr", "beta.fr", "gamma.fr"]
    assert [r["name"] for r in client.get(URL).json()["results"]] == ["gamma.fr", "beta.fr", "alpha.fr"]
    assert [r["name"] for r in client.get(URL, {"q": "BET"}).json()["results"]] == ["beta.fr"]
    page = client.get(URL, {"ordering": "name", "page_size": 2, "page": 2}).json()
    assert (page["count"], [r["name"] for r in page["results"]]) == (3, ["gamma.fr"])


@pytest.mark.parametrize("domains", [1, 15])
def test_the_list_costs_the_same_queries_whatever_its_length(client_for, django_assert_max_num_queries, domains):
    me = UserFactory()
    for _ in range(domains):
        domain = MailDomainFactory(users=[(me, MailDomainRole.OWNER)])
        MailboxFactory.create_batch(2, domain=domain)
    client = client_for(me)
    with django_assert_max_num_queries(4):  # session, user, count, page (roles, counts, operations joined)
        response = client.get(URL)
    assert len(response.json()["results"]) == domains
    assert {row["count_mailboxes"] for row in response.json()["results"]} == {2}


def test_retrieve_by_slug(client_for):
    me = UserFactory()
    domain = MailDomainFactory(users=[(me, MailDomainRole.ADMIN)])
    MailboxFactory(domain=domain)
    body = client_for(me).get(f"{URL}{domain.slug}/").json()
    assert (body["id"], body["count_mailboxes"], body["role"]) == (str(domain.pk), 1, "administrator")


@pytest.mark.parametrize("slug", ["nothing-here", "commune.fr", "ghost"])
def test_no_role_unknown_or_dotted_slug_is_404(client_for, slug):
    MailDomainFactory(name="ghost.fr", slug="ghost")
    response = client_for(UserFactory()).get(f"{URL}{slug}/")
    assert response.status_code == 404


def test_action_required_details_and_expected_records(client_for):
    me = UserFactory()
    domain = MailDomainFactory(
        users=[me],
        status=MailDomainStatus.ACTION_REQUIRED,
        last_check_details={
            "state": "broken",
            "mx": {"ok": False, "internal": False, "errors": [{"code": "no_mx", "detail": "MX missing"}]},
            "ox": {"ok": False, "internal": True, "errors": [{"code": "ox", "detail": "internal"}]},
            "spf": {"ok": True, "internal": False, "errors": []},
        },
        expected_config=[{"target": "", "type": "mx", "value": "mx.example.net."}],
    )
    body = client_for(me).get(f"{URL}{domain.slug}/").json()
    assert body["action_required_details"] == {"mx": "MX missing"}
    assert body["expected_config"] == [{"target": "", "type": "mx", "value": "mx.example.net."}]
    assert body["status_message"].startswith("Some DNS records")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_domains_are_neither_changed_nor_deleted_here(client_for, method):
    me = UserFactory()
    domain = MailDomainFactory(users=[(me, MailDomainRole.OWNER)])
    assert getattr(client_for(me), method)(f"{URL}{domain.slug}/", {}, format="json").status_code == 405


# --- fetch ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_have_the_domain_checked_again(client_for, crew, mail_platform, jobs, role):
    mail_platform.add_domain(crew.domain.name, external_ok=False)
    with jobs():
        response = client_for(crew.user(role)).post(crew.url("fetch/"))
    assert response.status_code == 200
    crew.domain.refresh_from_db()
    assert crew.domain.status == MailDomainStatus.ACTION_REQUIRED
    assert crew.domain.action_required_details["mx"] == "The mx record is missing"


def test_viewer_gets_403_no_role_404(client_for, crew):
    assert client_for(crew.viewer).post(crew.url("fetch/")).status_code == 403
    assert client_for(crew.outsider).post(crew.url("fetch/")).status_code == 404
    assert not OutboxMessage.objects.exists()


def test_a_check_waiting_to_start_is_not_asked_twice(client_for, crew):
    client = client_for(crew.owner)
    assert client.post(crew.url("fetch/")).status_code == 200
    assert client.post(crew.url("fetch/")).status_code == 200
    assert OutboxMessage.objects.filter(kind="mail.domain_sync").count() == 1


def test_a_disabled_domain_is_not_checked(client_for, crew):
    crew.domain.status = MailDomainStatus.DISABLED
    crew.domain.save()
    response = client_for(crew.owner).post(crew.url("fetch/"))
    assert response.status_code == 400
    assert response.json()["code"] == "domain_disabled"


def test_a_check_waiting_after_an_outage_is_tried_again_not_queued_twice(client_for, crew, mail_platform, jobs):
    mail_platform.add_domain(crew.domain.name)
    mail_platform.outage(503, calls=1)
    client = client_for(crew.owner)
    with jobs():
        client.post(crew.url("fetch/"))
    message = OutboxMessage.objects.get(kind="mail.domain_sync")
    assert (message.status, message.attempts) == ("pending", 1)  # in backoff
    with jobs():
        assert client.post(crew.url("fetch/")).status_code == 200
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2)  # at once, not after the backoff
    assert OutboxMessage.objects.filter(kind="mail.domain_sync").count() == 1
