"""Sign-out at the provider (RP-initiated logout) and silent sign-in, through the real provider."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests

from tests.peers.oidc import login as headless

pytestmark = [pytest.mark.peer, pytest.mark.django_db(transaction=True)]


def _signed_in(people_oidc, http: requests.Session) -> str:
    login = people_oidc.new_account(email=f"out{id(http)}@example.fr", given_name="Lou", usual_name="Gout")
    assert people_oidc.sign_in(http, login).location == "/"
    assert people_oidc.me(http).status_code == 200
    return login


def test_logout_goes_through_the_provider_and_comes_back_logged_out(people_oidc):
    with requests.Session() as http:
        _signed_in(people_oidc, http)
        response = http.get(people_oidc.url("/api/v1.0/logout/"), allow_redirects=False, timeout=10)
        assert response.status_code == 302
        end_session = response.headers["Location"]
        assert end_session.startswith(people_oidc.provider.end_session_endpoint)
        params = headless.query_of(end_session)
        assert params["post_logout_redirect_uri"] == people_oidc.url("/api/v1.0/logout-callback/")
        assert params["id_token_hint"].count(".") == 2
        # The Django session is kept until the provider sends the user back.
        assert people_oidc.me(http).status_code == 200

        back = people_oidc.provider.logout(http, end_session, stop_prefix=people_oidc.url("/api/v1.0/logout-callback/"))
        assert headless.query_of(back) == {"state": params["state"]}
        final = http.get(back, allow_redirects=False, timeout=10)
        assert final.status_code == 302
        assert final.headers["Location"] == "/"
        assert people_oidc.me(http).status_code in (401, 403)
        # The provider's session is over too: signing in asks for the login again.
        page = http.get(people_oidc.url("/api/v1.0/authenticate/"), timeout=10)
        assert 'id="login"' in page.text


def test_forged_state_is_refused_and_keeps_the_session(people_oidc):
    with requests.Session() as http:
        _signed_in(people_oidc, http)
        http.get(people_oidc.url("/api/v1.0/logout/"), allow_redirects=False, timeout=10)
        forged = http.get(people_oidc.url("/api/v1.0/logout-callback/?state=forged"), allow_redirects=False, timeout=10)
        assert forged.status_code == 400
        assert "still signed in" in forged.text
        assert people_oidc.me(http).status_code == 200


def test_replayed_state_does_not_log_out_a_new_session(people_oidc):
    with requests.Session() as http:
        _signed_in(people_oidc, http)
        end_session = http.get(people_oidc.url("/api/v1.0/logout/"), allow_redirects=False, timeout=10).headers["Location"]
        back = people_oidc.provider.logout(http, end_session, stop_prefix=people_oidc.url("/api/v1.0/logout-callback/"))
        http.get(back, allow_redirects=False, timeout=10)
    with requests.Session() as other:
        _signed_in(people_oidc, other)
        replay = other.get(back, allow_redirects=False, timeout=10)
        assert replay.status_code == 400
        assert people_oidc.me(other).status_code == 200


def test_without_end_session_endpoint_the_logout_is_local(people_oidc):
    people_oidc.use("people", OIDC_OP_LOGOUT_ENDPOINT=None)
    with requests.Session() as http:
        _signed_in(people_oidc, http)
        response = http.get(people_oidc.url("/api/v1.0/logout/"), allow_redirects=False, timeout=10)
        assert response.headers["Location"] == "/"
        assert people_oidc.me(http).status_code in (401, 403)


def test_silent_sign_in_without_provider_session_comes_back_quietly(people_oidc):
    with requests.Session() as http:
        start = http.get(people_oidc.url("/api/v1.0/authenticate/?silent=true&next=/teams/"), allow_redirects=False, timeout=10)
        assert headless.query_of(start.headers["Location"])["prompt"] == "none"
        callback = headless.complete_login(
            http, start.headers["Location"], login="unused", stop_prefix=people_oidc.url("/api/v1.0/callback/")
        )
        assert headless.query_of(callback)["error"] == "login_required"
        back = http.get(callback, allow_redirects=False, timeout=10)
        assert back.status_code == 302
        assert back.headers["Location"] == "/teams/"
        assert people_oidc.me(http).status_code in (401, 403)


def test_silent_sign_in_with_provider_session_signs_in(people_oidc):
    with requests.Session() as http:
        _signed_in(people_oidc, http)
        host = urlparse(people_oidc.base_url).hostname
        for cookie in list(http.cookies):  # forget People's session only, keep the provider's
            if cookie.domain.startswith(host):
                http.cookies.clear(cookie.domain, cookie.path, cookie.name)
        assert people_oidc.me(http).status_code in (401, 403)
        start = http.get(people_oidc.url("/api/v1.0/authenticate/?silent=true"), allow_redirects=False, timeout=10)
        callback = headless.complete_login(
            http, start.headers["Location"], login="unused", stop_prefix=people_oidc.url("/api/v1.0/callback/")
        )
        assert "code" in headless.query_of(callback)
        assert http.get(callback, allow_redirects=False, timeout=10).headers["Location"] == "/"
        assert people_oidc.me(http).status_code == 200
