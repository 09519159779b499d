"""The stack of the scale-out tests, started once for their module (see stack.py)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
import redis
from joserfc.jwk import RSAKey

from tests.peers.oidc.fixtures import OidcProvider, SigningKeys, node_path, start_provider
from tests.peers.smtp import SmtpServer
from tests.scale.stack import (
    DEFAULT_REDIS_URL,
    RedisDatabase,
    Stack,
    ThrowawayDatabase,
    process_env,
)

SEED = (os.path.dirname(__file__) + "/seed.py")
# Low enough to be reached in a few calls; the calls of one service and user share it.
SERVICE_RATE = 10
# How long a claimed outbox row stays locked, where the outbox reads it from the environment.
OUTBOX_LOCK_SECONDS = 30  # the smallest lock the settings accept


@dataclass
class Scale:
    stack: Stack
    database: ThrowawayDatabase
    redis: RedisDatabase
    smtp: SmtpServer
    provider: OidcProvider | None
    web: list[str]
    seed: dict


def _provider(workdir) -> OidcProvider | None:
    if node_path() is None:
        return None
    return start_provider(
        rp_base_url="http://127.0.0.1:1",  # no sign-in here: the provider only introspects
        keys=SigningKeys.generate(),
        rp_encryption_key=RSAKey.generate_key(2048, private=True),
        workdir=workdir,
    )


def _resource_server_env(provider: OidcProvider | None) -> dict[str, str]:
    if provider is None:
        return {}
    return {
        "OIDC_OP_URL": provider.issuer,
        "OIDC_OP_INTROSPECTION_ENDPOINT": provider.introspection_endpoint,
        "OIDC_OP_JWKS_ENDPOINT": provider.jwks_uri,
        "OIDC_RS_CLIENT_ID": "people-rs",
        "OIDC_RS_CLIENT_SECRET": provider.clients["people-rs"].client_secret,
        "OIDC_RS_PRIVATE_KEY_STR": RSAKey.generate_key(2048, private=True).as_pem(private=True).decode(),
        "OIDC_RS_SIGNING_ALGO": "ES256",
        "OIDC_RS_CACHE_TTL": "300",
    }


@pytest.fixture(scope="module")
def scale(tmp_path_factory):
    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the scale-out tests share one PostgreSQL database between processes: run with DATABASE_URL=postgres://...")
    shared = RedisDatabase(os.environ.get("SCALE_REDIS_URL", DEFAULT_REDIS_URL))
    try:
        shared.acquire()
    except redis.ConnectionError as error:
        pytest.skip(f"the scale-out tests need Redis at {shared.url}: {error}")
    workdir = tmp_path_factory.mktemp("scale")
    database = ThrowawayDatabase(base_url)
    smtp = SmtpServer()
    provider = stack = None
    try:
        database.create()
        smtp.start()
        provider = _provider(workdir)
        env = process_env(
            workdir=workdir,
            database_url=database.url,
            redis_url=shared.url,
            smtp_port=smtp.port,
            extra={
                **_resource_server_env(provider),
                "THROTTLE_SERVICE_RATE": f"{SERVICE_RATE}/minute",
                "THROTTLE_USER_BURST": "100000/minute",
                "THROTTLE_USER_SUSTAINED": "1000000/hour",
                "OUTBOX_LOCK_SECONDS": str(OUTBOX_LOCK_SECONDS),
            },
        )
        stack = Stack(workdir, env)
        stack.manage("migrate", "--noinput", "-v0")
        with open(SEED, encoding="utf-8") as script:
            seed = stack.shell_json(script.read())
        stack.start("beat", "beat")
        web = [stack.start_web("web-1"), stack.start_web("web-2")]
        yield Scale(stack, database, shared, smtp, provider, web, seed)
    finally:
        if stack is not None:
            stack.stop()
        if provider is not None:
            provider.stop()
        smtp.stop()
        database.drop()
        shared.release()
