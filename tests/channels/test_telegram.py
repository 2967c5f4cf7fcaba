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
import time
from typing import Dict, List

import pytest
import requests

from connectors.checks import MAX_MESSAGE_CHARS
from connectors.web import TOO_LONG

from .conftest import BOOKING_URL
from .providers import TELEGRAM_SECRET_TOKEN, TELEGRAM_WEBHOOK_URL
from .stand_in import Request

CHAT_ID = 424242
VISITOR = {"id": CHAT_ID, "is_bot": False, "first_name": "Ann", "language_code": "en"}


update_ids = itertools.count(5000)


def post_update(channels, update: Dict) -> List[Request]:
    """POST an update as Telegram does; the Bot API calls the connector made for it."""
    api = channels.telegram
    api.clear()
    response = requests.post(
        f"{channels.rasa_url}/webhooks/telegram/webhook",
        json={"update_id": next(update_ids), **update},
        timeout=60,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET_TOKEN},
    )
    assert response.status_code == 200 and response.text == "success", response.text
    refused = [(r.path, r.reply) for r in api.requests if r.reply[0] != 200]
    assert not refused, f"the Bot API refused: {refused}"
    return api.calls("/sendMessage")


def text_message(text: str, message_id: int = 1) -> Dict:
    return {
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "text": text,
            "from": VISITOR,
            "chat": {"id": CHAT_ID, "type": "private", "first_name": "Ann"},
        }
    }


def test_startup_registers_the_webhook_with_its_secret_token(channels):
    # Set when the server starts, from ${TELEGRAM_WEBHOOK_URL} and ${TELEGRAM_SECRET_TOKEN}:
    # Telegram then sends the token with every update.
    registered = [r.params for r in channels.telegram.history if r.path.endswith("/setWebhook")]
    assert registered == [{"url": TELEGRAM_WEBHOOK_URL, "secret_token": TELEGRAM_SECRET_TOKEN}]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"}], ids=["none", "wrong"])
def test_an_update_without_the_secret_token_is_refused(channels, headers):
    # Anyone could otherwise write into any chat's conversation and make the bot message it.
    channels.telegram.clear()
    kept = len(channels.stored_events(f"telegram:{CHAT_ID}"))
    response = requests.post(
        f"{channels.rasa_url}/webhooks/telegram/webhook",
        timeout=60,
        headers=headers,
        json={"update_id": next(update_ids), **text_message("What is microneedling?")},
    )
    assert response.status_code == 403, response.text
    assert channels.telegram.calls("/sendMessage") == []
    assert len(channels.stored_events(f"telegram:{CHAT_ID}")) == kept  # nothing written into that chat's conversation


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_webhook_cannot_be_set_again_from_outside(channels, method):
    channels.telegram.clear()
    response = requests.request(method, f"{channels.rasa_url}/webhooks/telegram/set_webhook", timeout=30)
    assert response.status_code in (404, 405), response.text
    assert [r for r in channels.telegram.requests if r.path.endswith("/setWebhook")] == []


def test_a_message_too_long_is_answered_unread(channels):
    started = time.monotonic()
    sent = post_update(channels, text_message("🙂" * 10_000))
    assert [r.params["text"] for r in sent] == [TOO_LONG.format(limit=MAX_MESSAGE_CHARS)]
    assert time.monotonic() - started < 5  # not read: NLU took 40 s for 10,000 emoji


def test_question_gets_its_answer_with_buttons_as_an_inline_keyboard(channels):
    sent = post_update(channels, text_message("What is microneedling?"))
    assert sent, "no message was sent back"
    assert all(r.params["chat_id"] == str(CHAT_ID) for r in sent)
    text = "\n".join(r.params["text"] for r in sent)
    assert "collagen induction therapy" in text

    keyboards = [json.loads(r.params["reply_markup"])["inline_keyboard"] for r in sent if "reply_markup" in r.params]
    assert len(keyboards) == 2  # the answer's, then "Was this answer helpful?" with 👍 / 👎
    assert [row[0]["callback_data"] for row in keyboards[1]] == ["/affirm", "/deny"]
    assert all(len(row) == 1 for row in keyboards[0]), "one button per row: they are whole questions"
    buttons = [button for row in keyboards[0] for button in row]
    assert [b["text"] for b in buttons] == [
        "How does microneedling work?",
        "What are the benefits of microneedling?",
        "What happens during a session?",
    ]
    assert all(b["callback_data"] == b["text"] for b in buttons)


def test_pressing_a_button_is_answered(channels):
    # What Telegram posts when the visitor presses "How does microneedling work?".
    sent = post_update(
        channels,
        {
            "callback_query": {
                "id": "4382bfdwdsb323b2d9",
                "from": VISITOR,
                "chat_instance": "-1234567890",
                "data": "How does microneedling work?",
                "message": {
                    **text_message("Microneedling is a minimally invasive ...", 101)["message"],
                    "from": {"id": 123456789, "is_bot": True, "first_name": "Demo clinic"},
                },
            }
        },
    )
    text = "\n".join(r.params["text"] for r in sent)
    assert "controlled micro-injuries" in text


def test_two_questions_in_one_message_get_both_answers_in_order(channels):
    sent = post_update(channels, text_message("does it hurt? and how far apart are the sessions"))
    text = "\n".join(r.params["text"] for r in sent)
    assert "anaesthetic" in text and "few weeks apart" in text, text
    assert text.index("anaesthetic") < text.index("few weeks apart")


def test_booking_link_arrives_as_a_readable_address(channels):
    sent = post_update(channels, text_message("I want to book a consultation"))
    text = "\n".join(r.params["text"] for r in sent)
    # The Markdown link as plain text: Telegram makes the address itself clickable.
    assert f"book a consultation online: {BOOKING_URL}" in text
    assert "](" not in text
    assert "qualified professional" in text
