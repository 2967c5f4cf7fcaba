"""Rasa's Telegram connector, made to answer.

credentials.yml:

    connectors.telegram.TelegramInput:
      access_token: ${TELEGRAM_ACCESS_TOKEN}
      verify: ${TELEGRAM_BOT_NAME}
      webhook_url: ${TELEGRAM_WEBHOOK_URL}
      secret_token: ${TELEGRAM_SECRET_TOKEN}   # 1-256 of A-Z a-z 0-9 _ -, of your choosing

Fixes to rasa.core.channels.telegram (Rasa 3.6.21 with aiogram 2.15):
- Every message failed with "RuntimeError: Event loop is closed" and no reply: Rasa
  registers the webhook at start-up in a throw-away event loop (`asyncio.run`), and the
  Bot keeps the HTTP session it opened there. Here that session is closed again, so the
  Bot opens a new one in the server's own loop at the first reply.
- Buttons are one per row (`vertical`) unless a response asks otherwise: our buttons
  are whole questions, which a single row would cut short.
- Markdown links are sent as "text: address" (Telegram shows messages as plain text here).
- Only Telegram may post updates. Rasa's webhook took any request (`verify` only compares
  the bot's own name), so anyone could write into any chat's conversation and make the
  bot message that chat. Here the webhook is registered with `secret_token`, which
  Telegram sends back with every update (X-Telegram-Bot-Api-Secret-Token); a request
  without it gets 403. `/set_webhook`, which anyone could call to register the webhook
  again, is gone (404): the server registers it when it starts.
- Each message goes through connectors/messaging.py as on the web: the checks, one
  answer per question, an apology when the database is down, and conversations kept as
  `telegram:<chat id>`.
"""

import asyncio
import hmac
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from rasa.shared.exceptions import RasaException
from sanic import Blueprint, response
from sanic.request import Request

from connectors.messaging import handled
from connectors.spaces import TELEGRAM, unspaced
from connectors.text import plain_links

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts


class TelegramOutput(RasaTelegramOutput):
    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(unspaced(TELEGRAM, recipient_id), message)

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
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        secret = str(credentials.get("secret_token") or "")
        if not SECRET_TOKEN.fullmatch(secret):
            raise ValueError(
                "connectors.telegram.TelegramInput needs secret_token: 1 to 256 of A-Z, a-z, 0-9, _ "
                "and -, so that only Telegram can post updates (set TELEGRAM_SECRET_TOKEN)"
            )
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            secret_token=secret,
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        secret_token: Text,
        debug_mode: bool = True,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode)
        self.secret_token = secret_token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = super().blueprint(handled(TELEGRAM, on_new_message))

        @webhook.middleware("request")
        async def only_telegram(request: Request) -> Optional[response.HTTPResponse]:
            if request.path.endswith("/set_webhook"):
                return response.text("not found", status=404)
            if request.path.endswith("/webhook") and not hmac.compare_digest(
                request.headers.get(SECRET_HEADER, "").encode(), self.secret_token.encode()
            ):
                logger.warning("Telegram webhook refused: missing or wrong %s", SECRET_HEADER)
                return response.text("forbidden", status=403)
            return None

        return webhook

    def get_output_channel(self) -> TelegramOutput:
        channel = TelegramOutput(self.access_token)

        async def set_webhook() -> None:
            try:
                # aiogram 2.15 predates secret_token (Bot API 6.1), so the method is called directly.
                await channel.request("setWebhook", {"url": self.webhook_url, "secret_token": self.secret_token})
            finally:
                await channel.close()  # the session belongs to this loop, which ends here

        try:
            asyncio.run(set_webhook())
        except TelegramAPIError as error:
            raise RasaException("Failed to set channel webhook: " + str(error)) from error
        return channel
