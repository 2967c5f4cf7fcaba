"""The callback requests' table (persistence/callback_requests.py) on a real SQLite file."""

from persistence.callback_requests import DELIVERED, PENDING, CallbackRequestStore

DAY = 86400.0


def store(tmp_path) -> CallbackRequestStore:
    return CallbackRequestStore(f"sqlite:///{tmp_path / 'conversations.db'}")


def add(requests: CallbackRequestStore, name: str, now: float) -> str:
    return requests.add(
        "web:abc",
        name,
        "+447911123456",
        "phone",
        "mornings",
        ["does it hurt?"],
        by_email=True,
        by_webhook=False,
        now=now,
    )


def test_delivered_requests_are_removed_after_the_retention_and_pending_ones_kept(tmp_path):
    requests = store(tmp_path)
    old, recent = add(requests, "Old", 0), add(requests, "Recent", 0)
    add(requests, "Pending", 0)
    for request_id, delivered_at in ((old, 0.5 * DAY), (recent, 29 * DAY)):
        assert requests.claim_next("me", 60, now=delivered_at).id == request_id
        requests.mark_delivered(request_id, "email", "me", now=delivered_at)
    assert requests.remove_delivered_before(31 * DAY - 30 * DAY) == 1
    assert {request.name: request.state for request in requests.all()} == {"Recent": DELIVERED, "Pending": PENDING}


def test_a_claimed_request_is_not_claimed_again_until_its_lease_passes(tmp_path):
    requests = store(tmp_path)
    request_id = add(requests, "Sam", 0)
    assert requests.claim_next("server-a", 60, now=10).id == request_id
    assert requests.claim_next("server-b", 60, now=20) is None
    # A server whose claim lapsed does not reschedule what another now holds.
    assert requests.claim_next("server-b", 60, now=80).id == request_id
    assert requests.mark_failed(request_id, "email: ConnectionRefusedError", 30, "server-a", now=81) is False
    assert requests.mark_failed(request_id, "email: ConnectionRefusedError", 30, "server-b", now=81) is True
    assert requests.get(request_id).attempts == 1 and requests.get(request_id).next_attempt_at == 111


def test_a_server_hands_back_its_claims(tmp_path):
    requests = store(tmp_path)
    request_id = add(requests, "Sam", 0)
    assert requests.claim_next("server-a", 60, now=10).id == request_id
    assert requests.release_claims("server-a") == 1
    assert requests.claim_next("server-b", 60, now=11).id == request_id
