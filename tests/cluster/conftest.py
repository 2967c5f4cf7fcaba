"""The scale-out profile for real: PostgreSQL, Redis, one action server, two Rasa servers
and nginx, each started by these tests on free loopback ports (tests/harness/).

Run with `make test-cluster` (`pytest -m cluster tests/cluster`). The stack is started
once per session and shared; tests/cluster/test_survival.py, which stops and kills parts
of it, runs last and leaves it running again.
"""

from typing import Dict, Iterator, List

import pytest

from tests.harness.conversations import read_tracker, send
from tests.harness.processes import ActionServer, RasaServer
from tests.harness.project import PROJECT, require_model
from tests.harness.services import Nginx, PostgreSQL, Redis

ENDPOINTS = PROJECT / "endpoints.cluster.yml"
CREDENTIALS = PROJECT / "credentials.yml"
# The Rasa servers sit behind nginx, one proxy: the visitor's address is in X-Forwarded-For.
BEHIND_NGINX = {"SANIC_PROXIES_COUNT": "1"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "cluster: real PostgreSQL, Redis, nginx and two Rasa servers on loopback (make test-cluster)"
    )


class Services:
    """PostgreSQL (with an empty database for the tracker store) and Redis."""

    def __init__(self):
        self.postgres = PostgreSQL()
        self.redis = Redis()

    def start(self) -> None:
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_database()
        self.redis.start()

    @property
    def env(self) -> Dict[str, str]:
        return {**self.postgres.env, **self.redis.env}

    def stop(self) -> None:
        self.redis.remove()
        self.postgres.remove()


class Cluster:
    """Two Rasa servers behind nginx, sharing the services, and one action server."""

    def __init__(self, services: Services):
        self.services = services
        self.action = ActionServer("cluster-action-server")
        self.rasa: List[RasaServer] = [
            RasaServer(f"cluster-rasa-{name}", ENDPOINTS, CREDENTIALS, {**self.env, **BEHIND_NGINX})
            for name in ("a", "b")
        ]
        self.nginx = Nginx(self.rasa)

    @property
    def env(self) -> Dict[str, str]:
        return {**self.services.env, **self.action.env}

    def start(self) -> None:
        self.action.start()
        for server in self.rasa:  # both load their model at once
            server.launch()
        for server in self.rasa:
            server.wait()
        self.nginx.start()

    def stop(self) -> None:
        self.nginx.stop()
        for server in self.rasa:
            server.stop()
        self.action.stop()

    def restart_everything(self) -> None:
        """Stop every program of the stack, PostgreSQL and Redis included, and start them again."""
        self.stop()
        self.services.redis.stop()
        self.services.postgres.stop()
        self.services.postgres.start()
        self.services.redis.start()
        self.start()

    def send(self, sender: str, message: str) -> List[Dict]:
        """Through nginx, as visitors do."""
        return send(self.nginx.url, sender, message)

    def tracker(self, sender: str):
        return read_tracker(ENDPOINTS, self.env, sender)


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    running = Services()
    try:
        running.start()
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def cluster(services) -> Iterator[Cluster]:
    require_model()
    running = Cluster(services)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        running.nginx.remove()
