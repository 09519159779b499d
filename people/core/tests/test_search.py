import pytest

from people.core.search import build_search_text, normalize, search
from tests.factories import UserFactory


def test_normalize_strips_accents_case_and_spaces():
    assert normalize("  Élodie   DURAND ") == "elodie durand"
    assert normalize("Ǆemal Øster") == "dzemal øster"
    assert normalize(None) == ""


def test_build_search_text_skips_empty_parts():
    assert build_search_text(["Zoé", None, "", "ZOE@Example.org"]) == "zoe zoe@example.org"


@pytest.mark.django_db
def test_search_matches_every_word_accent_insensitively():
    from people.identity.models import User

    helene = UserFactory(name="Hélène Lefèvre", email="h.lefevre@example.org")
    UserFactory(name="Helen Smith", email="helen@example.org")
    assert list(search(User.objects.all(), "helene LEFEVRE")) == [helene]
    assert list(search(User.objects.all(), "lefèvre@example.org")) == [helene]
    assert list(search(User.objects.all(), "lefevre@example.com")) == []
    assert set(search(User.objects.all(), "hel")) == set(User.objects.all())
    assert search(User.objects.all(), "   ").count() == 2
