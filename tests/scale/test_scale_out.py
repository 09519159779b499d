"""Two web instances and two Celery workers, started from the Procfile as `make prod` starts
them, sharing one PostgreSQL database and one Redis: nothing one process needs is kept in
another's memory.

Bounded in time: every wait has a deadline, and the stack stops with the module (conftest.py).
"""

from __future__ import annotations

import signal
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.scale.conftest import OUTBOX_LOCK_SECONDS, SERVICE_RATE
from tests.waiting import wait_for

ME = "/api/v1.0/users/me/"
RS_ME = "/resource-server/v1.0/users/me/"
# The CSRF secret a browser would hold in its cookie and echo in the header (32 characters).
CSRF = "scaleoutcsrfsecret0123456789abcd"
DELIVERY_TIMEOUT = 240


def signed_in(session_key: str) -> requests.Session:
    """A client holding the session cookie. Production cookies are `Secure`, which a client
    only returns over HTTPS: over loopback's plain HTTP it is sent by hand."""
    http = requests.Session()
    http.headers.update({"Cookie": f"sessionid={session_key}; csrftoken={CSRF}", "X-CSRFToken": CSRF})
    return http


def test_a_session_opened_on_one_instance_works_on_the_other(scale):
    owner = scale.seed["owners"][0]
    http = signed_in(owner["session"])
    for url in scale.web:
        response = http.get(url + ME, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["id"] == owner["id"]
        assert requests.get(url + ME, timeout=10).status_code == 401


def _token(scale, service: str, login: str = "alice") -> str:
    if scale.provider is None:
        pytest.skip("node is not installed: the tests against the real OpenID provider are skipped")
    return scale.provider.tokens_for(service, login=login)["access_token"]


def test_an_introspection_cached_by_one_instance_serves_the_other(scale):
    token = _token(scale, "service-a")
    endpoint = scale.provider.introspection_endpoint
    before = scale.provider.calls_to(endpoint)
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for url in (scale.web[0], scale.web[1], scale.web[1], scale.web[0]):
        response = http.get(url + RS_ME, timeout=10)
        assert response.status_code == 200, response.text
    assert scale.provider.calls_to(endpoint) == before + 1


def test_a_user_deactivated_in_the_database_is_refused_by_every_instance(scale):
    """Each instance keeps the users of recent calls (known_users); a change written by anyone,
    here SQL by hand, reaches both through PostgreSQL's notifications. Bob's calls, not Alice's:
    the per-service rate limit counts each user's calls on their own."""
    token = _token(scale, "service-a", login="bob")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    for url in scale.web:  # each instance reads bob and keeps him
        response = http.get(url + RS_ME, timeout=10)
        assert response.status_code == 200, response.text
    user_id = response.json()["id"]
    try:
        scale.database.query("UPDATE identity_user SET is_active = false WHERE id = %s RETURNING id", (user_id,))
        for url in scale.web:
            # At most 5 more accepted calls fit in the rate limit (10 a minute): heard within 1 s.
            wait_for(lambda url=url: http.get(url + RS_ME, timeout=10).status_code == 401, timeout=1,
                     what=f"the deactivated user refused by {url}", interval=0.2)
    finally:
        scale.database.query("UPDATE identity_user SET is_active = true WHERE id = %s RETURNING id", (user_id,))
    for url in scale.web:
        assert http.get(url + RS_ME, timeout=10).status_code == 200


def test_the_service_rate_limit_is_shared_by_the_instances(scale):
    token = _token(scale, "service-b")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    answers = [
        (scale.web[index % 2], http.get(scale.web[index % 2] + RS_ME, timeout=10).status_code)
        for index in range(SERVICE_RATE + 2)
    ]
    assert [status for _, status in answers] == [200] * SERVICE_RATE + [429, 429]
    assert {url for url, status in answers if status == 429} == set(scale.web)


# --- outbox ----------------------------------------------------------------------------------


def invite(scale, domain: str, count: int) -> Counter:
    """`count` invitations by the first owner, POSTed alternately to each instance from eight
    client threads; each enqueues its e-mail. Returns (instance, status) counts."""
    owner, team = scale.seed["owners"][0], scale.seed["team"]
    local = threading.local()

    def post(index: int) -> tuple[str, int]:
        if not hasattr(local, "http"):
            local.http = signed_in(owner["session"])
        url = scale.web[index % 2]
        response = local.http.post(
            f"{url}/api/v1.0/teams/{team}/invitations/",
            json={"email": f"invitee{index}@{domain}", "role": "member"},
            timeout=30,
        )
        return url, response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        return Counter(pool.map(post, range(count)))


def outbox_rows(scale, domain: str) -> list[tuple[str, int, str]]:
    """(status, attempts, recipient) of the invitation e-mails to `domain`."""
    return scale.database.query(
        "SELECT m.status, m.attempts, i.email FROM core_outboxmessage m "
        "JOIN teams_invitation i ON i.id::text = m.payload->>'invitation_id' WHERE i.email LIKE %s",
        (f"%@{domain}",),
    )


def all_delivered(scale, domain: str, count: int) -> bool:
    rows = outbox_rows(scale, domain)
    return len(rows) == count and all(status == "delivered" for status, *_ in rows)


def tasks_done(worker) -> int:
    return worker.output().count("succeeded in") if worker.log.exists() else 0


def test_entries_written_on_both_instances_are_delivered_once_by_racing_workers(scale):
    domain, count = "race.example.gouv.fr", 1000
    # Written while no worker runs: both then start on the same backlog, and beat's sweeps
    # offer the same rows again, so that every row is contested.
    assert invite(scale, domain, count) == {(url, 201): count // 2 for url in scale.web}
    workers = [scale.stack.start("worker", f"worker-race-{n}") for n in (1, 2)]
    try:
        wait_for(lambda: all_delivered(scale, domain, count), timeout=DELIVERY_TIMEOUT, what="1,000 e-mails delivered")
        received = scale.smtp.handler.per_recipient(domain)
        assert len(received) == count
        assert set(received.values()) == {1}
        assert {attempts for _, attempts, *_ in outbox_rows(scale, domain)} == {1}
        assert all(message_id for _, message_id in scale.smtp.handler.message_ids())
        assert all(tasks_done(worker) > 0 for worker in workers), "both workers delivered"
    finally:
        for worker in workers:
            worker.stop()


def in_flight(scale, domain: str) -> int:
    """Messages to `domain` a worker holds right now (claimed, not yet recorded)."""
    return scale.database.query(
        "SELECT count(*) FROM core_outboxmessage WHERE recipient LIKE %s AND status = 'pending' "
        "AND locked_until > now()",
        (f"%@{domain}",),
    )[0][0]


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(scale):
    domain, count = "kill.example.gouv.fr", 200
    handler = scale.smtp.handler
    handler.delay = 0.3  # deliveries stay in flight long enough to be cut
    # The worker to kill runs alone until then, so that it is the one holding deliveries.
    killed, survivor = scale.stack.start_worker("worker-kill-1"), None
    try:
        assert invite(scale, domain, count) == {(url, 201): count // 2 for url in scale.web}
        wait_for(lambda: sum(handler.per_recipient(domain).values()) >= 20, timeout=120, what="deliveries under way")
        wait_for(lambda: in_flight(scale, domain) > 0, timeout=30, what="a delivery in flight")
        killed.signal_group(signal.SIGKILL)
        killed.popen.wait(timeout=10)
        killed_at = scale.database.query("SELECT now()")[0][0]
        survivor = scale.stack.start_worker("worker-kill-2")
        # Still locked by a claim older than the kill: the killed worker's cut deliveries. Its
        # prefetched tasks were never claimed: beat's sweep hands their rows to the survivor,
        # whose own claims are younger than the kill.
        cut = [
            email
            for (email,) in scale.database.query(
                "SELECT i.email FROM core_outboxmessage m JOIN teams_invitation i "
                "ON i.id::text = m.payload->>'invitation_id' WHERE i.email LIKE %s "
                "AND m.status = 'pending' AND m.locked_until > now() AND m.updated_at <= %s",
                (f"%@{domain}", killed_at),
            )
        ]
        assert 1 <= len(cut) <= 2, "the killed worker (2 processes) had deliveries in flight"
        wait_for(
            lambda: all_delivered(scale, domain, count),
            timeout=OUTBOX_LOCK_SECONDS + 60,
            what="the killed worker's entries delivered after their lock",
        )
        received = handler.per_recipient(domain)
        assert len(received) == count, "no entry lost"
        # At least once: a message the peer had accepted when its worker died is sent again.
        assert {email for email, times in received.items() if times > 1} <= set(cut)
        assert max(received.values()) <= 2
        # The copy carries the first send's Message-ID, so that the receiver can drop it.
        ids = handler.message_ids()
        assert all(len({mid for address, mid in ids if address == email}) == 1 for email in cut)
        attempts = {email: tries for _, tries, email in outbox_rows(scale, domain)}
        assert {email for email, tries in attempts.items() if tries > 1} == set(cut)
    finally:
        handler.delay = 0
        killed.stop()
        if survivor is not None:
            survivor.stop()


# --- the last owner --------------------------------------------------------------------------


def owners_of_team(scale) -> int:
    return scale.database.query(
        "SELECT count(*) FROM teams_teamaccess WHERE team_id = %s AND role = 'owner'", (scale.seed["team"],)
    )[0][0]


def test_simultaneous_demotions_of_both_owners_on_two_instances_keep_one(scale):
    team, owners = scale.seed["team"], scale.seed["owners"]
    clients = [signed_in(owner["session"]) for owner in owners]
    barrier = threading.Barrier(2)

    def demote_self(index: int) -> requests.Response:
        """Each owner demotes themself through their own instance, both at once."""
        url = f"{scale.web[index]}/api/v1.0/teams/{team}/accesses/{owners[index]['access']}/"
        barrier.wait()
        return clients[index].patch(url, json={"role": "member"}, timeout=30)

    for round_number in range(4):
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(pool.map(demote_self, range(2)))
        statuses = sorted(response.status_code for response in answers)
        assert statuses[0] == 200, (round_number, statuses)
        assert statuses[1] != 200, (round_number, statuses)
        refused = [response.json() for response in answers if response.status_code != 200]
        assert refused[0]["code"] == "last_owner"
        assert owners_of_team(scale) == 1
        # The owner left promotes the other again, through the other instance.
        keeper = next(index for index, response in enumerate(answers) if response.status_code != 200)
        other = 1 - keeper
        promoted = clients[keeper].patch(
            f"{scale.web[other]}/api/v1.0/teams/{team}/accesses/{owners[other]['access']}/",
            json={"role": "owner"},
            timeout=30,
        )
        assert promoted.status_code == 200, promoted.text
        assert owners_of_team(scale) == 2
