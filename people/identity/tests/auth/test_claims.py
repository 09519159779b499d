"""Reading claims: essential claims, full name, short name, e-mail, registration id."""

from __future__ import annotations

import pytest

from people.identity.auth import claims as read


@pytest.fixture(autouse=True)
def _fields(settings):
    settings.OIDC_USERINFO_FULLNAME_FIELDS = ["given_name", "usual_name"]
    settings.OIDC_USERINFO_SHORTNAME_FIELD = "given_name"
    settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = "siret"
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = ["email", "usual_name"]


@pytest.mark.parametrize(
    ("claims", "name"),
    [
        ({"given_name": "Marie", "usual_name": "Curie"}, "Marie Curie"),
        ({"given_name": "  Marie  Ann ", "usual_name": "Curie"}, "Marie Ann Curie"),
        ({"given_name": "", "usual_name": "Curie"}, "Curie"),
        ({"given_name": None, "usual_name": "Curie", "email": "m@x.fr"}, "Curie"),
        ({"given_name": ["Marie"], "usual_name": {"x": 1}, "email": "marie.c@x.fr"}, "marie.c"),
        ({"email": "Marie.C@X.fr"}, "marie.c"),
        ({"email": "not-an-email"}, ""),
        ({}, ""),
        ({"given_name": "x" * 300}, "x" * 255),
    ],
)
def test_full_name(claims, name):
    assert read.full_name_from(claims) == name


def test_full_name_fields_order_follows_the_setting(settings):
    settings.OIDC_USERINFO_FULLNAME_FIELDS = ["usual_name", "given_name"]
    assert read.full_name_from({"given_name": "Marie", "usual_name": "Curie"}) == "Curie Marie"


def test_short_name():
    assert read.short_name_from({"given_name": "Marie"}) == "Marie"
    assert read.short_name_from({"given_name": 12}) == "12"
    assert read.short_name_from({}) == ""


@pytest.mark.parametrize(
    ("claims", "missing"),
    [
        ({"sub": "s", "email": "a@b.fr", "usual_name": "C"}, []),
        ({"sub": "s", "email": "a@b.fr"}, ["usual_name"]),
        ({"sub": "s", "email": "a@b.fr", "usual_name": "   "}, ["usual_name"]),
        ({"sub": "s", "email": "a@b.fr", "usual_name": True}, ["usual_name"]),
        ({"sub": "s", "email": "nope", "usual_name": "C"}, ["email"]),
        ({"email": "a@b.fr", "usual_name": "C"}, ["sub"]),
        ({"sub": "s" * 256, "email": "a@b.fr", "usual_name": "C"}, ["sub"]),
        ({}, ["sub", "email", "usual_name"]),
    ],
)
def test_missing_essential_claims(claims, missing):
    assert read.missing_essential_claims(claims) == missing


def test_sub_is_always_essential(settings):
    settings.OIDC_USERINFO_ESSENTIAL_CLAIMS = []
    assert read.missing_essential_claims({"email": "a@b.fr"}) == ["sub"]


@pytest.mark.parametrize(
    ("value", "email"),
    [("A.B@Example.FR", "a.b@example.fr"), (" a@b.fr ", "a@b.fr"), ("a@", None), (42, None), ("a" * 250 + "@b.fr", None)],
)
def test_email(value, email):
    assert read.email_from({"email": value}) == email


def test_registration_id(settings):
    assert read.registration_id_from({"siret": " 13002526500013 "}) == "13002526500013"
    assert read.registration_id_from({"siret": ""}) is None
    settings.OIDC_ORGANIZATION_REGISTRATION_ID_FIELD = None
    assert read.registration_id_from({"siret": "13002526500013"}) is None
