"""The setting types of config.env, shared by every concern's settings, and the export of parsed
variables into Django settings under their own names."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic_settings import BaseSettings, SettingsConfigDict

from config import oidc, resource_server, settings
from config.env import (
    AsymmetricAlgorithm,
    AsymmetricAlgorithms,
    CommaList,
    CommaOrSpaceList,
    Env,
    load,
    settings_from,
)


class Sample(BaseSettings):
    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore")

    SAMPLE_LIST: CommaList = []
    SAMPLE_SCOPES: CommaOrSpaceList = []
    SAMPLE_ALGO: AsymmetricAlgorithm = "ES256"
    SAMPLE_ALGOS: AsymmetricAlgorithms = []


def parse(monkeypatch, **environ) -> Sample:
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return load(Sample)


def test_lists_split_on_commas_and_drop_empty_items(monkeypatch):
    env = parse(monkeypatch, SAMPLE_LIST=" a,b ,,c d", SAMPLE_SCOPES="groups  openid,email")
    assert env.SAMPLE_LIST == ["a", "b", "c d"]
    assert env.SAMPLE_SCOPES == ["groups", "openid", "email"]


def test_asymmetric_algorithms_are_accepted(monkeypatch):
    env = parse(monkeypatch, SAMPLE_ALGO="EdDSA", SAMPLE_ALGOS="RS256, PS512")
    assert (env.SAMPLE_ALGO, env.SAMPLE_ALGOS) == ("EdDSA", ["RS256", "PS512"])


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"SAMPLE_ALGO": "HS256"}, "SAMPLE_ALGO: .*not an asymmetric signature algorithm: HS256"),
        ({"SAMPLE_ALGO": "none"}, "SAMPLE_ALGO: .*algorithm: none"),
        ({"SAMPLE_ALGOS": "RS256,HS512,none"}, "SAMPLE_ALGOS: .*algorithm: HS512, none"),
    ],
)
def test_symmetric_or_unknown_algorithms_stop_the_start(monkeypatch, environ, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse(monkeypatch, **environ)


@pytest.mark.parametrize("value", ["threads", "", "Celery"])
def test_jobs_mode_is_one_of_the_runners(monkeypatch, value):
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    monkeypatch.setenv("PEOPLE_JOBS_MODE", value)
    with pytest.raises(ImproperlyConfigured, match="PEOPLE_JOBS_MODE: .*'thread', 'celery' or 'eager'"):
        load(Env)


def test_every_sign_in_and_resource_server_variable_is_a_django_setting():
    for module, env in ((oidc, oidc.OIDC_ENV), (resource_server, resource_server.RS_ENV)):
        for name in type(env).model_fields.keys() - {"OIDC_RS_PRIVATE_KEY", "OIDC_RS_PRIVATE_KEY_STR"}:
            assert getattr(settings, name) == getattr(module, name) == getattr(env, name), name
    # the key given through OIDC_RS_PRIVATE_KEY_FILE is read under the one name
    assert not hasattr(settings, "OIDC_RS_PRIVATE_KEY")
    assert settings.EMAIL_PORT == settings.ENV.EMAIL_PORT


def test_export_names_only_known_variables():
    env = load(Env)
    assert settings_from(env, include=frozenset({"EMAIL_PORT"})) == {"EMAIL_PORT": env.EMAIL_PORT}
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PROT"):
        settings_from(env, include=frozenset({"EMAIL_PROT"}))


def test_outbox_schedule_defaults_and_bounds(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    env = load(Env)
    assert (env.OUTBOX_BACKOFF_BASE_SECONDS, env.OUTBOX_BACKOFF_MAX_SECONDS, env.OUTBOX_MAX_ATTEMPTS, env.OUTBOX_LOCK_SECONDS) == (10, 21600, 10, 300)
    assert settings.OUTBOX_LOCK_SECONDS == settings.ENV.OUTBOX_LOCK_SECONDS
    monkeypatch.setenv("OUTBOX_LOCK_SECONDS", "5")
    with pytest.raises(ImproperlyConfigured, match="OUTBOX_LOCK_SECONDS"):
        load(Env)
