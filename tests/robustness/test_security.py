"""Security: Rasa's HTTP API off by default and behind a token when switched on; the
action server on loopback only; secrets only in environment variables, none in git."""

import os
import re
import secrets
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests
import yaml

from tests.harness.processes import Assistant, free_port, reply_after_a_silence, running_assistant
from tests.harness.project import PROJECT

TOKEN = secrets.token_urlsafe(24)

# The HTTP API's routes that read or change conversations and the model (rasa/server.py).
API_ROUTES = [
    ("GET", "/status"),
    ("GET", "/conversations/{sender}/tracker"),
    ("POST", "/conversations/{sender}/messages"),
    ("POST", "/conversations/{sender}/tracker/events"),
    ("PUT", "/conversations/{sender}/tracker/events"),
    ("GET", "/conversations/{sender}/story"),
    ("POST", "/conversations/{sender}/execute"),
    ("POST", "/conversations/{sender}/trigger_intent"),
    ("POST", "/conversations/{sender}/predict"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/model/train"),
    ("POST", "/model/parse"),
    ("POST", "/model/predict"),
    ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"),
    ("GET", "/domain"),
]
ROUTE_IDS = [f"{method} {path.replace('{sender}', 'x')}" for method, path in API_ROUTES]
BODIES = {
    "/conversations/{sender}/messages": {"text": "I had microneedling yesterday", "sender": "user"},
    "/model/parse": {"text": "hi"},
    "/conversations/{sender}/tracker/events": {"event": "restart"},
}


def call(base_url: str, method: str, path: str, sender: str, **params) -> requests.Response:
    return requests.request(
        method, base_url + path.format(sender=sender), params=params, json=BODIES.get(path, {}), timeout=60
    )


@pytest.fixture(scope="module")
def with_api(tmp_path_factory) -> Iterator[Assistant]:
    """The assistant with the HTTP API switched on the only acceptable way: with a token."""
    with running_assistant(
        tmp_path_factory.mktemp("robustness-api"), "robustness-api", rasa_args=["--enable-api", f"--auth-token={TOKEN}"]
    ) as running:  # "=": a token may start with "-"
        yield running


# --- the HTTP API -----------------------------------------------------------------------


@pytest.mark.parametrize("method,path", API_ROUTES, ids=ROUTE_IDS)
def test_api_is_off_by_default(robust, sender, method, path):
    """The server as `make run` starts it has no API routes at all, token or not."""
    assert call(robust.rasa_url, method, path, sender).status_code == 404
    assert call(robust.rasa_url, method, path, sender, token=TOKEN).status_code == 404


@pytest.mark.parametrize("method,path", API_ROUTES, ids=ROUTE_IDS)
def test_api_refuses_requests_without_the_token(with_api, sender, method, path):
    assert call(with_api.rasa_url, method, path, sender).status_code == 401
    assert call(with_api.rasa_url, method, path, sender, token="wrong-" + TOKEN).status_code == 401
    assert call(with_api.rasa_url, method, path, sender, token="").status_code == 401


def test_api_works_with_the_token_and_refused_calls_changed_nothing(with_api, sender):
    base = with_api.rasa_url
    for refused in ({}, {"token": "wrong"}):
        call(base, "POST", "/conversations/{sender}/messages", sender, **refused)
        call(base, "POST", "/conversations/{sender}/tracker/events", sender, **refused)
        call(base, "PUT", "/model", sender, **refused)
    assert with_api.stored_turns(sender) == []

    status = call(base, "GET", "/status", sender, token=TOKEN)
    assert status.status_code == 200 and "microneedling" in status.json()["model_file"]
    added = call(base, "POST", "/conversations/{sender}/messages", sender, token=TOKEN)
    assert added.status_code == 200
    tracker = call(base, "GET", "/conversations/{sender}/tracker", sender, token=TOKEN)
    assert tracker.status_code == 200
    assert [e["text"] for e in tracker.json()["events"] if e["event"] == "user"] == ["I had microneedling yesterday"]
    # The model was not replaced by the refused PUT /model.
    assert call(base, "GET", "/status", sender, token=TOKEN).json()["model_file"] == status.json()["model_file"]


def rasa_run_commands() -> Dict[str, str]:
    """Every `rasa run` the project documents or scripts, as one line each."""
    found = {}
    for path in [
        PROJECT / "README.md",
        *sorted((PROJECT / "docs").glob("*.md")),
        PROJECT / "Makefile",
        *sorted((PROJECT / "scripts").glob("*.sh")),
        *sorted((PROJECT / "deploy").glob("*")),
    ]:
        for number, line in enumerate(logical_lines(path.read_text()), 1):
            if line.lstrip().startswith("#"):
                continue
            if re.search(r"\brasa\b.*\b(run|shell)\b", line) or "--enable-api" in line:
                found[f"{path.relative_to(PROJECT)}:{number}"] = line
    return found


def logical_lines(text: str) -> List[str]:
    return text.replace("\\\n", " ").splitlines()


def test_api_is_enabled_nowhere_without_authentication():
    commands = rasa_run_commands()
    assert any("scripts/run.sh" in where for where in commands), commands  # the scan sees run.sh's command
    assert any(where.startswith("docs/") for where in commands), commands  # and the documented ones
    unprotected = {
        where: line
        for where, line in commands.items()
        if "--enable-api" in line and not re.search(r"--auth-token|--jwt-secret", line)
    }
    assert unprotected == {}


def test_rasa_servers_listen_on_loopback_in_the_scripts():
    commands = {
        where: line
        for where, line in rasa_run_commands().items()
        if where.startswith("scripts/") and re.search(r"\brasa (run|shell)\b", line)
    }
    assert commands
    assert {where: line for where, line in commands.items() if "--interface 127.0.0.1" not in line} == {}


# --- the action server on loopback ----------------------------------------------------


def action_server_command(script: Path) -> str:
    """The script's own command line that starts the action server, without its `&`."""
    lines = [
        line.strip()
        for line in logical_lines(script.read_text())
        if "-m rasa_sdk" in line and not line.lstrip().startswith("#")
    ]
    assert len(lines) == 1, f"{script.name}: expected one action-server command, found {lines}"
    return re.sub(r"&\s*$", "", lines[0])


def listening_addresses(port: int) -> List[str]:
    """The addresses TCP sockets listen on at this port (what `ss -ltn` shows, from /proc)."""
    found = []
    for table, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        path = Path("/proc/net") / table
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, local_port = local.split(":")
            if state == "0A" and int(local_port, 16) == port:  # 0A: LISTEN
                raw = bytes.fromhex(address)  # 32-bit words in host (little-endian) order
                found.append(socket.inet_ntop(family, b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))))
    return found


def other_addresses() -> List[str]:
    """This machine's non-loopback IPv4 addresses (none on a machine without a network)."""
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout
    except OSError:
        return []
    return [
        address
        for address in output.split()
        if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", address) and not address.startswith("127.")
    ]


@pytest.mark.parametrize("script", ["run.sh", "run_cluster.sh"])
def test_action_server_of_the_scripts_listens_on_loopback_only_and_waits_for_a_late_request(tmp_path, script):
    """Runs the script's own action-server command, then looks at what it listens on and
    whether it still answers a request written seconds after the connection was opened."""
    command = action_server_command(PROJECT / "scripts" / script)
    port = free_port()
    env = {**os.environ, "ACTION_PORT": str(port), "LOG_DIR": str(tmp_path), "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop("SANIC_HOST", None)
    env.pop("SANIC_KEEP_ALIVE_TIMEOUT", None)
    process = subprocess.Popen(["bash", "-c", command], cwd=PROJECT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not listening_addresses(port):
            assert process.poll() is None, (tmp_path / "action-server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the action server did not start"
            time.sleep(0.5)
        assert set(listening_addresses(port)) == {"127.0.0.1"}, (
            f"scripts/{script} starts the action server on {listening_addresses(port)}, not only 127.0.0.1"
        )
        assert requests.get(f"http://127.0.0.1:{port}/health", timeout=5).ok
        # and waits for a request that comes late (tests/robustness/test_load.py says why)
        assert reply_after_a_silence(port, 10).startswith(b"HTTP/1.1 200")
        for address in other_addresses():
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=2).close()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_the_loopback_check_can_tell(tmp_path):
    """The same check sees a server that listens on every interface."""
    port = free_port()
    with socket.socket() as everywhere:
        everywhere.bind(("0.0.0.0", port))
        everywhere.listen()
        assert listening_addresses(port) == ["0.0.0.0"]
        for address in other_addresses():
            socket.create_connection((address, port), timeout=2).close()


# --- secrets --------------------------------------------------------------------------

SECRET_PATTERNS = {
    "private key": r"-----BEGIN [A-Z ]*PRIVATE KEY-----",
    "Slack token": r"\bxox[abposr]-[0-9A-Za-z-]{10,}",
    "AWS access key": r"\b(AKIA|ASIA)[0-9A-Z]{16}\b",
    "GitHub token": r"\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})",
    "Google API key": r"\bAIza[0-9A-Za-z_-]{35}\b",
    "Stripe/OpenAI key": r"\b(sk|rk)[-_](live|proj|test)?[-_]?[A-Za-z0-9]{24,}",
    "Telegram bot token": r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b",
    "Twilio SID": r"\b(AC|SK)[0-9a-f]{32}\b",
    "JWT": r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}",
    "URL with a password": r"[a-z+]+://[^/\s:@]+:[^/\s:@${}]+@",
    # key: value or KEY=value with a literal, in settings files and scripts (not ${VAR}, not empty)
    "literal secret setting": r"(?i)^\s*#?\s*[\w.-]*(password|passwd|secret|token|api[_-]?key|auth[_-]?token)"
    r"[\w-]*\s*[:=]\s*(?![\"']?\$)(?![\"']?\s*$)[\"']?[^\s\"'#]{4,}",
}
SETTINGS_FILES = re.compile(r"\.(ya?ml|env|ini|cfg|conf|toml|json|template|sh)$|(^|/)(Makefile|\.ci/run)$")
SECRET_FILES = re.compile(r"(^|/)(\.env(\..*)?|id_[rd]sa|.*\.(pem|key|p12|pfx)|.*\.db|postgres-password)$")


def find_secrets(name: str, text: str) -> List[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for what, pattern in SECRET_PATTERNS.items():
            if what == "literal secret setting" and not SETTINGS_FILES.search(name):
                continue
            if re.search(pattern, line):
                found.append(f"{name}:{number}: {what}: {line.strip()[:120]}")
    return found


def test_no_secrets_in_the_repository():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT, capture_output=True, check=True).stdout
    names = [name for name in tracked.decode().split("\0") if name]
    assert len(names) > 50
    assert [name for name in names if SECRET_FILES.search(name)] == []
    found = []
    for name in names:
        path = PROJECT / name
        if not path.is_file() or path.stat().st_size > 2_000_000:
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        found += find_secrets(name, text)
    assert found == []


# Made-up secrets, split in two so that this file itself holds none.
PLANTED = [
    ("-----BEGIN OPENSSH ", "PRIVATE KEY-----"),
    ("slack_token: xox", "b-123456789012-abcdefghijkl"),
    ("aws = 'AKIA", "IOSFODNN7EXAMPLE'"),
    ("  pass", "word: hunter2hunter2"),
    ("# auth_", "token: 0123456789abcdef0123456789abcdef"),
    ("POSTGRES_PASS", "WORD=s3cretpassw0rd"),
    ("url: postgresql://rasa:s3cr", "et@db:5432/rasa"),
    ("bot: 123456789:AAHdqTcvCH1vGWJ", "xfSeofSAs0K5PALDsaw9"),
]


@pytest.mark.parametrize("planted", ["".join(parts) for parts in PLANTED])
def test_the_secret_scan_can_tell(planted):
    assert find_secrets("credentials.yml", planted)
    assert not find_secrets("credentials.yml", "  password: ${POSTGRES_PASSWORD}")
    assert not find_secrets("credentials.yml", "#   access_token: ${TELEGRAM_ACCESS_TOKEN}")


CHANNEL_SECRETS = re.compile(r"(?i)(token|secret|passw|_sid$|^sid$|verify|api[_-]?key|private[_-]?key)")


@pytest.mark.parametrize("name", ["credentials.yml", "endpoints.yml", "endpoints.cluster.yml"])
def test_settings_take_secrets_from_the_environment(name):
    """Every secret-looking setting, the commented-out channel blocks included, is ${VAR}."""
    text = (PROJECT / name).read_text()
    # "# key: value" lines are settings ready to switch on; prose comments stay comments.
    uncommented = "\n".join(re.sub(r"^# ?(?=\s*[\w.-]+:(\s|$))", "", line) for line in text.splitlines())
    literal = []

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                if (
                    CHANNEL_SECRETS.search(str(key))
                    and value not in (None, "")
                    and not (isinstance(value, str) and re.fullmatch(r"\$\{\w+\}", value))
                ):
                    literal.append(f"{where}{key}: {value}")
                walk(value, f"{where}{key}.")

    walk(yaml.safe_load(uncommented), "")
    assert literal == []
