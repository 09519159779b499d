"""Test-suite wide fixtures: no real outbound HTTP except to the test peers on loopback."""

from __future__ import annotations

import socket

import pytest

from tests.peers.mail_platform import mail_platform  # noqa: F401 (a fake of the mail platform's API)
from tests.peers.scim_server import scim_server  # noqa: F401 (the reference SCIM server, a webhook peer)
from tests.peers.smtp import smtp_peer  # noqa: F401 (a real SMTP server for the e-mail tests)

_real_connect = socket.socket.connect

LOOPBACK = ("127.", "::1", "localhost")


def pytest_configure(config):
    """The translation catalogs compiled (as `make messages` does), so that `pytest` alone
    runs the pages in French too."""
    from people.core.catalogs import compile_stale

    compile_stale()


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and not host.startswith(LOOPBACK) and self.family in (socket.AF_INET, socket.AF_INET6):
        raise RuntimeError(f"test tried to reach {address!r}: only peers on loopback may be called")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail any connection that leaves the machine; `responses` mocks are untouched."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code run outside a request (services, commands such as `spectacular`) in English, as the
    API answers callers that send no language; each request still gets its own language
    (LanguageMiddleware), French by default for pages."""
    from django.utils import translation

    with translation.override("en-us"):
        yield


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's operator, speaking English like the factories' users (new accounts get
    French)."""
    admin_user.language = "en-us"
    admin_user.save(update_fields=["language"])
    return admin_user


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from people.resource_server.introspection import LOCAL_VERDICTS
    from people.resource_server.known_users import KNOWN_USERS

    cache.clear()
    LOCAL_VERDICTS.clear()
    KNOWN_USERS.clear()
    yield
    cache.clear()
    LOCAL_VERDICTS.clear()
    KNOWN_USERS.clear()


@pytest.fixture
def client_for():
    """`client_for(user)` → an API client with a signed-in session for `user`."""
    from rest_framework.test import APIClient

    def make(user) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def operator(client):
    """A superuser signed in on pytest-django's `client`, for the admin's pages."""
    from tests.factories import UserFactory

    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def emails_not_unique(settings):
    """USER_EMAIL_UNIQUE off and its unique index dropped, for tests of shared addresses.

    The drop is undone with the test's transaction, or, in tests that commit (live server),
    by the flush that follows them, which runs post_migrate with the setting back on.
    """
    from people.identity.email_index import email_index_sync

    settings.USER_EMAIL_UNIQUE = False
    email_index_sync()
    yield
    settings.USER_EMAIL_UNIQUE = True
