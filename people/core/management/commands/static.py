"""`manage.py static`: `collectstatic`, skipped when no source file changed since the last one.

Compressing the collected files takes tens of seconds; `make run` and `make prod` call this at
each start, so a restart with the same code and packages starts at once. The sources are the
files the static finders list (the apps' and packages' folders): their paths, sizes and
modification times, with the storage settings, make a fingerprint kept beside the collected
files. A lock lets several processes that share a `STATIC_ROOT` run it at the same time: one
collects, the others wait and find the work done.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import BaseCommand

FINGERPRINT = ".sources"


def sources_fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(repr((settings.STORAGES["staticfiles"], getattr(settings, "WHITENOISE_SKIP_COMPRESS_EXTENSIONS", None))).encode())
    entries = []
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            entries.append(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}")
    for entry in sorted(entries):
        digest.update(entry.encode())
        digest.update(b"\n")
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Collect the static files (compressed, hashed names) unless no source changed since the last collection."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="collect even if nothing changed")

    def handle(self, *args, force: bool = False, **options) -> None:
        root = Path(settings.STATIC_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with (root / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            stamp = root / FINGERPRINT
            fingerprint = sources_fingerprint()
            # Removed before a collection and written after it: a collection cut short is redone.
            if stamp.exists() and stamp.read_text() == fingerprint and not force:
                self.stdout.write(f"static files in {root} are up to date")
                return
            stamp.unlink(missing_ok=True)
            self.stdout.write(f"collecting the static files into {root} (compressed; takes a few seconds)")
            call_command("collectstatic", interactive=False, verbosity=0)
            stamp.write_text(fingerprint)
