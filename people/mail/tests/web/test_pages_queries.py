"""Every mail domain page, per role: what each role is shown (no role: the 404 page), and a
constant number of queries whatever the number of rows."""

import pytest
from django.urls import reverse

from people.mail.models import MailDomainAccess
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ("detail", "aliases", "accesses", "invitations")


def fill(crew, count: int) -> None:
    """`count` more rows on every page of the crew's domain."""
    domain = crew.domain
    for _ in range(count):
        factories.MailboxFactory(domain=domain)
        factories.AliasFactory(domain=domain)
        factories.MailDomainAccessFactory(domain=domain, user=factories.UserFactory(organization=domain.organization))
        factories.MailDomainInvitationFactory(domain=domain, issuer=crew.owner)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["owner", "admin", "viewer"])
def test_each_role_sees_the_page_in_constant_queries(client, crew, django_assert_max_num_queries, page, role):
    client.force_login(crew.user(role))
    url = reverse(f"mail:{page}", args=[crew.domain.slug])
    fill(crew, 1)
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    fill(crew, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert crew.domain.name in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_no_role_is_the_404_page(client, crew, page):
    client.force_login(crew.outsider)
    response = client.get(reverse(f"mail:{page}", args=[crew.domain.slug]))
    assert response.status_code == 404
    assert crew.domain.name not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_no_role_cannot_post_either(client, crew, page):
    client.force_login(crew.outsider)
    before = MailDomainAccess.objects.count()
    response = client.post(reverse(f"mail:{page}", args=[crew.domain.slug]), {"action": "check"})
    assert response.status_code == 404
    assert MailDomainAccess.objects.count() == before


def test_the_list_in_constant_queries(client, crew, django_assert_max_num_queries):
    client.force_login(crew.owner)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("mail:list")).status_code == 200
    for _ in range(12):
        domain = factories.MailDomainFactory(organization=crew.domain.organization)
        factories.MailDomainAccessFactory(domain=domain, user=crew.owner, role="administrator")
        factories.MailboxFactory(domain=domain)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("mail:list")).content.decode()
    assert body.count('<tr id="domain-') == 13


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_the_people_to_give_a_role_in_constant_queries(client, crew, django_assert_max_num_queries, role):
    client.force_login(crew.user(role))
    url = reverse("mail:access-add", args=[crew.domain.slug])
    with django_assert_max_num_queries(14) as few:
        assert client.get(url).status_code == 200
    factories.UserFactory.create_batch(15, organization=crew.domain.organization)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('<tr id="candidate-') == 16  # the outsider and the 15 new colleagues
