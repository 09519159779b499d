"""Helpers for end-to-end tests driving People (live_server) through the real provider.

`people_oidc` points People's OIDC settings at the running provider (client `people` by
default; call `.use("people-jwt")` to switch) with the caches reset, and offers `sign_in` /
`sign_out` with a `requests.Session` acting as the browser.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from tests.peers.oidc import login as headless
from tests.peers.oidc.fixtures import OidcProvider

_accounts = itertools.count(1)


@dataclass
class SignIn:
    callback_url: str
    response: requests.Response

    @property
    def location(self) -> str:
        return self.response.headers.get("Location", "")


class PeopleOidc:
    def __init__(self, *, provider: OidcProvider, live_server: Any, settings: Any):
        self.provider = provider
        self.base_url = live_server.url
        self.settings = settings

    def use(self, client_id: str = "people", *, discovery: bool = False, **overrides: Any) -> PeopleOidc:
        from people.oidc import provider as op

        for name, value in {**self.provider.django_settings(client_id, discovery=discovery), **overrides}.items():
            setattr(self.settings, name, value)
        op.reset_cache()
        return self

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def new_account(self, **claims: Any) -> str:
        """A fresh provider account (unique id) with these claims; returns its id (the sub)."""
        account_id = f"agent-{next(_accounts)}-{id(self) % 10000}"
        self.provider.put_account(account_id, claims)
        return account_id

    def sign_in(self, http: requests.Session, login: str, *, query: str = "") -> SignIn:
        """Start at /authenticate/, sign in at the provider, call our callback (not followed)."""
        callback = self.url("/api/v1.0/callback/")
        final = headless.complete_login(
            http, self.url(f"/api/v1.0/authenticate/{query}"), login=login, stop_prefix=callback
        )
        return SignIn(callback_url=final, response=http.get(final, allow_redirects=False, timeout=10))

    def me(self, http: requests.Session) -> requests.Response:
        return http.get(self.url("/api/v1.0/users/me/"), timeout=10)


@pytest.fixture
def people_oidc(oidc_provider, live_server, settings) -> Iterator[PeopleOidc]:
    helper = PeopleOidc(provider=oidc_provider, live_server=live_server, settings=settings)
    helper.use("people")
    yield helper
    from people.oidc import provider as op

    op.reset_cache()
