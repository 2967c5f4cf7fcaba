"""Rasa's Twilio connector (SMS, WhatsApp) with numbered choices and signed webhooks.

credentials.yml:

    connectors.twilio.TwilioInput:
      account_sid: ${TWILIO_ACCOUNT_SID}
      auth_token: ${TWILIO_AUTH_TOKEN}
      twilio_number: ${TWILIO_NUMBER}
      webhook_url: ${TWILIO_WEBHOOK_URL}   # the exact URL set in Twilio's console

Differences from rasa.core.channels.twilio (webhook still /webhooks/twilio/webhook):
- Buttons: a text message cannot show them. Rasa sends each as a message of its own,
  "1: title (payload)", and a reply of "1" then means nothing to the assistant. Here the
  answer and its choices are one message ending in a numbered list, and a reply that is
  just one of those numbers sends that button's payload. The numbers go on from one
  message of a reply to the next (an answer's questions 1-3, then "Was this answer
  helpful?" 4-5), so each number means one thing. Only the last reply's offer per sender
  is remembered, in this process: after a restart a bare number is read as text.
- Signatures: Twilio signs every webhook (X-Twilio-Signature) with the auth token. Rasa
  does not check, so anyone who finds the URL could make the bot text any number at the
  clinic's expense. Here a request without a valid signature for `webhook_url` gets 403
  and nothing is sent.
- Markdown links are sent as "text: address", which phones make clickable.
- Each message goes through connectors/messaging.py as on the web: the checks, one
  answer per question, an apology when the database is down, and conversations kept as
  `twilio:<phone number>`.
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from rasa.core.channels.twilio import TwilioOutput as RasaTwilioOutput
from sanic import Blueprint, response
from sanic.request import Request, RequestParameters
from twilio.request_validator import RequestValidator

from connectors.messaging import handled
from connectors.spaces import TWILIO, unspaced
from connectors.text import plain_links

logger = logging.getLogger(__name__)

Choices = Dict[Text, List[Text]]  # sender -> payloads offered by the last reply, in number order


REPLY_WITH_A_NUMBER = "Reply with a number:"


def numbered(text: Text, buttons: List[Dict[Text, Any]], first: int = 1) -> Text:
    lines = [plain_links(text).strip(), REPLY_WITH_A_NUMBER]
    lines += [f"{index}. {button['title']}" for index, button in enumerate(buttons, start=first)]
    return "\n".join(lines)


class TwilioOutput(RasaTwilioOutput):
    def __init__(self, account_sid, auth_token, twilio_number, choices: Choices) -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.choices = choices

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await super().send_response(unspaced(TWILIO, recipient_id), message)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await super().send_text_message(recipient_id, plain_links(text), **kwargs)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        """The answer and its numbered choices in one message, numbered on from the
        reply's earlier choices (TwilioInput clears them when a message comes in)."""
        offered = self.choices.setdefault(recipient_id, [])
        body = numbered(text, buttons, first=len(offered) + 1)
        await self._send_message({"to": recipient_id, "from_": self.twilio_number, "body": body})
        offered.extend(button["payload"] for button in buttons)


class TwilioInput(RasaTwilioInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        if not credentials.get("webhook_url"):
            raise ValueError(
                "connectors.twilio.TwilioInput needs webhook_url: the URL Twilio calls, to check signatures"
            )
        return cls(
            credentials.get("account_sid"),
            credentials.get("auth_token"),
            credentials.get("twilio_number"),
            webhook_url=credentials["webhook_url"],
        )

    def __init__(self, account_sid, auth_token, twilio_number, webhook_url: Text, debug_mode: bool = True) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode)
        self.webhook_url = webhook_url
        self.validator = RequestValidator(auth_token)
        self.choices: Choices = {}

    def get_output_channel(self) -> TwilioOutput:
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.choices)

    def _chosen(self, message: UserMessage) -> None:
        """A bare number answering the last offer becomes that button's payload."""
        offered = self.choices.pop(message.sender_id, None)
        text = (message.text or "").strip().rstrip(".")
        if offered and text.isdigit() and 1 <= int(text) <= len(offered):
            message.text = offered[int(text) - 1]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        answer = handled(TWILIO, on_new_message)

        async def handle(message: UserMessage) -> Any:
            self._chosen(message)
            return await answer(message)

        twilio_webhook = super().blueprint(handle)

        @twilio_webhook.middleware("request")
        async def check_signature(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST":
                return None
            url = self.webhook_url + (f"?{request.query_string}" if request.query_string else "")
            signature = request.headers.get("X-Twilio-Signature", "")
            # Twilio signs every field, empty ones too, which request.form leaves out.
            fields = RequestParameters(parse_qs(request.body.decode("utf-8"), keep_blank_values=True))
            if not self.validator.validate(url, fields, signature):
                logger.warning("Twilio webhook refused: missing or wrong X-Twilio-Signature for %s", url)
                return response.text("invalid signature", status=403)
            return None

        return twilio_webhook
