"""Complete sign-in and sign-out at the test OpenID provider headlessly, with `requests`.

The provider's pages are plain HTML forms (see `server.mjs`): a login form taking the account
id (the password is ignored), a consent form, and the RP-initiated logout confirmation. These
helpers follow redirects by hand so that they can stop right before the relying party's
redirect URI and hand that URL back: the caller decides whether to follow it (for example
with the same `requests.Session`, which holds the relying party's session cookie too).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import requests

TIMEOUT = 10
MAX_STEPS = 20


class ProviderError(AssertionError):
    """The provider answered with something a headless sign-in cannot go through."""


@dataclass
class Form:
    id: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(
                id=values.get("id", ""),
                action=values.get("action", ""),
                method=values.get("method", "get").lower(),
            )
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and values.get("name"):
            self._current.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def parse_forms(html: str) -> dict[str, Form]:
    parser = _FormParser()
    parser.feed(html)
    return {form.id: form for form in parser.forms}


def pkce_pair() -> tuple[str, str]:
    """A PKCE (verifier, S256 challenge) pair."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _walk(
    http: requests.Session,
    url: str,
    *,
    stop_prefix: str,
    on_page,
    max_steps: int = MAX_STEPS,
) -> str:
    """Follow redirects from `url`, letting `on_page` answer HTML pages, until `stop_prefix`."""
    method, data = "get", None
    for _ in range(max_steps):
        if url.startswith(stop_prefix):
            return url
        response = http.request(method, url, data=data, allow_redirects=False, timeout=TIMEOUT)
        method, data = "get", None
        if response.is_redirect or response.status_code in (301, 302, 303, 307, 308):
            url = urljoin(url, response.headers["location"])
            continue
        next_step = on_page(url, response)
        if next_step is None:
            raise ProviderError(f"unexpected page at {url} ({response.status_code}): {response.text[:2000]}")
        method, url, data = next_step
    raise ProviderError(f"too many steps before reaching {stop_prefix}")


def complete_login(
    http: requests.Session,
    authorization_url: str,
    *,
    login: str,
    stop_prefix: str,
    consent: bool = True,
) -> str:
    """Go through the provider's login (and consent) pages; return the redirect to the client.

    `authorization_url` may be the provider's authorization URL or any URL redirecting to it
    (such as the relying party's `/authenticate/`). The returned URL starts with `stop_prefix`
    (the client's redirect URI) and carries `code` and `state`, or `error`.
    """

    def on_page(url: str, response: requests.Response):
        forms = parse_forms(response.text)
        if "login" in forms and response.status_code == 200:
            form = forms["login"]
            return "post", urljoin(url, form.action), {"login": login, "password": "ignored"}
        if "consent" in forms:
            form = forms["consent" if consent else "abort"]
            return "post", urljoin(url, form.action), {}
        return None

    return _walk(http, authorization_url, stop_prefix=stop_prefix, on_page=on_page)


def complete_logout(http: requests.Session, end_session_url: str, *, stop_prefix: str) -> str:
    """Confirm the provider's sign-out page; return the redirect to `post_logout_redirect_uri`."""

    def on_page(url: str, response: requests.Response):
        parser = _FormParser()
        parser.feed(response.text)
        for form in parser.forms:
            # The confirmation page (signed-in session), or the self-submitting form the
            # provider sends when it holds no session for this browser.
            if form.id == "op.logoutForm" or (form.method == "post" and "/session/end/confirm" in form.action):
                return "post", urljoin(url, form.action), {**form.fields, "logout": "yes"}
        return None

    return _walk(http, end_session_url, stop_prefix=stop_prefix, on_page=on_page)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


def obtain_tokens(
    *,
    authorization_endpoint: str,
    token_endpoint: str,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    login: str,
    scope: str = "openid email profile groups",
    extra_params: dict[str, str] | None = None,
    auth_method: str = "client_secret_basic",
) -> dict:
    """Run a whole authorization code flow (PKCE) for a confidential client; return its tokens.

    The redirect URI is never fetched: the code is read from the redirect and exchanged at the
    token endpoint, the client authenticating with `auth_method` (`client_secret_basic` or
    `client_secret_post`).
    """
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(16)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": state,
        "nonce": secrets.token_urlsafe(16),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        **(extra_params or {}),
    }
    if "offline_access" in scope.split():
        params.setdefault("prompt", "consent")
    with requests.Session() as http:
        final = complete_login(
            http, f"{authorization_endpoint}?{urlencode(params)}", login=login, stop_prefix=redirect_uri
        )
        answer = query_of(final)
        if "code" not in answer or answer.get("state") != state:
            raise ProviderError(f"no code in the redirect: {final}")
        data = {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        auth = None
        if auth_method == "client_secret_post":
            data.update(client_id=client_id, client_secret=client_secret)
        else:
            auth = (client_id, client_secret)
        response = http.post(token_endpoint, data=data, auth=auth, timeout=TIMEOUT)
    if response.status_code != 200:
        raise ProviderError(f"token endpoint answered {response.status_code}: {response.text}")
    return response.json()
