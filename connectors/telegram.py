"""Rasa's Telegram connector, made to answer.

credentials.yml:  connectors.telegram.TelegramInput:  (same settings as `telegram`)

Fixes to rasa.core.channels.telegram (Rasa 3.6.21 with aiogram 2.15):
- Every message failed with "RuntimeError: Event loop is closed" and no reply: Rasa
  registers the webhook at start-up in a throw-away event loop (`asyncio.run`), and the
  Bot keeps the HTTP session it opened there. Here that session is closed again, so the
  Bot opens a new one in the server's own loop at the first reply.
- Buttons are one per row (`vertical`) unless a response asks otherwise: our buttons
  are whole questions, which a single row would cut short.
- Markdown links are sent as "text: address" (Telegram shows messages as plain text here).
- A message with several questions gets one answer each (connectors/questions.py).
"""

import asyncio
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint

from connectors.questions import one_turn_per_question
from connectors.text import plain_links


class TelegramOutput(RasaTelegramOutput):
    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, plain_links(text), **kwargs)

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        button_type: Optional[Text] = "vertical",
        **kwargs: Any,
    ) -> None:
        await super().send_text_with_buttons(
            recipient_id, plain_links(text), buttons, button_type=button_type, **kwargs
        )


class TelegramInput(RasaTelegramInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return super().blueprint(one_turn_per_question(on_new_message))

    def get_output_channel(self) -> TelegramOutput:
        channel = TelegramOutput(self.access_token)

        async def set_webhook() -> None:
            try:
                await channel.set_webhook(url=self.webhook_url)
            finally:
                await channel.close()  # the session belongs to this loop, which ends here

        try:
            asyncio.run(set_webhook())
        except TelegramAPIError as error:
            raise RasaException("Failed to set channel webhook: " + str(error)) from error
        return channel
