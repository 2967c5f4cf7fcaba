"""Talking to a running assistant as visitors do, and reading back what it kept."""

import asyncio
import json
import os
import queue
import sqlite3
import threading
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import requests

from tests.harness.project import PROJECT

# A conversation with a form: the question starts the aftercare form (it asks for the
# treatment date, requested_slot treatment_time), the answer fills it.
ASK_AFTERCARE = "what aftercare applies to me right now?"
FORM_QUESTION = "When did you have your microneedling treatment"
ANSWER_DATE = "2 days ago"


def new_sender(prefix: str = "test") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def send(base_url: str, sender: str, message, timeout: float = 90) -> List[Dict]:
    """POST to the REST channel; returns the bot's messages."""
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
    )
    response.raise_for_status()
    return response.json()


def texts(messages: List[Dict]) -> str:
    """The bot messages' texts, one a line."""
    return "\n".join(message.get("text") or "" for message in messages)


def user_texts(events: List[Dict]) -> List[str]:
    """What the visitor wrote, in order, from a conversation's events."""
    return [event["text"] for event in events if event["event"] == "user"]


def stored_events(database: Path, sender: str) -> List[Dict]:
    """A conversation's events as a Rasa SQL tracker store's SQLite file holds them, in order."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    finally:
        connection.close()
    return [json.loads(data) for (data,) in rows]


def saved_user_texts(database: Path, sender: str, count: int, timeout: float = 15) -> List[str]:
    """What the visitor wrote, once `count` messages are saved (or the timeout passed):
    Rasa sends a turn's replies before it saves the turn."""
    deadline = time.monotonic() + timeout
    while len(found := user_texts(stored_events(database, sender))) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def stored_turns(events: List[Dict]) -> List[Tuple[str, List[str]]]:
    """A conversation's events as (user text, [bot texts]) per turn, each bot text split at
    blank lines as the REST channel sends it (a message with buttons stays whole), so it
    compares with the texts of the replies. A message answered as several questions
    (connectors/questions.py) is one turn, with the text the visitor wrote."""
    turns: List[Tuple[str, List[str]]] = []
    for event in events:
        metadata = event.get("metadata") or {}
        if event["event"] == "user" and metadata.get("split_part", 0) > 0 and turns:
            continue  # the next question of the same message
        if event["event"] == "user":
            turns.append((metadata.get("split_from", event.get("text")), []))
        elif event["event"] == "bot" and turns:
            text = event.get("text") or ""
            buttons = (event.get("data") or {}).get("buttons")
            turns[-1][1].extend([text] if buttons else text.strip().split("\n\n"))
    return turns


def replies_with_text(messages: Optional[List[Dict]]) -> bool:
    return bool(messages) and any((m.get("text") or "").strip() or m.get("buttons") for m in messages)


def repeats(messages: Optional[List[Dict]]) -> bool:
    """The same text twice in one answer: the assistant went round in a loop."""
    said = [m.get("text") for m in messages or [] if m.get("text")]
    return len(said) != len(set(said))


def read_tracker(endpoints: Path, env: Dict[str, str], sender: str):
    """The full tracker of `sender`, read from the tracker store of `endpoints` as Rasa reads
    it, with `env` set while the endpoints file is read (it names its settings ${LIKE_THIS})."""
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import read_endpoint_config

    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        config = read_endpoint_config(str(endpoints), "tracker_store")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    store = TrackerStore.create(config, domain=Domain.load(str(PROJECT / "domain.yml")))
    try:
        return asyncio.run(store.retrieve_full_tracker(sender))
    finally:
        engine = getattr(store, "engine", None)
        if engine is not None:
            engine.dispose()


class Widget:
    """A socket.io client speaking like the chat widget (HTTP long-polling)."""

    def __init__(self, url: str, origin: str = "", headers: Optional[Dict[str, str]] = None):
        """origin: the Origin header a browser would send for the page (none by default)."""
        import socketio

        self.answers: queue.Queue = queue.Queue()
        self.confirmed = threading.Event()
        self.session_id = None  # as the server confirmed it
        self.client = socketio.Client(reconnection=False)
        self.client.on("bot_uttered", self.answers.put)
        self.client.on("session_confirm", self._confirm)
        headers = {**({"Origin": origin} if origin else {}), **(headers or {})}
        self.client.connect(url, transports=["polling"], headers=headers, wait_timeout=30)

    def _confirm(self, session_id: str) -> None:
        self.session_id = session_id
        self.confirmed.set()

    def say(self, session_id: str, message: str) -> None:
        self.send(session_id, {"session_id": session_id, "message": message, "customData": {}})

    def send(self, session_id: str, *data) -> None:
        """A `user_uttered` event with the given data, as it is, after the session request."""
        self.client.emit("session_request", {"session_id": session_id})
        assert self.confirmed.wait(30)
        self.client.emit("user_uttered", *data)

    def replies(self, first_within: float = 60, quiet: float = 2) -> list:
        """The bot messages of one turn: the first within `first_within` s, then until quiet."""
        messages = [self.answers.get(timeout=first_within)]
        try:
            while True:
                messages.append(self.answers.get(timeout=quiet))
        except queue.Empty:
            return messages

    def close(self) -> None:
        self.client.disconnect()
