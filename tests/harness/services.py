"""PostgreSQL, Redis and nginx from Debian's packages, each on a free 127.0.0.1 port, for the
scale-out profile's tests. Each waits until its program answers, and stops it again."""

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from tests.harness.processes import Process, RasaServer, free_port, port_open, wait_for
from tests.harness.project import PROJECT, VENV_BIN


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
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.user,
                f"--pwfile={password_file}",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            user=self.os_user,
            cwd=self.root,
        )
        password_file.unlink()

    def start(self) -> None:
        self.process = Process(
            "cluster-postgres",
            [
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-k",
                str(self.root),
                "-c",
                "fsync=off",
            ],
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
            "POSTGRES_HOST": "127.0.0.1",
            "POSTGRES_PORT": str(self.port),
            "POSTGRES_DB": self.database,
            "POSTGRES_USER": self.user,
            "POSTGRES_PASSWORD": self.password,
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
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                self.data,
                "--save",
                "",
                "--appendonly",
                "yes",
                "--appendfsync",
                "everysec",
                "--auto-aof-rewrite-min-size",
                "1mb",
            ],
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
            [
                str(VENV_BIN / "python"),
                "scripts/cluster_nginx.py",
                "--prefix",
                str(self.prefix),
                "--listen",
                f"127.0.0.1:{self.port}",
                "--per-address",
                str(self.per_address),
                *upstreams,
            ],
            cwd=PROJECT,
            check=True,
            capture_output=True,
            text=True,
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
