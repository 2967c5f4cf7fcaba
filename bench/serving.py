"""Servers on loopback and the REST load the benchmark sends them.

Each server runs in its own process on a free port of 127.0.0.1 (tests.harness.processes),
with its own endpoints (a SQLite tracker store in a temporary folder, never the project's
conversations.db) and a credentials file that enables only the REST channel that ships
(connectors.web.RestInput).
"""

import asyncio
import time
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from tests.harness.processes import ActionServer, RasaServer, endpoints_like_project

# Rasa's telemetry off; no bytecode written into the checkout.
BENCH_ENV = {"RASA_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"}


# --- memory -----------------------------------------------------------------------------


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def descendants(pid: int) -> List[int]:
    """pid and all its children, grandchildren, ... (from /proc/*/stat)."""
    parents: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # The command name is in parentheses and may contain spaces: parse after it.
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    result, queue = [], [pid]
    while queue:
        current = queue.pop()
        result.append(current)
        queue.extend(parents.get(current, []))
    return result


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of the process and its descendants, in MB (10^6 bytes)."""
    return sum(_status_kb(p, "VmRSS") for p in descendants(pid)) * 1024 / 1e6


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of the process itself, in MB."""
    return _status_kb(pid, "VmHWM") * 1024 / 1e6


# --- processes ----------------------------------------------------------------------------


def action_server(log: Path) -> ActionServer:
    """The action server on the real clock."""
    return ActionServer("bench-action-server", BENCH_ENV, now=None, log=log)


def rasa_server(
    model: Path, action_url: str, tmp: Path, name: str, log: Path, tracker_store: str = "sql"
) -> RasaServer:
    """tracker_store "sql": endpoints.yml's tracker store with its SQLite file in tmp;
    "memory": Rasa's in-memory store."""
    endpoints = tmp / f"endpoints-{name}.yml"
    if tracker_store == "sql":
        text = endpoints_like_project(action_url, tmp / f"conversations-{name}.db")
    elif tracker_store == "memory":
        text = f"action_endpoint:\n  url: {action_url}/webhook\n"
    else:
        raise ValueError(f"unknown tracker store {tracker_store!r}")
    endpoints.write_text(text)
    credentials = tmp / "credentials.yml"
    # The REST channel that ships (connectors/web.py): its checks and one turn per question.
    credentials.write_text("connectors.web.RestInput:\n")
    return RasaServer(f"bench-rasa-server-{name}", endpoints, credentials, BENCH_ENV, model=model, log=log)


# --- load ---------------------------------------------------------------------------------


async def _conversation(
    session,
    url: str,
    sender: str,
    messages: Sequence[str],
    latencies: List[float],
    problems: List[str],
    records: List[Dict],
) -> None:
    import aiohttp

    for turn, message in enumerate(messages):
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": message}) as response:
                body = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            problems.append(f"{sender}: {message!r}: {error!r}")
            continue
        latencies.append(time.perf_counter() - started)
        records.append({"sender": sender, "turn": turn, "message": message, "ms": round(latencies[-1] * 1000, 1)})
        if status != 200:
            problems.append(f"{sender}: {message!r}: HTTP {status}")
        elif not body:
            problems.append(f"{sender}: {message!r}: no reply")


async def _send(url: str, conversations: Sequence[Sequence[str]], concurrent: bool, prefix: str):
    import aiohttp

    latencies: List[float] = []
    problems: List[str] = []
    records: List[Dict] = []
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        started = time.perf_counter()
        if concurrent:
            await asyncio.gather(
                *(
                    _conversation(session, url, f"{prefix}-{i}", messages, latencies, problems, records)
                    for i, messages in enumerate(conversations)
                )
            )
        else:
            for i, messages in enumerate(conversations):
                await _conversation(session, url, f"{prefix}-{i}", messages, latencies, problems, records)
        wall = time.perf_counter() - started
    return latencies, wall, problems, records


def send_conversations(
    base_url: str, conversations: Sequence[Sequence[str]], concurrent: bool, prefix: str
) -> Tuple[List[float], float, List[str], List[Dict]]:
    """POST every message of every conversation to the REST channel, one conversation
    after the other or all conversations at once (each conversation's messages in order,
    each waiting for the previous reply, as a person does). Returns per-message latencies
    in seconds, the wall time, problems (HTTP errors, empty replies) and one record per
    answered message (sender, turn, message, ms)."""
    return asyncio.run(_send(f"{base_url}/webhooks/rest/webhook", conversations, concurrent, prefix))
