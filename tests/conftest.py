"""Fixtures shared by the cross-app tests: the real test peers (see tests/peers/)."""

from tests.peers.oidc.e2e import people_oidc  # noqa: F401
from tests.peers.oidc.fixtures import (  # noqa: F401
    oidc_provider,
    oidc_provider_factory,
    oidc_rp_encryption_key,
    oidc_signing_keys,
)
