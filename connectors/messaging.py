"""What the messaging channels (Telegram, Twilio) do with each message before Rasa sees it.

In this order:
- the web channels' checks (connectors/web.py `guarded`): the sender id, the rate per
  conversation, and a message longer than `MAX_MESSAGE_CHARS` answered unread;
- one answer per question (connectors/questions.py);
- an apology, and nothing of the message kept, when the conversation cannot be read or
  saved (connectors/apology.py; Rasa's connectors answered from an empty conversation);
- the channel's own space of sender ids (connectors/spaces.py), so that no other
  channel's sender id can name its conversations.
"""

from typing import Text

from connectors import web
from connectors.apology import Handler
from connectors.spaces import in_space


def handled(space: Text, on_new_message: Handler) -> Handler:
    return web.handled(in_space(space, on_new_message))
