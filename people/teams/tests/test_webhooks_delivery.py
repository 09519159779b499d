"""The webhook job's SCIM requests and what each answer of the service does: 2xx delivered,
4xx (but 408/429) failed for good and not retried, 5xx and timeouts retried with backoff, 429
waits its Retry-After, 404 on the group makes it again. Services queue in the change's
transaction; the request that made the change never waits for the service."""

import json
from datetime import timedelta

import pytest
import requests
import responses
from django.db import transaction
from django.utils import timezone

from people.core import outbox
from people.core.models import OutboxMessage, OutboxStatus
from people.teams import services, webhooks
from people.teams.models import TeamWebhook, WebhookStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "https://service.example.test/scim/v2"
GROUP = f"{BASE}/Groups/g-1"


@pytest.fixture
def webhook(crew):
    """A webhook whose group exists at the service already (id `g-1`), with nothing queued."""
    hook = TeamWebhook.objects.create(team=crew.team, url=BASE, secret="s3cret", remote_id="g-1")
    return hook


def messages_of(hook):
    return OutboxMessage.objects.filter(ordering_key=webhooks.webhook_key(hook.pk)).order_by("created_at")


def add_member(crew):
    user = UserFactory(organization=crew.team.organization)
    services.team_access_create(actor=crew.owner, team=crew.team, user=user)
    return user


def deliver_first(hook):
    message = messages_of(hook).filter(status=OutboxStatus.PENDING).first()
    status = outbox.deliver(message.pk)
    message.refresh_from_db()
    hook.refresh_from_db()
    return status, message


def test_an_added_member_is_a_patch_add_with_the_bearer_and_idempotency_key(crew, webhook, settings):
    settings.TEAM_WEBHOOK_CONNECT_TIMEOUT, settings.TEAM_WEBHOOK_TIMEOUT = 3.0, 7.0
    user = add_member(crew)
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=204)
        status, message = deliver_first(webhook)
        [call] = mocked.calls
    assert status == OutboxStatus.DELIVERED
    assert call.request.headers["Authorization"] == "Bearer s3cret"
    assert call.request.headers["Idempotency-Key"] == str(message.pk)
    assert call.request.headers["Content-Type"] == "application/scim+json"
    assert call.request.req_kwargs["verify"] not in (False, None, "")  # True, or the CA bundle of the environment
    assert call.request.req_kwargs["timeout"] == (3.0, 7.0)
    assert json.loads(call.request.body) == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "add", "path": "members", "value": [{"value": str(user.pk), "display": user.email}]}],
    }
    assert (webhook.status, webhook.last_error) == (WebhookStatus.DELIVERED, "")
    assert webhook.last_delivery_at is not None


def test_a_removed_member_is_a_patch_remove_by_value(crew, webhook):
    access = crew.team.accesses.get(user=crew.member)
    services.team_access_delete(actor=crew.owner, access=access)
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=204)
        deliver_first(webhook)
        body = json.loads(mocked.calls[0].request.body)
    assert body["Operations"] == [{"op": "remove", "path": f'members[value eq "{crew.member.pk}"]'}]


def test_a_role_change_sends_nothing(crew, webhook):
    access = crew.team.accesses.get(user=crew.member)
    services.team_access_update(actor=crew.owner, access=access, role="administrator")
    assert not messages_of(webhook).exists()


def test_a_rename_is_a_patch_of_the_display_name(crew, webhook):
    services.team_update(actor=crew.owner, team=crew.team, name="New name")
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=200, json={"id": "g-1"})
        deliver_first(webhook)
        body = json.loads(mocked.calls[0].request.body)
    assert body["Operations"] == [{"op": "replace", "path": "displayName", "value": "New name"}]


@pytest.mark.parametrize("code", [400, 401, 403, 409, 422])
def test_a_refusal_fails_for_good_and_is_not_retried(crew, webhook, code):
    add_member(crew)
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=code, json={"detail": "no such thing"})
        status, message = deliver_first(webhook)
        assert len(mocked.calls) == 1
    assert status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert message.pk not in outbox.due_ids()
    assert webhook.status == WebhookStatus.FAILED
    assert f"SCIM service answered {code}" in webhook.last_error
    assert "no such thing" in webhook.last_error


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 500},
        {"status": 502, "body": "bad gateway"},
        {"status": 503},
        {"status": 408},
        {"body": requests.ConnectTimeout("connect timeout")},
        {"body": requests.ReadTimeout("read timeout")},
        {"body": requests.ConnectionError("refused")},
    ],
)
def test_an_outage_is_retried_with_backoff(crew, webhook, answer):
    add_member(crew)
    before = timezone.now()
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, **answer)
        status, message = deliver_first(webhook)
    assert status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.next_attempt_at > before
    assert message.pk not in outbox.due_ids()
    assert webhook.status == WebhookStatus.RETRYING
    assert webhook.last_error


def test_a_429_waits_as_long_as_retry_after_asks(crew, webhook, settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 1
    add_member(crew)
    before = timezone.now()
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=429, headers={"Retry-After": "3600"})
        status, message = deliver_first(webhook)
    assert status == OutboxStatus.PENDING
    assert message.next_attempt_at >= before + timedelta(seconds=3600)
    assert webhook.status == WebhookStatus.RETRYING


def test_the_next_change_waits_for_the_one_in_backoff_and_the_same_key_is_sent_again(crew, webhook):
    add_member(crew)
    access = crew.team.accesses.get(user=crew.member)
    services.team_access_delete(actor=crew.owner, access=access)
    first, second = messages_of(webhook)
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=503)
        assert outbox.deliver_due() == 1
        assert outbox.deliver(second.pk) is None  # the remove may not overtake the add
    OutboxMessage.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=204)
        outbox.deliver_due()
        ops = [json.loads(call.request.body)["Operations"][0]["op"] for call in mocked.calls]
        keys = [call.request.headers["Idempotency-Key"] for call in mocked.calls]
    assert ops == ["add", "remove"]
    assert keys == [str(first.pk), str(second.pk)]
    assert set(messages_of(webhook).values_list("status", flat=True)) == {OutboxStatus.DELIVERED}


def test_a_group_the_service_lost_is_made_again_with_the_team_as_it_is(crew, webhook):
    add_member(crew)
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=404)
        mocked.get(f"{BASE}/Groups", json={"Resources": [], "totalResults": 0})
        mocked.post(f"{BASE}/Groups", status=201, json={"id": "g-2"})
        status, _message = deliver_first(webhook)
        created = json.loads(mocked.calls[2].request.body)
    assert status == OutboxStatus.DELIVERED
    assert webhook.remote_id == "g-2"
    assert created["displayName"] == crew.team.name
    assert created["externalId"] == str(crew.team.external_id)
    assert {member["value"] for member in created["members"]} == {
        str(pk) for pk in crew.team.accesses.values_list("user_id", flat=True)
    }


def test_a_group_made_by_a_lost_attempt_is_found_by_external_id_not_made_twice(crew):
    hook = services.webhook_create(actor=crew.owner, team=crew.team, url=BASE, secret="s3cret")
    found = {"id": "g-9", "externalId": str(crew.team.external_id), "displayName": crew.team.name}
    with responses.RequestsMock() as mocked:
        mocked.get(f"{BASE}/Groups", json={"Resources": [found], "totalResults": 1})
        mocked.put(f"{BASE}/Groups/g-9", json=found)
        status, _message = deliver_first(hook)
        assert [call.request.method for call in mocked.calls] == ["GET", "PUT"]
    assert status == OutboxStatus.DELIVERED
    assert hook.remote_id == "g-9"


def test_the_max_age_ends_the_retries(crew, webhook, settings):
    settings.TEAM_WEBHOOK_MAX_AGE = 3600
    add_member(crew)
    message = messages_of(webhook).get()
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with responses.RequestsMock() as mocked:
        mocked.patch(GROUP, status=503)
        status, message = deliver_first(webhook)
    assert status == OutboxStatus.FAILED
    assert webhook.status == WebhookStatus.FAILED


def test_nothing_is_queued_when_the_change_rolls_back(crew, webhook):
    user = UserFactory(organization=crew.team.organization)
    queued = []

    def change_then_fail():
        with transaction.atomic():
            services.team_access_create(actor=crew.owner, team=crew.team, user=user)
            queued.append(messages_of(webhook).count())
            raise RuntimeError("the change fails after")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert queued == [1]
    assert not messages_of(webhook).exists()
    assert not crew.team.accesses.filter(user=user).exists()


def test_the_request_succeeds_while_the_service_is_down(client_for, crew, webhook, django_capture_on_commit_callbacks):
    """Even when the job runs right after the commit in the request's thread (the tests' eager
    mode), the service's outage is the job's, not the request's."""
    user = UserFactory(organization=crew.team.organization)
    with responses.RequestsMock() as mocked, django_capture_on_commit_callbacks(execute=True):
        mocked.patch(GROUP, body=requests.ConnectionError("refused"))
        response = client_for(crew.owner).post(
            f"/api/v1.0/teams/{crew.team.pk}/accesses/", {"user": str(user.pk)}, format="json"
        )
    assert response.status_code == 201
    message = messages_of(webhook).get()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)


def test_a_deleted_webhook_drops_its_queued_changes(crew, webhook):
    add_member(crew)
    services.webhook_delete(actor=crew.owner, webhook=webhook)
    with responses.RequestsMock():  # any call would fail the test
        assert outbox.deliver_due() == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DELIVERED}


def test_a_host_no_longer_allowed_is_not_called(crew, webhook, settings):
    settings.TEAM_WEBHOOK_ALLOWED_HOSTS = ["scim.elsewhere.test"]
    add_member(crew)
    with responses.RequestsMock():  # any call would fail the test
        status, _message = deliver_first(webhook)
    assert status == OutboxStatus.FAILED
    assert webhook.status == WebhookStatus.FAILED
    assert "TEAM_WEBHOOK_ALLOWED_HOSTS" in webhook.last_error
