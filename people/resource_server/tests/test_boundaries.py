"""The resource server is a protocol module with one entry point (that it knows nothing of
teams is one of the layers of tests/test_import_layers.py).

Read from the source (imports), so that a shortcut added later (a view importing the
introspection internals, the module reaching into teams) fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PEOPLE = Path(__file__).resolve().parents[2]
PACKAGE = PEOPLE / "resource_server"


def _imports(path: Path) -> list[tuple[str, set[str]]]:
    """(module, imported names) for every import of `path`, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = ".".join(path.relative_to(PEOPLE.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, set()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            found.append((module, {alias.name for alias in node.names}))
    return found


def _sources(root: Path):
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path


def test_introspection_has_one_entry_point_used_by_the_authentication_class():
    users = {}
    for path in _sources(PEOPLE):
        if path == PACKAGE / "introspection.py":
            continue
        for module, names in _imports(path):
            if module == "people.resource_server.introspection":
                users.setdefault(str(path.relative_to(PEOPLE.parent)), set()).update(names)
            elif module == "people.resource_server" and "introspection" in names:
                users.setdefault(str(path.relative_to(PEOPLE.parent)), set()).add("*")
    assert users == {"people/resource_server/authentication.py": {"authenticate_token"}}


def test_resource_server_views_read_through_the_selectors():
    """The views opened to services run no query of their own (`Model.objects.none()` aside):
    they call the same selectors and services as the client API, so the rules live once."""
    views = [
        *sorted((PEOPLE / "teams" / "api" / "resource_server").glob("*.py")),
        *sorted((PEOPLE / "portal" / "api" / "resource_server").glob("*.py")),
    ]
    assert len(views) >= 4
    offenders = []
    for path in views:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
                and node.attr != "none"
            ):
                offenders.append(
                    f"{path.relative_to(PEOPLE.parent)}:{node.lineno} .objects.{node.attr}"
                )
    assert offenders == []


def test_authentication_reads_and_writes_through_selectors_and_services():
    """Authenticating a call writes no model itself (the calling service's row comes from
    `identity.services`), and passes nothing through private attributes of the request."""
    offenders = []
    for name in ("authentication.py", "permissions.py", "mixins.py"):
        path = PACKAGE / name
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Attribute) and node.attr == "objects":
                offenders.append(f"{name}:{node.lineno} .objects")
            if isinstance(node, ast.Attribute) and node.attr in {"save", "get_or_create", "create"}:
                offenders.append(f"{name}:{node.lineno} .{node.attr}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id == "request"
            ):
                offenders.append(f"{name}:{node.lineno} request.{node.attr} =")
    assert offenders == []
