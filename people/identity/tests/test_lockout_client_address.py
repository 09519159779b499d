"""Which client address the lockout counts: the connection's, or behind a reverse proxy the one
the proxy wrote in PEOPLE_CLIENT_IP_HEADER (never an address the client wrote there itself)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from people.identity.lockout import client_ip

from .test_admin_lockout import PASSWORD, assert_locked_out, assert_signed_in, operator

PROXY = "10.0.0.2"


def request(**meta):
    return RequestFactory().post("/admin/login/", REMOTE_ADDR=PROXY, **meta)


def test_without_a_configured_header_the_connection_is_the_client(settings):
    settings.CLIENT_IP_HEADER = None
    assert client_ip(request(HTTP_X_FORWARDED_FOR="203.0.113.7")) == PROXY


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        # The client's own claim comes first; our proxy appends the real address.
        (1, "192.0.2.66, 203.0.113.7", "203.0.113.7"),
        # A load balancer, then our proxy, each append what they see.
        (2, "192.0.2.66, 203.0.113.7, 10.0.0.1", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Missing, too short or malformed: the connection's address (shared by such requests).
        (1, "", PROXY),
        (2, "203.0.113.7", PROXY),
        (1, "unknown", PROXY),
    ],
)
def test_forwarded_for_is_read_from_the_right(settings, proxies, forwarded, expected):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXIES = proxies
    assert client_ip(request(HTTP_X_FORWARDED_FOR=forwarded)) == expected


def test_a_single_value_header(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    settings.CLIENT_IP_PROXIES = 1
    assert client_ip(request(HTTP_X_REAL_IP=" 203.0.113.7 ")) == "203.0.113.7"


@pytest.mark.django_db
def test_behind_a_proxy_clients_are_told_apart(settings):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # the assertions read the English page
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXIES = 1
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    operator("ops@example.gouv.fr")
    operator("other@example.gouv.fr")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Changing its own claim does not give the attacker a new count.
        client.post(
            "/admin/login/", {"username": "ops@example.gouv.fr", "password": "wrong"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7",
        )
    locked = client.post(
        "/admin/login/?next=/admin/", {"username": "other@example.gouv.fr", "password": PASSWORD},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert_locked_out(client, locked)
    # Another agent behind the same proxy is not locked out.
    allowed = client.post(
        "/admin/login/?next=/admin/", {"username": "other@example.gouv.fr", "password": PASSWORD},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert_signed_in(client, allowed)
