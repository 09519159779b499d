"""The platform's client: Basic for a token, the token for domain routes (renewed once when
refused), every answer mapped to the outbox's transient or permanent error, passwords dropped."""

import pytest

from people.core.delivery import PermanentError, TransientError
from people.mail.clients import MailPlatformClient, PlatformRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(mail_platform):
    mail_platform.add_domain("ville.fr")
    return MailPlatformClient()


def test_a_token_is_asked_once_and_kept(client, mail_platform):
    client.domain_check("ville.fr")
    client.domain_spec("ville.fr")
    assert len(mail_platform.requests("GET", path="/token/")) == 1
    calls = mail_platform.requests("GET", "/domains/ville.fr/")
    assert all(call.headers["authorization"].startswith("Bearer ") for call in calls)


def test_a_refused_token_is_renewed_once(client, mail_platform):
    client.domain_check("ville.fr")
    mail_platform.expire_tokens()
    assert client.domain_check("ville.fr")["state"] == "ok"
    assert len(mail_platform.requests("GET", path="/token/")) == 2


def test_wrong_credentials_wait_for_an_operator(client, settings, mail_platform):
    """An operator fixes the credentials, then the same call goes through: transient."""
    settings.MAIL_PROVISIONING_API_CREDENTIALS = "cGVvcGxlOndyb25n"  # people:wrong
    with pytest.raises(TransientError, match="refused People's credentials .403.: check MAIL_PROVISIONING_API_CREDENTIALS"):
        MailPlatformClient().domain_check("ville.fr")
    with pytest.raises(TransientError, match="403"):
        MailPlatformClient().domain_create("other.fr")  # Basic routes say the same


def test_no_platform_configured_waits(settings):
    settings.MAIL_PROVISIONING_API_URL = None
    with pytest.raises(TransientError, match="no mail platform configured"):
        MailPlatformClient().mailboxes("ville.fr")


@pytest.mark.parametrize(("status", "error"), [(500, TransientError), (502, TransientError), (429, TransientError),
                                                (408, TransientError), (404, PlatformRefused), (422, PlatformRefused)])
def test_statuses_are_typed(client, mail_platform, status, error):
    client.domain_check("ville.fr")  # the token first
    mail_platform.outage(status, calls=1)
    with pytest.raises(error):
        client.domain_spec("ville.fr")
    assert issubclass(PlatformRefused, PermanentError)


def test_a_422_keeps_the_platforms_words(client):
    with pytest.raises(PlatformRefused) as refused:
        client._request("POST", "/domains/", basic=True, json={"name": "x.fr"})
    assert refused.value.status == 422
    assert "Field required" in refused.value.detail


def test_meaningful_statuses(client, mail_platform):
    assert client.domain_create("ville.fr") == "exists"
    assert client.domain_create("neuf.fr") == "created"
    assert client.alias_delete("ville.fr", "nobody") == "absent"
    assert client.alias_create("ville.fr", "contact", "a@b.fr") == "created"
    assert client.alias_create("ville.fr", "contact", "a@b.fr") == "exists"
    assert client.alias_delete("ville.fr", "contact", "a@b.fr") == "deleted"
    assert client.mailbox_create("ville.fr", "ana", given_name="Ana", surname="B", display_name="Ana B") == "created"
    assert client.mailbox_create("ville.fr", "ana", given_name="Ana", surname="B", display_name="Ana B") == "maybe"


def test_the_idempotency_key_is_the_outbox_message(client, mail_platform, monkeypatch):
    from people.core import outbox

    monkeypatch.setattr(outbox, "current_message_id", lambda: "message-1")
    client.domain_check("ville.fr")
    assert {call.headers.get("idempotency-key") for call in mail_platform.requests()} == {"message-1"}


def test_the_login_code_and_lists(client, mail_platform):
    mail_platform.add_mailbox("ville.fr", "ana", "Ana", "B")
    assert client.mailbox_login_code("ville.fr", "ana") == mail_platform.codes[0][1]
    emails = {row["email"] for row in client.mailboxes("ville.fr")}
    assert emails == {"ana@ville.fr", "oxadmin@ville.fr"}
    with pytest.raises(PlatformRefused):
        client.mailbox_login_code("ville.fr", "nobody")
