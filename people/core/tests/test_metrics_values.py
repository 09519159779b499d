"""What a scrape of /__metrics__ says after some work: request latency by route, the outbox's
depth and ages read from the database, and the sum of several processes in multiprocess mode."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from freezegun import freeze_time
from prometheus_client.parser import text_string_to_metric_families

from people.core.models import OutboxMessage, OutboxStatus

TOKEN = "scrape-token-0123456789"
ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db


@pytest.fixture
def scrape(client, settings):
    """`scrape()` → {(sample name, frozenset of labels): value} of one authorized scrape."""
    settings.PEOPLE_METRICS_TOKEN = TOKEN

    def read() -> dict:
        response = client.get("/__metrics__", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        return {
            (sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples
        }

    return read


def _count(samples: dict, view: str, method: str = "GET", status: str = "2xx") -> float:
    labels = frozenset({"view": view, "method": method, "status": status}.items())
    return samples.get(("people_http_request_duration_seconds_count", labels), 0.0)


def test_a_request_counts_in_its_views_latency_histogram(client, scrape):
    before = scrape()
    assert client.get("/__lbheartbeat__").status_code == 200
    assert client.post("/__lbheartbeat__").status_code == 405
    assert client.get("/no/such/page/").status_code == 404
    after = scrape()
    assert _count(after, "lbheartbeat") == _count(before, "lbheartbeat") + 1
    assert _count(after, "lbheartbeat", "POST", "4xx") == _count(before, "lbheartbeat", "POST", "4xx") + 1
    assert _count(after, "unmatched", "GET", "4xx") >= _count(before, "unmatched", "GET", "4xx") + 1
    # The previous scrape is timed under its own route name.
    assert _count(after, "metrics") >= 1


def test_unknown_methods_share_one_label(client, scrape):
    before = scrape()
    client.generic("BREW", "/__lbheartbeat__")
    after = scrape()
    assert _count(after, "lbheartbeat", "other", "4xx") == _count(before, "lbheartbeat", "other", "4xx") + 1
    assert not any(dict(labels).get("method") == "BREW" for _name, labels in after)


def test_outbox_depth_and_ages_come_from_the_database(scrape):
    now = timezone.now()
    with freeze_time(now - timedelta(minutes=10)):
        OutboxMessage.objects.create(kind="email", payload={}, next_attempt_at=now - timedelta(seconds=90))
    with freeze_time(now - timedelta(minutes=1)):
        OutboxMessage.objects.create(kind="email", payload={}, next_attempt_at=now + timedelta(minutes=5))
        OutboxMessage.objects.create(kind="onboarding", payload={})
    OutboxMessage.objects.create(kind="email", payload={}, status=OutboxStatus.DELIVERED)
    OutboxMessage.objects.create(kind="email", payload={}, status=OutboxStatus.FAILED)
    with freeze_time(now):
        samples = scrape()
    assert samples[("people_outbox_pending", frozenset({("kind", "email")}))] == 2
    assert samples[("people_outbox_pending", frozenset({("kind", "onboarding")}))] == 1
    assert samples[("people_outbox_oldest_pending_age_seconds", frozenset())] == pytest.approx(600, abs=1)
    # The onboarding row became due a minute ago; the e-mail retried 90 s ago is older.
    assert samples[("people_outbox_lag_seconds", frozenset())] == pytest.approx(90, abs=1)


def test_an_empty_outbox_reads_zero(scrape):
    OutboxMessage.objects.create(kind="email", payload={}, status=OutboxStatus.DELIVERED)
    samples = scrape()
    assert not [key for key in samples if key[0] == "people_outbox_pending"]
    assert samples[("people_outbox_oldest_pending_age_seconds", frozenset())] == 0
    assert samples[("people_outbox_lag_seconds", frozenset())] == 0


def test_the_outbox_query_has_its_index(django_db_setup):
    """The scrape and the heartbeat read pending rows through (status, next_attempt_at)."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, OutboxMessage._meta.db_table)
    assert constraints["outbox_due_idx"]["columns"][:2] == ["status", "next_attempt_at"]


WORKER = """
import django
django.setup()
from django.test import Client
assert Client().get("/__lbheartbeat__").status_code == 200
"""


def test_multiprocess_mode_sums_every_worker(scrape, tmp_path, monkeypatch):
    """Two processes (as two Gunicorn workers) each answer a request; a scrape answered by a
    third sums both from PROMETHEUS_MULTIPROC_DIR."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    workers = [subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env) for _ in range(2)]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape()
    assert _count(samples, "lbheartbeat") == 2
    # This process is not one of the workers: its own counts are not in the sum.
    assert _count(samples, "metrics") == 0
    assert ("people_outbox_lag_seconds", frozenset()) in samples
