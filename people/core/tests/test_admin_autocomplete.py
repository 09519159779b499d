"""Autocomplete fields of the admin: a malformed id is a form error, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE = {"accesses-TOTAL_FORMS": "0", "accesses-INITIAL_FORMS": "0"}


@pytest.mark.parametrize(
    ("url_name", "data", "fields"),
    [
        ("admin:teams_team_add", {"name": "T", "organization": "x", "parent": "y", "owner": "z", **INLINE},
         {"organization", "parent", "owner"}),
        ("admin:teams_teamaccess_add", {"team": "x", "user": "0" * 300, "role": "member"}, {"team", "user"}),
        ("admin:teams_invitation_add", {"team": "x", "email": "a@example.gouv.fr", "role": "member"}, {"team"}),
        ("admin:contacts_contact_add", {"owner": "x", "override": "y", "full_name": "A", "data": "{}"},
         {"owner", "override"}),
        ("admin:identity_user_add", {"email": "a@example.gouv.fr", "organization": "x", "usable_password": "false"},
         {"organization"}),
    ],
)
def test_malformed_ids_are_form_errors(client, operator, url_name, data, fields):
    response = client.post(reverse(url_name), data)
    assert response.status_code == 200
    assert fields <= set(response.context["adminform"].form.errors)
