import socket
from datetime import timedelta

import pytest
from django.db.utils import OperationalError
from django.utils import timezone
from freezegun import freeze_time

from people.core.models import OutboxMessage, OutboxStatus

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


@pytest.mark.django_db
def test_heartbeat_checks_the_database(client):
    response = client.get("/__heartbeat__")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok"},
        "outbox": {"pending": 0, "lag_seconds": 0, "max_lag_seconds": None},
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_heartbeat_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, sql, params=None):
        raise OperationalError("database is gone")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/__heartbeat__")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"
    assert response.json()["outbox"] is None


def test_lbheartbeat_needs_no_database(client):
    assert client.get("/__lbheartbeat__").status_code == 200


def test_heartbeat_refuses_other_methods(client):
    assert client.post("/__lbheartbeat__").status_code == 405


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
def test_heartbeat_with_redis_down_is_503(client, settings, caplog):
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
                                   "OPTIONS": {"socket_connect_timeout": 1}}}
    response = client.get("/__heartbeat__")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"] == {"database": "ok", "redis": "error"}
    assert "heartbeat: redis check failed" in caplog.text


@pytest.mark.django_db
def test_heartbeat_with_redis_up_checks_it(client, settings):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": "redis://127.0.0.1:6379/0"}}
    response = client.get("/__heartbeat__")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


@pytest.fixture
def lagging_outbox():
    """Two pending rows: one due for 120 s, one waiting for its next attempt; one delivered."""
    now = timezone.now()
    OutboxMessage.objects.create(kind="email", payload={}, next_attempt_at=now - timedelta(seconds=120))
    OutboxMessage.objects.create(kind="email", payload={}, next_attempt_at=now + timedelta(hours=1))
    OutboxMessage.objects.create(kind="email", payload={}, status=OutboxStatus.DELIVERED, next_attempt_at=now - timedelta(days=1))
    return now


@pytest.mark.django_db
def test_outbox_lag_is_reported_without_failing_by_default(client, lagging_outbox):
    with freeze_time(lagging_outbox):
        response = client.get("/__heartbeat__")
    assert response.status_code == 200
    assert response.json()["outbox"] == {"pending": 2, "lag_seconds": 120, "max_lag_seconds": None}
    assert "outbox" not in response.json()["checks"]


@pytest.mark.django_db
@pytest.mark.parametrize(("limit", "status", "check"), [(300, 200, "ok"), (60, 503, "lagging")])
def test_outbox_lag_beyond_the_configured_limit_is_503(client, settings, lagging_outbox, limit, status, check):
    settings.PEOPLE_HEARTBEAT_MAX_OUTBOX_LAG = limit
    with freeze_time(lagging_outbox):
        response = client.get("/__heartbeat__")
    assert response.status_code == status
    assert response.json()["checks"] == {"database": "ok", "outbox": check}
    assert response.json()["outbox"]["max_lag_seconds"] == limit
