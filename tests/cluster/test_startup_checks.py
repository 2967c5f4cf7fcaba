"""PostgreSQL or Redis not reachable at start: one clear line naming what and where."""

import os
import subprocess
import time

import pytest

from tests.cluster.conftest import ENDPOINTS
from tests.cluster.stack import PROJECT, VENV_BIN, free_port

pytestmark = pytest.mark.cluster

ACTION = {"ACTION_HOST": "127.0.0.1", "ACTION_PORT": "5055"}


def check(env):
    return subprocess.run(
        [str(VENV_BIN / "python"), "scripts/check_services.py", "endpoints.cluster.yml"],
        cwd=PROJECT, env={**os.environ, **ACTION, **env}, capture_output=True, text=True, timeout=60,
    )


def test_passes_when_both_answer(services):
    result = check(services.env)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_postgres_not_reachable(services):
    port = free_port()  # nothing listens there
    result = check({**services.env, "POSTGRES_PORT": str(port)})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: PostgreSQL tracker store at 127.0.0.1:{port}, database 'microneedling' "
        f"(endpoints.cluster.yml) is not reachable: Connection refused"
    ]


def test_postgres_wrong_password(services):
    result = check({**services.env, "POSTGRES_PASSWORD": "wrong"})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: PostgreSQL tracker store at 127.0.0.1:{services.postgres.port}, database 'microneedling' "
        f'(endpoints.cluster.yml) is not reachable: password authentication failed for user "rasa"'
    ]


def test_redis_not_reachable(services):
    port = free_port()
    result = check({**services.env, "REDIS_PORT": str(port)})
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: Redis lock store at 127.0.0.1:{port} (endpoints.cluster.yml) is not reachable: Connection refused"
    ]


def test_missing_setting(services):
    env = {key: value for key, value in {**os.environ, **services.env}.items() if key != "POSTGRES_PASSWORD"}
    result = subprocess.run(
        [str(VENV_BIN / "python"), "scripts/check_services.py", "endpoints.cluster.yml"],
        cwd=PROJECT, env={**env, **ACTION}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: endpoints.cluster.yml: environment variable POSTGRES_PASSWORD is not set"
    ]


def test_make_run_cluster_stops_at_the_check_before_starting_anything(services, tmp_path):
    port = free_port()
    env = {
        **os.environ, **services.env, "POSTGRES_PORT": str(port), "CLUSTER_SERVICES": "external",
        "LOG_DIR": str(tmp_path / "logs"), "CLUSTER_DIR": str(tmp_path / "cluster"),
    }
    started = time.monotonic()
    result = subprocess.run(
        ["scripts/run_cluster.sh"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: PostgreSQL tracker store at 127.0.0.1:{port}, database 'microneedling' "
        f"(endpoints.cluster.yml) is not reachable: Connection refused"
    ]
    assert time.monotonic() - started < 30  # no Rasa server was started
    assert not (tmp_path / "logs").exists() or not list((tmp_path / "logs").glob("rasa-*.log"))


def test_store_class_that_cannot_be_imported(services, tmp_path):
    # Rasa itself would only warn and keep conversations in memory, losing them.
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(ENDPOINTS.read_text().replace("persistence.tracker_store.", "persistence.tracker_stor."))
    result = subprocess.run(
        [str(VENV_BIN / "python"), "scripts/check_services.py", str(endpoints)],
        cwd=PROJECT, env={**os.environ, **ACTION, **services.env}, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: tracker store type 'persistence.tracker_stor.FastSQLTrackerStore' ({endpoints}) "
        f"cannot be imported: No module named 'persistence.tracker_stor'"
    ]


@pytest.mark.parametrize("origins", ["*", "http://localhost:8080 *", "www.example-clinic.com"])
def test_make_run_cluster_takes_only_page_origins(origins, tmp_path):
    # "*" must not expand to the file names of the folder, and an origin needs its scheme,
    # as `make run` checks (scripts/run.sh). RASA_SERVERS is wrong too: the next check
    # stops the script if this one lets the origins through.
    env = {**os.environ, "CHAT_ORIGINS": origins, "RASA_SERVERS": "none", "LOG_DIR": str(tmp_path / "logs"),
           "CLUSTER_DIR": str(tmp_path / "cluster")}
    result = subprocess.run(["scripts/run_cluster.sh"], cwd=PROJECT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert "CHAT_ORIGINS must list page origins" in result.stderr, result.stderr
