import pytest
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_heartbeat_checks_the_database(client):
    response = client.get("/__heartbeat__")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
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


def test_lbheartbeat_needs_no_database(client):
    assert client.get("/__lbheartbeat__").status_code == 200


def test_heartbeat_refuses_other_methods(client):
    assert client.post("/__lbheartbeat__").status_code == 405
