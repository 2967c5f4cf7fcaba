"""nginx's access log (client addresses) is rotated by size while nginx runs, and only a
few old files are kept (scripts/rotate_log.py, started by scripts/run_cluster.sh)."""

import subprocess

import pytest
import requests

from tests.harness.processes import wait_for
from tests.harness.project import PROJECT, VENV_BIN

pytestmark = pytest.mark.cluster


def rotate_once(nginx, keep):
    subprocess.run(
        [
            str(VENV_BIN / "python"),
            "scripts/rotate_log.py",
            "--log",
            str(nginx.prefix / "access.log"),
            "--pid",
            str(nginx.process.popen.pid),
            "--max-bytes",
            "1",
            "--keep",
            str(keep),
            "--once",
        ],
        cwd=PROJECT,
        check=True,
        timeout=30,
    )


def logged_in_the_current_file(nginx, marker):
    """Request until nginx writes to access.log: it reopens its logs a moment after SIGUSR1."""
    log = nginx.prefix / "access.log"

    def written():
        requests.get(f"{nginx.url}/?round={marker}", timeout=10)
        return log.exists() and f"round={marker}" in log.read_text()

    wait_for(written, "nginx writing to access.log", timeout=15)


def test_the_access_log_is_rotated_and_old_files_are_dropped(cluster):
    nginx = cluster.nginx
    for round_number in range(1, 4):
        logged_in_the_current_file(nginx, round_number)
        rotate_once(nginx, keep=2)
        assert f"round={round_number}" in (nginx.prefix / "access.log.1").read_text()

    # nginx writes to a new file after each rotation; two old files are kept.
    logged_in_the_current_file(nginx, "after")
    assert sorted(path.name for path in nginx.prefix.glob("access.log*")) == [
        "access.log",
        "access.log.1",
        "access.log.2",
    ]
    assert "round=2" in (nginx.prefix / "access.log.2").read_text()
