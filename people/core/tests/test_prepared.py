"""PreparedGet: the session's user read with SQL compiled once, and the same instance the ORM
builds (fields, converters, the organization joined), on both databases."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from people.core.prepared import PreparedGet
from people.identity.auth.backends import session_user
from people.identity.models import User
from tests.factories import UNKNOWN_ID, UserFactory

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_the_user_and_organization_equal_the_orm_s(django_assert_num_queries):
    user = UserFactory(name="Ada Lovelace", is_staff=True)
    with django_assert_num_queries(1):
        read = session_user(str(user.pk))
        assert read.organization.name == user.organization.name  # joined: no second query
    expected = User.objects.select_related("organization").get(pk=user.pk)
    assert fields(read) == fields(expected)
    assert fields(read.organization) == fields(expected.organization)
    assert read._state.adding is False
    assert read._state.db == expected._state.db


def test_a_user_without_organization():
    user = UserFactory(organization=None)
    read = session_user(user.pk)
    assert read == user
    assert read.organization is None


def test_unknown_disabled_and_malformed_ids_are_nobody():
    disabled = UserFactory(is_active=False)
    assert session_user(UNKNOWN_ID) is None
    assert session_user(disabled.pk) is None
    assert session_user("not-a-uuid") is None


def test_compiled_once_then_run_with_each_value(monkeypatch):
    prepared = PreparedGet(lambda pk: User.objects.filter(pk=pk), pk=User._meta.pk)
    first, second = UserFactory(), UserFactory()
    assert prepared.get(pk=first.pk) == first
    compiled = []
    real = SQLCompiler.as_sql
    monkeypatch.setattr(SQLCompiler, "as_sql", lambda self, *a, **k: compiled.append(1) or real(self, *a, **k))
    assert prepared.get(pk=second.pk) == second
    assert prepared.get(pk=str(first.pk)) == first
    assert compiled == []
    with pytest.raises(ValidationError):
        prepared.get(pk="nope")


def test_a_queryset_without_the_value_as_one_parameter_is_refused():
    prepared = PreparedGet(lambda pk: User.objects.all(), pk=User._meta.pk)
    with pytest.raises(ValueError, match="'pk' is not a parameter"):
        prepared.get(pk=UNKNOWN_ID)


def test_a_text_field_lookup_matches_exactly():
    prepared = PreparedGet(lambda sub: User.objects.filter(sub=sub, is_active=True), sub=User._meta.get_field("sub"))
    user = UserFactory(sub="agent-7")
    UserFactory(sub="agent-70")
    assert prepared.get(sub="agent-7") == user
    assert prepared.get(sub="AGENT-7") is None
    assert prepared.get(sub="agent-") is None


def test_several_values_each_in_several_places_and_annotations():
    """A value used twice (a lookup and raw SQL given its database value), a second value,
    and an annotation read back, as the ORM reads them."""
    def build(pk, organization):
        raw = RawSQL("SELECT COUNT(*) FROM identity_user u WHERE u.id = %s", [User._meta.pk.get_db_prep_value(pk, connection)])
        return User.objects.filter(pk=pk, organization_id=organization).annotate(same=raw, tag=Value("x"))

    prepared = PreparedGet(build, pk=User._meta.pk, organization=User._meta.get_field("organization").target_field)
    user, other = UserFactory(), UserFactory()
    read = prepared.get(pk=user.pk, organization=user.organization_id)
    expected = build(user.pk, user.organization_id).get()
    assert fields(read) == fields(expected)
    assert (read.same, read.tag) == (expected.same, expected.tag) == (1, "x")
    assert prepared.get(pk=user.pk, organization=other.organization_id) is None
    assert prepared.get(pk=other.pk, organization=other.organization_id) == other
