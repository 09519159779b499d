"""Monitoring settings: who may scrape, the heartbeat's threshold, and Sentry only with a DSN."""

import ipaddress

import pytest
import sentry_sdk
from django.core.exceptions import ImproperlyConfigured
from sentry_sdk.transport import Transport

from config.env import load
from config.monitoring import MonitoringEnv, sentry_init

DSN = "https://public-key@sentry.example.test/42"


def test_metrics_access_is_off_by_default(monkeypatch):
    for name in ("PEOPLE_METRICS_TOKEN", "PEOPLE_METRICS_TOKEN_FILE", "PEOPLE_METRICS_ALLOWED_IPS"):
        monkeypatch.delenv(name, raising=False)
    env = load(MonitoringEnv)
    assert (env.PEOPLE_METRICS_TOKEN, env.PEOPLE_METRICS_ALLOWED_IPS, env.PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG) == (None, [], None)


def test_token_from_a_file_and_networks_from_a_list(monkeypatch, tmp_path):
    secret = tmp_path / "token"
    secret.write_text("t" * 32 + "\n")
    monkeypatch.delenv("PEOPLE_METRICS_TOKEN", raising=False)
    monkeypatch.setenv("PEOPLE_METRICS_TOKEN_FILE", str(secret))
    monkeypatch.setenv("PEOPLE_METRICS_ALLOWED_IPS", "10.0.0.0/8, 192.0.2.7,2001:db8::/32")
    env = load(MonitoringEnv)
    assert env.PEOPLE_METRICS_TOKEN == "t" * 32
    assert [
        ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.7/32"), ipaddress.ip_network("2001:db8::/32"),
    ] == env.PEOPLE_METRICS_ALLOWED_IPS


@pytest.mark.parametrize(
    ("name", "value"),
    [("PEOPLE_METRICS_TOKEN", "short"), ("PEOPLE_METRICS_ALLOWED_IPS", "10.0.0.0/33"),
     ("PEOPLE_METRICS_ALLOWED_IPS", "10.0.0.1/8"), ("PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG", "0")],
)
def test_bad_values_are_named(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load(MonitoringEnv)


def test_without_a_dsn_sentry_is_not_set_up(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("sentry_sdk.init called without SENTRY_DSN")

    monkeypatch.setattr(sentry_sdk, "init", forbidden)
    assert sentry_init(dsn=None, release="1.2.3", environment="production") is False
    assert sentry_init(dsn="", release="1.2.3", environment="production") is False
    assert not sentry_sdk.get_client().is_active()


class StubTransport(Transport):
    """Keeps the envelopes instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)


@pytest.fixture
def sentry_stub():
    transport = StubTransport()
    yield transport
    sentry_sdk.init()  # back to a client that sends nothing


def test_with_a_dsn_errors_go_to_sentry_without_personal_data(sentry_stub):
    assert sentry_init(dsn=DSN, release="1.2.3", environment="staging", transport=sentry_stub) is True
    client = sentry_sdk.get_client()
    assert client.is_active()
    assert client.options["send_default_pii"] is False
    assert {"django", "celery"} <= set(client.integrations)
    try:
        raise ValueError("boom")
    except ValueError as error:
        sentry_sdk.capture_exception(error)
    sentry_sdk.flush()
    [event] = [item.payload.json for envelope in sentry_stub.envelopes for item in envelope.items if item.type == "event"]
    assert (event["release"], event["environment"]) == ("1.2.3", "staging")
    assert event["exception"]["values"][0]["type"] == "ValueError"
