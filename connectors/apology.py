"""An apology instead of silence when a visitor's turn cannot be handled.

When a message cannot be handled because the tracker store or the lock store is
unreachable, Rasa's own channels log the error and send nothing (REST answers `[]`):
the visitor just sees no reply. `apologising` wraps Rasa's message handler (every
channel of connectors/ uses it, through `connectors.web.handled`) and, when handling
fails, sends one apology so the visitor knows to try again, or, when only the save after
the reply failed, says the exchange may not be remembered. A turn that takes longer than
`TURN_TIME_LIMIT` (an action server that hangs) is cut and apologised for the same way.
The tracker store's side of this is persistence/outage.py.
"""

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.lock_store import LOCK_LIFETIME

from persistence.outage import TrackerStoreUnavailable, visitor_turn

logger = logging.getLogger(__name__)

APOLOGY = "Sorry, I'm having a technical problem and couldn't take in your last message. Please try again in a minute."
# The answer went out but the conversation could not be saved afterwards.
NOT_SAVED = (
    "Sorry, because of a technical problem I couldn't save that last exchange, "
    "so I may not remember it later in our conversation."
)

Handler = Callable[[UserMessage], Awaitable[Any]]

# A turn is cut (an apology, nothing saved) well before its conversation's lock expires
# (Rasa's TICKET_LOCK_LIFETIME, 60 s by default): Rasa waits up to 5 minutes for an
# action, and once the lock has expired the visitor's next message would be handled
# beside the hung one. nginx waits 120 s (deploy/nginx.conf.template).
TURN_TIME_LIMIT = LOCK_LIFETIME / 2
_TIME_IS_UP = "turn time limit"


@asynccontextmanager
async def time_limit(seconds: float) -> AsyncIterator[None]:
    """Cancel the running task after `seconds`, raising asyncio.TimeoutError. Unlike
    asyncio.wait_for it runs the turn in the same task: the reply goes out as soon as the
    turn releases its lock, before the next message of the conversation is handled."""
    task = asyncio.current_task()
    timer = asyncio.get_running_loop().call_later(seconds, task.cancel, _TIME_IS_UP)
    try:
        yield
    except asyncio.CancelledError as cancelled:
        if cancelled.args == (_TIME_IS_UP,):  # not a cancel from elsewhere (a shutdown)
            raise asyncio.TimeoutError() from None
        raise
    finally:
        timer.cancel()


def apologising(on_new_message: Handler) -> Handler:
    """Wrap Rasa's message handler: on failure, tell the visitor instead of saying nothing."""

    async def handle(message: UserMessage) -> None:
        with visitor_turn():  # a database outage raises TrackerStoreUnavailable (persistence/outage.py)
            try:
                async with time_limit(TURN_TIME_LIMIT):
                    await on_new_message(message)
            except (Exception, TrackerStoreUnavailable) as error:
                reason = f"took longer than {TURN_TIME_LIMIT:g} s" if isinstance(error, asyncio.TimeoutError) else error
                # No sender id: on SMS it is the visitor's phone number.
                logger.error(
                    f"Could not handle a {message.input_channel} message, sent an apology: "
                    f"{type(error).__name__}: {reason}"
                )
                answered = isinstance(error, TrackerStoreUnavailable) and error.answered
                try:
                    await message.output_channel.send_text_message(
                        message.sender_id, NOT_SAVED if answered else APOLOGY
                    )
                except Exception:
                    logger.exception("Could not send the apology either.")

    return handle
