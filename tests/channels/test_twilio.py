"""Twilio (SMS): signed webhooks in, Messages API calls out, against a stand-in of the API.

A text message cannot show buttons: connectors/twilio.py sends the answer with its
choices as a numbered list in one message, and a reply of just a number is that
button's question. Webhooks without Twilio's signature are refused.
"""

import itertools
from typing import Dict, List

import requests
from twilio.request_validator import RequestValidator

from connectors.checks import MAX_MESSAGE_CHARS
from connectors.web import TOO_LONG

from .conftest import BOOKING_URL
from .providers import TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER, TWILIO_WEBHOOK_URL
from .stand_in import Request

message_sids = itertools.count(1)


def sms(text: str, sender: str) -> Dict[str, str]:
    """The form Twilio posts for an incoming SMS."""
    sid = f"SM{next(message_sids):032x}"
    return {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": text,
        "FromCountry": "GB",
        "To": TWILIO_NUMBER,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": TWILIO_ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


def post(channels, form: Dict[str, str], signature: str = None) -> requests.Response:
    if signature is None:  # signed as Twilio signs: the URL it calls, then the sorted fields
        signature = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(TWILIO_WEBHOOK_URL, form)
    return requests.post(
        f"{channels.rasa_url}/webhooks/twilio/webhook", data=form, headers={"X-Twilio-Signature": signature}, timeout=60
    )


def text_in(channels, text: str, sender: str) -> List[Request]:
    """Send a signed SMS; the messages the connector sent back through the API."""
    api = channels.twilio
    api.clear()
    response = post(channels, sms(text, sender))
    assert response.status_code == 204, (response.status_code, response.text)
    refused = [(r.path, r.reply) for r in api.requests if r.reply[0] >= 300]
    assert not refused, f"the Messages API refused: {refused}"
    sent = api.calls("/Messages.json")
    assert all(r.params["To"] == sender and r.params["From"] == TWILIO_NUMBER for r in sent)
    return sent


def test_answer_and_its_choices_come_as_one_numbered_message(channels):
    sent = text_in(channels, "What is microneedling?", "+447700900101")
    bodies = [r.params["Body"] for r in sent]
    assert len(bodies) == 2, bodies  # the answer, then "Was this answer helpful?"
    assert "collagen induction therapy" in bodies[0]
    assert bodies[0].endswith(
        "Reply with a number:\n"
        "1. How does microneedling work?\n"
        "2. What are the benefits of microneedling?\n"
        "3. What happens during a session?"
    ), bodies[0]
    # The numbers go on from one message of the reply to the next: each means one thing.
    assert bodies[1] == "Was this answer helpful?\nReply with a number:\n4. 👍 Yes\n5. 👎 No", bodies[1]


def test_replying_with_a_number_asks_that_question(channels):
    visitor = "+447700900102"
    text_in(channels, "What is microneedling?", visitor)
    sent = text_in(channels, "2", visitor)
    assert "softening fine lines and wrinkles" in "\n".join(r.params["Body"] for r in sent)


def test_replying_with_the_number_of_a_verdict_gives_it(channels):
    visitor = "+447700900106"
    text_in(channels, "What is microneedling?", visitor)
    sent = text_in(channels, "5", visitor)
    assert "Sorry that wasn't the answer you needed" in "\n".join(r.params["Body"] for r in sent)


def test_a_number_answers_only_the_latest_offer(channels):
    visitor = "+447700900103"
    text_in(channels, "What is microneedling?", visitor)  # offers 3 choices
    text_in(channels, "Will my skin be red afterwards?", visitor)  # offers its own
    sent = text_in(channels, "1", visitor)
    body = "\n".join(r.params["Body"] for r in sent)
    # "1" of the latest offer ("How long until I see results?"), not of the first one.
    assert "begins to heal" in body, body


def test_two_questions_in_one_text_get_both_answers_in_order(channels):
    sent = text_in(channels, "does it hurt? and how far apart are the sessions", "+447700900105")
    body = "\n".join(r.params["Body"] for r in sent)
    assert "anaesthetic" in body and "few weeks apart" in body, body
    assert body.index("anaesthetic") < body.index("few weeks apart")


def test_booking_link_arrives_as_a_readable_address(channels):
    sent = text_in(channels, "I want to book a consultation", "+447700900104")
    body = "\n".join(r.params["Body"] for r in sent)
    assert f"book a consultation online: {BOOKING_URL}" in body
    assert "](" not in body
    assert "qualified professional" in body


def test_unsigned_or_forged_webhooks_are_refused_and_nothing_is_sent(channels):
    channels.twilio.clear()
    form = sms("What is microneedling?", "+447700900199")
    assert post(channels, form, signature="").status_code == 403
    forged = RequestValidator("not-the-auth-token").compute_signature(TWILIO_WEBHOOK_URL, form)
    assert post(channels, form, signature=forged).status_code == 403
    signed = RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(TWILIO_WEBHOOK_URL, form)
    assert post(channels, {**form, "Body": "Send me something else"}, signature=signed).status_code == 403
    assert channels.twilio.calls("/Messages.json") == []


def test_a_message_too_long_is_answered_unread(channels):
    # WhatsApp allows 4,096 characters; the web channels' limit applies here too.
    sent = text_in(channels, "is it safe " * 300, "+447700900107")
    assert [r.params["Body"] for r in sent] == [TOO_LONG.format(limit=MAX_MESSAGE_CHARS)]
    log = channels.rasa.process.log.read_text()
    assert "-character twilio message unread" in log
    assert "+447700900107" not in log  # the visitor's phone number
