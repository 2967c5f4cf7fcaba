"""Rasa's SQL tracker store, recovering by itself when the database goes away and returns
(`RecoveringSQLTrackerStore`), and made fast (`FastSQLTrackerStore`, the one endpoints.yml
and endpoints.cluster.yml name).

Rasa's `SQLTrackerStore` keeps a pool of database connections. After a PostgreSQL
restart every pooled connection is dead, and without help each message fails until the
pool has been thrown away. Worse, Rasa wraps every tracker store in its
`FailSafeTrackerStore`, which turns a failed `retrieve` into "no conversation yet": the
visitor's message would be answered as if they had never spoken (a half-filled aftercare
form forgotten), and that answer saved on top of the real history once the database is
back.

This subclass changes three things and nothing else:

1. `pool_pre_ping` (SQLAlchemy's documented remedy): each pooled connection is tested
   before use and silently replaced when dead, so the first message after the database
   returns works.
2. A short retry (`retry_seconds`, default 3 s) of each read or write on a connection
   error, to ride over a database restart or fail-over.
3. When the database is still unreachable after that during a visitor's turn, it stops
   the turn with `TrackerStoreUnavailable` (a BaseException, so that Rasa's
   `FailSafeTrackerStore` cannot swallow it) and the channel apologises; anywhere else
   the original database error is raised as before. The whole contract is in
   persistence/outage.py.

Configure it in an endpoints file exactly like Rasa's SQL tracker store:

    tracker_store:
      type: persistence.tracker_store.FastSQLTrackerStore
      dialect: postgresql
      url: 127.0.0.1
      ...
"""

import asyncio
import contextvars
import itertools
import logging
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, Iterable, Iterator, Optional, Text, Tuple, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import sessionmaker

from persistence.outage import unavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that mean "the database cannot be reached", not "the query is wrong".
CONNECTION_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


class RecoveringSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` with pre-pinged connections and a short retry on connection errors."""

    def __init__(self, *args: Any, retry_seconds: float = 3.0, connect_timeout: int = 5, **kwargs: Any) -> None:
        # Rasa's constructor waits (and logs a warning every 5 s) until the database
        # answers; scripts/check_services.py reports an unreachable one before start.
        super().__init__(*args, **kwargs)
        self.retry_seconds = float(retry_seconds)
        url = self.engine.url
        engine_kwargs = create_engine_kwargs(url)  # Rasa's pool size and schema settings
        if url.get_backend_name() == "postgresql":
            # Without a timeout an unreachable host would block the server's event loop.
            connect_args = dict(engine_kwargs.pop("connect_args", {}))
            connect_args.setdefault("connect_timeout", int(connect_timeout))
            engine_kwargs["connect_args"] = connect_args
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **engine_kwargs)
        self.sessionmaker = sessionmaker(bind=self.engine)

    async def _retrying(self, what: Text, call: Callable[[], Awaitable[T]], answered: bool = False) -> T:
        deadline = time.monotonic() + self.retry_seconds
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except CONNECTION_ERRORS as error:
                reason = " ".join(str(error.orig or error).split())
                if time.monotonic() >= deadline:
                    logger.error(f"Tracker store database unreachable, could not {what}: {reason}")
                    outage = unavailable(what, reason, answered)  # persistence/outage.py
                    if outage is not None:
                        raise outage from error
                    raise
                if attempt == 1:
                    logger.warning(f"Tracker store database error, retrying to {what}: {reason}")
                await asyncio.sleep(0.5)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        parent = super().retrieve
        return await self._retrying(f"read conversation '{sender_id}'", lambda: parent(sender_id))

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        parent = super().retrieve_full_tracker
        return await self._retrying(f"read conversation '{conversation_id}'", lambda: parent(conversation_id))

    async def save(self, tracker: DialogueStateTracker) -> None:
        # Safe to repeat: Rasa appends only the events the database does not have yet,
        # and a failed attempt's transaction is rolled back. (With an event broker, a
        # repeated save would publish the new events again.)
        parent = super().save
        await self._retrying(
            f"save conversation '{tracker.sender_id}'",
            lambda: parent(tracker),
            answered=_replied_since_the_visitor_spoke(tracker),
        )

    async def keys(self) -> Iterable[Text]:
        parent = super().keys
        return await self._retrying("list conversations", parent)


# (number of events, highest event id) of one conversation in the database: what a kept
# conversation must still match to be used.
Stamp = Tuple[int, Optional[int]]
# The conversation whose save is running in this task.
_saving: contextvars.ContextVar[Optional[Text]] = contextvars.ContextVar("saving", default=None)


class FastSQLTrackerStore(RecoveringSQLTrackerStore):
    """`RecoveringSQLTrackerStore` that keeps recent conversations in memory, and uses
    SQLite the fast way.

    Rasa's SQL store rebuilds the conversation from the database for every message (reads
    every event of the session, parses its JSON, replays it) and counts the stored events
    again before saving; with SQLite, each save is also a commit that waits for the disk
    twice. This store keeps the conversation it has just saved and, when the visitor's next
    message comes, checks with one indexed query that the database still holds exactly that
    (number of events and highest event id). Only then is the kept conversation used, and
    its save appends the new events without counting again; if another server or
    `scripts/conversations.py` changed the conversation, it is read from the database as
    before. The database stays the truth: every event is still written in the same turn.

    The kept conversation is handed out, not copied (copying costs as much as reading):
    `retrieve` takes it out of the cache and the next `save` puts it back, so a turn that
    fails before saving leaves nothing stale behind. Only a conversation that is exactly
    what Rasa reads back is kept: one session, starting with its `session_started` event
    (a visitor's first turn, and a turn that starts a new session, still hold events that
    Rasa would not read back). Like Rasa itself, this relies on the lock store letting one
    server at a time handle a conversation.

    `cache_size` (default 200) is how many conversations are kept, least recently used
    dropped first; 0 turns the cache off. A 10-message conversation takes about 200 KB.

    With SQLite, connections are pooled (Rasa opens a new one for every read and write)
    and the database is switched to write-ahead logging with `synchronous=NORMAL`
    (SQLite's recommended pairing): a commit no longer waits for the disk, and a crash of
    the server loses nothing committed (a power cut may lose the last moments).
    """

    def __init__(self, *args: Any, cache_size: int = 200, **kwargs: Any) -> None:
        self.cache_size = int(cache_size)
        if self.cache_size < 0:
            raise ValueError(f"tracker store cache_size must be 0 or more, not {cache_size}")
        self._cache: "OrderedDict[Text, Tuple[DialogueStateTracker, Stamp]]" = OrderedDict()
        # Events already in the database of each conversation handed out from the cache.
        self._saved_counts: Dict[Text, int] = {}
        super().__init__(*args, **kwargs)
        if self.engine.url.get_backend_name() == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            # One connection is used by one session at a time, whichever thread it is in.
            self.engine = sa.create_engine(
                url, pool_pre_ping=True, poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", _sqlite_write_ahead_log)
            self.sessionmaker = sessionmaker(bind=self.engine)
        # The stamp of a saved conversation is read in the save's own transaction: read
        # after the commit, it could already be that of a `delete` run in between, and the
        # kept copy would then bring the erased conversation back.
        self._stamps_at_commit: Dict[Text, Stamp] = {}
        sa.event.listen(self.sessionmaker, "before_commit", self._stamp_before_commit)

    # A new model can bring other slots: conversations kept for the old domain are dropped.
    @property
    def domain(self) -> Domain:
        return self._domain

    @domain.setter
    def domain(self, domain: Domain) -> None:
        self._domain = domain
        self._cache.clear()

    def _stamp_in(self, session: Any, sender_id: Text) -> Stamp:
        count, last_id = (
            session.query(sa.func.count(self.SQLEvent.id), sa.func.max(self.SQLEvent.id))
            .filter(self.SQLEvent.sender_id == sender_id)
            .one()
        )
        return count, last_id

    async def _stamp(self, sender_id: Text) -> Stamp:
        with self.session_scope() as session:
            return self._stamp_in(session, sender_id)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        self._saved_counts.pop(sender_id, None)
        kept = self._cache.pop(sender_id, None)
        if kept is not None:
            tracker, stamp = kept
            if await self._retrying(f"read conversation '{sender_id}'", lambda: self._stamp(sender_id)) == stamp:
                self._saved_counts[sender_id] = len(tracker.events)
                return tracker
        return await super().retrieve(sender_id)

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        saved = self._saved_counts.pop(tracker.sender_id, None)
        if saved is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, saved, None)

    def _stamp_before_commit(self, session: Any) -> None:
        sender_id = _saving.get()
        if sender_id is not None:  # the query first writes the turn's new events (autoflush)
            self._stamps_at_commit[sender_id] = self._stamp_in(session, sender_id)

    async def save(self, tracker: DialogueStateTracker) -> None:
        self._cache.pop(tracker.sender_id, None)
        token = _saving.set(tracker.sender_id)
        try:
            await super().save(tracker)  # its `_additional_events` used up the saved count
            stamp = self._stamps_at_commit.get(tracker.sender_id)
        finally:
            _saving.reset(token)
            self._stamps_at_commit.pop(tracker.sender_id, None)
        if self.cache_size and stamp is not None and _is_one_whole_session(tracker):
            self._cache[tracker.sender_id] = (tracker, stamp)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def _replied_since_the_visitor_spoke(tracker: DialogueStateTracker) -> bool:
    """True if the assistant has sent something since the visitor's last message."""
    return isinstance(tracker.get_last_event_for((BotUttered, UserUttered)), BotUttered)


def _is_one_whole_session(tracker: DialogueStateTracker) -> bool:
    """True if the events are one session from its `session_started` event on: what Rasa's
    SQL store reads back for the conversation."""
    starts = [index for index, event in enumerate(tracker.events) if isinstance(event, SessionStarted)]
    return starts == [0]


def _sqlite_write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
