"""Rasa's REST and socket.io channels, apologising instead of staying silent.

When a message cannot be handled because the tracker store or the lock store is
unreachable, Rasa's own channels log the error and send nothing (REST answers `[]`):
the visitor just sees no reply. These subclasses run the same code and, when handling
fails, send one apology so the visitor knows to try again. A turn that takes longer
than `TURN_TIME_LIMIT` (an action server that hangs) is cut and apologised for the same
way. Everything else (URLs, settings in the credentials file) is Rasa's:
`persistence.channels.RestInput` answers at /webhooks/rest/webhook like `rest`.

Name them in a credentials file instead of the built-in ones:

    persistence.channels.RestInput:
    persistence.channels.SocketIOInput:
      user_message_evt: user_uttered
      ...
"""

import asyncio
import logging
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from rasa.core.lock_store import LOCK_LIFETIME

from persistence.tracker_store import TrackerStoreUnavailable, apology_channel_active

logger = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, I'm having a technical problem and couldn't take in your last message. "
    "Please try again in a minute."
)
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


@asynccontextmanager
async def time_limit(seconds: float) -> AsyncIterator[None]:
    """Cancel the running task after `seconds`, raising asyncio.TimeoutError. Unlike
    asyncio.wait_for it runs the turn in the same task: the reply goes out as soon as the
    turn releases its lock, before the next message of the conversation is handled."""
    task = asyncio.current_task()
    expired = False

    def expire() -> None:
        nonlocal expired
        expired = True
        task.cancel()

    timer = asyncio.get_running_loop().call_later(seconds, expire)
    try:
        yield
    except asyncio.CancelledError:
        if expired:
            raise asyncio.TimeoutError() from None
        raise
    finally:
        timer.cancel()


def apologising(on_new_message: Handler) -> Handler:
    """Wrap Rasa's message handler: on failure, tell the visitor instead of saying nothing."""

    async def handle(message: UserMessage) -> None:
        token = apology_channel_active.set(True)
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
                await message.output_channel.send_text_message(message.sender_id, NOT_SAVED if answered else APOLOGY)
            except Exception:
                logger.exception("Could not send the apology either.")
        finally:
            apology_channel_active.reset(token)

    return handle


class RestInput(RasaRestInput):
    """Rasa's REST channel (`/webhooks/rest/webhook`) with an apology on failure."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(apologising(on_new_message))


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel with an apology on failure."""

    def blueprint(self, on_new_message: Handler) -> Any:
        return super().blueprint(apologising(on_new_message))
