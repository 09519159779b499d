"""The team webhooks' settings, typed and checked at start (config/teams.py)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import load
from config.teams import TeamsEnv

NAMES = (
    "TEAM_WEBHOOK_ALLOWED_HOSTS", "TEAM_WEBHOOK_MAX_AGE", "TEAM_WEBHOOK_TIMEOUT", "TEAM_WEBHOOK_ALLOW_HTTP",
    "TEAM_WEBHOOK_RECONCILE_INTERVAL",
)


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_defaults():
    env = load(TeamsEnv)
    assert (env.TEAM_WEBHOOK_CONNECT_TIMEOUT, env.TEAM_WEBHOOK_TIMEOUT) == (5.0, 20.0)
    assert env.TEAM_WEBHOOK_MAX_AGE == 7 * 86400
    assert env.TEAM_WEBHOOK_ALLOW_HTTP is False
    assert env.TEAM_WEBHOOK_ALLOWED_HOSTS == []
    assert env.TEAM_WEBHOOK_RECONCILE_INTERVAL == 86400


def test_allowed_hosts_are_a_comma_list(monkeypatch):
    monkeypatch.setenv("TEAM_WEBHOOK_ALLOWED_HOSTS", ".gouv.fr, scim.example.test")
    assert load(TeamsEnv).TEAM_WEBHOOK_ALLOWED_HOSTS == [".gouv.fr", "scim.example.test"]


@pytest.mark.parametrize(
    ("name", "value"), [("TEAM_WEBHOOK_MAX_AGE", "10"), ("TEAM_WEBHOOK_TIMEOUT", "0"), ("TEAM_WEBHOOK_ALLOW_HTTP", "maybe")]
)
def test_bad_values_fail_at_start_naming_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        load(TeamsEnv)
