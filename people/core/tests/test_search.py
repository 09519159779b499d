import pytest

from people.core.search import build_search_text, normalize, search
from tests import plans
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


@pytest.mark.django_db
@plans.postgresql_plans
def test_within_scope_gives_the_planner_no_index_for_the_words():
    """The default match can be served by the trigram index; `within_scope` cannot, so that a
    search narrowed to the caller's rows reads those rows and not every match of the table."""
    from django.db import connection

    from people.identity.models import User

    def indexes_used(queryset) -> set:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # any usable index is taken
        return {node.get("Index Name") for node in plans.plan_nodes(plans.explain(sql, params)["Plan"])} - {None}

    assert any("trgm" in name for name in indexes_used(search(User.objects.all(), "ma")))
    assert not any("trgm" in name for name in indexes_used(search(User.objects.all(), "ma", within_scope=True)))


@pytest.mark.django_db
def test_within_scope_finds_the_same_rows():
    from people.identity.models import User

    for name in ("Élodie Marchand", "Marc Durand", "Anne Leroy"):
        UserFactory(name=name)
    for query in ("mar", "MARC dur", "élo", "zzz", ""):
        assert set(search(User.objects.all(), query, within_scope=True)) == set(search(User.objects.all(), query))
