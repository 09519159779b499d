"""Settings for the test suite: development defaults, fast hashing, mail kept in memory."""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "true")
os.environ.setdefault("PEOPLE_JOBS_MODE", "eager")
os.environ.setdefault("TEAM_WEBHOOK_ALLOW_HTTP", "true")  # the test SCIM peer listens on http://127.0.0.1
os.environ.setdefault("PEOPLE_DATA_DIR", tempfile.mkdtemp(prefix="people-test-"))

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user_sustained": None, "user_burst": None}}  # noqa: F405
THROTTLE_SERVICE_RATE = None  # the resource-server rate limit; enabled by the tests that check it
# Tests read static files through the finders: no `collectstatic`, no manifest.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# Users kept by the resource server while PostgreSQL notifies their changes: a test's changes
# are never committed, so never notified. The tests of people.resource_server.known_users
# turn it on, with committed changes.
OIDC_RS_LOCAL_USER_CACHE = False
