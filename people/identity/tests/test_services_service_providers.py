"""A calling service's row is created by the identity services on first sight, once."""

import pytest

from people.core.models import AuditEntry
from people.identity.models import ServiceProvider
from people.identity.services import service_provider_get_or_create
from tests.factories import ServiceProviderFactory

pytestmark = pytest.mark.django_db


def test_first_sight_creates_the_service_named_after_its_audience_and_audits_it():
    provider = service_provider_get_or_create(audience="docs")
    assert (provider.audience_id, provider.name, list(provider.organizations.all())) == ("docs", "docs", [])
    entry = AuditEntry.objects.get(action="service_provider.create")
    assert (entry.target_id, entry.actor_id) == (str(provider.pk), None)
    assert entry.changes == {"audience_id": [None, "docs"], "name": [None, "docs"]}


def test_a_known_service_is_returned_unchanged(django_assert_num_queries):
    existing = ServiceProviderFactory(audience_id="docs", name="Documents")
    with django_assert_num_queries(1):
        assert service_provider_get_or_create(audience="docs") == existing
    assert ServiceProvider.objects.get().name == "Documents"
    assert not AuditEntry.objects.filter(action="service_provider.create").exists()


def test_a_concurrent_first_call_yields_the_row_it_created(monkeypatch):
    """The other call's row wins the unique constraint; this call returns it and writes nothing."""
    winner = ServiceProviderFactory(audience_id="docs", name="Documents")
    real_get = ServiceProvider.objects.get
    calls = []

    def get_missed_once(**lookup):
        calls.append(lookup)
        if len(calls) == 1:
            raise ServiceProvider.DoesNotExist
        return real_get(**lookup)

    monkeypatch.setattr(ServiceProvider.objects, "get", get_missed_once)
    assert service_provider_get_or_create(audience="docs") == winner
    assert ServiceProvider.objects.count() == 1
    assert not AuditEntry.objects.filter(action="service_provider.create").exists()
