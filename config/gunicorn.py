"""Gunicorn's configuration for `make run` and the `web` process of the Procfile.

gthread workers keep client connections alive (browsers, `requests.Session`, the suite's
services calling the resource server) and serve each on a pooled thread, so that persistent
database connections are kept per pooled thread, never per request: a web process holds at
most `WEB_THREADS` connections, plus one listening to user changes once it has served a bearer
call (people.resource_server.known_users) and one for its in-process outbox worker in the
embedded mode.

Workers default to two per core plus one (at most 8), the usual count for a service that waits
on its database; `make run` asks for 2 (one user, SQLite).
"""

import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path

wsgi_app = "config.wsgi:application"
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS") or min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = int(os.environ.get("WEB_THREADS") or 4)
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 5)
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# Not used; left on, every instance of a machine would share ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True


def post_worker_init(worker):
    """Once the application is loaded: freeze what it loaded out of the cycle collector's walks,
    and make the collector run less often (`people.core.runtime`); then start the in-process
    outbox worker (`PEOPLE_JOBS_MODE=thread`) in each worker, since a thread started in the
    arbiter would not survive the fork."""
    from people.core import outbox, runtime

    worker.log.debug("%d loaded objects frozen", runtime.prepare_collector())
    if outbox.start_worker():
        worker.log.info("outbox worker started in worker %s", worker.pid)


def worker_exit(server, worker):
    """Let the outbox worker finish the message it is sending before the process ends."""
    from django.conf import settings

    if not settings.configured or settings.JOBS_MODE != "thread":
        return
    from people.core import outbox

    if outbox.stop_worker(timeout=graceful_timeout / 2):
        worker.log.info("outbox worker stopped in worker %s", worker.pid)
    else:
        worker.log.warning("outbox worker of worker %s still busy at exit", worker.pid)

# Metrics: each worker writes its counts into PROMETHEUS_MULTIPROC_DIR and a scrape, whichever
# worker answers it, sums them (prometheus_client's multiprocess mode). Set here, before the
# workers are forked and import prometheus_client; a directory of this instance's own.
_OWN_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="people-metrics-")


def on_starting(server):
    """Counts of an earlier run would be summed with this one's: start from an empty directory."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """A worker gone (restarted, killed) no longer counts in gauges of live processes."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
