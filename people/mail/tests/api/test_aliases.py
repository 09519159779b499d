"""/api/v1.0/mail-domains/{slug}/aliases/: list, create, delete one, delete all of a name.
Managers write, every role reads, no role is 404; the platform follows in the background."""

import pytest

from people.core.models import AuditEntry
from people.mail.models import Alias, AliasStatus, MailDomainStatus
from tests.factories import AliasFactory, MailboxFactory

pytestmark = pytest.mark.django_db


def url(crew, rest=""):
    return crew.url(f"aliases/{rest}")


@pytest.mark.parametrize("role", ["owner", "admin"])
def test_managers_create_and_the_platform_has_it(client_for, crew, platform, jobs, role):
    with jobs():
        response = client_for(crew.user(role)).post(url(crew), {"local_part": "Contact", "destination": "Jean@Example.fr"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["local_part"], body["destination"], body["status"]) == ("contact", "jean@example.fr", "pending")
    assert body["domain"]["slug"] == crew.domain.slug  # the domain, nested
    assert Alias.objects.get().status == AliasStatus.ENABLED
    assert platform.domains[crew.domain.name].aliases == [("contact", "jean@example.fr")]


def test_several_destinations_a_discard_one_and_a_mailbox_name(client_for, crew, platform, jobs):
    MailboxFactory(domain=crew.domain, local_part="contact")
    client = client_for(crew.owner)
    with jobs():
        for destination in ("a@example.fr", "devnull@devnull", "b@localhost"):
            assert client.post(url(crew), {"local_part": "contact", "destination": destination}, format="json").status_code == 201
    assert sorted(platform.domains[crew.domain.name].aliases) == [
        ("contact", "a@example.fr"), ("contact", "b@localhost"), ("contact", "devnull@devnull"),
    ]


def test_the_same_alias_twice_is_refused(client_for, crew):
    AliasFactory(domain=crew.domain, local_part="contact", destination="a@example.fr")
    response = client_for(crew.owner).post(url(crew), {"local_part": "contact", "destination": "A@example.fr"}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "already_exists")
    assert Alias.objects.count() == 1


@pytest.mark.parametrize("body", [
    {"local_part": "a b", "destination": "a@example.fr"},
    {"local_part": "ok", "destination": "not an address"},
    {"local_part": "ok"},
    {"destination": "a@example.fr"},
])
def test_bad_input_is_a_400(client_for, crew, body):
    assert client_for(crew.owner).post(url(crew), body, format="json").status_code == 400
    assert not Alias.objects.exists()


def test_viewer_403_no_role_404(client_for, crew):
    alias = AliasFactory(domain=crew.domain)
    body = {"local_part": "x", "destination": "a@example.fr"}
    assert client_for(crew.viewer).post(url(crew), body, format="json").status_code == 403
    assert client_for(crew.viewer).delete(url(crew, f"{alias.pk}/")).status_code == 403
    assert client_for(crew.viewer).delete(url(crew), QUERY_STRING=f"local_part={alias.local_part}").status_code == 403
    for call in (
        lambda c: c.get(url(crew)), lambda c: c.post(url(crew), body, format="json"),
        lambda c: c.delete(url(crew, f"{alias.pk}/")),
    ):
        assert call(client_for(crew.outsider)).status_code == 404
    assert Alias.objects.get() == alias


def test_list_sorted_by_name_for_every_role_at_constant_queries(client_for, crew, django_assert_max_num_queries):
    for name in ("zeta", "alpha", "mid"):
        AliasFactory(domain=crew.domain, local_part=name)
    AliasFactory(domain=crew.domain, local_part="gone", status=AliasStatus.DELETING)
    client = client_for(crew.viewer)
    with django_assert_max_num_queries(5):
        rows = client.get(url(crew)).json()["results"]
    assert [r["local_part"] for r in rows] == ["alpha", "mid", "zeta"]
    assert [r["local_part"] for r in client.get(url(crew), {"q": "mi"}).json()["results"]] == ["mid"]


def test_delete_one(client_for, crew, platform, jobs):
    platform.domains[crew.domain.name].aliases = [("contact", "a@example.fr"), ("contact", "b@example.fr")]
    alias = AliasFactory(domain=crew.domain, local_part="contact", destination="a@example.fr")
    AliasFactory(domain=crew.domain, local_part="contact", destination="b@example.fr")
    with jobs():
        assert client_for(crew.admin).delete(url(crew, f"{alias.pk}/")).status_code == 204
    assert not Alias.objects.filter(pk=alias.pk).exists()
    assert platform.domains[crew.domain.name].aliases == [("contact", "b@example.fr")]
    assert AuditEntry.objects.filter(action="alias.delete", target_id=str(alias.pk)).exists()


def test_delete_hides_at_once_even_while_the_platform_is_down(client_for, crew, platform, jobs):
    platform.domains[crew.domain.name].aliases = [("contact", "a@example.fr")]
    alias = AliasFactory(domain=crew.domain, local_part="contact", destination="a@example.fr")
    platform.outage(500)
    with jobs():
        assert client_for(crew.owner).delete(url(crew, f"{alias.pk}/")).status_code == 204
    assert client_for(crew.owner).get(url(crew)).json()["results"] == []
    assert Alias.objects.get().status == AliasStatus.DELETING  # until the platform confirms
    assert client_for(crew.owner).delete(url(crew, f"{alias.pk}/")).status_code == 404


def test_delete_all_of_a_name(client_for, crew, platform, jobs):
    platform.domains[crew.domain.name].aliases = [("contact", "a@example.fr"), ("contact", "b@example.fr"), ("other", "c@x.fr")]
    AliasFactory(domain=crew.domain, local_part="contact", destination="a@example.fr")
    AliasFactory(domain=crew.domain, local_part="contact", destination="b@example.fr")
    AliasFactory(domain=crew.domain, local_part="other", destination="c@x.fr")
    with jobs():
        response = client_for(crew.owner).delete(url(crew) + "?local_part=contact")
    assert response.status_code == 204
    assert list(Alias.objects.values_list("local_part", flat=True)) == ["other"]
    assert platform.domains[crew.domain.name].aliases == [("other", "c@x.fr")]
    assert len(platform.requests("DELETE", path=f"/domains/{crew.domain.name}/aliases/contact/all")) == 1


def test_delete_all_needs_a_name_that_exists(client_for, crew):
    client = client_for(crew.owner)
    assert client.delete(url(crew)).status_code == 400
    response = client.delete(url(crew) + "?local_part=nobody")
    assert response.status_code == 404
    assert response.json()["detail"] == "No Alias matches the given query."


def test_an_alias_never_provisioned_goes_at_once(client_for, crew, platform):
    alias = AliasFactory(domain=crew.domain, status=AliasStatus.FAILED, provisioned=False)
    assert client_for(crew.owner).delete(url(crew, f"{alias.pk}/")).status_code == 204
    assert not Alias.objects.exists()
    assert platform.requests("DELETE") == []


def test_on_a_pending_domain_it_waits_for_the_domain(client_for, crew, platform, jobs):
    crew.domain.status = MailDomainStatus.PENDING
    crew.domain.save()
    platform.domains[crew.domain.name].external_ok = False
    with jobs():
        client_for(crew.owner).post(url(crew), {"local_part": "contact", "destination": "a@example.fr"}, format="json")
    assert Alias.objects.get().status == AliasStatus.PENDING
    assert platform.domains[crew.domain.name].aliases == []
    platform.domains[crew.domain.name].external_ok = True
    with jobs():
        client_for(crew.owner).post(crew.url("fetch/"))
    assert Alias.objects.get().status == AliasStatus.ENABLED
    assert platform.domains[crew.domain.name].aliases == [("contact", "a@example.fr")]


def test_retrieve_and_updates_are_not_offered(client_for, crew):
    alias = AliasFactory(domain=crew.domain)
    client = client_for(crew.owner)
    assert client.get(url(crew, f"{alias.pk}/")).status_code == 405
    assert client.patch(url(crew, f"{alias.pk}/"), {}, format="json").status_code == 405
