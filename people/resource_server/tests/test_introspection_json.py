"""RFC 7662 introspection (plain JSON): what makes a token good, what the cache keeps."""

import base64
import time

import pytest
import requests
import responses
from django.core.cache import cache

from people.oidc.errors import InvalidToken, ProviderUnavailable
from people.resource_server import introspection
from people.resource_server.errors import UnknownUser
from people.resource_server.introspection import authenticate_token
from tests.factories import UserFactory

from .conftest import INTROSPECTION_URL
from .conftest import introspection as active

pytestmark = pytest.mark.django_db

TOKEN = "tok_" + "a" * 40


def test_active_token_gives_user_audience_and_scopes(rs_settings, fake_provider):
    user = UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1", audience="service-a", scope="openid groups"))
    result = authenticate_token(TOKEN)
    assert result.user == user
    assert result.audience == "service-a"
    assert result.scopes == {"openid", "groups"}
    [call] = fake_provider.mock.calls
    assert call.request.headers["Accept"] == "application/json"
    assert call.request.headers["Authorization"] == "Basic " + base64.b64encode(b"people-rs:rs-secret").decode()
    assert f"token={TOKEN}" in call.request.body


@pytest.mark.parametrize(
    "answer",
    [
        {"active": False},
        active("agent-1", scope="openid"),
        active("agent-1", scope=None),
        active("agent-1", iss="https://other.example.test"),
        active("agent-1", iss="https://op.example.test/"),  # the issuer is compared exactly
        active("agent-1", client_id=None),
        active("agent-1", client_id=""),
        dict(active("agent-1"), sub=None),
        active("agent-1", exp=int(time.time()) - 5),
    ],
)
def test_refused_answers(rs_settings, fake_provider, answer):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, answer)
    with pytest.raises(InvalidToken):
        authenticate_token(TOKEN)


def test_every_required_scope_is_needed(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_RS_SCOPES = ["groups", "people"]
    fake_provider.answer_json(TOKEN, active("agent-1", scope="groups"))
    with pytest.raises(InvalidToken, match="people"):
        authenticate_token(TOKEN)


def test_audience_from_aud_claim(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_RS_AUDIENCE_CLAIM = "aud"
    fake_provider.answer_json(TOKEN, active("agent-1", aud=["people-rs", "service-b"]))
    assert authenticate_token(TOKEN).audience == "service-b"
    cache.clear()
    introspection.LOCAL_VERDICTS.clear()
    fake_provider.answer_json(TOKEN, active("agent-1", aud=["service-a", "service-b"]))
    with pytest.raises(InvalidToken, match="audience"):
        authenticate_token(TOKEN)


@pytest.mark.parametrize("user_kwargs", [None, {"sub": "agent-1", "is_active": False}])
def test_unknown_or_inactive_user_is_refused_and_never_created(rs_settings, fake_provider, user_kwargs):
    from people.identity.models import User

    if user_kwargs:
        UserFactory(**user_kwargs)
    before = User.objects.count()
    fake_provider.answer_json(TOKEN, active("agent-1"))
    with pytest.raises(UnknownUser):
        authenticate_token(TOKEN)
    assert User.objects.count() == before


def test_base64_encoded_token_is_decoded(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    assert authenticate_token(base64.b64encode(TOKEN.encode()).decode()).user.sub == "agent-1"
    assert f"token={TOKEN}" in fake_provider.mock.calls[0].request.body


@pytest.mark.parametrize("token", ["", "a" * 5000, "bad token", "tok\x00en", "é" * 20])
def test_malformed_tokens_never_reach_the_provider(rs_settings, fake_provider, token):
    with pytest.raises(InvalidToken):
        authenticate_token(token)
    assert len(fake_provider.mock.calls) == 0


def test_valid_result_is_cached(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert fake_provider.calls_to(INTROSPECTION_URL) == 1


def test_cache_ttl_zero_disables_caching(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_RS_CACHE_TTL = 0
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert fake_provider.calls_to(INTROSPECTION_URL) == 2


def test_cache_ttl_zero_ignores_results_cached_before(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    rs_settings.OIDC_RS_CACHE_TTL = 0
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert fake_provider.calls_to(INTROSPECTION_URL) == 3


def test_cache_lasts_until_the_token_expires(rs_settings, fake_provider, monkeypatch):
    UserFactory(sub="agent-1")
    stored = {}
    monkeypatch.setattr(cache, "set", lambda key, value, ttl: stored.update({key: (value, ttl)}))
    fake_provider.answer_json(TOKEN, active("agent-1", exp=int(time.time()) + 20))
    authenticate_token(TOKEN)
    [(value, ttl)] = stored.values()
    assert 15 <= ttl <= 20
    assert TOKEN not in str(stored)


def test_refusals_are_cached_briefly(rs_settings, fake_provider, monkeypatch):
    stored = {}
    original = cache.set
    monkeypatch.setattr(cache, "set", lambda key, value, ttl: stored.update({key: ttl}) or original(key, value, ttl))
    for _ in range(3):
        with pytest.raises(InvalidToken):
            authenticate_token(TOKEN)
    assert fake_provider.calls_to(INTROSPECTION_URL) == 1
    assert list(stored.values()) == [5]


def test_a_warm_call_reads_this_process_copy_not_the_shared_cache(rs_settings, fake_provider, monkeypatch):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    reads = []
    original = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: reads.append(key) or original(key, *args))
    for _ in range(3):
        assert authenticate_token(TOKEN).user.sub == "agent-1"
    assert reads == []
    assert fake_provider.calls_to(INTROSPECTION_URL) == 1


def test_another_process_reads_the_shared_cache_once_then_its_own_copy(rs_settings, fake_provider, monkeypatch):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    introspection.LOCAL_VERDICTS.clear()  # as in a web process that has not seen the token yet
    reads = []
    original = cache.get
    monkeypatch.setattr(cache, "get", lambda key, *args: reads.append(key) or original(key, *args))
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert len(reads) == 1
    assert fake_provider.calls_to(INTROSPECTION_URL) == 1


def test_the_local_copy_never_outlives_the_shared_cache_ttl(rs_settings, fake_provider, monkeypatch):
    """A result the provider gave 50 s ago, read from the shared cache (TTL 60 s), is kept here
    10 s more, not the local 30 s."""
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    clock = [1_000_000.0]
    monkeypatch.setattr(introspection.time, "time", lambda: clock[0])
    authenticate_token(TOKEN)
    introspection.LOCAL_VERDICTS.clear()
    clock[0] += 50
    authenticate_token(TOKEN)  # from the shared cache, into this process's copy
    clock[0] += 9
    assert len(introspection.LOCAL_VERDICTS) == 1
    assert introspection.LOCAL_VERDICTS.get(introspection.CACHE_PREFIX + introspection._token_digest(TOKEN), clock[0])
    clock[0] += 2
    assert introspection.LOCAL_VERDICTS.get(introspection.CACHE_PREFIX + introspection._token_digest(TOKEN), clock[0]) is None


def test_the_local_copy_never_outlives_the_token(rs_settings, fake_provider, monkeypatch):
    UserFactory(sub="agent-1")
    clock = [1_000_000.0]
    monkeypatch.setattr(introspection.time, "time", lambda: clock[0])
    fake_provider.answer_json(TOKEN, active("agent-1", exp=int(clock[0]) + 5))
    authenticate_token(TOKEN)
    clock[0] += 6
    with pytest.raises(InvalidToken):
        authenticate_token(TOKEN)


@pytest.mark.parametrize("setting", ["OIDC_RS_LOCAL_CACHE_TTL", "OIDC_RS_CACHE_TTL"])
def test_without_a_ttl_nothing_is_kept_in_the_process(rs_settings, fake_provider, setting):
    UserFactory(sub="agent-1")
    setattr(rs_settings, setting, 0)
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert len(introspection.LOCAL_VERDICTS) == 0
    assert fake_provider.calls_to(INTROSPECTION_URL) == (2 if setting == "OIDC_RS_CACHE_TTL" else 1)


def test_the_local_copy_keeps_the_most_recent_tokens_only(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_RS_LOCAL_CACHE_SIZE = 2
    tokens = [f"tok_{index}_" + "b" * 40 for index in range(3)]
    for token in tokens:
        fake_provider.answer_json(token, active("agent-1"))
        authenticate_token(token)
    now = time.time()
    kept = [introspection.LOCAL_VERDICTS.get(introspection.CACHE_PREFIX + introspection._token_digest(token), now) is not None
            for token in tokens]
    assert kept == [False, True, True]


def test_a_refusal_is_never_kept_in_the_process(rs_settings, fake_provider):
    fake_provider.answer_json(TOKEN, {"active": False})
    with pytest.raises(InvalidToken):
        authenticate_token(TOKEN)
    assert len(introspection.LOCAL_VERDICTS) == 0


def test_deactivated_user_is_refused_despite_the_cache(rs_settings, fake_provider):
    user = UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    user.is_active = False
    user.save()
    with pytest.raises(UnknownUser):
        authenticate_token(TOKEN)


@pytest.mark.parametrize(
    "failure",
    [
        {"body": requests.ConnectionError("down")},
        {"body": requests.Timeout("slow")},
        {"status": 500, "body": "oops"},
        {"status": 401, "json": {"error": "invalid_client"}},
        {"status": 200, "body": "not json"},
        {"status": 200, "json": ["active"]},
    ],
)
def test_provider_failures_are_unavailability(rs_settings, failure):
    with responses.RequestsMock() as mock:
        mock.add(responses.POST, INTROSPECTION_URL, **failure)
        with pytest.raises(ProviderUnavailable):
            authenticate_token(TOKEN)
    # Not cached: the next call asks again.
    assert cache.get(introspection.CACHE_PREFIX + introspection._token_digest(TOKEN)) is None


def test_timeout_comes_from_settings(rs_settings, fake_provider, monkeypatch):
    UserFactory(sub="agent-1")
    rs_settings.OIDC_RS_TIMEOUT = 1.5
    seen = {}
    original = requests.Session.request

    def spy(self, *args, **kwargs):
        seen["timeout"] = kwargs.get("timeout")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    assert seen["timeout"] == 1.5


@pytest.mark.parametrize("missing", ["OIDC_OP_INTROSPECTION_ENDPOINT", "OIDC_RS_CLIENT_ID", "OIDC_RS_CLIENT_SECRET"])
def test_unconfigured_resource_server_accepts_no_token(rs_settings, fake_provider, missing):
    rs_settings.OIDC_OP_URL = None  # no discovery to fall back on
    setattr(rs_settings, missing, None)
    with pytest.raises(InvalidToken, match="not configured"):
        authenticate_token(TOKEN)
    assert len(fake_provider.mock.calls) == 0


def test_the_token_is_never_logged_nor_cached_in_clear(rs_settings, fake_provider, caplog):
    import logging

    logger = logging.getLogger("people.resource_server")
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.DEBUG, logger="people.resource_server"):
            UserFactory(sub="agent-1")
            fake_provider.answer_json(TOKEN, active("agent-1"))
            authenticate_token(TOKEN)
            with pytest.raises(InvalidToken):
                authenticate_token(TOKEN + "zz")
    finally:
        logger.removeHandler(caplog.handler)
    assert caplog.records
    assert TOKEN not in caplog.text
    keys = list(cache._cache.keys())
    assert keys
    assert not any(TOKEN in key for key in keys)

