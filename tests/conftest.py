"""Fixtures shared by the cross-app tests: the real test peers (see tests/peers/)."""

import shutil
import subprocess

from tests.peers.oidc.e2e import people_oidc  # noqa: F401
from tests.peers.oidc.fixtures import (  # noqa: F401
    oidc_provider,
    oidc_provider_factory,
    oidc_rp_encryption_key,
    oidc_signing_keys,
)


def pytest_report_header(config):
    """Say up front whether the tests against the real OpenID provider can run."""
    node = shutil.which("node")
    if node is None:
        return "test OpenID provider: node not found, the tests that need it are skipped"
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return f"test OpenID provider: node {version}"
