"""Export or delete a visitor's conversation, or purge old ones, from the tracker store.

    python scripts/conversations.py list                      # sender ids, last message time
    python scripts/conversations.py export SENDER_ID > visitor.json
    python scripts/conversations.py delete SENDER_ID
    python scripts/conversations.py purge --older-than 180 [--dry-run]

Reads the tracker store of an endpoints file (default endpoints.yml, the SQLite file
conversations.db; `--endpoints endpoints.cluster.yml` for PostgreSQL, with the same
environment variables as `make run-cluster`) through Rasa's own SQLTrackerStore.
Relative paths in it are taken from the project folder, as `make run` does.

export prints the whole conversation, every session, as JSON: the same tracker format as
Rasa's HTTP API (`sender_id`, `slots`, `latest_message`, `events`, ...).
delete removes every event of that sender; their next message starts a new conversation.
purge deletes the conversations whose last event is older than DAYS days.
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
from typing import List, Optional

PROJECT = Path(__file__).resolve().parents[1]
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
    sys.path.insert(1, str(PROJECT))  # custom store classes, as `rasa run` imports them
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


def delete_senders(store, sender_ids: List[str]) -> int:
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
    print(f"Deleted {len(senders)} conversations ({deleted} events) with no event in the last {args.older_than:g} days.")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--endpoints", type=Path, default=PROJECT / "endpoints.yml", help="default: endpoints.yml")
    parser.add_argument("--domain", type=Path, default=PROJECT / "domain.yml", help="default: domain.yml (for the slots)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="sender ids with the time of their last event, newest first")
    export = commands.add_parser("export", help="print one conversation as JSON")
    export.add_argument("sender_id")
    delete = commands.add_parser("delete", help="delete one conversation")
    delete.add_argument("sender_id")
    purge = commands.add_parser("purge", help="delete conversations inactive for DAYS days")
    purge.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    purge.add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    args = parser.parse_args(argv)

    endpoints, domain = args.endpoints.resolve(), args.domain.resolve()
    store = open_store(endpoints, domain)
    if isinstance(store, NoDatabase):
        if args.command in ("export", "delete"):
            fail(f"no conversation with sender id '{args.sender_id}' ({store.path} does not exist)")
        print(f"No conversations: {store.path} does not exist.", file=sys.stderr)
        return 0
    try:
        return {"list": cmd_list, "export": cmd_export, "delete": cmd_delete, "purge": cmd_purge}[args.command](
            store, args
        )
    except Exception as error:  # database errors: one line, not a traceback
        import sqlalchemy.exc

        if isinstance(error, sqlalchemy.exc.DBAPIError):
            fail(f"tracker store database: {' '.join(str(error.orig).split())}")
        raise


if __name__ == "__main__":
    sys.exit(main())
