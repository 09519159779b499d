"""Gunicorn's configuration for `make run` and the `web` process of the Procfile.

gthread workers keep client connections alive (browsers, `requests.Session`, the suite's
services calling the resource server) and serve each on a pooled thread, so that persistent
database connections are kept per pooled thread, never per request.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS") or min(multiprocessing.cpu_count() * 2 + 1, 8))
threads = int(os.environ.get("WEB_THREADS") or 4)
keepalive = int(os.environ.get("WEB_KEEPALIVE") or 5)
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
