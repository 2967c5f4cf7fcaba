"""Telegram: webhook updates in, Bot API calls out, against a stand-in of the Bot API.

The Rasa server runs with the Telegram block of credentials.yml switched on and its
three variables set. The connector (connectors/telegram.py, an aiogram Bot) is pointed
at the stand-in by the test-only shim in tests/channels/shim/. Telegram shows buttons
natively: the answer's buttons must arrive as an inline keyboard whose callback data
Telegram accepts, and pressing one must be answered. Rasa's own connector fails this
test: every update ends in "Event loop is closed" and no reply.
"""

import itertools
import json
import re
import time
from typing import Dict, List

import pytest
import requests

from tests.conftest import Servers, require_model

from .conftest import credentials_with, enabled_channels
from .stand_in import Request, StandIn

TOKEN = "123456789:AAtest-token_for-the-stand-in"
BOT_NAME = "demo_clinic_bot"
WEBHOOK_URL = "https://chat.example-clinic.test/webhooks/telegram/webhook"
BOOKING_URL = "https://booking.example-clinic.test/consultation"
CHAT_ID = 424242
VISITOR = {"id": CHAT_ID, "is_bot": False, "first_name": "Ann", "language_code": "en"}


def ok(result) -> tuple:
    return 200, {"ok": True, "result": result}


def bad_request(description: str) -> tuple:
    return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}


class TelegramBotApi:
    """Answers like api.telegram.org for the methods the connector uses, with its checks."""

    def __init__(self):
        self.message_ids = itertools.count(100)

    def __call__(self, request: Request) -> tuple:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path)
        if not match:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        token, method = match.group(1), match.group(2).lower()
        if token != TOKEN:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        params = request.params
        if method == "getme":
            return ok({"id": 123456789, "is_bot": True, "first_name": "Demo clinic", "username": BOT_NAME})
        if method == "setwebhook":
            if not params.get("url", "").startswith("https://"):
                return bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            return ok(True)
        if method == "sendmessage":
            text = params.get("text", "")
            if not text.strip():
                return bad_request("message text is empty")
            if len(text) > 4096:
                return bad_request("message is too long")
            if "reply_markup" in params:
                markup = json.loads(params["reply_markup"])
                for row in markup.get("inline_keyboard", []):
                    for button in row:
                        if not 1 <= len(button.get("callback_data", "").encode()) <= 64:
                            return bad_request("BUTTON_DATA_INVALID")
            return ok({
                "message_id": next(self.message_ids), "date": int(time.time()), "text": text,
                "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Ann"},
                "from": {"id": 123456789, "is_bot": True, "first_name": "Demo clinic", "username": BOT_NAME},
            })
        return ok(True)


@pytest.fixture(scope="module")
def telegram(tmp_path_factory, shim_path):
    require_model()
    tmp = tmp_path_factory.mktemp("telegram")
    credentials = credentials_with("connectors.telegram.TelegramInput", tmp)
    assert enabled_channels(credentials) == ["rest", "socketio", "connectors.telegram.TelegramInput"]
    clinic = tmp / "clinic.yml"
    clinic.write_text(f"name: Demo Skin Clinic\nbooking_url: {BOOKING_URL}\n")
    with StandIn(TelegramBotApi()) as api:
        servers = Servers(tmp, env={"CLINIC_SETTINGS_FILE": str(clinic)}, credentials=credentials, name="telegram")
        try:
            servers.start_action_server()
            servers.start_rasa_server(env={
                "TELEGRAM_ACCESS_TOKEN": TOKEN, "TELEGRAM_BOT_NAME": BOT_NAME, "TELEGRAM_WEBHOOK_URL": WEBHOOK_URL,
                "PYTHONPATH": shim_path, "TEST_TELEGRAM_API": api.url,
            })
            servers.api = api
            yield servers
        finally:
            servers.stop()


update_ids = itertools.count(5000)


def post_update(telegram, update: Dict) -> List[Request]:
    """POST an update as Telegram does; the Bot API calls the connector made for it."""
    telegram.api.clear()
    response = requests.post(
        f"{telegram.rasa_url}/webhooks/telegram/webhook", json={"update_id": next(update_ids), **update}, timeout=60
    )
    assert response.status_code == 200 and response.text == "success", response.text
    sent = telegram.api.calls("/sendMessage")
    refused = [(r.path, r.reply) for r in telegram.api.requests if r.reply[0] != 200]
    assert not refused, f"the Bot API refused: {refused}"
    return sent


def text_message(text: str, message_id: int = 1) -> Dict:
    return {"message": {
        "message_id": message_id, "date": int(time.time()), "text": text, "from": VISITOR,
        "chat": {"id": CHAT_ID, "type": "private", "first_name": "Ann"},
    }}


def test_startup_registers_the_webhook_from_the_environment(telegram):
    # Rasa calls setWebhook when it starts, with ${TELEGRAM_WEBHOOK_URL} from credentials.yml.
    registered = [r.params for r in telegram.api.requests if r.path.endswith("/setWebhook")]
    assert {"url": WEBHOOK_URL} in registered


def test_question_gets_its_answer_with_buttons_as_an_inline_keyboard(telegram):
    sent = post_update(telegram, text_message("What is microneedling?"))
    assert sent, "no message was sent back"
    assert all(r.params["chat_id"] == str(CHAT_ID) for r in sent)
    text = "\n".join(r.params["text"] for r in sent)
    assert "collagen induction therapy" in text

    keyboards = [json.loads(r.params["reply_markup"])["inline_keyboard"] for r in sent if "reply_markup" in r.params]
    assert len(keyboards) == 1
    assert all(len(row) == 1 for row in keyboards[0]), "one button per row: they are whole questions"
    buttons = [button for row in keyboards[0] for button in row]
    assert [b["text"] for b in buttons] == [
        "How does microneedling work?", "What are the benefits of microneedling?", "What happens during a session?"
    ]
    assert all(b["callback_data"] == b["text"] for b in buttons)


def test_pressing_a_button_is_answered(telegram):
    # What Telegram posts when the visitor presses "How does microneedling work?".
    sent = post_update(telegram, {"callback_query": {
        "id": "4382bfdwdsb323b2d9", "from": VISITOR, "chat_instance": "-1234567890",
        "data": "How does microneedling work?",
        "message": {**text_message("Microneedling is a minimally invasive ...", 101)["message"],
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Demo clinic"}},
    }})
    text = "\n".join(r.params["text"] for r in sent)
    assert "controlled micro-injuries" in text


def test_booking_link_arrives_as_a_readable_address(telegram):
    sent = post_update(telegram, text_message("I want to book a consultation"))
    text = "\n".join(r.params["text"] for r in sent)
    # Sent as plain text: Telegram makes the address itself clickable.
    assert BOOKING_URL in text
    assert "qualified professional" in text
