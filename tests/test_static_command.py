"""`manage.py static` collects the static files once per change of their sources."""

from __future__ import annotations

import io
import os

import pytest
from django.core.management import call_command
from django.test import override_settings


@pytest.fixture
def sources(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.css").write_text("body { color: black; }")
    root = tmp_path / "collected"
    with override_settings(
        STATIC_ROOT=str(root),
        STATICFILES_DIRS=[str(source)],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        yield source, root


def run() -> str:
    out = io.StringIO()
    call_command("static", stdout=out)
    return out.getvalue()


def test_collects_then_skips_until_a_source_changes(sources):
    source, root = sources
    assert "collecting" in run()
    assert (root / "app.css").read_text() == "body { color: black; }"

    (root / "app.css").unlink()  # a second run that collected would bring it back
    assert "up to date" in run()
    assert not (root / "app.css").exists()

    (source / "app.css").write_text("body { color: navy; }")
    stat = (source / "app.css").stat()
    os.utime(source / "app.css", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert "collecting" in run()
    assert (root / "app.css").read_text() == "body { color: navy; }"


def test_a_new_source_file_is_collected(sources):
    source, root = sources
    run()
    (source / "new.js").write_text("1;")
    assert "collecting" in run()
    assert (root / "new.js").exists()


def test_force_collects_even_when_nothing_changed(sources):
    _, root = sources
    run()
    (root / "app.css").unlink()
    out = io.StringIO()
    call_command("static", "--force", stdout=out)
    assert (root / "app.css").exists()
