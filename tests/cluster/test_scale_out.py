"""Two Rasa servers share conversations: PostgreSQL keeps them, Redis takes turns."""

import asyncio
import json
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from connectors.apology import APOLOGY
from tests.harness.conversations import ANSWER_DATE, ASK_AFTERCARE, FORM_QUESTION, texts

pytestmark = pytest.mark.cluster

FORM = "aftercare_timing_form"


def test_alternating_servers_keep_slots_and_form_state(cluster, sender):
    a, b = cluster.rasa

    assert FORM_QUESTION in texts(a.send(sender, ASK_AFTERCARE))
    tracker = cluster.tracker(sender)
    assert tracker.active_loop_name == FORM
    assert tracker.get_slot("requested_slot") == "treatment_time"

    # A guide question while the form waits: answered, then the form asks again. Server B
    # can only know it must ask again from the form state server A stored.
    reply = texts(b.send(sender, "does it hurt?"))
    assert "anaesthetic" in reply
    assert FORM_QUESTION in reply, reply

    reply = texts(a.send(sender, ANSWER_DATE))
    assert "Your treatment was 2 days ago, on Thursday 26 November." in reply

    tracker = cluster.tracker(sender)
    assert tracker.active_loop_name is None
    dates = [e.value for e in tracker.events if getattr(e, "key", None) == "treatment_date"]
    assert "2026-11-26" in dates
    assert [e.text for e in tracker.events if e.type_name == "user"] == [ASK_AFTERCARE, "does it hurt?", ANSWER_DATE]


QUESTIONS = [
    "what is microneedling?",
    "does it hurt?",
    "how many sessions do I need?",
    "how deep do the needles go?",
    "who performs microneedling?",
    "how long does healing take?",
    "can I exfoliate afterwards?",
    "what are the benefits?",
]


def turns(tracker):
    """[(user text, [bot texts])] in stored order; fails on a turn that did not end in action_listen."""
    result, current = [], None
    for event in tracker.events:
        if event.type_name == "user":
            assert current is None, f"message {event.text!r} started before the previous turn ended"
            current = (event.text, [])
        elif event.type_name == "bot" and current is not None:
            current[1].append(event.text)
        elif event.type_name == "action" and event.action_name == "action_listen" and current is not None:
            result.append(current)
            current = None
    assert current is None, "the last turn did not end"
    return result


ROUNDS = 3


def test_simultaneous_messages_to_both_servers_are_all_handled_one_at_a_time(cluster, sender):
    """Bursts of messages of one visitor, sent at the same instant, half to each server.

    Rasa 3.6's own RedisLockStore lets two servers handle such messages at once, and
    one's events then overwrite the other's (see persistence/lock_store.py): this fails
    with `type: redis` in endpoints.cluster.yml."""
    servers = cluster.rasa
    # One open connection per message, so that the requests leave together.
    sessions = [requests.Session() for _ in QUESTIONS]
    for index, session in enumerate(sessions):
        session.get(f"{servers[index % 2].url}/", timeout=10).raise_for_status()
    finished, replies = [], {}

    def ask(index: int, message: str, barrier: threading.Barrier):
        barrier.wait()
        response = sessions[index].post(
            f"{servers[index % 2].url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=120
        )
        response.raise_for_status()
        finished.append(message)
        replies[message] = response.json()

    for round_ in range(1, ROUNDS + 1):
        barrier = threading.Barrier(len(QUESTIONS))
        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            futures = [
                pool.submit(ask, index, f"{question} ({round_})", barrier) for index, question in enumerate(QUESTIONS)
            ]
        for future in futures:
            future.result()  # a request that failed fails the test, with its error

    assert len(replies) == ROUNDS * len(QUESTIONS)
    for message, reply in replies.items():
        assert reply and APOLOGY not in texts(reply), f"{message!r} got {reply}"

    stored = turns(cluster.tracker(sender))
    # Every message is kept once, each followed by its own answer ...
    assert sorted(text for text, _ in stored) == sorted(replies)
    for text, bot_texts in stored:
        assert bot_texts == [m.get("text") for m in replies[text]], text
    # ... in the order the servers handled them (one finished before the next began).
    assert [text for text, _ in stored] == finished


def test_nginx_spreads_rest_messages_over_both_servers(cluster, sender):
    log = cluster.nginx.prefix / "access.log"
    before = len(log.read_text().splitlines()) if log.exists() else 0
    for question in QUESTIONS[:4]:
        assert texts(cluster.send(sender, question)), question
    assert [text for text, _ in turns(cluster.tracker(sender))] == QUESTIONS[:4]
    access_log = log.read_text().splitlines()[before:]
    used = {line.rsplit("upstream=", 1)[-1] for line in access_log if "POST /webhooks/rest/webhook" in line}
    assert used >= {f"127.0.0.1:{server.port}" for server in cluster.rasa}


def test_chat_widget_socketio_long_polling_through_nginx(cluster, sender):
    """The widget starts with HTTP long-polling; every poll must reach the same server."""
    import socketio

    answers = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("bot_uttered", answers.put)
    confirmed = threading.Event()
    client.on("session_confirm", lambda data: confirmed.set())
    client.connect(cluster.nginx.url, socketio_path="/socket.io", transports=["polling"], wait_timeout=30)
    try:
        client.emit("session_request", {"session_id": sender})
        assert confirmed.wait(30)
        client.emit("user_uttered", {"message": ASK_AFTERCARE, "session_id": sender})
        assert FORM_QUESTION in answers.get(timeout=60)["text"]
        client.emit("user_uttered", {"message": ANSWER_DATE, "session_id": sender})
        assert "2 days ago" in answers.get(timeout=60)["text"]
    finally:
        client.disconnect()


def test_chat_widget_socketio_websocket_through_nginx(cluster, sender):
    """nginx passes the WebSocket upgrade on (engine.io v4 frames spoken by hand)."""
    import websockets

    async def chat():
        url = f"ws://127.0.0.1:{cluster.nginx.port}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, open_timeout=30) as ws:

            async def receive(prefix):
                while True:
                    frame = await asyncio.wait_for(ws.recv(), 60)
                    if frame == "2":  # engine.io ping
                        await ws.send("3")
                    elif frame.startswith(prefix):
                        return frame

            await receive("0{")  # engine.io open
            await ws.send("40")  # socket.io connect
            await receive("40")
            await ws.send(json_frame("session_request", {"session_id": sender}))
            await receive('42["session_confirm"')
            await ws.send(json_frame("user_uttered", {"message": ASK_AFTERCARE, "session_id": sender}))
            return json.loads((await receive('42["bot_uttered"'))[2:])[1]

    assert FORM_QUESTION in asyncio.run(chat())["text"]


def json_frame(event, data):
    return "42" + json.dumps([event, data])
