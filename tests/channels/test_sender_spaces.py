"""Each channel's conversations in a space of their own (connectors/spaces.py).

All channels share one tracker store. A REST client chooses its sender id, so with the
ids as Rasa makes them, `"sender": "+447700900101"` read and continued the conversation of
the visitor texting from that number, and a Telegram chat id likewise.
"""

import time

import pytest
import requests

from tests.harness.conversations import user_texts

from .test_telegram import VISITOR, post_update
from .test_twilio import text_in

OTHER_CHAT_ID = 515151  # not test_telegram's chat, whose conversation those tests follow


def test_rest_sender_named_as_a_phone_number_does_not_reach_that_sms_conversation(channels):
    number = "+447700900177"
    text_in(channels, "What is microneedling?", number)
    channels.send(number, "does it hurt?")
    assert user_texts(channels.stored_events(f"twilio:{number}")) == ["What is microneedling?"]
    assert user_texts(channels.stored_events(number)) == ["does it hurt?"]


def test_rest_sender_named_as_a_telegram_chat_does_not_reach_that_chat(channels):
    post_update(
        channels,
        {
            "message": {
                "message_id": 77,
                "date": int(time.time()),
                "text": "how many sessions do I need?",
                "from": {**VISITOR, "id": OTHER_CHAT_ID},
                "chat": {"id": OTHER_CHAT_ID, "type": "private"},
            }
        },
    )
    channels.send(str(OTHER_CHAT_ID), "is it safe?")
    assert user_texts(channels.stored_events(f"telegram:{OTHER_CHAT_ID}")) == ["how many sessions do I need?"]
    assert user_texts(channels.stored_events(str(OTHER_CHAT_ID))) == ["is it safe?"]


@pytest.mark.parametrize("sender", ["twilio:+447700900177", f"telegram:{OTHER_CHAT_ID}", "web:" + "0" * 32])
def test_rest_refuses_a_sender_id_of_another_channels_space(channels, sender):
    kept = channels.stored_events(sender)
    response = requests.post(
        f"{channels.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": "hello"}, timeout=30
    )
    assert response.status_code == 400
    assert sender.split(":")[0] + ":" in response.json()["error"]
    assert channels.stored_events(sender) == kept
