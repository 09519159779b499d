"""API keys of trusted services: shown once, stored as a digest, refused when unusable."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from people.core.models import AuditEntry
from people.resource_server.models import AccountService
from people.resource_server.selectors import account_service_for_key
from people.resource_server.services import account_service_create, account_service_rotate_key
from tests.factories import ServiceProviderFactory

pytestmark = pytest.mark.django_db

SCOPE = "team-accesses:create"


def test_key_is_returned_once_and_stored_as_a_digest():
    account, key = account_service_create(actor=None, name="Docs", scopes=[SCOPE])
    stored = AccountService.objects.get()
    assert key not in str(stored.__dict__)
    assert stored.key_prefix == key[:8]
    assert account_service_for_key(key) == account
    assert AuditEntry.objects.filter(action="account_service.create", target_id=str(account.pk)).exists()


@pytest.mark.parametrize("key", ["", "wrong", "x" * 500])
def test_wrong_keys_find_nothing(key):
    account_service_create(actor=None, name="Docs", scopes=[SCOPE])
    assert account_service_for_key(key) is None


def test_inactive_or_expired_services_are_refused():
    account, key = account_service_create(actor=None, name="Docs", scopes=[SCOPE])
    account.expires_at = timezone.now() - timedelta(seconds=1)
    account.save()
    assert account_service_for_key(key) is None
    account.expires_at, account.is_active = None, False
    account.save()
    assert account_service_for_key(key) is None


def test_rotation_replaces_the_key():
    account, old = account_service_create(actor=None, name="Docs", scopes=[SCOPE])
    new = account_service_rotate_key(actor=None, account=account)
    assert account_service_for_key(old) is None
    assert account_service_for_key(new) == account


@pytest.mark.parametrize(("name", "scopes"), [("", [SCOPE]), ("Docs", ["everything"])])
def test_invalid_services_are_refused(name, scopes):
    with pytest.raises(ValidationError):
        account_service_create(actor=None, name=name, scopes=scopes)
    assert not AccountService.objects.exists()


def test_command_prints_the_key_once():
    provider = ServiceProviderFactory(audience_id="docs")
    out = StringIO()
    call_command("create_account_service", "Docs", "--scope", SCOPE, "--days", "30", "--audience", "docs", stdout=out, stderr=StringIO())
    key = out.getvalue().strip()
    account = account_service_for_key(key)
    assert account is not None
    assert (account.name, account.scopes, account.service_provider) == ("Docs", [SCOPE], provider)
    assert account.expires_at > timezone.now() + timedelta(days=29)
    entry = AuditEntry.objects.get(action="account_service.create")
    assert entry.audience == "operator"


def test_command_refuses_unknown_audience_and_duplicates():
    with pytest.raises(CommandError, match="no service provider"):
        call_command("create_account_service", "Docs", "--audience", "nope", stdout=StringIO())
    call_command("create_account_service", "Docs", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError):
        call_command("create_account_service", "Docs", stdout=StringIO(), stderr=StringIO())


def test_admin_shows_the_key_once(admin_client):
    response = admin_client.post(
        "/admin/resource_server/accountservice/add/",
        {"name": "Docs", "scopes": [SCOPE], "is_active": "on"},
        follow=True,
    )
    assert response.status_code == 200
    account = AccountService.objects.get()
    [message] = [str(m) for m in response.context["messages"] if "API key" in str(m)]
    key = message.rsplit(": ", 1)[1]
    assert account_service_for_key(key) == account
    page = admin_client.get(f"/admin/resource_server/accountservice/{account.pk}/change/")
    assert key not in page.content.decode()
