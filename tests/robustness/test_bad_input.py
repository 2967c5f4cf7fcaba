"""Bad input over REST (and the chat widget's socket.io): every request gets a reply or a
clear 4xx, never a 500, nothing alarming in the Rasa server's log, and the server keeps
answering.

Runs against credentials.yml as shipped, so it needs its REST channel to be
connectors.web.RestInput (test_credentials_name_the_checking_channels says so first).
"""

import asyncio
import json
import socket

import pytest
import requests
import socketio
import websockets
import yaml

from connectors.checks import MAX_BODY_BYTES, MAX_MESSAGE_CHARS, MAX_METADATA_CHARS
from connectors.spaces import WEB_SESSION_ID
from connectors.web import TOO_LONG, UNREADABLE, chat_origins
from tests.harness.conversations import Widget, replies_with_text, texts
from tests.harness.project import PROJECT

# Plain text the assistant must answer (status 200, at least one message with text).
ANSWERED = {
    "empty": "",
    "whitespace": "   \n\t  ",
    "control-characters": "\x00\x01\x07\x1b[31m what is microneedling?\x7f\x9b",
    "only-control-characters": "\x00\x01\x02\x03\x1f",
    "emoji": "😀🙏✨💉 does it hurt? 👩🏽‍⚕️🇬🇧",
    "right-to-left": "ما هو الوخز بالإبر الدقيقة؟ ‏האם זה כואב?‎ \u202eevil\u202c",
    "html": '<img src=x onerror="alert(1)"><b>does it hurt?</b>',
    "script": "<script>alert(document.cookie)</script>",
    "sql": "'; DROP TABLE events; --",
    "template": "{{7*7}} ${jndi:ldap://127.0.0.1/x} %s%n",
    "zero-width-and-combining": "w\u200bh\u200ca\u200dt i\u0301\u0302\u0303s m\ufeffi\u0336crone\u0337edling",
    "nul-in-middle": "what\x00is microneedling",
    "at-the-limit": ("what is microneedling and does it hurt " * 60)[:MAX_MESSAGE_CHARS],
}
# Well-formed extras Rasa keeps with the message.
WITH_METADATA = {"metadata": {"page": "/aftercare", "nested": {"a": [1, {"b": None}]}}, "input_channel": "website"}

# Too long to read: answered with TOO_LONG at once, without NLU (which would hold the
# event loop for seconds and take gigabytes for 10,000 one-token characters).
TOO_LONG_MESSAGES = {
    "10000-chars": ("what is microneedling and does it hurt " * 300)[:10_000],
    "10000-emoji": "😀" * 10_000,
    "just-over-the-limit": "a" * (MAX_MESSAGE_CHARS + 1),
}


def post(servers, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{servers.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=60
    )


def as_json(payload) -> bytes:
    return json.dumps(payload).encode()  # ASCII: lone surrogates are sent as \\udXXX escapes


def nested(levels: int) -> dict:
    value: dict = {"x": 1}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


# (id, body, content type, status, words the error must contain)
REFUSED = [
    ("no-body", b"", "application/json", 400, "JSON object"),
    ("invalid-json", b'{"sender": "a", "message": ', "application/json", 400, "not valid JSON"),
    ("form-encoded", b"sender=a&message=hi", "application/x-www-form-urlencoded", 400, "not valid JSON"),
    ("invalid-utf8", b'{"sender": "a", "message": "caf\xc3\x28 \xff\xfe"}', "application/json", 400, "UTF-8"),
    ("json-array", b'[{"sender": "a", "message": "hi"}]', "application/json", 400, "JSON object"),
    ("json-null", b"null", "application/json", 400, "JSON object"),
    ("json-string", b'"hi"', "application/json", 400, "JSON object"),
    ("json-number", b"42", "application/json", 400, "JSON object"),
    ("missing-sender", as_json({"message": "hi"}), "application/json", 400, "'sender' is required"),
    ("null-sender", as_json({"sender": None, "message": "hi"}), "application/json", 400, "'sender' is required"),
    ("empty-sender", as_json({"sender": "  ", "message": "hi"}), "application/json", 400, "'sender'"),
    ("number-sender", as_json({"sender": 42, "message": "hi"}), "application/json", 400, "'sender' must be a string"),
    ("object-sender", as_json({"sender": {"id": 1}, "message": "hi"}), "application/json", 400, "'sender'"),
    ("long-sender", as_json({"sender": "s" * 256, "message": "hi"}), "application/json", 400, "255"),
    ("nul-sender", as_json({"sender": "a\x00b", "message": "hi"}), "application/json", 400, "control"),
    # A lone surrogate in the sender id stopped Rasa 3.6.21 (sys.exit in SQLTrackerStore).
    ("surrogate-sender", as_json({"sender": "a\ud800", "message": "hi"}), "application/json", 400, "surrogate"),
    ("missing-message", as_json({"sender": "a"}), "application/json", 400, "'message' is required"),
    ("null-message", as_json({"sender": "a", "message": None}), "application/json", 400, "'message' is required"),
    ("number-message", as_json({"sender": "a", "message": 123}), "application/json", 400, "'message' must be a string"),
    ("bool-message", as_json({"sender": "a", "message": True}), "application/json", 400, "'message' must be a string"),
    ("list-message", as_json({"sender": "a", "message": ["hi"]}), "application/json", 400, "'message'"),
    ("object-message", as_json({"sender": "a", "message": {"text": "hi"}}), "application/json", 400, "'message'"),
    ("surrogate-message", as_json({"sender": "a", "message": "hi \udc00 there"}), "application/json", 400, "surrogate"),
    (
        "string-metadata",
        as_json({"sender": "a", "message": "hi", "metadata": "x"}),
        "application/json",
        400,
        "'metadata'",
    ),
    (
        "list-metadata",
        as_json({"sender": "a", "message": "hi", "metadata": [1]}),
        "application/json",
        400,
        "'metadata'",
    ),
    (
        "number-input-channel",
        as_json({"sender": "a", "message": "hi", "input_channel": 5}),
        "application/json",
        400,
        "'input_channel'",
    ),
    ("nested-100000-deep", b"[" * 100_000 + b"]" * 100_000, "application/json", 400, "nested too deeply"),
    (
        "metadata-500-deep",
        as_json({"sender": "a", "message": "hi", "metadata": nested(500)}),
        "application/json",
        400,
        "'metadata' is nested too deeply",
    ),
    ("1MB-body", as_json({"sender": "a", "message": "x" * (1024 * 1024)}), "application/json", 413, "too large"),
    (
        "metadata-too-large",
        as_json({"sender": "a", "message": "hi", "metadata": {"note": "x" * MAX_METADATA_CHARS}}),
        "application/json",
        400,
        "'metadata' is too large",
    ),
]


def assert_still_answering(servers, sender):
    """A real question still gets its real answer (and the log is written up to here)."""
    assert "collagen" in texts(servers.send(f"{sender}-after", "What is microneedling?")).lower()


def test_credentials_name_the_checking_channels():
    """Rasa's own `rest` and `socketio` channels fail on the inputs below (500s,
    tracebacks, and a lone surrogate in the sender id stops the server). Both profiles
    (make run, make run-cluster) read credentials.yml."""
    channels = yaml.safe_load((PROJECT / "credentials.yml").read_text())
    assert "connectors.web.RestInput" in channels, "credentials.yml: use connectors.web.RestInput for REST"
    assert "connectors.web.SocketIOInput" in channels, "credentials.yml: use connectors.web.SocketIOInput"
    assert not {"rest", "socketio"} & set(channels), "credentials.yml"


@pytest.mark.parametrize("message", ANSWERED.values(), ids=ANSWERED.keys())
def test_odd_text_is_answered(robust, sender, message):
    watch = robust.watch()
    response = post(robust, as_json({"sender": sender, "message": message}))
    assert response.status_code == 200, response.text
    reply = response.json()
    assert replies_with_text(reply), reply
    assert "<script>" not in response.text and "<img" not in response.text
    assert [user for user, _ in robust.stored_turns(sender)] == [message.strip()]
    assert_still_answering(robust, sender)
    assert watch.problems() == []


# Rasa reads a message starting with "/" as an intent name. Rasa alone sends nothing
# for the first three (utter_faq fails with a KeyError when no answer was chosen; the
# restart and back commands have no response of their own).
TYPED_COMMANDS = {
    "/faq": "didn't understand",
    "/restart": "start again",
    "/back": "go back a step",
    # Read as text by the NLU: "not covered", "did you mean...?" or (the "no" read as
    # frustration) an apology with topics, whichever the model finds: each offers topics.
    "/no_such_intent": ("Did you mean", "doesn't cover", "topics it covers"),
    '/greet{"unknown_entity": "x"}': "Hi!",
    "/faq/aftercare": "aftercare",  # the answer, or a button offering it (which one depends on the model)
}


@pytest.mark.parametrize("message, answer", TYPED_COMMANDS.items(), ids=TYPED_COMMANDS.keys())
def test_typed_command_is_answered(robust, sender, message, answer):
    watch = robust.watch()
    response = post(robust, as_json({"sender": sender, "message": message}))
    assert response.status_code == 200, response.text
    reply = response.json()
    buttons = [button["title"] for message in reply for button in message.get("buttons", [])]
    shown = " ".join([texts(reply), *buttons])
    assert any(words in shown for words in ((answer,) if isinstance(answer, str) else answer)), reply
    assert_still_answering(robust, sender)
    assert watch.problems() == []


@pytest.mark.parametrize("message", TOO_LONG_MESSAGES.values(), ids=TOO_LONG_MESSAGES.keys())
def test_too_long_text_is_answered_unread(robust, sender, message):
    watch = robust.watch()
    response = post(robust, as_json({"sender": sender, "message": message}))
    assert response.status_code == 200, response.text
    assert texts(response.json()) == TOO_LONG.format(limit=MAX_MESSAGE_CHARS)
    assert response.elapsed.total_seconds() < 5  # not read: NLU took 40 s for 10,000 emoji
    assert robust.stored_turns(sender) == []
    assert_still_answering(robust, sender)
    assert watch.problems() == []


@pytest.mark.parametrize("body,content_type,status,words", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_unusable_request_gets_a_clear_4xx(robust, sender, body, content_type, status, words):
    watch = robust.watch()
    response = post(robust, body, content_type)
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()
    assert error["status"] == status
    assert words in error["error"], error
    assert_still_answering(robust, sender)
    assert watch.problems() == []


def test_refused_messages_leave_no_conversation(robust, sender):
    for message in (123, None, "hi \ud800"):
        assert post(robust, as_json({"sender": sender, "message": message})).status_code == 400
    assert post(robust, as_json({"sender": sender, "message": "x" * 2_000_000})).status_code == 413
    assert robust.stored_turns(sender) == []


def test_a_body_over_the_limit_is_refused_before_it_is_read(robust):
    """Sanic read up to 100 MB into memory before connectors/web.py could look at it."""
    with socket.create_connection(("127.0.0.1", robust.rasa.port), timeout=10) as connection:
        connection.sendall(
            b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: 50000000\r\n\r\n" + b"[" * 1024
        )
        answer = connection.recv(65536)  # without the limit: no answer until 50 MB have come
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"too large" in answer


def test_body_limit_leaves_room_for_a_long_escaped_message(robust, sender):
    # requests escapes every non-ASCII character (12 bytes for an emoji): still a reply.
    body = as_json({"sender": sender, "message": "😀" * 10_000})
    assert len(body) <= MAX_BODY_BYTES
    assert post(robust, body).status_code == 200


def test_streaming_replies_check_the_body_too(robust, sender):
    url = f"{robust.rasa_url}/webhooks/rest/webhook?stream=true"
    refused = requests.post(url, json={"sender": sender, "message": 5}, timeout=60)
    assert refused.status_code == 400, refused.text
    answered = requests.post(url, json={"sender": sender, "message": "What is microneedling?"}, timeout=60)
    assert answered.status_code == 200
    assert "collagen" in answered.text.lower()


def test_server_still_up_after_everything(robust, sender):
    assert requests.get(f"{robust.rasa_url}/", timeout=5).ok
    assert requests.get(f"{robust.rasa_url}/webhooks/rest/", timeout=5).json() == {"status": "ok"}
    assert_still_answering(robust, sender)


def test_widget_on_a_page_of_another_site_is_refused(robust):
    """Rasa's socket.io server took any page origin: any site could run the assistant."""
    watch = robust.watch()
    with pytest.raises(socketio.exceptions.ConnectionError):
        Widget(robust.rasa_url, origin="https://copycat.example")
    assert "from the page origin 'https://copycat.example'" in watch.new()
    assert watch.problems() == []


def test_widget_websocket_from_a_page_of_another_site_is_refused(robust):
    """The widget upgrades to a WebSocket after polling; a page can also open one directly."""

    async def connect(origin):
        url = f"ws://127.0.0.1:{robust.rasa.port}/socket.io/?EIO=4&transport=websocket"
        async with websockets.connect(url, origin=origin, open_timeout=10) as connection:
            return await asyncio.wait_for(connection.recv(), 10)

    with pytest.raises(websockets.exceptions.InvalidStatusCode) as refused:
        asyncio.run(connect("https://copycat.example"))
    assert refused.value.status_code == 403
    assert asyncio.run(connect(chat_origins()[0])).startswith("0{")  # engine.io's open packet


@pytest.mark.parametrize("origin", chat_origins())
def test_widget_on_the_clinic_page_is_answered(robust, sender, origin):
    widget = Widget(robust.rasa_url, origin=origin)
    try:
        widget.say(sender, "what is microneedling?")
        assert "collagen" in widget.answers.get(timeout=60)["text"]
    finally:
        widget.close()


def one_message(url: str, session_id, message: str) -> tuple:
    """A widget that asks for `session_id`, sends one message and leaves at the first
    reply: (the widget, that reply's text)."""
    widget = Widget(url)
    try:
        widget.say(session_id, message)
        return widget, widget.answers.get(timeout=60)["text"]
    finally:
        widget.close()


def test_widget_session_id_that_cannot_be_stored_gets_a_new_session(robust, sender):
    """A lone surrogate in the socket.io session id stopped Rasa 3.6.21, like the REST sender."""
    watch = robust.watch()
    widget, reply = one_message(robust.rasa_url, "a\ud800b", "what is microneedling?")
    assert "collagen" in reply
    assert WEB_SESSION_ID.fullmatch(widget.session_id)
    assert robust.saved_user_texts(f"web:{widget.session_id}", 1) == ["what is microneedling?"]
    assert requests.get(f"{robust.rasa_url}/", timeout=5).ok
    assert_still_answering(robust, sender)
    assert watch.problems() == []


@pytest.mark.parametrize("requested", ["+447700900101", "visitor-1", "web:" + "a" * 32, "A" * 32])
def test_widget_naming_a_session_the_server_did_not_make_gets_a_new_one(robust, requested):
    """A widget could ask for any conversation (an SMS visitor's phone number, a REST sender)."""
    widget, _ = one_message(robust.rasa_url, requested, "does it hurt?")
    assert WEB_SESSION_ID.fullmatch(widget.session_id) and widget.session_id != requested
    assert robust.stored_events(requested) == []
    assert robust.saved_user_texts(f"web:{widget.session_id}", 1) == ["does it hurt?"]


def test_widget_session_made_by_the_server_continues_after_a_reconnect(robust):
    first, _ = one_message(robust.rasa_url, None, "what is microneedling?")
    again, _ = one_message(robust.rasa_url, first.session_id, "does it hurt?")
    assert again.session_id == first.session_id
    assert robust.saved_user_texts(f"web:{first.session_id}", 2) == ["what is microneedling?", "does it hurt?"]


def test_widget_message_naming_another_session_is_kept_in_its_own(robust):
    """Each message names its session id; Rasa filed it there, whichever socket sent it."""
    owner, other = Widget(robust.rasa_url), Widget(robust.rasa_url)
    try:
        owner.say(None, "what is microneedling?")
        owner.replies()
        other.say(None, "hello")
        other.replies()
        other.client.emit(
            "user_uttered", {"session_id": owner.session_id, "message": "does it hurt?", "customData": {}}
        )
        assert other.replies()
        assert owner.answers.empty()
    finally:
        owner.close()
        other.close()
    assert robust.saved_user_texts(f"web:{other.session_id}", 2) == ["hello", "does it hurt?"]
    assert robust.saved_user_texts(f"web:{owner.session_id}", 1) == ["what is microneedling?"]


@pytest.mark.parametrize(
    "message,answer",
    [
        ("😀" * 3_000, TOO_LONG.format(limit=MAX_MESSAGE_CHARS)),
        ("what is microneedling \udc00 exactly?", "collagen"),
    ],
    ids=["too-long", "surrogate"],
)
def test_widget_odd_text_is_answered(robust, sender, message, answer):
    watch = robust.watch()
    widget = Widget(robust.rasa_url)
    try:
        widget.say(sender, message)
        assert answer in widget.answers.get(timeout=60)["text"]
    finally:
        widget.close()
    assert_still_answering(robust, sender)
    assert watch.problems() == []


# Widget messages Rasa's socket.io handler raised on (a traceback, no reply).
UNREADABLE_WIDGET_MESSAGES = {
    "string": ("hello",),
    "array": (["hello"],),
    "no-data": (),
    "null-message": ({"message": None, "customData": {}},),
    "number-message": ({"message": 42, "customData": {}},),
    "object-message": ({"message": {"text": "hi"}, "customData": {}},),
    "customData-not-json": ({"message": "hi", "customData": "{not json"},),
    "customData-array": ({"message": "hi", "customData": [1, 2]},),
    "customData-json-too-deep": ({"message": "hi", "customData": "[" * 100_000},),
    "customData-too-large": ({"message": "hi", "customData": {"note": "x" * MAX_METADATA_CHARS}},),
}


@pytest.mark.parametrize("data", UNREADABLE_WIDGET_MESSAGES.values(), ids=UNREADABLE_WIDGET_MESSAGES.keys())
def test_widget_message_that_cannot_be_read_gets_a_polite_reply(robust, sender, data):
    watch = robust.watch()
    widget = Widget(robust.rasa_url)
    try:
        # With a session id where the data is an object, so only the checked field is wrong.
        data = tuple({"session_id": sender, **item} if isinstance(item, dict) else item for item in data)
        widget.send(sender, *data)
        assert widget.answers.get(timeout=30)["text"] == UNREADABLE
        widget.say(sender, "What is microneedling?")  # the same socket goes on
        assert "collagen" in widget.answers.get(timeout=60)["text"].lower()
    finally:
        widget.close()
    assert watch.problems() == []


def test_metadata_and_input_channel_are_kept(robust, sender):
    watch = robust.watch()
    response = post(robust, as_json({"sender": sender, "message": "What is microneedling?", **WITH_METADATA}))
    assert response.status_code == 200 and "collagen" in texts(response.json()).lower()
    assert post(robust, as_json({"sender": sender, "message": "hi", "metadata": nested(20)})).status_code == 200
    assert watch.problems() == []
