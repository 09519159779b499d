"""Our encryption key(s): the provider encrypts introspection answers and userinfo to them.

The private key material comes from `OIDC_RS_PRIVATE_KEY_STR` (or `OIDC_RS_PRIVATE_KEY_FILE`):
one or more PEM blocks, or a JSON JWK / JWK Set. Several keys are allowed during a rotation:
all are published, and a response is decrypted with the key its JWE header's `kid` names.

Parsing and building the public JWK Set happens once per process (`get_key_ring()`), checked at
start-up by the app config, so that a bad key stops the start with a clear message instead of
failing requests. With no key configured the ring is empty: the JWKS endpoint then publishes an
empty set and only the plain JSON introspection format can work.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.errors import JoseError
from joserfc.jwe import JWERegistry
from joserfc.jwk import JWKRegistry, Key

PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----.+?-----END \1-----", re.DOTALL)
PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})
# Which key types each family of key-management algorithms works with.
ALGORITHM_KEY_TYPES = {"RSA": {"RSA"}, "ECDH-ES": {"EC", "OKP"}}
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class KeyRing:
    """Parsed private keys by `kid`, and the public JWK Set already serialized."""

    keys: dict[str, Key] = field(default_factory=dict)
    jwks_json: bytes = b'{"keys":[]}'

    def __bool__(self) -> bool:
        return bool(self.keys)

    def candidates(self, kid: str | None) -> list[Key]:
        """Keys worth trying for a JWE: the one named by `kid`, or all when no `kid` is given."""
        if kid is None:
            return list(self.keys.values())
        key = self.keys.get(kid)
        return [key] if key is not None else []


_ring: KeyRing | None = None
_lock = threading.Lock()


def get_key_ring() -> KeyRing:
    """The process-wide key ring, built on first use from the settings."""
    global _ring
    ring = _ring
    if ring is None:
        with _lock:
            if _ring is None:
                _ring = build_key_ring(
                    settings.OIDC_RS_PRIVATE_KEY_STR,
                    key_type=settings.OIDC_RS_ENCRYPTION_KEY_TYPE,
                    algorithm=settings.OIDC_RS_ENCRYPTION_ALGO,
                    encoding=settings.OIDC_RS_ENCRYPTION_ENCODING,
                )
            ring = _ring
    return ring


def reset() -> None:
    """Forget the parsed keys (settings changed, e.g. in tests)."""
    global _ring
    with _lock:
        _ring = None


def build_key_ring(value: str | None, *, key_type: str, algorithm: str, encoding: str) -> KeyRing:
    """Parse and check the configured keys; ImproperlyConfigured names what is wrong."""
    check_algorithms(key_type=key_type, algorithm=algorithm, encoding=encoding)
    if not value or not value.strip():
        return KeyRing()
    keys: dict[str, Key] = {}
    public: list[dict] = []
    for index, key in enumerate(_import_keys(value.strip(), key_type), start=1):
        if not key.is_private:
            raise ImproperlyConfigured(
                f"OIDC_RS_PRIVATE_KEY_STR: key #{index} is a public key; the private key is needed to decrypt"
            )
        if key.key_type != key_type:
            raise ImproperlyConfigured(
                f"OIDC_RS_PRIVATE_KEY_STR: key #{index} is of type {key.key_type}, "
                f"OIDC_RS_ENCRYPTION_KEY_TYPE says {key_type}"
            )
        if key_type == "RSA" and key.private_key.key_size < MIN_RSA_BITS:  # type: ignore[union-attr]
            raise ImproperlyConfigured(f"OIDC_RS_PRIVATE_KEY_STR: key #{index} is shorter than {MIN_RSA_BITS} bits")
        kid = key.kid or key.thumbprint()
        if kid in keys:
            raise ImproperlyConfigured(f"OIDC_RS_PRIVATE_KEY_STR: key id {kid!r} appears twice")
        keys[kid] = key
        member = {
            name: item
            for name, item in key.as_dict(private=False).items()
            if name not in PRIVATE_MEMBERS
        }
        member.update({"use": "enc", "alg": algorithm, "kid": kid})
        public.append(member)
    return KeyRing(keys=keys, jwks_json=json.dumps({"keys": public}, separators=(",", ":")).encode())


def check_algorithms(*, key_type: str, algorithm: str, encoding: str) -> None:
    registry = JWERegistry.algorithms
    if algorithm not in registry["alg"]:
        raise ImproperlyConfigured(f"OIDC_RS_ENCRYPTION_ALGO: unknown JWE algorithm {algorithm!r}")
    if encoding not in registry["enc"]:
        raise ImproperlyConfigured(f"OIDC_RS_ENCRYPTION_ENCODING: unknown JWE encoding {encoding!r}")
    family = "RSA" if algorithm.startswith("RSA") else "ECDH-ES" if algorithm.startswith("ECDH-ES") else None
    if family is None:
        raise ImproperlyConfigured(
            f"OIDC_RS_ENCRYPTION_ALGO: {algorithm!r} is not an asymmetric key-management algorithm"
        )
    if key_type not in ALGORITHM_KEY_TYPES[family]:
        raise ImproperlyConfigured(
            f"OIDC_RS_ENCRYPTION_ALGO {algorithm!r} does not work with OIDC_RS_ENCRYPTION_KEY_TYPE {key_type!r}"
        )


def _import_keys(value: str, key_type: str) -> list[Key]:
    try:
        if value.startswith("{"):
            document = json.loads(value)
            members = document.get("keys") if isinstance(document, dict) and "keys" in document else [document]
            if not isinstance(members, list) or not members:
                raise ImproperlyConfigured("OIDC_RS_PRIVATE_KEY_STR: the JWK Set holds no key")
            return [JWKRegistry.import_key(member) for member in members]
        blocks = [match.group(0) for match in PEM_BLOCK.finditer(value)]
        if not blocks:
            raise ImproperlyConfigured(
                "OIDC_RS_PRIVATE_KEY_STR: expected PEM private key(s) or a JSON JWK Set"
            )
        return [JWKRegistry.import_key(block, key_type) for block in blocks]
    except (JoseError, ValueError, TypeError) as error:
        raise ImproperlyConfigured(f"OIDC_RS_PRIVATE_KEY_STR: cannot read the key ({error})") from error
