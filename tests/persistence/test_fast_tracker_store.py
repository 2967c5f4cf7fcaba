"""FastSQLTrackerStore on a real SQLite file: a kept conversation is used only while the
database still holds exactly it, and what it hands out is what Rasa's own store reads back.

Two stores on one file stand for two Rasa servers; `scripts/conversations.py` deletes as
staff would. No server is needed.
"""

import asyncio
import sqlite3
from pathlib import Path
from typing import List

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from persistence.tracker_store import FastSQLTrackerStore
from scripts.conversations import delete_senders
from tests.harness.project import PROJECT

DOMAIN = Domain.load(str(PROJECT / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


def store(db: Path, **kwargs) -> FastSQLTrackerStore:
    return FastSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db), **kwargs)


def first_turn(sender: str) -> DialogueStateTracker:
    """What Rasa holds after a visitor's first message: a new session, then the turn."""
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_session_start"),
            SessionStarted(),
            ActionExecuted("action_listen"),
            UserUttered("hi"),
            ActionExecuted("utter_greet"),
            BotUttered("Hi!"),
            ActionExecuted("action_listen"),
        ],
        DOMAIN.slots,
    )


def turn(text: str) -> List[Event]:
    return [UserUttered(text), ActionExecuted("utter_greet"), BotUttered(text), ActionExecuted("action_listen")]


async def message(fast: FastSQLTrackerStore, sender: str, text: str) -> DialogueStateTracker:
    """One turn as Rasa's processor runs it: retrieve, add events, save."""
    tracker = await fast.retrieve(sender)
    tracker.update_with_events(turn(text), DOMAIN)
    await fast.save(tracker)
    return tracker


def as_read_by_rasa(db: Path, sender: str) -> List[dict]:
    """The conversation as Rasa's own SQL store reads it back."""
    tracker = run(SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db)).retrieve(sender))
    return [] if tracker is None else [event.as_dict() for event in tracker.events]


def stored_events(db: Path, sender: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()[0]


def test_hands_out_what_rasa_reads_back_and_saves_every_event_once(tmp_path):
    db = tmp_path / "conversations.db"
    fast = store(db)
    run(fast.save(first_turn("visitor")))
    for number in range(5):
        kept = run(message(fast, "visitor", f"message {number}"))
        assert [event.as_dict() for event in kept.events] == as_read_by_rasa(db, "visitor")
    # The first turn's action_session_start is stored but, as in Rasa, not read back.
    assert stored_events(db, "visitor") == len(kept.events) + 1
    assert run(fast.retrieve("visitor")) is kept  # from memory, not rebuilt


def test_sees_what_another_server_wrote(tmp_path):
    db = tmp_path / "conversations.db"
    server_a, server_b = store(db), store(db)
    run(server_a.save(first_turn("visitor")))
    run(message(server_a, "visitor", "to A"))
    run(message(server_b, "visitor", "to B"))
    tracker = run(message(server_a, "visitor", "to A again"))
    texts = [event.text for event in tracker.events if isinstance(event, UserUttered)]
    assert texts == ["hi", "to A", "to B", "to A again"]
    assert [event.as_dict() for event in tracker.events] == as_read_by_rasa(db, "visitor")


def test_a_deleted_conversation_starts_again(tmp_path):
    db = tmp_path / "conversations.db"
    fast = store(db)
    run(fast.save(first_turn("visitor")))
    run(message(fast, "visitor", "remember me"))
    assert delete_senders(store(db, cache_size=0), ["visitor"]) > 0
    assert run(fast.retrieve("visitor")) is None


def test_a_turn_that_was_not_saved_is_not_kept(tmp_path):
    db = tmp_path / "conversations.db"
    fast = store(db)
    run(fast.save(first_turn("visitor")))
    run(message(fast, "visitor", "saved"))
    unsaved = run(fast.retrieve("visitor"))
    unsaved.update(SlotSet("treatment_time", "yesterday"))  # the turn fails before saving
    again = run(fast.retrieve("visitor"))
    assert again is not unsaved
    assert again.get_slot("treatment_time") is None
    assert [event.as_dict() for event in again.events] == as_read_by_rasa(db, "visitor")


def test_a_new_session_is_read_back_as_rasa_does(tmp_path):
    db = tmp_path / "conversations.db"
    fast = store(db)
    run(fast.save(first_turn("visitor")))
    tracker = run(message(fast, "visitor", "first session"))
    tracker.update_with_events(
        [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
        + turn("second session"),
        DOMAIN,
    )
    run(fast.save(tracker))
    read = run(fast.retrieve("visitor"))
    assert [event.as_dict() for event in read.events] == as_read_by_rasa(db, "visitor")
    assert [event.text for event in read.events if isinstance(event, UserUttered)] == ["second session"]


def test_a_new_model_drops_kept_conversations(tmp_path):
    fast = store(tmp_path / "conversations.db")
    run(fast.save(first_turn("visitor")))
    kept = run(message(fast, "visitor", "before the new model"))
    fast.domain = Domain.load(str(PROJECT / "domain.yml"))
    assert run(fast.retrieve("visitor")) is not kept


def test_keeps_at_most_cache_size_conversations(tmp_path):
    db = tmp_path / "conversations.db"
    fast = store(db, cache_size=2)
    saved = {}
    for sender in ("one", "two", "three"):
        run(fast.save(first_turn(sender)))
        saved[sender] = run(message(fast, sender, f"hello from {sender}"))
    assert run(fast.retrieve("three")) is saved["three"] and run(fast.retrieve("two")) is saved["two"]  # kept
    one = run(fast.retrieve("one"))
    assert one is not saved["one"]  # the oldest was let go, and is read from the database:
    assert [event.as_dict() for event in one.events] == as_read_by_rasa(db, "one")
    assert [event.as_dict() for event in one.events] == [event.as_dict() for event in saved["one"].events]


def test_rejects_a_negative_cache_size(tmp_path):
    with pytest.raises(ValueError, match="cache_size"):
        store(tmp_path / "conversations.db", cache_size=-1)


def test_sqlite_is_in_write_ahead_log_mode(tmp_path):
    db = tmp_path / "conversations.db"
    run(store(db).save(first_turn("visitor")))
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_conversation_erased_right_after_a_save_stays_erased(tmp_path):
    """`scripts/conversations.py delete` while the visitor's turn is being saved: the kept
    copy must not bring the erased conversation back (its slots, its history)."""
    db = tmp_path / "conversations.db"
    fast = store(db)
    run(fast.save(first_turn("visitor")))
    tracker = run(fast.retrieve("visitor"))
    tracker.update_with_events(turn("I had it yesterday"), DOMAIN)

    def erase(session):  # staff's delete, landing just after the save's commit
        assert delete_senders(store(db, cache_size=0), ["visitor"]) > 0

    sa.event.listen(fast.sessionmaker, "after_commit", erase, once=True)
    run(fast.save(tracker))
    assert stored_events(db, "visitor") == 0
    assert run(fast.retrieve("visitor")) is None


@pytest.mark.parametrize("kept", [True, False], ids=["kept conversation", "read from the database"])
def test_a_save_retried_after_its_commit_went_through_writes_each_event_once(tmp_path, kept, caplog):
    """The database committed but the answer was lost on the way back (a dropped
    connection): the store retries, and must not write the turn's events a second time."""
    db = tmp_path / "conversations.db"
    fast = store(db, cache_size=200 if kept else 0)
    run(fast.save(first_turn("visitor")))
    run(message(fast, "visitor", "hello again"))  # read back as one session: kept from now on
    before = stored_events(db, "visitor")
    tracker = run(fast.retrieve("visitor"))
    tracker.update_with_events(turn("does it hurt?"), DOMAIN)

    def connection_lost(session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    sa.event.listen(fast.sessionmaker, "after_commit", connection_lost, once=True)
    run(fast.save(tracker))
    assert "retrying to save" in caplog.text
    assert stored_events(db, "visitor") == before + len(turn("does it hurt?"))
    assert as_read_by_rasa(db, "visitor") == [event.as_dict() for event in tracker.events]


@pytest.mark.parametrize("answered", [True, False], ids=["after a reply", "before any reply"])
def test_a_save_that_cannot_reach_the_database_says_whether_a_reply_had_gone_out(tmp_path, answered):
    """The visitor is told "I may not remember that" only when they got an answer; a new
    conversation whose first write fails gets the plain apology."""
    from persistence.outage import TrackerStoreUnavailable, visitor_turn

    fast = store(tmp_path / "conversations.db", retry_seconds=0.1)
    tracker = (
        first_turn("visitor")
        if answered
        else DialogueStateTracker.from_events(
            "visitor",
            [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")],
            DOMAIN.slots,
        )
    )

    def database_gone(session):
        raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection unexpectedly"))

    sa.event.listen(fast.sessionmaker, "before_commit", database_gone)
    with visitor_turn(), pytest.raises(TrackerStoreUnavailable) as raised:
        run(fast.save(tracker))
    assert raised.value.answered is answered
