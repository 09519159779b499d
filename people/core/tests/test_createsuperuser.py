import pytest
from django.core.management import call_command

from people.core.models import AuditEntry
from people.identity.models import User


@pytest.mark.django_db
def test_createsuperuser_works_without_openid(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password-42")
    call_command("createsuperuser", "--noinput", "--email", "Admin@Example.org")
    user = User.objects.get()
    assert user.email == "admin@example.org"
    assert user.is_superuser
    assert user.is_staff
    assert user.sub is None
    assert user.check_password("a-long-enough-password-42")
    entry = AuditEntry.objects.get(action="user.create", target_id=str(user.pk))
    assert entry.audience == "operator"
    assert entry.changes["is_superuser"] == [None, True]


@pytest.mark.django_db
def test_admin_password_sign_in_by_email(client):
    User.objects.create_superuser("boss@example.org", "a-long-enough-password-42")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "BOSS@example.org", "password": "a-long-enough-password-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
