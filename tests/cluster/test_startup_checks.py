"""PostgreSQL or Redis not reachable at start: one clear line naming what and where."""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.cluster.conftest import ENDPOINTS
from tests.harness.processes import free_port
from tests.harness.project import PROJECT, VENV_BIN

pytestmark = pytest.mark.cluster

ACTION = {"ACTION_HOST": "127.0.0.1", "ACTION_PORT": "5055"}


def check(env):
    return subprocess.run(
        [str(VENV_BIN / "python"), "scripts/check_services.py", "endpoints.cluster.yml"],
        cwd=PROJECT,
        env={**os.environ, **ACTION, **env},
        capture_output=True,
        text=True,
        timeout=60,
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
        cwd=PROJECT,
        env={**env, **ACTION},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: endpoints.cluster.yml: environment variable POSTGRES_PASSWORD is not set"
    ]


def test_make_run_cluster_stops_at_the_check_before_starting_anything(services, tmp_path):
    port = free_port()
    env = {
        **os.environ,
        **services.env,
        "POSTGRES_PORT": str(port),
        "CLUSTER_SERVICES": "external",
        "LOG_DIR": str(tmp_path / "logs"),
        "CLUSTER_DIR": str(tmp_path / "cluster"),
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
        cwd=PROJECT,
        env={**os.environ, **ACTION, **services.env},
        capture_output=True,
        text=True,
        timeout=60,
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
    env = {
        **os.environ,
        "CHAT_ORIGINS": origins,
        "RASA_SERVERS": "none",
        "LOG_DIR": str(tmp_path / "logs"),
        "CLUSTER_DIR": str(tmp_path / "cluster"),
    }
    result = subprocess.run(
        ["scripts/run_cluster.sh"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "CHAT_ORIGINS must list page origins" in result.stderr, result.stderr


def test_make_run_cluster_takes_a_database_name_with_a_quote(services):
    """POSTGRES_DB went into SQL text unquoted: "clinic's db" broke the query that asks
    whether the database exists, so a second start tried to create it again and stopped."""
    cluster_dir = Path(tempfile.mkdtemp(prefix="mn-quoted-db-"))
    cluster_dir.chmod(0o755)  # run as root, the script runs PostgreSQL as the postgres user
    env = {
        **os.environ,
        "CLUSTER_SERVICES": "local",
        "CLUSTER_DIR": str(cluster_dir),
        "LOG_DIR": str(cluster_dir / "logs"),
        "POSTGRES_PORT": str(free_port()),
        "POSTGRES_DB": "clinic's db",
        "REDIS_PORT": services.env["REDIS_PORT"],  # in use: the script stops there, after the database
    }
    env.pop("POSTGRES_PASSWORD", None)
    try:
        for _ in range(2):  # created, then found
            result = subprocess.run(
                ["scripts/run_cluster.sh"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 1
            assert result.stderr.splitlines() == [
                f"error: port {services.env['REDIS_PORT']} is already in use: set REDIS_PORT, "
                "or CLUSTER_SERVICES=external to use the Redis there"
            ], result.stderr
    finally:
        shutil.rmtree(cluster_dir, ignore_errors=True)
