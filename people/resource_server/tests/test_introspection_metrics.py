"""The introspection cache counts its hits and misses; the provider's answer time is observed."""

import pytest
from prometheus_client import REGISTRY

from people.oidc.errors import InvalidToken
from people.resource_server.introspection import authenticate_token
from tests.factories import UserFactory

from .conftest import introspection as active

pytestmark = pytest.mark.django_db

TOKEN = "tok_" + "m" * 40


def _value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _cache(result: str) -> float:
    return _value("people_introspection_cache_total", result=result)


def test_a_warm_call_counts_a_hit_and_asks_the_provider_once(rs_settings, fake_provider):
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    hits, misses = _cache("hit"), _cache("miss")
    asked = _value("people_oidc_provider_request_duration_seconds_count", endpoint="introspection", outcome="ok")
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert (_cache("hit") - hits, _cache("miss") - misses) == (2, 1)
    assert len(fake_provider.mock.calls) == 1
    assert _value("people_oidc_provider_request_duration_seconds_count", endpoint="introspection", outcome="ok") == asked + 1


def test_a_cached_refusal_is_a_hit(rs_settings, fake_provider):
    fake_provider.answer_json(TOKEN, {"active": False})
    hits, misses = _cache("hit"), _cache("miss")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            authenticate_token(TOKEN)
    assert (_cache("hit") - hits, _cache("miss") - misses) == (1, 1)


def test_without_cache_every_call_is_a_miss(rs_settings, fake_provider):
    rs_settings.OIDC_RS_CACHE_TTL = 0
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    hits, misses = _cache("hit"), _cache("miss")
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    assert (_cache("hit") - hits, _cache("miss") - misses) == (0, 2)


def test_the_scrape_shows_the_counters(rs_settings, fake_provider, client, settings):
    settings.PEOPLE_METRICS_TOKEN = "scrape-token-0123456789"
    UserFactory(sub="agent-1")
    fake_provider.answer_json(TOKEN, active("agent-1"))
    authenticate_token(TOKEN)
    authenticate_token(TOKEN)
    text = client.get("/__metrics__", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789").content.decode()
    assert f'people_introspection_cache_total{{result="hit"}} {_cache("hit")}' in text
    assert 'people_oidc_provider_request_duration_seconds_bucket{endpoint="introspection"' in text
