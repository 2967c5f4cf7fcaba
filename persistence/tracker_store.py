"""Rasa's SQL tracker store, recovering by itself when the database goes away and returns.

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
3. When the database is still unreachable after that, and the message came in through
   one of the channels of `persistence.channels`, it raises `TrackerStoreUnavailable`.
   That exception deliberately derives from `BaseException`, so it passes through
   `FailSafeTrackerStore` (which only catches `Exception`) and stops the turn before
   anything is answered or saved; the channel then sends the visitor an apology. Used
   anywhere else (the HTTP API, `rasa export`, scripts/conversations.py) the original
   database error is raised as before.

Configure it in an endpoints file exactly like Rasa's SQL tracker store:

    tracker_store:
      type: persistence.tracker_store.RecoveringSQLTrackerStore
      dialect: postgresql
      url: 127.0.0.1
      ...
"""

import asyncio
import contextvars
import logging
import time
from typing import Any, Awaitable, Callable, Iterable, Optional, Text, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy.orm import sessionmaker
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Set by persistence.channels while it handles a visitor's message.
apology_channel_active: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "apology_channel_active", default=False
)

# Errors that mean "the database cannot be reached", not "the query is wrong".
CONNECTION_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)


class TrackerStoreUnavailable(BaseException):
    """The conversation could not be read or saved because the database is unreachable.

    A BaseException on purpose: see the module docstring.
    """


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

    async def _retrying(self, what: Text, call: Callable[[], Awaitable[T]]) -> T:
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
                    if apology_channel_active.get():
                        raise TrackerStoreUnavailable(f"could not {what}: {reason}") from error
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
        await self._retrying(f"save conversation '{tracker.sender_id}'", lambda: parent(tracker))

    async def keys(self) -> Iterable[Text]:
        parent = super().keys
        return await self._retrying("list conversations", parent)
