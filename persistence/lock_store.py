"""Rasa's Redis lock store, with its ticket updates made atomic across servers.

Rasa takes one message at a time per conversation: each message draws a numbered ticket
from the conversation's `TicketLock` and waits until its number is served. In Rasa Open
Source 3.6 `RedisLockStore` updates that lock as GET, change in Python, SET. Two servers
receiving messages of the same visitor at the same moment both read the same lock, both
draw the same ticket number (or one overwrites the other's ticket), and both handle
their message at once. Each then saves the conversation from its own copy, so one
message's events are lost (tests/cluster/test_scale_out.py sends them and sees it).
Rasa's maintainers describe the same race in RasaHQ/rasa#11256; the fix there
(`ConcurrentRedisLockStore`) was reverted from the open-source edition (#11428).

This subclass keeps everything of `RedisLockStore` (settings, keys, the JSON it stores,
the waiting and expiry rules) and only wraps each read-change-write of a lock in a
Redis optimistic transaction (WATCH / MULTI / EXEC): if another server changed the lock
in between, the change is redone on the new value. Tickets are therefore unique and
served in the order Redis received them.

    lock_store:
      type: persistence.lock_store.AtomicRedisLockStore
      url: 127.0.0.1
      port: 6379
      ...   # the same settings as `type: redis`
"""

import asyncio
import json
import logging
import time
from typing import Any, Callable, Optional, Set, Text, Tuple, TypeVar

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")
# What a change returns: the lock to store (None: delete it) and a result for the caller.
Change = Callable[[Optional[TicketLock]], Tuple[Optional[TicketLock], T]]
UNCHANGED = object()
RELEASE_RETRY_SECONDS = 1.0


class AtomicRedisLockStore(RedisLockStore):
    """`RedisLockStore` whose ticket updates cannot overwrite another server's."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        # Rasa builds a lock store named by module path from its whole endpoint config.
        if endpoint_config is not None:
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._retries: Set["asyncio.Task[None]"] = set()

    def _change_lock(self, conversation_id: Text, change: Change) -> T:
        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)  # EXEC fails if anyone changes the key after this
                    serialised = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(serialised)) if serialised else None
                    new_lock, result = change(lock)
                    if new_lock is UNCHANGED:
                        pipe.unwatch()
                        return result
                    pipe.multi()
                    if new_lock is None:
                        pipe.delete(key)
                    else:
                        pipe.set(key, new_lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    logger.debug(f"Lock of conversation '{conversation_id}' changed meanwhile; retrying.")

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def change(lock: Optional[TicketLock]):
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._change_lock(conversation_id, change)
        except Exception as error:  # as RedisLockStore does
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: Text) -> None:
        def change(lock: Optional[TicketLock]):
            if lock is None:
                return UNCHANGED, None
            lock.remove_expired_tickets()
            return lock, None

        self._change_lock(conversation_id, change)

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        def change(lock: Optional[TicketLock]):
            if lock is None:
                return UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return lock, None

        self._change_lock(conversation_id, change)

    def _release(self, conversation_id: Text, ticket_number: int) -> None:
        # One transaction: a ticket drawn between "nobody waits" and "delete" would be lost.
        def change(lock: Optional[TicketLock]):
            if lock is None:
                return UNCHANGED, None
            lock.remove_ticket_for(ticket_number)
            return (lock if lock.is_someone_waiting() else None), None

        self._change_lock(conversation_id, change)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        try:
            self._release(conversation_id, ticket_number)
        except redis.RedisError as error:
            # The turn is over (answered and saved, or failed for its own reason): failing
            # it now would apologise for a saved message, and the visitor would send it
            # again. Redis keeps locks across a restart, so the release is retried until
            # Redis is back or the ticket has expired by itself.
            logger.warning(f"Could not release a conversation's lock, retrying: {error}")
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return  # not in a server: the ticket expires by itself
            retry = loop.create_task(self._release_when_back(conversation_id, ticket_number))
            self._retries.add(retry)  # the loop keeps only a weak reference to a task
            retry.add_done_callback(self._retries.discard)

    async def _release_when_back(self, conversation_id: Text, ticket_number: int) -> None:
        give_up_at = time.monotonic() + LOCK_LIFETIME
        while time.monotonic() < give_up_at:
            await asyncio.sleep(RELEASE_RETRY_SECONDS)
            try:
                # In a thread: an unreachable Redis would block the server for its socket timeout.
                await asyncio.get_running_loop().run_in_executor(None, self._release, conversation_id, ticket_number)
                logger.info("Released a conversation's lock once Redis was back.")
                return
            except redis.RedisError:
                continue
        logger.warning(f"Gave up releasing a conversation's lock; it expired by itself after {LOCK_LIFETIME} s.")
