"""The services' shared convention: `model_update` writes only what changed and says so for
the audit, `model_delete` names the deleted row in the audit; model validation and unknown fields come out as domain errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from people.core.errors import ValidationFailed
from people.core.models import AuditEntry
from people.core.services import full_clean, model_delete, model_update, unknown_fields_check
from people.teams.models import TeamAccess, TeamRole
from tests.factories import OrganizationFactory, TeamAccessFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_model_update_saves_only_changed_fields_and_returns_old_and_new():
    access = TeamAccessFactory(role=TeamRole.MEMBER)
    with CaptureQueriesContext(connection) as queries:
        changes = model_update(instance=access, data={"role": TeamRole.ADMIN})
    assert changes == {"role": ["member", "administrator"]}
    update = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(update) == 1
    assert '"role"' in update[0]
    assert '"user_id"' not in update[0]
    access.refresh_from_db()
    assert access.role == TeamRole.ADMIN


def test_model_update_without_change_writes_nothing():
    access = TeamAccessFactory(role=TeamRole.MEMBER)
    with CaptureQueriesContext(connection) as queries:
        assert model_update(instance=access, data={"role": TeamRole.MEMBER}) == {}
    assert queries.captured_queries == []


def test_model_update_cleans_before_writing_and_compares_normalized_values():
    organization = OrganizationFactory(domain_list=["mine.fr"])
    OrganizationFactory(domain_list=["taken.fr"])
    with pytest.raises(ValidationFailed) as error:
        model_update(instance=organization, data={"domain_list": ["taken.fr"]}, clean=True)
    assert "domain_list" in error.value.errors
    organization.refresh_from_db()
    assert organization.domain_list == ["mine.fr"]
    # The model's validation normalizes the list: sent again in another form, nothing changed.
    assert model_update(instance=organization, data={"domain_list": [" MINE.fr "]}, clean=True) == {}


def test_model_update_reads_values_as_the_audit_shows_them():
    user = UserFactory()
    old, other = user.organization_id, OrganizationFactory()
    changes = model_update(
        instance=user,
        data={"organization": other},
        audit_value=lambda obj, field: obj.organization_id if field == "organization" else getattr(obj, field),
    )
    assert changes == {"organization": [str(old), str(other.pk)]}


def test_full_clean_whole_row_messages_are_under_all():
    organization = OrganizationFactory()
    organization.domain_list, organization.registration_id_list = [], []
    with pytest.raises(ValidationFailed) as error:
        full_clean(organization)
    assert list(error.value.errors) == ["__all__"]
    assert error.value.is_field_error


def test_unknown_fields_are_named():
    unknown_fields_check({"name"}, allowed={"name"})
    with pytest.raises(ValidationFailed) as error:
        unknown_fields_check({"name", "owner", "path"}, allowed={"name"})
    assert sorted(error.value.errors) == ["owner", "path"]


def test_model_delete_audits_the_row_under_its_id_then_deletes_it():
    access = TeamAccessFactory(role=TeamRole.MEMBER)
    access_id = access.pk
    model_delete(actor=access.user, instance=access, action="team_access.delete", changes={"role": "member"})
    assert not TeamAccess.objects.filter(pk=access_id).exists()
    entry = AuditEntry.objects.get(action="team_access.delete")
    assert entry.target_id == str(access_id)
    assert entry.target_type == "teams.teamaccess"
    assert entry.changes == {"role": "member"}
