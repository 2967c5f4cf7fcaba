"""Real servers on loopback for the persistence and scale-out tests.

Each class starts one program from Debian's packages or the project (PostgreSQL, Redis,
nginx, a Rasa server, the action server) on a free 127.0.0.1 port, waits until it
answers, and stops it again; logs go to test-artifacts/. Nothing here knows about the
tests: tests/cluster/conftest.py puts the pieces together.
"""

import asyncio
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import requests

from bench.serving import NO_RATE_LIMITS

PROJECT = Path(__file__).resolve().parents[2]
MODEL = PROJECT / "models" / "microneedling.tar.gz"
ARTIFACTS = PROJECT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent
# Saturday 28 November 2026, 10:00 in London: what "2 days ago" is measured from.
FIXED_NOW = "2026-11-28T10:00:00+00:00"

# A conversation with a form: the question starts the aftercare form (it asks for the
# treatment date, requested_slot treatment_time), the answer fills it.
ASK_AFTERCARE = "what aftercare applies to me right now?"
FORM_QUESTION = "When did you have your microneedling treatment"
ANSWER_DATE = "2 days ago"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], bool], what: str, process: Optional["Process"] = None, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and not process.running:
            raise RuntimeError(f"{what} exited with {process.popen.returncode}; see {process.log}")
        try:
            if check():
                return
        except Exception:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s" + (f"; see {process.log}" if process else ""))


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def texts(messages: List[Dict]) -> str:
    return "\n".join(message.get("text") or "" for message in messages)


class Process:
    """One program started in the background, its output in test-artifacts/<name>.log."""

    def __init__(self, name: str, command: List[str], env: Optional[Dict[str, str]] = None, user: Optional[str] = None):
        self.name, self.command, self.user = name, command, user
        self.env = {**os.environ, **(env or {})}
        self.log = ARTIFACTS / f"{name}.log"
        self.popen: Optional[subprocess.Popen] = None

    def start(self) -> "Process":
        ARTIFACTS.mkdir(exist_ok=True)
        handle = self.log.open("a")
        handle.write(f"\n=== {time.strftime('%H:%M:%S')} {' '.join(self.command)}\n")
        handle.flush()
        self.popen = subprocess.Popen(
            self.command, cwd=PROJECT, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
            user=self.user,
        )
        handle.close()
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        if not self.running:
            return
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    def kill(self) -> None:
        """SIGKILL, as when a server crashes or its machine dies."""
        self.stop(signal.SIGKILL)


def as_service_user() -> Optional[str]:
    """PostgreSQL refuses to run as root: use Debian's `postgres` user then."""
    return "postgres" if os.geteuid() == 0 else None


class PostgreSQL:
    """A private PostgreSQL cluster in a temporary folder, password login over TCP."""

    def __init__(self, user: str = "rasa", password: str = "test-secret", database: str = "microneedling"):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4]))
        if not binaries:
            raise RuntimeError("PostgreSQL is not installed: apt-get install postgresql (see .ci/run)")
        self.bin = Path(binaries[-1]).parent
        self.port = free_port()
        self.user, self.password, self.database = user, password, database
        self.root = Path(tempfile.mkdtemp(prefix="mn-postgres-"))
        self.data = self.root / "data"
        self.os_user = as_service_user()
        if self.os_user:
            entry = pwd.getpwnam(self.os_user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.process: Optional[Process] = None

    def init(self) -> None:
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n")
        if self.os_user:
            entry = pwd.getpwnam(self.os_user)
            os.chown(password_file, entry.pw_uid, entry.pw_gid)
        subprocess.run(
            [str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, f"--pwfile={password_file}",
             "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, user=self.os_user, cwd=self.root,
        )
        password_file.unlink()

    def start(self) -> None:
        self.process = Process(
            "cluster-postgres",
            [str(self.bin / "postgres"), "-D", str(self.data), "-h", "127.0.0.1", "-p", str(self.port),
             "-k", str(self.root), "-c", "fsync=off"],
            user=self.os_user,
        ).start()
        wait_for(self.accepts_logins, "PostgreSQL", self.process, timeout=60)

    def connect(self, database: str = "postgres"):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1", port=self.port, user=self.user, password=self.password, dbname=database, connect_timeout=3
        )

    def accepts_logins(self) -> bool:
        self.connect().close()
        return True

    def create_database(self) -> None:
        connection = self.connect()
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{self.database}"')
        connection.close()

    def stop(self) -> None:
        """Fast shutdown (SIGINT): clients are disconnected, data is kept."""
        if self.process:
            self.process.stop(signal.SIGINT)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def env(self) -> Dict[str, str]:
        return {
            "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(self.port), "POSTGRES_DB": self.database,
            "POSTGRES_USER": self.user, "POSTGRES_PASSWORD": self.password,
        }


class Redis:
    def __init__(self):
        if not shutil.which("redis-server"):
            raise RuntimeError("Redis is not installed: apt-get install redis-server (see .ci/run)")
        self.port = free_port()
        self.process: Optional[Process] = None
        self.data = tempfile.mkdtemp(prefix="cluster-redis-")

    def start(self) -> None:
        # Settings as scripts/run_cluster.sh starts it: locks kept on disk across restarts.
        self.process = Process(
            "cluster-redis",
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.data,
             "--save", "", "--appendonly", "yes", "--appendfsync", "everysec", "--auto-aof-rewrite-min-size", "1mb"],
        ).start()
        wait_for(self.ping, "Redis", self.process, timeout=30)

    def ping(self) -> bool:
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2).ping()

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)

    @property
    def env(self) -> Dict[str, str]:
        return {"REDIS_HOST": "127.0.0.1", "REDIS_PORT": str(self.port), "REDIS_DB": "1"}


class ActionServer:
    def __init__(self, name: str = "cluster-action-server"):
        self.port = free_port()
        self.name = name
        self.process: Optional[Process] = None

    def start(self) -> None:
        self.process = Process(
            self.name,
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.port)],
            # SANIC_HOST: rasa_sdk has no --interface option; this keeps it on loopback.
            env={"ASSISTANT_FIXED_NOW": FIXED_NOW, "SANIC_HOST": "127.0.0.1"},
        ).start()
        wait_for(lambda: requests.get(f"http://127.0.0.1:{self.port}/health", timeout=2).ok, "action server", self.process, 60)

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    @property
    def env(self) -> Dict[str, str]:
        return {"ACTION_HOST": "127.0.0.1", "ACTION_PORT": str(self.port)}


class RasaServer:
    """`rasa run` with the trained model and the given endpoints and credentials files."""

    def __init__(self, name: str, endpoints: Path, credentials: Path, env: Optional[Dict[str, str]] = None):
        self.name, self.endpoints, self.credentials = name, endpoints, credentials
        self.port = free_port()
        self.env = {"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", **NO_RATE_LIMITS,
                    "SANIC_PROXIES_COUNT": "1", **(env or {})}
        self.process: Optional[Process] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        """Start without waiting (servers of one test load their models in parallel)."""
        self.process = Process(
            self.name,
            [str(VENV_BIN / "rasa"), "run", "--model", str(MODEL), "--endpoints", str(self.endpoints),
             "--credentials", str(self.credentials), "--interface", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
        ).start()

    def wait(self, timeout: float = 300) -> None:
        wait_for(lambda: requests.get(f"{self.url}/", timeout=2).ok, f"Rasa server {self.name}", self.process, timeout)

    def start(self) -> None:
        self.launch()
        self.wait()

    def stop(self) -> None:
        if self.process:
            self.process.stop()

    def kill(self) -> None:
        if self.process:
            self.process.kill()

    def send(self, sender: str, message: str, timeout: float = 90) -> List[Dict]:
        return send(self.url, sender, message, timeout)


def send(base_url: str, sender: str, message: str, timeout: float = 90) -> List[Dict]:
    """POST to the REST channel; returns the bot's messages."""
    response = requests.post(
        f"{base_url}/webhooks/rest/webhook", json={"sender": sender, "message": message}, timeout=timeout
    )
    response.raise_for_status()
    return response.json()


class Nginx:
    def __init__(self, servers: List[RasaServer], per_address: int = 0):
        """per_address: REST messages a minute per client address (tests send many from one)."""
        if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
            raise RuntimeError("nginx is not installed: apt-get install nginx-light (see .ci/run)")
        self.port = free_port()
        self.servers = servers
        self.per_address = per_address
        self.prefix = Path(tempfile.mkdtemp(prefix="mn-nginx-"))
        # Run as root, nginx's workers are `nobody`: they reopen the logs there after a rotation.
        self.prefix.chmod(0o755)
        self.process: Optional[Process] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Configured as `make run-cluster` does it, by scripts/cluster_nginx.py."""
        upstreams = [arg for server in self.servers for arg in ("--server", f"127.0.0.1:{server.port}")]
        config = subprocess.run(
            [str(VENV_BIN / "python"), "scripts/cluster_nginx.py", "--prefix", str(self.prefix),
             "--listen", f"127.0.0.1:{self.port}", "--per-address", str(self.per_address), *upstreams],
            cwd=PROJECT, check=True, capture_output=True, text=True,
        ).stdout.strip()
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self.process = Process(
            "cluster-nginx", [nginx, "-p", str(self.prefix), "-c", str(config), "-g", "daemon off;"]
        ).start()
        wait_for(lambda: port_open(self.port), "nginx", self.process, timeout=30)

    def stop(self) -> None:
        if self.process:
            self.process.stop(signal.SIGQUIT)  # graceful shutdown

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.prefix, ignore_errors=True)


def read_tracker(endpoints: Path, env: Dict[str, str], sender: str):
    """The full tracker of `sender`, read from the tracker store of `endpoints` as Rasa reads it."""
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
