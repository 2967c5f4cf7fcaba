"""A tracker store of many conversations for the staff report (`scripts/conversations.py
report`): real conversations from a store that the servers filled, copied under new
sender ids until there are `count` of them. The report's test checks its figures on
such a store; `make bench` times it."""

import os
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

PROJECT = Path(__file__).resolve().parent.parent


def copy_conversations(source: Path, target: Path, count: int) -> Counter:
    """Fill the SQLite store `target` with `count` conversations, each a copy of one of
    `source`'s in turn; returns how many copies each source conversation got."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as reader:
        schema = [sql for (sql,) in reader.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")]
        rows = reader.execute(
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
        ).fetchall()
    conversations: Dict[str, List[Tuple]] = {}
    for row in rows:
        conversations.setdefault(row[0], []).append(row[1:])
    senders = sorted(conversations)
    if not senders:
        raise ValueError(f"{source} holds no conversation to copy")
    copies: Counter = Counter()
    target.unlink(missing_ok=True)
    with sqlite3.connect(target) as writer:
        for sql in schema:
            writer.execute(sql)
        for number in range(count):
            sender = senders[number % len(senders)]
            copies[sender] += 1
            writer.executemany(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(f"copy-{number}", *event) for event in conversations[sender]],
            )
    return copies


def endpoints_for(database: Path) -> Path:
    """An endpoints file whose tracker store is that SQLite file."""
    path = database.with_suffix(".endpoints.yml")
    path.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {database}\n", encoding="utf-8")
    return path


def run_report(database: Path, out: Path, days: float = 7) -> float:
    """`scripts/conversations.py report` on that store, as staff run it; its wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "scripts/conversations.py",
            "--endpoints",
            str(endpoints_for(database)),
            "report",
            "--days",
            str(days),
            "--out",
            str(out),
        ],
        cwd=PROJECT,
        env=os.environ,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return time.perf_counter() - started
