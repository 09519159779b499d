"""`user_match`: by sub first (inactive included), then by e-mail when allowed, never guessing."""

from __future__ import annotations

import pytest

from people.identity.auth.errors import AmbiguousEmail
from people.identity.auth.matching import user_match
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_by_sub_first(settings):
    by_sub = UserFactory(sub="s-1", email="one@example.fr")
    UserFactory(sub="s-2", email="two@example.fr")
    assert user_match(sub="s-1", email="two@example.fr") == by_sub


def test_inactive_user_is_found_by_sub():
    user = UserFactory(sub="s-1", is_active=False)
    assert user_match(sub="s-1", email=None) == user


def test_email_fallback_is_case_insensitive(settings):
    settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = True
    user = UserFactory(sub="old", email="someone@example.fr")
    assert user_match(sub="new", email="SomeOne@Example.FR ") == user


def test_no_email_fallback_when_disabled(settings):
    settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = False
    UserFactory(sub="old", email="someone@example.fr")
    assert user_match(sub="new", email="someone@example.fr") is None


def test_two_users_with_the_email_are_refused(settings, emails_not_unique):
    settings.OIDC_FALLBACK_TO_EMAIL_FOR_IDENTIFICATION = True
    UserFactory(sub="a", email="twice@example.fr")
    UserFactory(sub="b", email="twice@example.fr")
    with pytest.raises(AmbiguousEmail):
        user_match(sub="c", email="twice@example.fr")
    # A sub match still wins: no ambiguity then.
    assert user_match(sub="a", email="twice@example.fr").sub == "a"


@pytest.mark.parametrize(("sub", "email"), [(None, None), ("", ""), ("  ", None), ("unknown", "nobody@example.fr")])
def test_nothing_matches(sub, email):
    UserFactory(sub="s-1", email="one@example.fr")
    assert user_match(sub=sub, email=email) is None


def test_constant_queries(django_assert_max_num_queries):
    UserFactory(sub="s-1", email="one@example.fr")
    with django_assert_max_num_queries(2):
        user_match(sub="other", email="one@example.fr")
