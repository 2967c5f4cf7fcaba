"""What a visitor's turn does when the tracker store's database cannot be reached: the
whole contract between the store and the channels, in one place.

- **Who raises.** `RecoveringSQLTrackerStore` (persistence/tracker_store.py), and so
  `FastSQLTrackerStore`, retries a read or save for a few seconds on a connection error.
  When the database is still unreachable, it logs the error and asks `unavailable(what,
  reason, answered)`: during a visitor's turn that returns a `TrackerStoreUnavailable`,
  which the store raises (from the database error).
- **Why a BaseException.** Rasa wraps every tracker store in its `FailSafeTrackerStore`,
  which catches `Exception`, logs it and carries on: a failed read becomes "no
  conversation yet" (the visitor answered as if they had never spoken, and that answer
  saved over the real history once the database is back), a failed save is kept only
  in that server's memory.
  Deriving from `BaseException`, `TrackerStoreUnavailable` passes through it and stops
  the turn: nothing (more) is answered, nothing is saved.
- **Who catches.** The channel wrapper `connectors.apology.apologising`, which every
  channel of connectors/ puts around Rasa's message handler. It runs each turn inside
  `visitor_turn()`, and catches `TrackerStoreUnavailable` beside ordinary exceptions (an
  unreachable lock store, a turn over its time limit).
- **What the visitor is told.** `connectors.apology.APOLOGY` ("try again") when the
  conversation could not be read, or could not be saved before any reply went out;
  `connectors.apology.NOT_SAVED` ("I may not remember that") when the save at the end of
  the turn failed after the reply had gone out (`answered`). Nothing of the turn is kept:
  written later, it could land after another server's turns.
- **Outside a visitor's turn** (the HTTP API, `rasa export`, scripts/conversations.py)
  `unavailable` returns None and the store raises the original database error, as Rasa's
  own store would.
"""

import contextvars
from contextlib import contextmanager
from typing import Iterator, Optional, Text


class TrackerStoreUnavailable(BaseException):
    """The conversation could not be read or saved because the database is unreachable.
    `answered` is True when it was a save after the turn's reply had gone out.

    A BaseException on purpose: see the module docstring.
    """

    def __init__(self, message: Text, answered: bool = False) -> None:
        super().__init__(message)
        self.answered = answered


# True while a channel handles a visitor's message (`visitor_turn`).
_visitor_waiting: contextvars.ContextVar[bool] = contextvars.ContextVar("visitor_waiting", default=False)


@contextmanager
def visitor_turn() -> Iterator[None]:
    """Entered by the channel wrapper around each turn: within it, a database outage
    stops the turn with `TrackerStoreUnavailable`, for the wrapper to catch."""
    token = _visitor_waiting.set(True)
    try:
        yield
    finally:
        _visitor_waiting.reset(token)


def unavailable(what: Text, reason: Text, answered: bool = False) -> Optional[TrackerStoreUnavailable]:
    """What the store raises when it gave up trying to `what` ("read conversation 'x'"):
    a `TrackerStoreUnavailable` when a visitor is waiting (`visitor_turn`), else None,
    and the store raises the database's own error."""
    if not _visitor_waiting.get():
        return None
    return TrackerStoreUnavailable(f"could not {what}: {reason}", answered)
