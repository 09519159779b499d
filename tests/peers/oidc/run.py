"""Run the test OpenID provider by hand, to sign in from a browser in the embedded mode.

    python -m tests.peers.oidc.run [--port 9000] [--rp-url http://127.0.0.1:8000]

It prints the variables to give `make run`. Accounts are the test accounts (`alice`, `bob`):
type the account id as login, any password. Signing keys are new at each start; People
fetches them again when it meets an unknown key id.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

from joserfc.jwk import RSAKey

from tests.peers.oidc.fixtures import (
    DEFAULT_ACCOUNTS,
    REPO_DIR,
    SERVER_SCRIPT,
    SigningKeys,
    build_clients,
    ensure_node_modules,
    node_path,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("IDP_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("IDP_PORT", "9000")))
    parser.add_argument("--rp-url", default=os.environ.get("IDP_RP_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--client-secret", default=os.environ.get("IDP_CLIENT_SECRET") or secrets.token_urlsafe(24))
    args = parser.parse_args(argv)

    node = node_path()
    if node is None:
        print("node is not installed", file=sys.stderr)
        return 1
    modules = ensure_node_modules()
    issuer = f"http://{args.host}:{args.port}"
    clients = build_clients(
        rp_base_url=args.rp_url.rstrip("/"),
        rp_encryption_key=RSAKey.generate_key(2048, private=True),
    )
    clients = [client for client in clients if client.client_id == "people"]
    clients[0].client_secret = args.client_secret
    config = {
        "issuer": issuer,
        "host": args.host,
        "port": args.port,
        "modulesDir": str(modules),
        "jwks": SigningKeys.generate().private_jwks(),
        "cookieKeys": [secrets.token_urlsafe(32)],
        "clients": [
            {
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "redirect_uris": client.redirect_uris,
                **client.metadata,
            }
            for client in clients
        ],
        "accounts": DEFAULT_ACCOUNTS,
    }
    run_dir = REPO_DIR / "var"
    run_dir.mkdir(exist_ok=True)
    # One file per port: two providers started side by side do not read each other's clients.
    config_path = Path(run_dir / f"oidc-provider-{args.port}.json")
    config_path.write_text(json.dumps(config), encoding="utf-8")
    config_path.chmod(0o600)
    print(
        "Test OpenID provider on "
        f"{issuer} (accounts: {', '.join(DEFAULT_ACCOUNTS)}; any password).\n"
        "In another terminal, serve People against it:\n\n"
        f"  PEOPLE_DEV_LOGIN=false OIDC_OP_URL={issuer} OIDC_RP_CLIENT_ID=people \\\n"
        f"  OIDC_RP_CLIENT_SECRET={args.client_secret} \\\n"
        "  OIDC_USERINFO_ESSENTIAL_CLAIMS=sub,email OIDC_ORGANIZATION_REGISTRATION_ID_FIELD=siret \\\n"
        "  OIDC_RP_SCOPES='openid email profile' make run\n\n"
        f"then open {args.rp_url.rstrip('/')}/api/v1.0/authenticate/\n",
        flush=True,
    )
    os.execv(node, [node, str(SERVER_SCRIPT), str(config_path)])  # noqa: S606
    return 0


if __name__ == "__main__":
    sys.exit(main())
