"""Bad input, fuzzing, load and security checks against real servers on loopback.

`robust` is one action server and Rasa server for the whole folder (tests/conftest.py's
`Servers`, project credentials.yml, no HTTP API), logs in test-artifacts/robustness-*.log.
Tests read what the Rasa server logged while they ran (`LogWatch`) and what it stored
(`stored_turns`, from the SQLite tracker store in the servers' tmp folder).
"""

import uuid
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import pytest

from tests.conftest import PROJECT, Servers, free_port, require_model, texts  # noqa: F401 (re-exported)

# What must never appear in the Rasa server's log while bad input comes in. Rasa 3.6 logs
# a failed REST turn as structlog JSON ('"exception": [...]') without the word Traceback.
LOG_PROBLEMS = ("Traceback", '"exception":', " ERROR ", " CRITICAL ", "Exception occurred")


class RobustServers(Servers):
    """`Servers` with extra `rasa run` arguments (e.g. --enable-api) and unbuffered logs."""

    def __init__(self, tmp: Path, rasa_args: Sequence[str] = (), **kwargs):
        kwargs.setdefault("env", {})
        kwargs["env"] = {"PYTHONUNBUFFERED": "1", **kwargs["env"]}
        super().__init__(tmp, **kwargs)
        self.rasa_args = list(rasa_args)

    def _start(self, name, command, health_url, env=None):
        if name == "rasa-server":
            command = [*command, *self.rasa_args]
        super()._start(name, command, health_url, env)

    def watch(self) -> "LogWatch":
        return LogWatch(self.log("rasa-server"))

    def stored_turns(self, sender: str) -> List[Tuple[str, List[str]]]:
        """The conversation as the tracker store holds it: (user text, [bot texts]) per turn,
        each bot text split at blank lines as the REST channel sends it (a message with
        buttons stays whole), so it compares with the texts of the replies. A message
        answered as several questions (connectors/questions.py) is one turn, with the text
        the visitor wrote."""
        turns: List[Tuple[str, List[str]]] = []
        for event in self.stored_events(sender):
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


class LogWatch:
    """What a log file gained since this object was made."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def new(self) -> str:
        with self.path.open("rb") as handle:
            handle.seek(self.offset)
            return handle.read().decode("utf-8", "replace")

    def problems(self) -> List[str]:
        return [line[:300] for line in self.new().splitlines() if any(p in line for p in LOG_PROBLEMS)]


def start(tmp: Path, name: str, rasa_args: Sequence[str] = ()) -> RobustServers:
    require_model()
    running = RobustServers(tmp, rasa_args=rasa_args, name=name)
    try:
        running.start_action_server()
        running.start_rasa_server()
    except BaseException:
        running.stop()
        raise
    return running


@pytest.fixture(scope="session")
def robust(tmp_path_factory) -> Iterator[RobustServers]:
    """The assistant as `make run` starts it (credentials.yml, no HTTP API)."""
    running = start(tmp_path_factory.mktemp("robustness"), "robustness")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def sender() -> str:
    return f"robust-{uuid.uuid4().hex[:12]}"


def replies_with_text(messages: Optional[List[Dict]]) -> bool:
    return bool(messages) and any((m.get("text") or "").strip() or m.get("buttons") for m in messages)


def repeats(messages: Optional[List[Dict]]) -> bool:
    """The same text twice in one answer: the assistant went round in a loop."""
    said = [m.get("text") for m in messages or [] if m.get("text")]
    return len(said) != len(set(said))
