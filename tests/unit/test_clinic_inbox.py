"""The courier (connectors/clinic_inbox.py) against a real SQLite table, a real webhook
receiver and a broken mail server, all on loopback."""

import time

import pytest

from actions.settings import CallbackRequestSettings
from connectors.clinic_inbox import LEASE_SECONDS, Courier
from persistence.callback_requests import DELIVERED, PENDING, CallbackRequestStore
from tests.clinic_inbox import SECRET, BrokenMailServer, Receiver


@pytest.fixture
def store(tmp_path) -> CallbackRequestStore:
    return CallbackRequestStore(f"sqlite:///{tmp_path / 'conversations.db'}")


@pytest.fixture
def mail_server() -> BrokenMailServer:
    server = BrokenMailServer()
    yield server
    server.listener.close()


@pytest.fixture
def receiver() -> Receiver:
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


def courier_for(store: CallbackRequestStore, receiver: Receiver, mail_server: BrokenMailServer) -> Courier:
    settings = CallbackRequestSettings(
        email_to="desk@clinic.example", webhook_url=receiver.url, country="GB", retention_days=30
    )
    environ = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail_server.port),
        "CALLBACK_WEBHOOK_SECRET": SECRET,
        "CALLBACK_RETRY_SECONDS": "30",
    }
    return Courier(store, settings, environ)


def add_request(store: CallbackRequestStore, now=None) -> str:
    return store.add("web:abc", "Sam", "+447911123456", "phone", "mornings", ["does it hurt?"], True, True, now=now)


def test_a_request_half_delivered_keeps_its_claim_until_its_retry_is_scheduled(store):
    request_id = add_request(store, now=0)
    assert store.claim_next("server-a", 60, now=10).id == request_id
    store.mark_delivered(request_id, "webhook", "server-a", now=11)
    assert store.claim_next("server-b", 60, now=12) is None
    assert store.mark_failed(request_id, "email: ConnectionRefusedError", 30, "server-a", now=12) is True
    assert store.get(request_id).next_attempt_at == 42


def test_a_whole_delivery_hands_the_claim_back(store):
    request_id = store.add(
        "web:abc", "Sam", "sam@example.com", "email", "mornings", [], by_email=True, by_webhook=False, now=0
    )
    assert store.claim_next("server-a", 60, now=10).id == request_id
    store.mark_delivered(request_id, "email", "server-a", now=11)
    request = store.get(request_id)
    assert request.state == DELIVERED and request.delivered_at == 11
    assert store.release_claims("server-a") == 0


def test_webhook_delivered_and_email_failed_schedules_one_retry_of_the_email_only(store, receiver, mail_server):
    request_id = add_request(store)
    courier = courier_for(store, receiver, mail_server)
    before = time.time()
    courier.deliver_due()
    request = store.get(request_id)
    assert [r["id"] for r in receiver.received] == [request_id]
    assert mail_server.connections == 1
    assert (request.webhook_state, request.email_state) == (DELIVERED, PENDING)
    assert request.attempts == 1 and request.next_attempt_at >= before + 30
    assert request.last_error == "email: SMTPServerDisconnected"
    # Not sent again before its retry is due, by this server or another.
    courier.deliver_due()
    assert store.claim_next("another-server", LEASE_SECONDS) is None
    assert len(receiver.received) == 1 and mail_server.connections == 1


def test_a_stopped_courier_claims_nothing_after_handing_its_claims_back(store, receiver, mail_server):
    request_id = add_request(store)
    courier = courier_for(store, receiver, mail_server)
    courier.release_claims()
    courier.deliver_due()
    assert receiver.received == []
    assert store.claim_next("next-server", LEASE_SECONDS).id == request_id
