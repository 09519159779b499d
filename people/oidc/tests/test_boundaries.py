"""The provider layer sits under the sign-in and the resource server: both use it, it uses
neither, and what it owns (its errors, HTTP to the provider, JOSE) exists nowhere else."""

from __future__ import annotations

import ast

from people.resource_server.tests.test_boundaries import PEOPLE, _imports, _sources

OIDC = PEOPLE / "oidc"
SIGN_IN = PEOPLE / "identity" / "auth"
RESOURCE_SERVER = PEOPLE / "resource_server"


def _modules_imported(root):
    for path in _sources(root):
        for module, names in _imports(path):
            yield path, module, names


def test_the_provider_layer_imports_neither_identity_nor_the_resource_server():
    offenders = [
        f"{path.relative_to(PEOPLE.parent)}: {module}"
        for path, module, _names in _modules_imported(OIDC)
        if module.startswith("people.") and not module.startswith(("people.oidc", "people.core"))
    ]
    assert offenders == []


def test_sign_in_and_resource_server_both_use_it_and_the_sign_in_not_the_resource_server():
    """Our encryption keys, once reached by the sign-in in the resource server, live below both."""
    users = {root: set() for root in (SIGN_IN, RESOURCE_SERVER)}
    crossings = []
    for root in users:
        for path, module, _names in _modules_imported(root):
            if module.startswith("people.oidc"):
                users[root].add(module)
            if root == SIGN_IN and module.startswith("people.resource_server"):
                crossings.append(f"{path.relative_to(PEOPLE.parent)}: {module}")
    assert all(users.values())
    assert crossings == []


def test_provider_errors_are_defined_once():
    defined = {}
    for path in _sources(PEOPLE):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ClassDef) and node.name in {"InvalidToken", "ProviderUnavailable"}:
                defined.setdefault(node.name, []).append(str(path.relative_to(PEOPLE.parent)))
    assert defined == {
        "InvalidToken": ["people/oidc/errors.py"],
        "ProviderUnavailable": ["people/oidc/errors.py"],
    }


def test_only_the_provider_http_module_speaks_http_or_jose():
    """Sign-in and resource server reach the provider through `people.oidc.http` and check its
    JOSE through `people.oidc.jose`: no second HTTP style nor a copy of the checks."""
    owners = {"requests": {"people/oidc/http.py"}, "joserfc": {"people/oidc/jose.py", "people/oidc/keys.py", "people/oidc/provider.py"}}
    offenders = []
    for root in (SIGN_IN, RESOURCE_SERVER, OIDC):
        for path, module, _names in _modules_imported(root):
            name = str(path.relative_to(PEOPLE.parent))
            for library, allowed in owners.items():
                if (module == library or module.startswith(f"{library}.")) and name not in allowed:
                    offenders.append(f"{name}: {module}")
    assert offenders == []
