"""Programs started for tests and the benchmark, each on a free port of 127.0.0.1.

`Process` starts one program with its output in a log file and stops it. `ActionServer`
and `RasaServer` are the assistant's two servers; `Assistant` is the pair as `make run`
starts them, with their SQLite tracker store in a temporary folder.
"""

import os
import random
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import yaml

from tests.harness.conversations import saved_user_texts, send, stored_events, stored_turns
from tests.harness.project import ARTIFACTS, FIXED_NOW, MODEL, PROJECT, VENV_BIN, require_model

# Tests and the benchmark send hundreds of messages a minute from one address; the limits
# (connectors/limits.py) have tests of their own, which switch them back on.
NO_RATE_LIMITS = {"RATE_LIMIT_PER_VISITOR": "0", "RATE_LIMIT_PER_ADDRESS": "0"}
# Logs without start-up noise, written as they happen (tests read them while servers run).
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONUNBUFFERED": "1"}
# What must never appear in the Rasa server's log while bad input comes in. Rasa 3.6 logs
# a failed REST turn as structlog JSON ('"exception": [...]') without the word Traceback.
LOG_PROBLEMS = ("Traceback", '"exception":', " ERROR ", " CRITICAL ", "Exception occurred")


def _ephemeral_ports() -> range:
    """The ports the kernel gives outgoing connections (Linux's default if unreadable)."""
    try:
        low, high = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    except (OSError, ValueError):
        low, high = 32768, 60999
    return range(low, high + 1)


# A port picked from the ephemeral range can be taken by another check's outgoing connection
# before the server binds it ("Address already in use"); ports below that range cannot.
TEST_PORTS = range(10000, min(_ephemeral_ports().start, 30000))


def free_port() -> int:
    """A port of 127.0.0.1 nothing listens on, outside the range of outgoing connections."""
    for port in random.sample(TEST_PORTS, min(100, len(TEST_PORTS))):  # a few tries, not forever
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # no room below the ephemeral range: the kernel's pick
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def answers(url: str) -> bool:
    """The URL answers with a 2xx status."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def reply_after_a_silence(port: int, seconds: float) -> bytes:
    """The start of the reply to GET /health sent on a connection left silent for
    `seconds` after it was opened, as a busy Rasa server may leave one; b"" if closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        time.sleep(seconds)
        try:
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            reply = b""
            while chunk := connection.recv(4096):
                reply += chunk
        except ConnectionError:
            return b""
    return reply[:200]


# The logs written in this run: a log is written afresh at its first start, added to after.
_LOGS_STARTED: set = set()


class Process:
    """One program in the background, its output in `log` (test-artifacts/<name>.log by
    default): written afresh the first time this run starts a program with that log, added
    to after (restarts, a second program of the same name)."""

    def __init__(
        self,
        name: str,
        command: List[str],
        env: Optional[Dict[str, str]] = None,
        log: Optional[Path] = None,
        user: Optional[str] = None,
    ):
        self.name, self.command, self.user = name, command, user
        self.env = {**os.environ, **(env or {})}
        self.log = log or ARTIFACTS / f"{name}.log"
        self.popen: Optional[subprocess.Popen] = None

    def start(self) -> "Process":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("a" if self.log in _LOGS_STARTED else "w") as handle:
            handle.write(f"=== {time.strftime('%H:%M:%S')} {' '.join(self.command)}\n")
            handle.flush()
            self.popen = subprocess.Popen(
                self.command, cwd=PROJECT, env=self.env, stdout=handle, stderr=subprocess.STDOUT, user=self.user
            )
        _LOGS_STARTED.add(self.log)
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was never started"
        return self.popen.pid

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 240) -> float:
        """Wait until `check()` holds; returns the seconds waited. Fails at once when the
        program exits, and after `timeout` seconds (the program is then stopped)."""
        return wait_for(check, what, self, timeout)

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


def wait_for(check: Callable[[], bool], what: str, process: Optional[Process] = None, timeout: float = 240) -> float:
    """Wait until `check()` holds (an exception counts as not yet, and the last one is named
    if the time runs out); returns the seconds waited."""
    started = time.monotonic()
    last_error: Optional[Exception] = None
    while time.monotonic() - started < timeout:
        if process is not None and not process.running:
            raise RuntimeError(f"{what} exited with {process.popen.returncode}; see {process.log}")
        try:
            if check():
                return time.monotonic() - started
        except Exception as error:
            last_error = error
        time.sleep(0.2)
    if process is not None:
        process.stop()
    raise RuntimeError(
        f"{what} did not come up within {timeout:.0f} s"
        + (f"; see {process.log}" if process else "")
        + (f" (last error: {last_error!r})" if last_error else "")
    )


def endpoints_like_project(action_url: str, database: Path) -> str:
    """endpoints.yml as shipped, with another action server and SQLite file: servers that
    tests and the benchmark start run the tracker store that ships."""
    endpoints = yaml.safe_load((PROJECT / "endpoints.yml").read_text())
    endpoints["action_endpoint"] = {"url": f"{action_url}/webhook"}
    endpoints["tracker_store"]["db"] = str(database)
    return yaml.safe_dump(endpoints, sort_keys=False)


def conversations_script(
    endpoints: Path, *args: str, env: Optional[Dict[str, str]] = None, timeout: float = 120, check: bool = False
) -> subprocess.CompletedProcess:
    """scripts/conversations.py, the staff's script, on the stores of `endpoints` (with `env`
    for the settings it names); its output as text. check: raise if it fails."""
    return subprocess.run(
        [str(VENV_BIN / "python"), "scripts/conversations.py", "--endpoints", str(endpoints), *args],
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=check,
    )


class ActionServer:
    """The action server (rasa_sdk) on loopback, with the clock fixed at `now` (None: the real
    clock). endpoints: where it keeps callback requests (ENDPOINTS; endpoints.yml's by default)."""

    def __init__(
        self,
        name: str = "action-server",
        env: Optional[Dict[str, str]] = None,
        endpoints: Optional[Path] = None,
        now: Optional[str] = FIXED_NOW,
        log: Optional[Path] = None,
    ):
        self.port = free_port()
        # rasa_sdk has no --interface option: SANIC_HOST keeps it on loopback. Rasa opens
        # a connection per action call and, busy, may write the request seconds later:
        # Sanic's default keep-alive of 5 s closed such connections and failed the turn.
        extra = {
            **QUIET,
            "SANIC_HOST": "127.0.0.1",
            "SANIC_KEEP_ALIVE_TIMEOUT": "120",
            **({"ASSISTANT_FIXED_NOW": now} if now else {}),
            **({"ENDPOINTS": str(endpoints)} if endpoints else {}),
            **(env or {}),
        }
        self.process = Process(
            name,
            [str(VENV_BIN / "python"), "-m", "rasa_sdk", "--actions", "actions", "--port", str(self.port)],
            extra,
            log,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> Dict[str, str]:
        """What endpoints.cluster.yml reads to find it."""
        return {"ACTION_HOST": "127.0.0.1", "ACTION_PORT": str(self.port)}

    def start(self, timeout: float = 240) -> float:
        """Returns the seconds until it answered."""
        self.process.start()
        return self.process.wait_for(
            lambda: answers(f"{self.url}/health"), f"the action server ({self.process.name})", timeout
        )

    def stop(self) -> None:
        self.process.stop()


class RasaServer:
    """`rasa run` with a model and the given endpoints and credentials files, on loopback,
    rate limits off. args: more `rasa run` arguments (e.g. --enable-api, --cors ...)."""

    def __init__(
        self,
        name: str,
        endpoints: Path,
        credentials: Path = PROJECT / "credentials.yml",
        env: Optional[Dict[str, str]] = None,
        args: Sequence[str] = (),
        model: Path = MODEL,
        log: Optional[Path] = None,
    ):
        self.arguments = [
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(credentials),
            "--interface",
            "127.0.0.1",
            *args,
        ]
        # The port is taken at the first launch, not now: in between, this process's own
        # outgoing connections (health checks, databases) could be given it by the system.
        self.port: Optional[int] = None
        self.process = Process(name, [], {**QUIET, **NO_RATE_LIMITS, **(env or {})}, log)

    @property
    def url(self) -> str:
        assert self.port is not None, f"{self.process.name} was never launched"
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        """Start without waiting (several servers load their models at once); a restart
        keeps the port."""
        if self.port is None:
            self.port = free_port()
            self.process.command = [str(VENV_BIN / "rasa"), "run", *self.arguments, "--port", str(self.port)]
        self.process.start()

    def wait(self, timeout: float = 300) -> float:
        """Returns the seconds until it answered."""
        return self.process.wait_for(lambda: answers(f"{self.url}/"), f"the Rasa server ({self.process.name})", timeout)

    def start(self, timeout: float = 300) -> float:
        self.launch()
        return self.wait(timeout)

    def stop(self) -> None:
        self.process.stop()

    def kill(self) -> None:
        self.process.kill()

    def send(self, sender: str, message, timeout: float = 90) -> List[Dict]:
        return send(self.url, sender, message, timeout)


class Assistant:
    """An action server and a Rasa server as `make run` starts them, with the tracker store
    of endpoints.yml in a SQLite file in `tmp`, the clock fixed and logs in
    test-artifacts/<name>-action-server.log and <name>-rasa-server.log.

    env: for both servers (e.g. CLINIC_SETTINGS_FILE); credentials: the Rasa server's
    credentials file; rasa_args: more `rasa run` arguments (e.g. --enable-api, --cors ...).
    """

    def __init__(
        self,
        tmp: Path,
        name: str,
        env: Optional[Dict[str, str]] = None,
        credentials: Path = PROJECT / "credentials.yml",
        rasa_args: Sequence[str] = (),
    ):
        self.tmp = tmp
        self.database = tmp / "conversations.db"
        self.endpoints = tmp / "endpoints.yml"
        self.action = ActionServer(f"{name}-action-server", env, endpoints=self.endpoints)
        self.endpoints.write_text(endpoints_like_project(self.action.url, self.database))
        self.env, self.credentials, self.rasa_args, self.name = env or {}, credentials, list(rasa_args), name
        self.rasa = self._rasa_server()

    def _rasa_server(self, env: Optional[Dict[str, str]] = None) -> RasaServer:
        return RasaServer(
            f"{self.name}-rasa-server",
            self.endpoints,
            self.credentials,
            {"ASSISTANT_FIXED_NOW": FIXED_NOW, **self.env, **(env or {})},
            self.rasa_args,
        )

    @property
    def rasa_url(self) -> str:
        return self.rasa.url

    def start(self, rasa_env: Optional[Dict[str, str]] = None) -> "Assistant":
        """rasa_env: more environment for the Rasa server alone (e.g. a channel's tokens)."""
        if rasa_env:
            self.rasa = self._rasa_server(rasa_env)
        try:
            self.action.start()
            self.rasa.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.rasa.stop()
        self.action.stop()

    def send(self, sender: str, message, timeout: float = 60) -> List[Dict]:
        """POST to the REST channel; returns the bot's messages."""
        return send(self.rasa.url, sender, message, timeout)

    def stored_events(self, sender: str) -> List[Dict]:
        """The conversation's events as the tracker store holds them, in order."""
        return stored_events(self.database, sender)

    def saved_user_texts(self, sender: str, count: int) -> List[str]:
        return saved_user_texts(self.database, sender, count)

    def stored_turns(self, sender: str) -> List[Tuple[str, List[str]]]:
        return stored_turns(self.stored_events(sender))

    def watch(self) -> LogWatch:
        """What the Rasa server logs from now on."""
        return LogWatch(self.rasa.process.log)


@contextmanager
def running_assistant(tmp: Path, name: str, **options) -> Iterator[Assistant]:
    """A started `Assistant` (its options), stopped on exit."""
    require_model()
    assistant = Assistant(tmp, name, **options).start()
    try:
        yield assistant
    finally:
        assistant.stop()
