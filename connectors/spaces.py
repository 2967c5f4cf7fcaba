"""Each channel keeps its conversations in a space of sender ids of its own.

Rasa keys a conversation by the sender id its channel gives, and all channels share one
tracker store. Left as Rasa makes them, the ids of different channels meet: Twilio's are
phone numbers and Telegram's chat ids, while REST and socket.io clients choose their own,
so a REST request with `"sender": "+447700900101"` read and continued that SMS visitor's
conversation, and a widget could ask for any session and receive its replies. Here:

- Telegram and Twilio conversations are kept as `telegram:<chat id>` and
  `twilio:<phone number>`; their replies still go to the chat or the number.
- A widget (socket.io) conversation is kept as `web:<session id>`, and the session id is
  always one the server made: 32 hex digits of a random UUID. A session request naming
  anything else gets a new session, and a message is filed under its own socket's
  session, whatever session id it names (connectors/web.py).
- REST keeps the sender id the client gives, which may not start with a prefix above.

Conversations stored before spaces existed keep their old ids; see
docs/operations.md, "Where conversations are kept".
"""

import re
from typing import Optional, Text

from rasa.core.channels.channel import UserMessage

from connectors.apology import Handler

TELEGRAM = "telegram"
TWILIO = "twilio"
WEB = "web"
SPACES = (TELEGRAM, TWILIO, WEB)

# What Rasa's socket.io channel makes for a new session (uuid4().hex).
WEB_SESSION_ID = re.compile(r"[0-9a-f]{32}")


def spaced(space: Text, channel_id: Text) -> Text:
    """The tracker's sender id for a channel's own id."""
    return f"{space}:{channel_id}"


def unspaced(space: Text, sender_id: Text) -> Text:
    """The channel's own id (chat id, phone number) for a tracker's sender id."""
    prefix = f"{space}:"
    return sender_id[len(prefix) :] if sender_id.startswith(prefix) else sender_id


def reserved_prefix(sender_id: Text) -> Optional[Text]:
    """The channel prefix this sender id starts with, if any (REST may not use them)."""
    return next((f"{space}:" for space in SPACES if sender_id.startswith(f"{space}:")), None)


def in_space(space: Text, on_new_message: Handler) -> Handler:
    """File each message of a channel under its space (a copy: the channel's own message
    keeps the id its replies and apologies go to)."""

    async def handle(message: UserMessage) -> None:
        await on_new_message(
            UserMessage(
                message.text,
                message.output_channel,
                spaced(space, message.sender_id),
                message.parse_data,
                message.input_channel,
                message.message_id,
                message.metadata,
            )
        )

    return handle
