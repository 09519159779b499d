"""Helpers of the end-to-end tests against the real test OpenID provider (tests/peers/oidc).

The provider introspects real access tokens issued to `service-a` / `service-b` through a real
authorization code flow. For the JWT format it encrypts its answers to the key it reads from our
`/api/v1.0/jwks` on the live server, so that key must stay the same for the whole run.
"""

from __future__ import annotations

import socket
import threading

import pytest
from joserfc.jwk import RSAKey

from people.oidc import keys

_RS_KEY = RSAKey.generate_key(2048, private=True)


def configure(settings, provider, *, client_id: str = "people-rs", fmt: str = "json", cache_ttl: int = 60) -> None:
    """Point People's resource server at `provider` as `client_id`."""
    settings.OIDC_OP_URL = provider.issuer
    settings.OIDC_OP_INTROSPECTION_ENDPOINT = provider.introspection_endpoint
    settings.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
    settings.OIDC_RS_CLIENT_ID = client_id
    settings.OIDC_RS_CLIENT_SECRET = provider.clients[client_id].client_secret
    settings.OIDC_RS_PRIVATE_KEY_STR = _RS_KEY.as_pem(private=True).decode()
    settings.OIDC_RS_INTROSPECTION_FORMAT = fmt
    settings.OIDC_RS_SIGNING_ALGO = "ES256"
    settings.OIDC_RS_SCOPES = ["groups"]
    settings.OIDC_RS_AUDIENCE_CLAIM = "client_id"
    settings.OIDC_RS_CACHE_TTL = cache_ttl
    settings.OIDC_RS_INACTIVE_CACHE_TTL = 0
    settings.OIDC_RS_TIMEOUT = 2.0
    keys.reset()


def bearer(client, token: str):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


class SilentServer:
    """A TCP server on loopback that accepts connections and never answers (a hung provider)."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.sock.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def close(self) -> None:
        for connection in self.accepted:
            connection.close()
        self.sock.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()
