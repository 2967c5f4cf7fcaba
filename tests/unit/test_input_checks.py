"""The checks of what a visitor sends (connectors/checks.py), and the checks every
channel makes at the handler (connectors.web.guarded): what each accepts and refuses,
at its boundaries."""

import asyncio
import json

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from connectors.checks import (
    MAX_BODY_BYTES,
    MAX_MESSAGE_CHARS,
    MAX_METADATA_CHARS,
    MAX_METADATA_DEPTH,
    MAX_SENDER_CHARS,
    body_problem,
    has_surrogate,
    metadata_problem,
    sender_problem,
    socketio_message_problem,
    without_surrogates,
)
from connectors.web import TOO_LONG, guarded

SURROGATE = "\ud800"


def nested(levels):
    """An object nested `levels` deep: {"a": {"a": ... {}}}."""
    value = {}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


def body(**fields):
    return json.dumps(fields).encode()


# --- sender ids ---


@pytest.mark.parametrize(
    "sender",
    ["visitor-1", "a", "x" * MAX_SENDER_CHARS, "Zoë 🙂", " visitor ", "web:123"],
    ids=["plain", "one character", "at the maximum", "unicode", "spaces around", "with a colon"],
)
def test_sender_ids_that_can_key_a_conversation(sender):
    assert sender_problem(sender) is None


@pytest.mark.parametrize(
    "sender, problem",
    [
        (None, "'sender' is required"),
        (5, "'sender' must be a string, not a number"),
        (True, "'sender' must be a string, not a boolean"),
        (["v"], "'sender' must be a string, not an array"),
        ({}, "'sender' must be a string, not an object"),
        ("", "'sender' must not be empty"),
        ("  \t ", "'sender' must not be empty"),
        ("x" * (MAX_SENDER_CHARS + 1), f"at most {MAX_SENDER_CHARS} characters (got {MAX_SENDER_CHARS + 1})"),
        ("visitor\x00", "must not contain control characters"),
        ("visitor\n1", "must not contain control characters"),
        ("visitor\x7f", "must not contain control characters"),
        (f"visitor{SURROGATE}", "lone UTF-16 surrogates"),
    ],
    ids=[
        "missing",
        "number",
        "boolean",
        "array",
        "object",
        "empty",
        "whitespace",
        "over the maximum",
        "NUL",
        "line break",
        "DEL",
        "surrogate",
    ],
)
def test_sender_ids_refused(sender, problem):
    assert problem in sender_problem(sender)


# --- lone surrogates ---


def test_lone_surrogates_are_found_and_replaced():
    assert has_surrogate(f"hi{SURROGATE}") and has_surrogate("\udfff")
    assert not has_surrogate("hi 🙂 \ufffd")  # an emoji is one character in Python, not a pair
    assert without_surrogates(f"a{SURROGATE}b\udc00") == "a\ufffdb\ufffd"
    assert without_surrogates("hi 🙂") == "hi 🙂"


# --- metadata ---


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        {},
        {"language": "en"},
        nested(MAX_METADATA_DEPTH),
        {"k": "x" * (MAX_METADATA_CHARS - len('{"k": ""}'))},
    ],
    ids=["null", "empty", "object", "at the maximum depth", "at the maximum size"],
)
def test_metadata_rasa_can_keep(metadata):
    assert metadata_problem("metadata", metadata) is None


@pytest.mark.parametrize(
    "metadata, problem",
    [
        ([], "'metadata' must be an object, not an array"),
        ("en", "'metadata' must be an object, not a string"),
        (1.5, "'metadata' must be an object, not a number"),
        (nested(MAX_METADATA_DEPTH + 1), f"'metadata' is nested too deeply (at most {MAX_METADATA_DEPTH} levels)"),
        ({"a": [[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]}, "nested too deeply"),  # arrays count too
        (
            {"k": "x" * (MAX_METADATA_CHARS - len('{"k": ""}') + 1)},
            f"at most {MAX_METADATA_CHARS:,} characters as JSON",
        ),
    ],
    ids=["array", "string", "number", "one level too deep", "deep in arrays", "one character too large"],
)
def test_metadata_refused(metadata, problem):
    assert problem in metadata_problem("metadata", metadata)


def test_metadata_problems_name_the_key():
    assert metadata_problem("customData", []) == "'customData' must be an object, not an array"


# --- REST request bodies ---


@pytest.mark.parametrize(
    "data",
    [
        {"sender": "visitor-1", "message": "Hello"},
        {"sender": "visitor-1", "message": ""},
        {"sender": "visitor-1", "message": "  \x00\n"},
        {"sender": "visitor-1", "message": "Hello", "metadata": {"language": "en"}, "input_channel": "web"},
        {"sender": "visitor-1", "message": "Hello", "metadata": None, "input_channel": None},
        {"sender": "visitor-1", "message": "x" * (MAX_MESSAGE_CHARS + 1)},  # answered TOO_LONG by the handler
    ],
    ids=[
        "plain",
        "empty message",
        "whitespace and control characters",
        "metadata and channel",
        "nulls",
        "long message",
    ],
)
def test_request_bodies_accepted(data):
    assert body_problem(json.dumps(data).encode()) is None


def test_a_body_of_exactly_the_maximum_size_is_accepted():
    start = body(sender="visitor-1", message="")
    exact = start[:-2] + b"x" * (MAX_BODY_BYTES - len(start)) + start[-2:]
    assert len(exact) == MAX_BODY_BYTES and body_problem(exact) is None
    over = start[:-2] + b"x" * (MAX_BODY_BYTES - len(start) + 1) + start[-2:]
    assert body_problem(over) == (
        413,
        f"the request body is too large: {MAX_BODY_BYTES + 1:,} bytes (at most {MAX_BODY_BYTES:,})",
    )


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b"", "the body must be a JSON object like"),
        (b"  \n", "the body must be a JSON object like"),
        (b"[]", "not an array"),
        (b"null", "not null"),
        (b'"hi"', "not a string"),
        (b"{sender: 1}", "the body is not valid JSON in UTF-8"),
        (b'{"sender": "v", "message": "caf\xe9"}', "the body is not valid JSON in UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "the body's JSON is nested too deeply"),
        (body(message="Hello"), "'sender' is required"),
        (body(sender="", message="Hello"), "'sender' must not be empty"),
        (body(sender=7, message="Hello"), "'sender' must be a string, not a number"),
        (body(sender="telegram:42", message="Hello"), "'sender' must not start with 'telegram:'"),
        (body(sender="twilio:+447700900101", message="Hello"), "'sender' must not start with 'twilio:'"),
        (body(sender="web:" + "0" * 32, message="Hello"), "'sender' must not start with 'web:'"),
        (body(sender="visitor-1"), "'message' is required"),
        (body(sender="visitor-1", message=None), "'message' is required"),
        (body(sender="visitor-1", message=5), "'message' must be a string, not a number"),
        (body(sender="visitor-1", message={"text": "hi"}), "'message' must be a string, not an object"),
        (b'{"sender": "visitor-1", "message": "\\ud800"}', "it contains a lone UTF-16 surrogate"),
        (body(sender="visitor-1", message="Hello", metadata=[]), "'metadata' must be an object, not an array"),
        (body(sender="visitor-1", message="Hello", metadata=nested(MAX_METADATA_DEPTH + 1)), "nested too deeply"),
        (body(sender="visitor-1", message="Hello", input_channel=5), "'input_channel' must be a string, not a number"),
    ],
    ids=[
        "no body",
        "whitespace",
        "array",
        "null",
        "string",
        "not JSON",
        "not UTF-8",
        "nested past recursion",
        "no sender",
        "empty sender",
        "number sender",
        "telegram's space",
        "twilio's space",
        "web's space",
        "no message",
        "null message",
        "number message",
        "object message",
        "surrogate in message",
        "array metadata",
        "metadata too deep",
        "number input_channel",
    ],
)
def test_request_bodies_refused(raw, problem):
    status, error = body_problem(raw)
    assert status == 400 and problem in error


def test_a_sender_like_a_channel_name_without_its_colon_is_fine():
    assert body_problem(body(sender="telegram-fan", message="Hello")) is None


# --- chat widget (socket.io) messages ---


@pytest.mark.parametrize(
    "data",
    [
        {"message": "Hello"},
        {"message": ""},
        {},  # Rasa's handler reads no message as an empty one
        {"message": "Hello", "customData": {"language": "en"}},
        {"message": "Hello", "customData": '{"language": "en"}'},
        {"message": "Hello", "customData": None},
        {"message": "Hello", "session_id": "anything"},  # the server puts its own in
    ],
    ids=["plain", "empty", "no message", "metadata object", "metadata as JSON text", "null metadata", "session id"],
)
def test_widget_messages_accepted(data):
    assert socketio_message_problem(data, "customData") is None


@pytest.mark.parametrize(
    "data, problem",
    [
        ("Hello", "a message must be an object, not a string"),
        (None, "a message must be an object, not null"),
        (["Hello"], "a message must be an object, not an array"),
        ({"message": 5}, "'message' must be a string, not a number"),
        ({"message": None}, "'message' must be a string, not null"),
        ({"message": "Hello", "customData": "en"}, "'customData' is a string but not JSON"),
        ({"message": "Hello", "customData": "[]"}, "'customData' must be an object, not an array"),
        ({"message": "Hello", "customData": 5}, "'customData' must be an object, not a number"),
        ({"message": "Hello", "customData": "[" * 100_000}, "'customData' is nested too deeply"),
        ({"message": "Hello", "customData": json.dumps(nested(MAX_METADATA_DEPTH + 1))}, "nested too deeply"),
    ],
    ids=[
        "string",
        "null",
        "array",
        "number message",
        "null message",
        "text not JSON",
        "JSON array",
        "number metadata",
        "JSON text past recursion",
        "metadata too deep",
    ],
)
def test_widget_messages_refused(data, problem):
    assert problem in socketio_message_problem(data, "customData")


def test_widget_messages_are_checked_under_the_channels_metadata_key():
    assert socketio_message_problem({"message": "Hello", "metadata": []}, "customData") is None
    assert socketio_message_problem({"message": "Hello", "metadata": []}, "metadata") is not None


# --- at the handler, every channel (connectors.web.guarded) ---


def at_the_handler(sender, text):
    """What Rasa's handler receives, and what the visitor is sent, for one message."""
    handled, output = [], CollectingOutputChannel()

    async def rasa(message):
        handled.append(message.text)

    asyncio.run(guarded(rasa)(UserMessage(text, output, sender, input_channel="rest")))
    return handled, [message["text"] for message in output.messages]


def test_a_message_of_the_maximum_length_is_handled():
    assert at_the_handler("at-maximum", "x" * MAX_MESSAGE_CHARS) == (["x" * MAX_MESSAGE_CHARS], [])


def test_a_message_over_the_maximum_length_is_answered_unread():
    assert at_the_handler("over-maximum", "x" * (MAX_MESSAGE_CHARS + 1)) == (
        [],
        [TOO_LONG.format(limit=MAX_MESSAGE_CHARS)],
    )


def test_lone_surrogates_reach_rasa_as_replacement_characters():
    assert at_the_handler("surrogates", f"does it hurt{SURROGATE}?") == (["does it hurt\ufffd?"], [])


@pytest.mark.parametrize(
    "sender", [f"visitor{SURROGATE}", "", "x" * (MAX_SENDER_CHARS + 1)], ids=["surrogate", "empty", "too long"]
)
def test_a_message_whose_sender_id_cannot_be_stored_is_dropped(sender):
    assert at_the_handler(sender, "Hello") == ([], [])
