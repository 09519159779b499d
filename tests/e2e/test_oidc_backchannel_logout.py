"""Back-channel logout: signing out at the provider ends our session, server to server."""

from __future__ import annotations

import pytest
import requests

from tests.peers.oidc import login as headless

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def test_signing_out_at_the_provider_ends_our_session(people_oidc):
    login = people_oidc.new_account(email="bcl@example.fr", given_name="Bea", usual_name="Channel")
    with requests.Session() as http, requests.Session() as other_device:
        assert people_oidc.sign_in(http, login).location == "/"
        assert people_oidc.sign_in(other_device, login).location == "/"
        # The user signs out at the provider itself (not through us), in the first browser.
        page = http.get(people_oidc.provider.end_session_endpoint, timeout=10)
        form = headless.parse_forms(page.text)["op.logoutForm"]
        done = http.post(
            headless.urljoin(page.url, form.action), data={**form.fields, "logout": "yes"}, timeout=10
        )
        assert done.status_code == 200
        assert people_oidc.me(http).status_code in (401, 403)
        # Only the provider session that signed out is ended (by its sid).
        assert people_oidc.me(other_device).status_code == 200
