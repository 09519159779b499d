"""The mail settings, typed and checked at start (config/mail.py), secrets from a file too."""

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import load
from config.mail import MailEnv

URL = "MAIL_PROVISIONING_API_URL"
CREDENTIALS = "MAIL_PROVISIONING_API_CREDENTIALS"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in (URL, CREDENTIALS, f"{CREDENTIALS}_FILE", "MAIL_TECHNICAL_ACCOUNTS", "MAIL_DOMAIN_CHECK_INTERVAL_PENDING"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_no_platform():
    env = load(MailEnv)
    assert (env.MAIL_PROVISIONING_API_URL, env.MAIL_PROVISIONING_API_CREDENTIALS) == (None, None)
    assert env.MAIL_DOMAIN_CHECK_INTERVAL_PENDING == 600
    assert env.MAIL_DOMAIN_CHECK_INTERVAL_ENABLED == 86400
    assert env.MAIL_TECHNICAL_ACCOUNTS == ["oxadmin"]


@pytest.mark.parametrize("given", ["people:secret", base64.b64encode(b"people:secret").decode()])
def test_credentials_as_user_password_or_base64(monkeypatch, given):
    monkeypatch.setenv(URL, "https://api.dimail.example/")
    monkeypatch.setenv(CREDENTIALS, given)
    env = load(MailEnv)
    assert env.MAIL_PROVISIONING_API_URL == "https://api.dimail.example"
    assert base64.b64decode(env.MAIL_PROVISIONING_API_CREDENTIALS) == b"people:secret"


def test_credentials_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "credentials"
    secret.write_text("people:from-file\n")
    monkeypatch.setenv(URL, "https://api.dimail.example")
    monkeypatch.setenv(f"{CREDENTIALS}_FILE", str(secret))
    assert base64.b64decode(load(MailEnv).MAIL_PROVISIONING_API_CREDENTIALS) == b"people:from-file"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({URL: "https://api.dimail.example"}, CREDENTIALS),
        ({URL: "ftp://api.dimail.example", CREDENTIALS: "a:b"}, URL),
        ({URL: "https://api.dimail.example", CREDENTIALS: "no-colon"}, CREDENTIALS),
        ({"MAIL_DOMAIN_CHECK_INTERVAL_PENDING": "0"}, "MAIL_DOMAIN_CHECK_INTERVAL_PENDING"),
    ],
)
def test_bad_values_stop_the_start_naming_the_variable(monkeypatch, variables, named):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=named):
        load(MailEnv)


def test_technical_accounts_are_a_list(monkeypatch):
    monkeypatch.setenv("MAIL_TECHNICAL_ACCOUNTS", "OXAdmin, postmaster")
    assert load(MailEnv).MAIL_TECHNICAL_ACCOUNTS == ["oxadmin", "postmaster"]
