"""Imports run one way: each layer of the package imports only the layers below it.

    config.urls, .wsgi, .celery        entry points
    people.portal                      composes the apps (sign-in, users/me, scim/Me, home, demo)
    people.teams | people.contacts | people.mail   domain apps, independent of each other
    people.scim                        the SCIM 2.0 server: users (identity) and groups (teams)
    people.resource_server             the protocol for the suite's services (introspection,
                                       their authentication), used by the apps' APIs
    people.identity                    users, organizations, service providers, sign-in checks
    people.core                        base model, errors, outbox, audit, API plumbing
    config (settings)                  typed settings read from the environment

Read from the source (every import statement of every module but tests and migrations, those
inside functions too), so that a shortcut added later fails here, naming the import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first; packages sharing a layer may not import one another.
LAYERS: list[tuple[str, ...]] = [
    (
        "config.env", "config.settings", "config.settings_test", "config.database", "config.monitoring",
        "config.oidc", "config.resource_server", "config.security", "config.mail", "config.teams",
    ),
    ("people.core",),
    ("people.oidc",),
    ("people.identity",),
    ("people.resource_server",),
    ("people.teams", "people.contacts", "people.mail"),
    ("people.scim",),
    ("people.portal",),
    ("config", "config.urls", "config.wsgi", "config.celery"),
]

def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of `path`; `from a import b` counts as `a.b` when `b`
    is a module, so `from people.teams import selectors` is seen as what it is."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
    return found


def _sources():
    for top in ("people", "config"):
        for path in sorted((ROOT / top).rglob("*.py")):
            if "tests" in path.parts or "migrations" in path.parts or path == ROOT / "people" / "__init__.py":
                continue
            yield path


def _place(module: str) -> tuple[int, str] | None:
    """(layer index, package) of a module of ours, the longest package that holds it; None for
    Django, libraries and `people` itself."""
    places = [
        (index, package)
        for index, packages in enumerate(LAYERS)
        for package in packages
        if module == package or module.startswith(package + ".")
    ]
    return max(places, key=lambda place: len(place[1]), default=None)


def _crossings() -> dict[tuple[str, str], str]:
    """{(importer, imported module): where} for every import that does not point down."""
    found = {}
    for path in _sources():
        importer = _module_name(path)
        here = _place(importer)
        assert here is not None, f"{importer} belongs to no layer: add its package to LAYERS"
        for line, module in _imported_modules(path):
            there = _place(module)
            if there is None or there[1] == here[1] or (there[0] == here[0] == 0):
                continue
            if there[0] >= here[0]:
                imported = module if _is_module(module) else module.rpartition(".")[0]
                found[(importer, imported)] = f"{path.relative_to(ROOT)}:{line} imports {module}"
    return found


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split("."))
    return (ROOT / relative).with_suffix(".py").exists() or (ROOT / relative / "__init__.py").exists()


def test_every_import_points_to_a_lower_layer():
    offenders = [where for _key, where in sorted(_crossings().items())]
    assert not offenders, (
        "imports against the layers (settings < core < oidc < identity < resource_server < teams | contacts | mail "
        "< portal < urls; same-layer apps are independent); move the code up or the rule down:\n  " + "\n  ".join(offenders)
    )


@pytest.mark.parametrize(
    ("importer", "source", "offending"),
    [
        ("people/core/web.py", "from people.identity.devlogin import dev_login\n", "people.identity.devlogin"),
        ("people/identity/x.py", "def f():\n    from people.teams import services\n", "people.teams.services"),
        ("people/resource_server/x.py", "from people.teams.models import Team\n", "people.teams.models"),
        ("people/teams/x.py", "from people.contacts.services import profile_contact_ensure\n", "people.contacts.services"),
        ("people/contacts/x.py", "from ..portal import accounts\n", "people.portal.accounts"),
    ],
    ids=["core-to-identity", "identity-to-teams-in-a-function", "resource-server-to-teams", "teams-to-contacts", "relative-up"],
)
def test_an_upward_import_is_named(tmp_path, monkeypatch, importer, source, offending):
    """The rule itself, on a file that breaks it: the failure names the file, line and import."""
    global ROOT
    fake = tmp_path / importer
    fake.parent.mkdir(parents=True)
    fake.write_text(source)
    for package in ("people/portal", "people/teams", "people/contacts", "people/identity"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError) as failure:
        test_every_import_points_to_a_lower_layer()
    assert f"{importer}:" in str(failure.value)
    assert offending in str(failure.value)
