"""French catalogs: every entry translated (no fuzzy one), and every string marked for
translation in an app's code and templates present in that app's catalog.

The strings are extracted as a translator would (`makemessages`, which needs GNU gettext:
`make test` installs it when missing) into a copy of the app, and compared with the committed
catalog. An app with no French catalog yet is reported as skipped, with its name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
# The apps, and people.oidc (not an app: its catalog is in LOCALE_PATHS).
APPS = sorted(path.parent.name for path in (ROOT / "people").glob("*/__init__.py"))


def catalog_path(app: str) -> Path:
    return ROOT / "people" / app / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def read(path: Path):
    with path.open("rb") as source:
        return read_po(source, locale="fr")


def key(message) -> tuple:
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


def untranslated(catalog) -> list[str]:
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    return problems


def extracted(app: str, tmp_path: Path) -> set[tuple]:
    """The msgids `makemessages` finds in a copy of the app (its catalog left out); `-P` keeps the
    copy's modules (`selectors.py`...) from shadowing the standard library's."""
    copy = tmp_path / app
    shutil.copytree(ROOT / "people" / app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "fr", "--no-obsolete", "--no-location"],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stderr
    po = copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    return {key(message) for message in read(po) if message.id} if po.exists() else set()


@pytest.mark.parametrize("app", APPS)
def test_french_catalog_is_complete(app):
    path = catalog_path(app)
    if not path.exists():
        pytest.skip(f"people/{app} has no French catalog yet")
    problems = untranslated(read(path))
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


@pytest.mark.parametrize("app", APPS)
def test_every_marked_string_is_in_the_catalog(app, tmp_path):
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        pytest.skip("GNU gettext is not installed (make test installs it; or apt-get install gettext)")
    found = extracted(app, tmp_path)
    path = catalog_path(app)
    if not path.exists():
        if found:
            pytest.skip(f"people/{app} has no French catalog yet ({len(found)} strings marked)")
        return
    missing = found - {key(message) for message in read(path) if message.id}
    assert not missing, (
        f"strings marked in people/{app} but missing from its catalog (run makemessages, then translate):\n"
        + "\n".join(repr(item[1]) for item in sorted(missing, key=str))
    )


def test_the_check_finds_an_untranslated_and_a_fuzzy_entry(tmp_path):
    """The completeness check is not vacuous."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Done"\nmsgstr "Fait"\n\nmsgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Devine"\n',
        encoding="utf-8",
    )
    assert untranslated(read(po)) == ["untranslated: 'Empty'", "fuzzy: 'Guess'"]
