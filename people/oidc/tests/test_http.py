"""The one way People calls its provider: timeouts, TLS setting, bounded answers, typed errors."""

from __future__ import annotations

import contextlib
import logging

import pytest
import requests
import responses

from people.oidc import http
from people.oidc.errors import ProviderRefused, ProviderUnavailable, UnusableAnswer

URL = "https://op.example.test/anything"


@pytest.fixture
def spy(monkeypatch):
    seen: dict = {}
    original = requests.Session.request

    def request(self, method, url, **kwargs):
        seen.update(kwargs, method=method)
        return original(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", request)
    return seen


def test_timeout_tls_setting_and_accept_are_sent(settings, spy):
    settings.OIDC_TIMEOUT = 2.5
    settings.OIDC_VERIFY_SSL = False
    with responses.RequestsMock() as mocked:
        mocked.post(URL, body="{}", content_type="Application/JSON; charset=utf-8")
        answer = http.call("POST", URL, endpoint_kind="token", what="token endpoint", accept="application/jwt", data={"a": "b"})
    assert (spy["method"], spy["timeout"], spy["verify"], spy["stream"]) == ("POST", 2.5, False, True)
    assert spy["headers"]["Accept"] == "application/jwt"
    assert (answer.content_type, answer.body) == ("application/json", b"{}")


def test_a_caller_may_use_its_own_timeout(settings, spy):
    settings.OIDC_TIMEOUT = 2.5
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body="{}")
        http.call("GET", URL, endpoint_kind="discovery", what="discovery", timeout=0.5)
    assert spy["timeout"] == 0.5


@pytest.mark.parametrize(("status", "error", "level"), [(400, ProviderRefused, logging.ERROR), (401, ProviderRefused, logging.ERROR), (500, ProviderUnavailable, logging.WARNING), (503, ProviderUnavailable, logging.WARNING)])
def test_statuses_become_typed_errors(caplog, status, error, level):
    with responses.RequestsMock() as mocked, caplog.at_level(logging.WARNING, logger="people.oidc"):
        mocked.get(URL, status=status, body="secret details")
        with pytest.raises(error) as raised:
            http.call("GET", URL, endpoint_kind="userinfo", what="userinfo")
    assert type(raised.value) is error
    assert str(status) in raised.value.reason
    [record] = [r for r in caplog.records if getattr(r, "event", None) == "provider_answer_status"]
    assert (record.levelno, record.status, record.document) == (level, status, "userinfo")


def test_network_failure_is_unavailability():
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body=requests.ConnectionError("refused"))
        with pytest.raises(ProviderUnavailable) as raised:
            http.call("GET", URL, endpoint_kind="jwks", what="JWKS")
    assert not isinstance(raised.value, ProviderRefused)


@pytest.mark.parametrize("declared", [True, False])
def test_answers_over_the_size_limit_are_refused(settings, declared):
    settings.OIDC_OP_MAX_RESPONSE_SIZE = 1024
    with responses.RequestsMock() as mocked:
        mocked.get(URL, body="x" * 2048, auto_calculate_content_length=declared)
        with pytest.raises(UnusableAnswer) as raised:
            http.call("GET", URL, endpoint_kind="discovery", what="discovery")
    assert raised.value.problem == "too_large"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [("[" * 40 + "]" * 40, "json_too_deep"), ("nope", "parse_error"), ("[1]", "not_an_object"), ('{"a": NaN}', "parse_error")],
)
def test_json_objects_are_bounded(raw, problem):
    with pytest.raises(UnusableAnswer) as raised:
        http.json_object(raw, what="discovery")
    assert raised.value.problem == problem


def test_one_session_per_thread_is_reused():
    assert http.session() is http.session()


def _provider_calls(endpoint: str, outcome: str) -> float:
    from prometheus_client import REGISTRY

    labels = {"endpoint": endpoint, "outcome": outcome}
    return REGISTRY.get_sample_value("people_oidc_provider_request_duration_seconds_count", labels) or 0.0


@pytest.mark.parametrize(
    ("kind", "answer", "outcome"),
    [("token", {"body": "{}"}, "ok"), ("userinfo", {"status": 401}, "refused"),
     ("jwks", {"status": 503}, "unavailable"), ("discovery", {"body": requests.Timeout()}, "unavailable")],
)
def test_each_call_is_timed_by_endpoint_kind_and_outcome(kind, answer, outcome):
    before = {(k, o): _provider_calls(k, o) for k in ("token", "userinfo", "jwks", "discovery") for o in ("ok", "refused", "unavailable")}
    with responses.RequestsMock() as mocked:
        mocked.get(URL, **answer)
        with contextlib.suppress(ProviderRefused, ProviderUnavailable):
            http.call("GET", URL, endpoint_kind=kind, what=kind)
    changed = {key for key, value in before.items() if _provider_calls(*key) != value}
    assert changed == {(kind, outcome)}
    assert _provider_calls(kind, outcome) == before[(kind, outcome)] + 1
