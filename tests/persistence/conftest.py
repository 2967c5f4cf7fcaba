"""The embedded default (`make run`): conversations in a SQLite file, kept across restarts."""

import uuid
from pathlib import Path
from typing import Iterator

import pytest

from persistence.endpoints import endpoints_like_project
from tests.cluster.stack import ARTIFACTS, MODEL, PROJECT, ActionServer, RasaServer


class Embedded:
    """An action server and a Rasa server as `make run` starts them, with the tracker store
    of endpoints.yml moved into a temporary folder, and a way to restart both."""

    def __init__(self, tmp: Path):
        self.action = ActionServer("persistence-action-server")
        self.database = tmp / "conversations.db"
        self.endpoints = tmp / "endpoints.yml"
        self.endpoints.write_text(endpoints_like_project(f"http://127.0.0.1:{self.action.port}", self.database))
        self.rasa = RasaServer("persistence-rasa-server", self.endpoints, PROJECT / "credentials.yml")

    def start(self) -> None:
        self.action.start()
        self.rasa.start()

    def stop(self) -> None:
        self.rasa.stop()
        self.action.stop()


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Iterator[Embedded]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: run `make train`")
    for old in ARTIFACTS.glob("persistence-*.log"):
        old.unlink()
    running = Embedded(tmp_path_factory.mktemp("embedded"))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture
def sender() -> str:
    return f"persist-{uuid.uuid4().hex[:12]}"
