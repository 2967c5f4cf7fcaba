"""nginx limits REST messages per client address over all Rasa servers (scripts/cluster_nginx.py).

A second nginx in front of the cluster's servers, configured as `make run-cluster` does
with RATE_LIMIT_PER_ADDRESS=6 (a burst of 2); the cluster's own nginx has no limit,
because the other tests send many messages from one address.
"""

import queue
import threading
from typing import Iterator

import pytest
import requests
import socketio

from tests.harness.services import Nginx

pytestmark = pytest.mark.cluster


@pytest.fixture(scope="module")
def limited_nginx(cluster) -> Iterator[Nginx]:
    nginx = Nginx(cluster.rasa, per_address=6)
    nginx.start()
    try:
        yield nginx
    finally:
        nginx.remove()


def test_rest_messages_over_the_limit_of_an_address_get_429(limited_nginx, sender):
    statuses = [
        requests.post(
            f"{limited_nginx.url}/webhooks/rest/webhook", json={"sender": f"{sender}-{n}", "message": "hi"}, timeout=60
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_the_widget_is_not_limited_by_its_polling(limited_nginx):
    """Long-polling makes several requests a second; only messages count (on the servers)."""
    answers, confirmed = queue.Queue(), threading.Event()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", answers.put)
    client.on("session_confirm", lambda session_id: confirmed.set())
    client.connect(limited_nginx.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": None})
        assert confirmed.wait(30)
        for question, answer in (("what is microneedling?", "collagen"), ("how many sessions will I need?", "series")):
            client.emit("user_uttered", {"message": question})
            while answer not in answers.get(timeout=60)["text"]:
                pass
    finally:
        client.disconnect()
