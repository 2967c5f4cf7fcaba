"""scripts/conversations.py: export, delete and purge conversations in the tracker store."""

import asyncio
import json
import time

import pytest
import yaml

from persistence.tracker_store import FastSQLTrackerStore
from tests.harness.processes import conversations_script, endpoints_like_project
from tests.harness.project import PROJECT

DAY = 86400


def cli(endpoints, *args):
    return conversations_script(endpoints, *args, timeout=60)


@pytest.fixture
def store(tmp_path):
    """The tracker store that ships (endpoints.yml) on a SQLite file with three
    conversations, one last active 40 days ago."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    database = tmp_path / "conversations.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(endpoints_like_project("http://127.0.0.1:5055", database))
    assert (
        yaml.safe_load(endpoints.read_text())["tracker_store"]["type"]
        == "persistence.tracker_store.FastSQLTrackerStore"
    )
    domain = Domain.load(str(PROJECT / "domain.yml"))
    sql = FastSQLTrackerStore(domain, dialect="sqlite", db=str(database))

    def conversation(sender, age_days, text):
        t = time.time() - age_days * DAY
        events = [
            ActionExecuted("action_session_start", timestamp=t),
            SessionStarted(timestamp=t),
            ActionExecuted("action_listen", timestamp=t),
            UserUttered(text, timestamp=t + 1),
            SlotSet("treatment_time", "2 days ago", timestamp=t + 1),
            BotUttered(f"answer to {text}", timestamp=t + 2),
            ActionExecuted("action_listen", timestamp=t + 2),
        ]
        asyncio.run(sql.save(DialogueStateTracker.from_events(sender, events, domain.slots)))

    conversation("alice", 0, "what is microneedling?")
    conversation("bob", 1, "does it hurt?")
    conversation("old-visitor", 40, "how many sessions?")
    sql.engine.dispose()
    return endpoints


def test_export_prints_the_whole_conversation_as_json(store):
    result = cli(store, "export", "alice")
    assert result.returncode == 0, result.stderr
    tracker = json.loads(result.stdout)
    assert tracker["sender_id"] == "alice"
    assert tracker["slots"]["treatment_time"] == "2 days ago"
    assert [e["text"] for e in tracker["events"] if e["event"] in ("user", "bot")] == [
        "what is microneedling?",
        "answer to what is microneedling?",
    ]


def test_list_shows_every_sender_newest_first(store):
    result = cli(store, "list")
    assert result.returncode == 0, result.stderr
    assert [line.split()[-1] for line in result.stdout.splitlines()] == ["alice", "bob", "old-visitor"]


def test_delete_removes_one_conversation_only(store):
    result = cli(store, "delete", "alice")
    assert result.returncode == 0, result.stderr
    assert "Deleted the conversation of 'alice' (7 events)." in result.stdout
    missing = cli(store, "export", "alice")
    assert missing.returncode == 1
    assert missing.stderr.strip() == "error: no conversation with sender id 'alice'"
    assert cli(store, "export", "bob").returncode == 0
    again = cli(store, "delete", "alice")
    assert again.returncode == 1 and "no conversation with sender id 'alice'" in again.stderr


def test_purge_deletes_conversations_inactive_for_longer(store):
    dry = cli(store, "purge", "--older-than", "30", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[0] == "old-visitor"
    assert cli(store, "export", "old-visitor").returncode == 0  # a dry run deletes nothing

    result = cli(store, "purge", "--older-than", "30")
    assert result.returncode == 0, result.stderr
    assert "Deleted 1 conversations (7 events)" in result.stdout
    assert cli(store, "export", "old-visitor").returncode == 1
    assert [line.split()[-1] for line in cli(store, "list").stdout.splitlines()] == ["alice", "bob"]


def test_missing_database_is_reported_not_created(tmp_path):
    database = tmp_path / "conversations.db"
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump({"tracker_store": {"type": "SQL", "dialect": "sqlite", "db": str(database)}}))
    result = cli(endpoints, "export", "alice")
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: no conversation with sender id 'alice' ({database} does not exist)"
    assert not database.exists()
