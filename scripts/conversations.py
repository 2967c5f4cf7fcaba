"""Export or delete a visitor's conversation, or purge old ones, from the tracker store;
draft training data from what the assistant failed to answer.

    python scripts/conversations.py list                      # sender ids, last message time
    python scripts/conversations.py export SENDER_ID > visitor.json
    python scripts/conversations.py delete SENDER_ID
    python scripts/conversations.py purge --older-than 180 [--dry-run]
    python scripts/conversations.py candidates [--days 30] > candidates.yml
    python scripts/conversations.py report [--days 30] [--out results/report] [--with-senders]
    python scripts/conversations.py requests                  # callback requests, delivered or not

Reads the tracker store of an endpoints file (default endpoints.yml, the SQLite file
conversations.db; `--endpoints endpoints.cluster.yml` for PostgreSQL, with the same
environment variables as `make run-cluster`) through Rasa's own SQLTrackerStore.
Relative paths in it are taken from the project folder, as `make run` does.

export prints the whole conversation, every session, as JSON: the same tracker format as
Rasa's HTTP API (`sender_id`, `slots`, `latest_message`, `events`, ...).
delete removes every event of that sender, and their callback requests; their next message
starts a new conversation. purge deletes the conversations whose last event is older than
DAYS days, with their callback requests.
requests lists the callback requests (actions/callback_request.py) with their delivery
state: pending ones are still being retried.
candidates writes the visitor messages the assistant did not understand (the "did you
mean" clarification), declined as not covered, or rated not helpful (👎), as a draft in
Rasa's NLU format: each under the FAQ answer the model found nearest, with what the model
chose as a comment.
A maintainer labels them and moves them into data/nlu/ (docs/answers.md, "Add or change an
answer"). report writes what visitors asked and how it was answered (shares, answers
sent with their 👍 / 👎, messages per day, what failed) as a self-contained HTML page
and as JSON (scripts/insight.py). Phone numbers and email addresses are masked, and sender ids are
left out unless --with-senders is given.
Safe while the assistant is running.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(1, str(PROJECT))

from scripts import insight  # noqa: E402  (after the path)

warnings.showwarning = lambda *args, **kwargs: None  # library deprecation notices
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")


def fail(message: str) -> "NoReturn":  # noqa: F821
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def open_store(endpoints: Path, domain_path: Path):
    """The SQL tracker store configured in `endpoints`, with the slots of `domain_path`."""
    import logging

    logging.disable(logging.WARNING)  # Rasa logs connection retries; errors are reported below
    from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

    if not endpoints.is_file():
        fail(f"endpoints file {endpoints} not found")
    try:
        config = read_endpoint_config(str(endpoints), "tracker_store")
    except RasaException as error:
        fail(f"{endpoints}: {error}")
    if config is None:
        fail(f"{endpoints} has no tracker_store: conversations are kept in memory only")
    os.chdir(PROJECT)  # `db: conversations.db` means the project folder, as for `make run`
    if (config.type or "").lower() == "sql" and config.kwargs.get("dialect", "sqlite") == "sqlite":
        database = Path(config.kwargs.get("db", "rasa.db"))
        if not database.exists():  # do not create an empty one
            return NoDatabase(database.resolve())
    store = TrackerStore.create(config, domain=Domain.load(str(domain_path)))
    if not isinstance(store, SQLTrackerStore):
        fail(f"{endpoints}: this script handles SQL tracker stores, not {type(store).__name__}")
    return store


class NoDatabase:
    """An SQLite tracker store whose file does not exist yet: no conversations."""

    def __init__(self, path: Path):
        self.path = path


def cmd_list(store, args) -> int:
    import sqlalchemy as sa

    with store.session_scope() as session:
        rows = (
            session.query(store.SQLEvent.sender_id, sa.func.max(store.SQLEvent.timestamp))
            .group_by(store.SQLEvent.sender_id)
            .order_by(sa.func.max(store.SQLEvent.timestamp).desc())
            .all()
        )
    for sender_id, last in rows:
        when = datetime.fromtimestamp(last, timezone.utc).isoformat(timespec="seconds") if last else "-"
        print(f"{when}  {sender_id}")
    return 0


def cmd_export(store, args) -> int:
    from rasa.shared.core.trackers import EventVerbosity

    tracker = asyncio.run(store.retrieve_full_tracker(args.sender_id))
    if tracker is None:
        fail(f"no conversation with sender id '{args.sender_id}'")
    json.dump(tracker.current_state(EventVerbosity.ALL), sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


def callback_requests(store):
    """The callback requests, kept in the tracker store's database."""
    from persistence.callback_requests import CallbackRequestStore

    return CallbackRequestStore(store.engine.url)


def delete_senders(store, sender_ids: List[str]) -> int:
    """Delete the conversations' events and their callback requests; the number of events."""
    callback_requests(store).delete_for_senders(sender_ids)
    deleted = 0
    with store.session_scope() as session:
        for sender_id in sender_ids:
            deleted += (
                session.query(store.SQLEvent)
                .filter(store.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
        session.commit()
    return deleted


def cmd_delete(store, args) -> int:
    deleted = delete_senders(store, [args.sender_id])
    if not deleted:
        fail(f"no conversation with sender id '{args.sender_id}'")
    print(f"Deleted the conversation of '{args.sender_id}' ({deleted} events).")
    return 0


def cmd_purge(store, args) -> int:
    import sqlalchemy as sa

    if args.older_than < 0:
        fail("--older-than must be 0 or more days")
    cutoff = time.time() - args.older_than * 86400
    with store.session_scope() as session:
        last = sa.func.max(store.SQLEvent.timestamp)
        senders = [
            sender_id
            for (sender_id,) in session.query(store.SQLEvent.sender_id)
            .group_by(store.SQLEvent.sender_id)
            .having(last < cutoff)
            .all()
        ]
    if args.dry_run:
        for sender_id in senders:
            print(sender_id)
        print(f"Would delete {len(senders)} conversations with no event in the last {args.older_than:g} days.")
        return 0
    deleted = delete_senders(store, senders)
    print(
        f"Deleted {len(senders)} conversations ({deleted} events) with no event in the last {args.older_than:g} days."
    )
    return 0


def cmd_requests(store, args) -> int:
    requests = callback_requests(store).all()
    for request in requests:
        when = datetime.fromtimestamp(request.created_at, timezone.utc).isoformat(timespec="seconds")
        ways = ", ".join(
            f"{way} {state}"
            for way, state in (("email", request.email_state), ("webhook", request.webhook_state))
            if state
        )
        retry = f", {request.attempts} failed attempt(s), last: {request.last_error}" if request.last_error else ""
        print(
            f"{when}  {request.state:<9}  {request.name} <{request.contact}>, {request.preferred_time!r}  "
            f"({ways}{retry})  {request.sender_id}"
        )
    if not requests:
        print("No callback requests.")
    return 0


def events_by_sender(store, since: float) -> Iterator[Tuple[str, List[Dict]]]:
    """Each conversation with an event since `since`: its events from then on, in order."""
    with store.session_scope() as session:
        rows = (
            session.query(store.SQLEvent.sender_id, store.SQLEvent.data)
            .filter(store.SQLEvent.timestamp >= since)
            .order_by(store.SQLEvent.sender_id, store.SQLEvent.id)
            .yield_per(5000)
        )
        sender, events = None, []
        for row_sender, data in rows:
            if row_sender != sender and events:
                yield sender, events
                events = []
            sender = row_sender
            events.append(json.loads(data))
        if events:
            yield sender, events


def read_turns(store, days: float) -> List["insight.Turn"]:
    if days <= 0:
        fail("--days must be more than 0")
    from actions.settings import SettingsError, load_clinic_settings

    try:
        timezone = load_clinic_settings().timezone
    except SettingsError as error:
        fail(str(error))
    return list(insight.turns(events_by_sender(store, time.time() - days * 86400), timezone))


def cmd_candidates(store, args) -> int:
    failed: Dict[str, Dict[str, List[str]]] = {}
    for turn in read_turns(store, args.days):
        if turn.failure and turn.text and not turn.text.startswith("/"):
            note = f"{turn.failure} ({turn.intent} {turn.confidence:.2f})"
            if turn.nearest_answer:
                note += f", nearest answer {turn.nearest_answer} {turn.nearest_confidence:.2f}"
            failed.setdefault(turn.nearest_answer or "unlabelled", {}).setdefault(turn.text, []).append(note)
    total = sum(len(messages) for messages in failed.values())
    print(f"# Training data candidates: {total} messages visitors sent in the last {args.days:g} days")
    print("# that the assistant did not understand or declined as not covered, or whose answer they")
    print("# rated not helpful, under the answer the model found nearest. Label each: move it under")
    print("# its intent in data/nlu/ (an FAQ answer, out_of_scope, ...) or delete it; `make test-data`")
    print("# then checks it is no test message. Phone numbers and email addresses are masked.")
    print('version: "3.1"')
    print("nlu:" if failed else "nlu: []")
    for answer in sorted(failed):
        print(f"- intent: {answer}")
        print("  examples:")
        for text, notes in sorted(failed[answer].items(), key=lambda item: (-len(item[1]), item[0])):
            times = f"{len(notes)} times; last: " if len(notes) > 1 else ""
            print(f"  # {times}{notes[-1]}")
            print(f"  - text: {json.dumps(text, ensure_ascii=False)}")
    return 0


def cmd_report(store, args) -> int:
    report = insight.figures(read_turns(store, args.days), args.days, with_senders=args.with_senders)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "report.json").write_text(insight.to_json(report), encoding="utf-8")
    (args.out / "report.html").write_text(insight.page(report, insight.charts(report)), encoding="utf-8")
    print(
        f"{report['messages']} messages in {report['conversations']} conversations: "
        f"{args.out / 'report.html'} and report.json"
    )
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoints", type=Path, default=PROJECT / "endpoints.yml", help="default: endpoints.yml")
    parser.add_argument(
        "--domain", type=Path, default=PROJECT / "domain.yml", help="default: domain.yml (for the slots)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="sender ids with the time of their last event, newest first")
    export = commands.add_parser("export", help="print one conversation as JSON")
    export.add_argument("sender_id")
    delete = commands.add_parser("delete", help="delete one conversation")
    delete.add_argument("sender_id")
    purge = commands.add_parser("purge", help="delete conversations inactive for DAYS days")
    purge.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    purge.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    candidates = commands.add_parser("candidates", help="draft NLU data from messages not understood or declined")
    candidates.add_argument("--days", type=float, default=30, help="how far back (default 30 days)")
    report = commands.add_parser("report", help="what visitors asked and what failed, as HTML and JSON")
    report.add_argument("--days", type=float, default=30, help="how far back (default 30 days)")
    report.add_argument("--out", type=Path, default=PROJECT / "results" / "report", help="default: results/report")
    report.add_argument("--with-senders", action="store_true", help="add sender ids to the failed messages")
    commands.add_parser("requests", help="callback requests and their delivery state")
    args = parser.parse_args(argv)

    endpoints, domain = args.endpoints.resolve(), args.domain.resolve()
    store = open_store(endpoints, domain)
    if isinstance(store, NoDatabase):
        if args.command in ("export", "delete"):
            fail(f"no conversation with sender id '{args.sender_id}' ({store.path} does not exist)")
        print(f"No conversations: {store.path} does not exist.", file=sys.stderr)
        return 0
    try:
        commands_run = {
            "list": cmd_list,
            "export": cmd_export,
            "delete": cmd_delete,
            "purge": cmd_purge,
            "candidates": cmd_candidates,
            "report": cmd_report,
            "requests": cmd_requests,
        }
        return commands_run[args.command](store, args)
    except Exception as error:  # database errors: one line, not a traceback
        import sqlalchemy.exc

        if isinstance(error, sqlalchemy.exc.DBAPIError):
            fail(f"tracker store database: {' '.join(str(error.orig).split())}")
        raise


if __name__ == "__main__":
    sys.exit(main())
