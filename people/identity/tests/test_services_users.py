import pytest
from django.test import override_settings

from people.core.errors import PermissionDenied, ValidationFailed
from people.core.models import Audience, AuditEntry
from people.identity import selectors, services
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_update_audits_changed_identity_fields_with_values():
    operator = UserFactory(is_staff=True)
    user = UserFactory(name="Ada", email="ada@example.fr", short_name="")
    new_organization = OrganizationFactory()
    old_organization_id = user.organization_id
    services.user_update(
        actor=operator, user=user, name="Ada L.", email="ADA.L@Example.fr", short_name="Ada",
        organization=new_organization, is_active=True,
    )
    user.refresh_from_db()
    assert (user.name, user.email, user.short_name) == ("Ada L.", "ada.l@example.fr", "Ada")
    assert user.search_text == "ada l. ada.l@example.fr"
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.changes == {
        "name": ["Ada", "Ada L."],
        "email": ["ada@example.fr", "ada.l@example.fr"],
        "short_name": ["", "Ada"],
        "organization": [str(old_organization_id), str(new_organization.pk)],
    }
    assert entry.actor_id == operator.pk


def test_sub_change_is_audited_as_rebind():
    user = UserFactory(sub="old-sub")
    services.user_update(actor=None, user=user, sub="new-sub")
    user.refresh_from_db()
    assert user.sub == "new-sub"
    entry = AuditEntry.objects.get(target_id=str(user.pk))
    assert entry.action == "user.sub_rebind"
    assert entry.changes == {"sub": ["old-sub", "new-sub"]}
    assert entry.audience == Audience.SYSTEM


def test_nothing_changed_writes_nothing():
    user = UserFactory(name="Ada")
    services.user_update(actor=None, user=user, name="Ada")
    assert not AuditEntry.objects.exists()


@override_settings(USER_EMAIL_UNIQUE=True)
def test_duplicate_email_refused_and_nothing_saved():
    UserFactory(email="taken@example.fr")
    user = UserFactory(email="mine@example.fr")
    with pytest.raises(ValidationFailed):
        services.user_update(actor=None, user=user, email="Taken@example.fr")
    user.refresh_from_db()
    assert user.email == "mine@example.fr"
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(("field", "value"), [("language", "xx"), ("timezone", "Nowhere/City")])
def test_bad_language_or_timezone(field, value):
    user = UserFactory()
    with pytest.raises(ValidationFailed) as error:
        services.user_update(actor=None, user=user, **{field: value})
    assert field in error.value.errors


def test_unknown_field_is_refused_by_name():
    with pytest.raises(ValidationFailed) as error:
        services.user_update(actor=None, user=UserFactory(), is_staff=True)
    assert list(error.value.errors) == ["is_staff"]


def test_preferences_only_for_oneself():
    me, other = UserFactory(), UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_update_preferences(actor=me, user=other, language="fr-fr")
    with pytest.raises(ValidationFailed) as error:
        services.user_update_preferences(actor=me, user=me, name="x")
    assert list(error.value.errors) == ["name"]


def test_user_list_visible_to():
    me = UserFactory()
    colleague = UserFactory(organization=me.organization)
    UserFactory(organization=me.organization, is_active=False)
    UserFactory()
    assert list(selectors.user_list_visible_to(user=me)) == [colleague, me]
    lonely = UserFactory(organization=None)
    UserFactory(organization=None)
    assert list(selectors.user_list_visible_to(user=lonely)) == [lonely]
