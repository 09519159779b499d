"""pytest fixtures running the real test OpenID provider (npm `oidc-provider`, see server.mjs).

Register them in a conftest with `from tests.peers.oidc.fixtures import *  # noqa: F403`
(`tests/conftest.py` does so). `oidc_provider` is session-scoped and built on pytest-django's
`live_server`, so the provider knows our callback and JWKS URLs. Tests are skipped, with the
reason shown, only when `node` is missing; a missing or stale npm install is repaired with
`npm ci` into the cache folder the Makefile uses (`.cache/peers/oidc`).
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from joserfc.jwk import ECKey, RSAKey

from tests.peers.oidc import login as headless

PEER_DIR = Path(__file__).resolve().parent
REPO_DIR = PEER_DIR.parents[2]
CACHE_DIR = Path(os.environ.get("PEOPLE_PEERS_CACHE", REPO_DIR / ".cache" / "peers")) / "oidc"
SERVER_SCRIPT = PEER_DIR / "server.mjs"
START_TIMEOUT = 30.0

# Redirect URI of the suite's service clients: never followed, the code is read from it.
SERVICE_REDIRECT_URI = "http://127.0.0.1:1/cb"
SCOPES = "openid email profile groups offline_access"

# A valid SIRET (Luhn) for the default accounts.
SIRET = "13002526500013"

DEFAULT_ACCOUNTS: dict[str, dict[str, Any]] = {
    "alice": {
        "email": "alice.martin@ministere.example.gouv.fr",
        "given_name": "Alice",
        "usual_name": "Martin",
        "siret": SIRET,
        "groups": ["agents"],
    },
    "bob": {
        "email": "bob.durand@commune.example.fr",
        "given_name": "Bob",
        "usual_name": "Durand",
        "groups": [],
    },
}


def node_path() -> str | None:
    return shutil.which("node")


def _lockfile_installed() -> bool:
    installed = CACHE_DIR / "package-lock.json"
    return (
        (CACHE_DIR / "node_modules" / "oidc-provider" / "package.json").is_file()
        and installed.is_file()
        and installed.read_bytes() == (PEER_DIR / "package-lock.json").read_bytes()
    )


def ensure_node_modules() -> Path:
    """`npm ci` the provider into the cache folder unless the same lockfile is installed there.

    Several processes may ask at once (`pytest -n`: each worker starts its own provider): a
    lock file next to the cache lets one install while the others wait, then find it done.
    """
    if _lockfile_installed():
        return CACHE_DIR / "node_modules"
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with (CACHE_DIR.parent / "oidc.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if _lockfile_installed():
                return CACHE_DIR / "node_modules"
            return _npm_ci()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _npm_ci() -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed to install the test OpenID provider into {CACHE_DIR}")
    (CACHE_DIR / "package-lock.json").unlink(missing_ok=True)
    shutil.copyfile(PEER_DIR / "package.json", CACHE_DIR / "package.json")
    shutil.copyfile(PEER_DIR / "package-lock.json", CACHE_DIR / "package-lock.json.new")
    os.replace(CACHE_DIR / "package-lock.json.new", CACHE_DIR / "package-lock.json")
    result = subprocess.run(  # noqa: S603
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=CACHE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        (CACHE_DIR / "package-lock.json").unlink(missing_ok=True)
        raise RuntimeError(f"npm ci failed in {CACHE_DIR}:\n{result.stdout}\n{result.stderr}")
    return CACHE_DIR / "node_modules"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SigningKeys:
    """The provider's signing keys (RS256 and ES256), stable for a whole test run."""

    rsa: RSAKey
    ec: ECKey

    @classmethod
    def generate(cls) -> SigningKeys:
        return cls(
            rsa=RSAKey.generate_key(
                2048, parameters={"kid": "op-rs256", "alg": "RS256", "use": "sig"}, private=True
            ),
            ec=ECKey.generate_key(
                "P-256", parameters={"kid": "op-es256", "alg": "ES256", "use": "sig"}, private=True
            ),
        )

    def private_jwks(self) -> dict:
        return {"keys": [self.rsa.as_dict(private=True), self.ec.as_dict(private=True)]}

    def public_jwks(self) -> dict:
        return {"keys": [self.rsa.as_dict(private=False), self.ec.as_dict(private=False)]}


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class OidcProvider:
    """A running provider: its issuer, endpoints, clients, and helpers to drive it."""

    issuer: str
    discovery: dict[str, Any]
    clients: dict[str, Client]
    keys: SigningKeys
    rp_encryption_key: RSAKey
    process: subprocess.Popen
    log_path: Path

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def authorization_endpoint(self) -> str:
        return self.discovery["authorization_endpoint"]

    @property
    def token_endpoint(self) -> str:
        return self.discovery["token_endpoint"]

    @property
    def userinfo_endpoint(self) -> str:
        return self.discovery["userinfo_endpoint"]

    @property
    def jwks_uri(self) -> str:
        return self.discovery["jwks_uri"]

    @property
    def end_session_endpoint(self) -> str:
        return self.discovery["end_session_endpoint"]

    @property
    def introspection_endpoint(self) -> str:
        return self.discovery["introspection_endpoint"]

    @property
    def revocation_endpoint(self) -> str:
        return self.discovery["revocation_endpoint"]

    @property
    def rp_encryption_key_pem(self) -> str:
        """Our private key (PEM) for userinfo encrypted to us (client `people-jwe`)."""
        return self.rp_encryption_key.as_pem(private=True).decode("ascii")

    def put_account(self, account_id: str, claims: dict[str, Any]) -> None:
        """Create or replace an account (its claims, `sub` excepted: the sub is the id)."""
        response = requests.put(
            f"{self.issuer}/__test__/accounts/{account_id}", json=claims, timeout=headless.TIMEOUT
        )
        response.raise_for_status()

    def delete_account(self, account_id: str) -> None:
        requests.delete(f"{self.issuer}/__test__/accounts/{account_id}", timeout=headless.TIMEOUT)

    def calls_to(self, url: str) -> int:
        """How many requests the provider has received at `url`'s path since it started."""
        response = requests.get(f"{self.issuer}/__test__/calls", timeout=headless.TIMEOUT)
        response.raise_for_status()
        return response.json().get(urlsplit(url).path, 0)

    def login(self, http: requests.Session, url: str, *, login: str, stop_prefix: str, consent: bool = True) -> str:
        return headless.complete_login(http, url, login=login, stop_prefix=stop_prefix, consent=consent)

    def logout(self, http: requests.Session, url: str, *, stop_prefix: str) -> str:
        return headless.complete_logout(http, url, stop_prefix=stop_prefix)

    def tokens_for(self, client_id: str, *, login: str, scope: str = "openid email profile groups") -> dict:
        """Real tokens (access, ID, refresh with `offline_access`) issued to `client_id` for `login`."""
        client = self.clients[client_id]
        return headless.obtain_tokens(
            authorization_endpoint=self.authorization_endpoint,
            token_endpoint=self.token_endpoint,
            client_id=client.client_id,
            client_secret=client.client_secret,
            redirect_uri=client.redirect_uris[0],
            login=login,
            scope=scope,
            auth_method=client.metadata.get("token_endpoint_auth_method", "client_secret_basic"),
        )

    def django_settings(self, client_id: str = "people", *, discovery: bool = False) -> dict[str, Any]:
        """The OIDC_* settings pointing People at this provider as `client_id`."""
        client = self.clients[client_id]
        values: dict[str, Any] = {
            "OIDC_RP_CLIENT_ID": client.client_id,
            "OIDC_RP_CLIENT_SECRET": client.client_secret,
            "OIDC_RP_SIGN_ALGO": client.metadata.get("id_token_signed_response_alg", "RS256"),
            "OIDC_RP_SCOPES": "openid email profile",
        }
        endpoints = {
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": self.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": self.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": self.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": self.jwks_uri,
            "OIDC_OP_LOGOUT_ENDPOINT": self.end_session_endpoint,
        }
        if discovery:
            values["OIDC_OP_URL"] = self.issuer
            values.update({name: None for name in endpoints})
        else:
            values["OIDC_OP_URL"] = None
            values.update(endpoints)
        return values

    def stop(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)


def build_clients(
    *,
    rp_base_url: str,
    rp_encryption_key: RSAKey,
    rs_client: dict[str, Any] | None = None,
    extra_clients: list[dict[str, Any]] | None = None,
) -> list[Client]:
    """The clients of the test federation.

    - `people` (userinfo JSON, back-channel logout), `people-jwt` (ID token and userinfo signed ES256),
      `people-jwe` (userinfo signed then encrypted to our key), `people-pairwise`
      (pairwise subjects): confidential relying parties for our sign-in;
    - `service-a`, `service-b`: services of the suite obtaining access tokens for users;
    - `people-rs` (JSON introspection, metadata overridable), `people-rs-jwt` (signed
      introspection), `people-rs-jwe` (signed then encrypted to our `/api/v1.0/jwks`).
    """
    callback = f"{rp_base_url}/api/v1.0/callback/"
    logout_callback = f"{rp_base_url}/api/v1.0/logout-callback/"
    our_jwks_uri = f"{rp_base_url}/api/v1.0/jwks"
    # Published like our /api/v1.0/jwks does it: kid = RFC 7638 thumbprint.
    encryption_jwk = {
        **rp_encryption_key.as_dict(private=False),
        "kid": rp_encryption_key.thumbprint(),
        "use": "enc",
        "alg": "RSA-OAEP",
    }

    def rp(client_id: str, **metadata: Any) -> Client:
        return Client(
            client_id=client_id,
            client_secret=secrets.token_urlsafe(24),
            redirect_uris=[callback],
            metadata={
                "client_name": f"People ({client_id})",
                "post_logout_redirect_uris": [logout_callback],
                "token_endpoint_auth_method": "client_secret_post",
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "scope": SCOPES,
                **metadata,
            },
        )

    def service(client_id: str) -> Client:
        return Client(
            client_id=client_id,
            client_secret=secrets.token_urlsafe(24),
            redirect_uris=[SERVICE_REDIRECT_URI],
            metadata={
                "client_name": client_id,
                "token_endpoint_auth_method": "client_secret_basic",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
                "scope": SCOPES,
            },
        )

    def resource_server(client_id: str, **metadata: Any) -> Client:
        return Client(
            client_id=client_id,
            client_secret=secrets.token_urlsafe(24),
            metadata={
                "token_endpoint_auth_method": "client_secret_basic",
                "grant_types": [],
                "response_types": [],
                **metadata,
            },
        )

    clients = [
        rp(
            "people",
            backchannel_logout_uri=f"{rp_base_url}/api/v1.0/backchannel-logout/",
            backchannel_logout_session_required=True,
        ),
        rp("people-jwt", id_token_signed_response_alg="ES256", userinfo_signed_response_alg="ES256"),
        rp(
            "people-jwe",
            userinfo_signed_response_alg="RS256",
            userinfo_encrypted_response_alg="RSA-OAEP",
            userinfo_encrypted_response_enc="A256GCM",
            jwks={"keys": [encryption_jwk]},
        ),
        rp("people-pairwise", subject_type="pairwise"),
        service("service-a"),
        service("service-b"),
        resource_server("people-rs", **(rs_client or {})),
        resource_server("people-rs-jwt", introspection_signed_response_alg="ES256"),
        resource_server(
            "people-rs-jwe",
            introspection_signed_response_alg="ES256",
            introspection_encrypted_response_alg="RSA-OAEP",
            introspection_encrypted_response_enc="A256GCM",
            jwks_uri=our_jwks_uri,
        ),
    ]
    for extra in extra_clients or []:
        extra = dict(extra)
        clients.append(
            Client(
                client_id=extra.pop("client_id"),
                client_secret=extra.pop("client_secret", None) or secrets.token_urlsafe(24),
                redirect_uris=extra.pop("redirect_uris", []),
                metadata=extra,
            )
        )
    return clients


def start_provider(
    *,
    rp_base_url: str,
    keys: SigningKeys,
    rp_encryption_key: RSAKey,
    workdir: Path,
    rs_client: dict[str, Any] | None = None,
    extra_clients: list[dict[str, Any]] | None = None,
    accounts: dict[str, dict[str, Any]] | None = None,
    port: int | None = None,
) -> OidcProvider:
    """Write the configuration, start node on a free port, wait for the discovery document."""
    node = node_path()
    if node is None:
        raise RuntimeError("node is not installed")
    modules = ensure_node_modules()
    port = port or free_port()
    issuer = f"http://127.0.0.1:{port}"
    clients = build_clients(
        rp_base_url=rp_base_url.rstrip("/"),
        rp_encryption_key=rp_encryption_key,
        rs_client=rs_client,
        extra_clients=extra_clients,
    )
    config = {
        "issuer": issuer,
        "host": "127.0.0.1",
        "port": port,
        "modulesDir": str(modules),
        "jwks": keys.private_jwks(),
        "cookieKeys": [secrets.token_urlsafe(32)],
        "pairwiseSalt": secrets.token_urlsafe(16),
        "clients": [
            {
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "redirect_uris": client.redirect_uris,
                **client.metadata,
            }
            for client in clients
        ],
        "accounts": accounts if accounts is not None else DEFAULT_ACCOUNTS,
    }
    config_path = workdir / f"oidc-provider-{port}.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    config_path.chmod(0o600)
    log_path = workdir / f"oidc-provider-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603
            [node, str(SERVER_SCRIPT), str(config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=workdir,
        )
    provider = OidcProvider(
        issuer=issuer,
        discovery={},
        clients={client.client_id: client for client in clients},
        keys=keys,
        rp_encryption_key=rp_encryption_key,
        process=process,
        log_path=log_path,
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider exited ({process.returncode}):\n{log_path.read_text()}")
        try:
            response = requests.get(provider.discovery_url, timeout=2)
            if response.status_code == 200:
                provider.discovery = response.json()
                return provider
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            provider.stop()
            raise RuntimeError(f"the OpenID provider did not answer in time:\n{log_path.read_text()}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def oidc_signing_keys() -> SigningKeys:
    return SigningKeys.generate()


@pytest.fixture(scope="session")
def oidc_rp_encryption_key() -> RSAKey:
    """Our decryption key for userinfo encrypted to us (client `people-jwe`), stable for the run."""
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture(scope="session")
def oidc_provider_factory(
    live_server, oidc_signing_keys, oidc_rp_encryption_key
) -> Iterator[Callable[..., OidcProvider]]:
    """Start providers on demand, one per distinct set of options, all stopped at the end.

    Options: `rs_client` (metadata of `people-rs`, e.g. `jwks_uri`,
    `introspection_signed_response_alg`, `introspection_encrypted_response_alg`,
    `introspection_encrypted_response_enc`), `extra_clients` (client metadata dicts with
    `client_id`), `accounts` (id → claims). Keys are the run's keys, so that a cached JWKS
    stays valid across providers.
    """
    if node_path() is None:
        pytest.skip("node is not installed: the tests against the real OpenID provider are skipped")
    started: dict[str, OidcProvider] = {}
    workdir = Path(tempfile.mkdtemp(prefix="people-oidc-peer-"))

    def factory(
        *,
        rs_client: dict[str, Any] | None = None,
        extra_clients: list[dict[str, Any]] | None = None,
        accounts: dict[str, dict[str, Any]] | None = None,
    ) -> OidcProvider:
        key = json.dumps([rs_client, extra_clients, accounts], sort_keys=True)
        if key not in started:
            started[key] = start_provider(
                rp_base_url=live_server.url,
                keys=oidc_signing_keys,
                rp_encryption_key=oidc_rp_encryption_key,
                workdir=workdir,
                rs_client=rs_client,
                extra_clients=extra_clients,
                accounts=accounts,
            )
        return started[key]

    try:
        yield factory
    finally:
        for provider in started.values():
            provider.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def oidc_provider(oidc_provider_factory) -> OidcProvider:
    """The default test provider (see `build_clients` and `DEFAULT_ACCOUNTS`)."""
    return oidc_provider_factory()
