"""components/short_replies.py: a whole message that is a short yes or no, and a stop said with annoyance."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.short_replies import ShortReplyClassifier, short_reply


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes!", "yep, it did", "yes that helped", "👍", "yes 👍 thanks", "that helped", "Very helpful.", "it did"],
)
def test_yes(text):
    assert short_reply(text) == "affirm"


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "Nope.",
        "not really",
        "no it didn't",
        "👎",
        "no, that's not what i asked",
        "it didn't help",
        "nah not at all",
    ],
)
def test_no(text):
    assert short_reply(text) == "deny"


@pytest.mark.parametrize(
    "text",
    [
        "are strong actives a no-no after microneedling",
        "swelling hasn't gone down",
        "no makeup after?",
        "yes but does it hurt?",
        "no thanks",
        "that helped, thanks for explaining the aftercare so clearly",
        "is it helpful for scars",
        "not sure",
        "",
    ],
)
def test_anything_else_is_left_to_the_classifiers(text):
    assert short_reply(text) is None


def _read(text, intent):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})
    ShortReplyClassifier().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize("text", ["ugh forget it", "this is useless, never mind", "omg whatever, cancel", "FFS stop"])
def test_a_request_to_stop_said_with_annoyance_is_frustration(text):
    assert _read(text, "stop") == "frustration"


@pytest.mark.parametrize(
    "text, intent", [("forget it", "stop"), ("never mind, thanks", "stop"), ("ugh, is it painful?", "faq")]
)
def test_a_plain_stop_and_any_other_reading_stand(text, intent):
    assert _read(text, intent) == intent
