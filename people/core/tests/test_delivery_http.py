"""HTTP answers of peers become typed errors; every call carries the message's Idempotency-Key."""

import pytest
import requests
import responses

from people.core import delivery
from people.core.delivery import PermanentError, TransientError

URL = "https://peer.example.test/api/contacts"


def call(**kwargs):
    return delivery.http_call("POST", URL, peer="test peer", timeout=1, json={"a": 1}, **kwargs)


@pytest.mark.parametrize("status", [200, 201, 204])
def test_success(status):
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=status)
        assert call().status_code == status


@pytest.mark.parametrize(
    ("answer", "error", "reason"),
    [
        ({"status": 500}, TransientError, "test peer answered 500"),
        ({"status": 503, "body": "maintenance"}, TransientError, "test peer answered 503: maintenance"),
        ({"status": 408}, TransientError, "test peer answered 408"),
        ({"status": 429}, TransientError, "test peer answered 429"),
        ({"body": requests.ConnectionError("refused")}, TransientError, "test peer unreachable: ConnectionError"),
        ({"body": requests.ReadTimeout()}, TransientError, "test peer unreachable: ReadTimeout"),
        ({"status": 400, "json": {"code": "invalid_email"}}, PermanentError, 'test peer answered 400: {"code": "invalid_email"}'),
        ({"status": 401}, PermanentError, "test peer answered 401"),
        ({"status": 404}, PermanentError, "test peer answered 404"),
        ({"status": 422}, PermanentError, "test peer answered 422"),
    ],
)
def test_failures_are_typed_with_the_peer_reason(answer, error, reason):
    with responses.RequestsMock() as mocked:
        mocked.post(URL, **answer)
        with pytest.raises(error) as raised:
            call()
    assert type(raised.value) is error
    assert str(raised.value) == reason


def test_long_bodies_are_cut_in_the_reason():
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=400, body="x" * 5000)
        with pytest.raises(PermanentError) as raised:
            call()
    assert len(str(raised.value)) < 400


def test_accept_turns_a_known_answer_into_success():
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=409)
        assert call(accept=lambda response: response.status_code == 409).status_code == 409


def test_idempotency_key_header_is_sent_when_given():
    with responses.RequestsMock() as mocked:
        mocked.post(URL, status=201)
        call(idempotency_key="abc-123", headers={"api-key": "k"})
        call()
        first, second = (c.request.headers for c in mocked.calls)
    assert first["Idempotency-Key"] == "abc-123"
    assert first["api-key"] == "k"
    assert "Idempotency-Key" not in second


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_fails_for_good(status):
    """A peer answering a redirect does not lead the call, and its credentials, elsewhere."""
    elsewhere = "https://internal.example.test/admin"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        mocked.post(URL, status=status, headers={"Location": elsewhere})
        mocked.post(elsewhere, status=200)
        with pytest.raises(PermanentError, match=f"test peer answered {status}"):
            call(headers={"Authorization": "Bearer secret"})
        assert [request.request.url for request in mocked.calls] == [URL]
