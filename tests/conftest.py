"""Real servers on loopback for the tests that need them (tests/e2e, browser, shell, channels).

`Servers` starts the action server and the Rasa server from the trained model in models/
(make test trains it first), on free ports, with their own SQLite tracker store and a
fixed clock, and stops them at the end. Their logs are kept under test-artifacts/.
The `servers` fixture is one such pair per test session, with the project's
credentials.yml; a folder that needs other settings builds its own `Servers`.
"""

import json
import os
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence

import pytest
import requests
import socketio

from bench.serving import NO_RATE_LIMITS
from persistence.endpoints import endpoints_like_project

PROJECT = Path(__file__).resolve().parents[1]
MODEL = PROJECT / "models" / "microneedling.tar.gz"
ARTIFACTS = PROJECT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
# Saturday 28 November 2026, 10:00 in London: what "yesterday" means in these tests.
FIXED_NOW = "2026-11-28T10:00:00+00:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see {log}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} did not come up within {timeout} s; see {log}")


def require_model() -> None:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train` (make test does)")


class Servers:
    """An action server and a Rasa server of our own.

    env: extra environment for both (e.g. CLINIC_SETTINGS_FILE for the action server);
    credentials: the credentials file for the Rasa server; cors: allowed origins;
    name: prefix of the log files in test-artifacts/.
    """

    def __init__(
        self,
        tmp: Path,
        env: Optional[Dict[str, str]] = None,
        credentials: Path = PROJECT / "credentials.yml",
        cors: Sequence[str] = (),
        name: str = "",
    ):
        self.tmp = tmp
        self.action_port = free_port()
        self.rasa_port = free_port()
        self.processes: List[subprocess.Popen] = []
        self.env = {**os.environ, "ASSISTANT_FIXED_NOW": FIXED_NOW, "TF_CPP_MIN_LOG_LEVEL": "2",
                    **NO_RATE_LIMITS, **(env or {})}
        self.credentials = credentials
        self.cors = list(cors)
        self.prefix = f"{name}-" if name else ""

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    @property
    def database(self) -> Path:
        """The SQLite file of the Rasa server's tracker store."""
        return self.tmp / "conversations.db"

    @property
    def endpoints(self) -> Path:
        """An endpoints file for this action server and a tracker store in tmp."""
        path = self.tmp / "endpoints.yml"
        if not path.exists():
            path.write_text(endpoints_like_project(self.action_url, self.database))
        return path

    def stored_events(self, sender: str) -> List[Dict]:
        """The conversation's events as the tracker store holds them, in order."""
        return stored_events(self.database, sender)

    def saved_user_texts(self, sender: str, count: int) -> List[str]:
        return saved_user_texts(self.database, sender, count)

    def log(self, name: str) -> Path:
        return ARTIFACTS / f"{self.prefix}{name}.log"

    def _start(self, name: str, command: List[str], health_url: str, env: Optional[Dict[str, str]] = None) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        log = self.log(name)
        handle = log.open("w")
        process = subprocess.Popen(
            command, cwd=PROJECT, env={**self.env, **(env or {})}, stdout=handle, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        wait_until_up(health_url, process, log)

    def start_action_server(self) -> None:
        self._start(
            "action-server",
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.action_port)],
            f"{self.action_url}/health",
            # rasa_sdk has no --interface option; ENDPOINTS: where callback requests are kept.
            env={"SANIC_HOST": "127.0.0.1", "ENDPOINTS": str(self.endpoints)},
        )

    def start_rasa_server(self, env: Optional[Dict[str, str]] = None) -> None:
        """env: extra environment for the Rasa server alone."""
        cors = ["--cors", *self.cors] if self.cors else []
        self._start(
            "rasa-server",
            [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(self.endpoints),
             "--credentials", str(self.credentials), *cors, "--interface", "127.0.0.1",
             "--port", str(self.rasa_port)],
            f"{self.rasa_url}/",
            env=env,
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def send(self, sender: str, message) -> List[Dict]:
        """POST to the REST channel; returns the bot's messages."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=60
        )
        response.raise_for_status()
        return response.json()


@contextmanager
def running_servers(tmp: Path, **options: Any) -> Iterator[Servers]:
    """A started action server and Rasa server (`Servers` options), stopped on exit."""
    require_model()
    running = Servers(tmp, **options)
    try:
        running.start_action_server()
        running.start_rasa_server()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory) -> Iterator[Servers]:
    with running_servers(tmp_path_factory.mktemp("servers")) as running:
        yield running


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


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


class Widget:
    """A socket.io client speaking like the chat widget (HTTP long-polling)."""

    def __init__(self, url: str, origin: str = "", headers: Optional[Dict[str, str]] = None):
        """origin: the Origin header a browser would send for the page (none by default)."""
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


def user_texts(events: List[Dict]) -> List[str]:
    """What the visitor wrote, in order, from a conversation's events."""
    return [event["text"] for event in events if event["event"] == "user"]


def texts(messages: List[Dict]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def project_responses() -> Dict[str, List[Dict]]:
    """Every response of domain.yml and data/responses/*.yml, by name, as the domain holds them."""
    import yaml

    found: Dict[str, List[Dict]] = {}
    for path in [PROJECT / "domain.yml", *sorted((PROJECT / "data" / "responses").glob("*.yml"))]:
        found.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return found
