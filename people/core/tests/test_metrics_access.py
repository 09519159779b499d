"""Who may read /__metrics__: the bearer of PEOPLE_METRICS_TOKEN or an allowed address; nobody
when neither is configured."""

import ipaddress

import pytest

TOKEN = "scrape-token-0123456789"

pytestmark = pytest.mark.django_db


@pytest.fixture
def token_only(settings):
    settings.PEOPLE_METRICS_TOKEN = TOKEN
    settings.PEOPLE_METRICS_ALLOWED_IPS = []


@pytest.fixture
def allow_list(settings):
    settings.PEOPLE_METRICS_TOKEN = None
    settings.PEOPLE_METRICS_ALLOWED_IPS = [ipaddress.ip_network("10.1.0.0/16"), ipaddress.ip_network("2001:db8::/32")]


def test_without_configuration_there_are_no_metrics(client, settings):
    settings.PEOPLE_METRICS_TOKEN = None
    settings.PEOPLE_METRICS_ALLOWED_IPS = []
    response = client.get("/__metrics__", HTTP_AUTHORIZATION="Bearer anything", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 404
    assert b"people_" not in response.content


@pytest.mark.usefixtures("token_only")
def test_the_right_token_reads_the_metrics(client):
    response = client.get("/__metrics__", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert b"# TYPE people_http_request_duration_seconds histogram" in response.content
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.usefixtures("token_only")
@pytest.mark.parametrize(
    "authorization",
    [None, f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", f"Basic {TOKEN}", "Bearer "],
    ids=["none", "longer", "shorter", "other-scheme", "empty"],
)
def test_a_missing_or_wrong_token_is_refused(client, caplog, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/__metrics__", **headers)
    assert response.status_code == 403
    assert b"PEOPLE_METRICS_TOKEN" in response.content
    assert b"people_" not in response.content.replace(b"PEOPLE_METRICS", b"")
    assert any(getattr(record, "event", None) == "metrics_refused" for record in caplog.records)


@pytest.mark.usefixtures("allow_list")
@pytest.mark.parametrize("address", ["10.1.2.3", "::ffff:10.1.200.4", "2001:db8::7"])
def test_an_allowed_address_reads_the_metrics(client, address):
    response = client.get("/__metrics__", REMOTE_ADDR=address)
    assert response.status_code == 200
    assert b"people_http_request_duration_seconds" in response.content


@pytest.mark.usefixtures("allow_list")
@pytest.mark.parametrize("address", ["10.2.0.1", "127.0.0.1", "2001:db9::1", "not-an-address"])
def test_another_address_is_refused(client, address):
    assert client.get("/__metrics__", REMOTE_ADDR=address).status_code == 403


@pytest.mark.usefixtures("allow_list")
def test_a_forwarded_header_does_not_make_an_address_allowed(client):
    response = client.get("/__metrics__", REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="10.1.2.3")
    assert response.status_code == 403


def test_token_or_address_each_suffice_when_both_are_set(client, settings):
    settings.PEOPLE_METRICS_TOKEN = TOKEN
    settings.PEOPLE_METRICS_ALLOWED_IPS = [ipaddress.ip_network("10.1.0.0/16")]
    assert client.get("/__metrics__", REMOTE_ADDR="10.1.0.5").status_code == 200
    assert client.get("/__metrics__", REMOTE_ADDR="192.0.2.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/__metrics__", REMOTE_ADDR="192.0.2.9").status_code == 403
