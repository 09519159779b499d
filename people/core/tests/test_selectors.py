"""One row by an id from outside: what a caller may not see is as missing as what does not
exist, and a malformed id is missing too (never a 500)."""

from __future__ import annotations

import uuid

import pytest

from people.core.errors import NotFound
from people.core.selectors import get_or_not_found
from people.identity.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_visible_row_is_found_by_its_id_or_its_text():
    user = UserFactory()
    assert get_or_not_found(User.objects.all(), user.pk) == user
    assert get_or_not_found(User.objects.all(), str(user.pk)) == user


@pytest.mark.parametrize("kind", ["hidden", "unknown", "malformed", "none", "object"])
def test_hidden_unknown_and_malformed_ids_are_the_same_not_found(kind):
    hidden = UserFactory(is_active=False)
    object_id = {
        "hidden": hidden.pk,
        "unknown": uuid.uuid4(),
        "malformed": "1 OR 1=1",
        "none": None,
        "object": {"id": str(hidden.pk)},
    }[kind]
    with pytest.raises(NotFound) as raised:
        get_or_not_found(User.objects.filter(is_active=True), object_id)
    assert raised.value.detail == "No User matches the given query."
    assert raised.value.status_code == 404
