"""Compile the apps' gettext catalogs (`people/<app>/locale/<lang>/LC_MESSAGES/django.po`)
into the `.mo` files Django reads, with Babel: no GNU gettext needed on a fresh machine.

Only catalogs whose `.mo` is missing or older than their `.po` are compiled; fuzzy entries are
left out (they show the English text until a translator confirms them). Each file is written
to a temporary name then renamed, so parallel runs never read half a file.

    python -m people.core.catalogs [PO_FILE ...]     (default: every catalog of the project)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def catalogs(root: Path = ROOT) -> list[Path]:
    return sorted((root / "people").glob("*/locale/*/LC_MESSAGES/django.po"))


def is_stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalog(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    locale = po.parents[1].name
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale, abort_invalid=True)
    handle, temporary = tempfile.mkstemp(dir=mo.parent, prefix=".django-", suffix=".mo")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog, use_fuzzy=False)
        os.replace(temporary, mo)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return mo


def compile_stale(paths: list[Path] | None = None) -> list[Path]:
    """Compile the catalogs among `paths` (default: all) whose `.mo` is stale; the compiled."""
    return [compile_catalog(po) for po in (paths if paths is not None else catalogs()) if is_stale(po)]


if __name__ == "__main__":
    done = compile_stale([Path(arg).resolve() for arg in sys.argv[1:]] or None)
    for mo in done:
        print(f"compiled {mo.relative_to(ROOT)}")
