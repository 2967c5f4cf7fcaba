"""components/short_replies.py: a whole message that is a short yes or no, and a stop said with annoyance."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.short_replies import ShortReplyClassifier, courtesy, short_reply


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


def _read(text, intent, confidence=0.9):
    message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence}})
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


@pytest.mark.parametrize(
    "text, intent",
    [
        ("this is going round in circles", "out_of_scope"),
        ("are you even listening?? i asked something else", "nlu_fallback"),
    ],
)
def test_a_complaint_about_the_replies_read_unsurely_is_frustration(text, intent):
    assert _read(text, intent, 0.5) == "frustration"
    assert _read(text, "out_of_scope", 0.9) == "out_of_scope"  # a sure reading stands


@pytest.mark.parametrize(
    "text, intent",
    [
        # said of the treatment, not the replies
        ("my husband says putting stuff on after needling is pointless. who's right", "nlu_fallback"),
        ("is it the same thing as dermaplaning", "out_of_scope"),
    ],
)
def test_other_unsure_messages_keep_their_reading(text, intent):
    assert _read(text, intent, 0.5) == intent


@pytest.mark.parametrize("text", ["huh", "Huh??", "umm", "hmm...", "erm", "eh?", "hmmm ummm"])
@pytest.mark.parametrize("intent", ["greet", "faq", "nlu_fallback"])
def test_a_bare_sound_of_doubt_is_not_understood(text, intent):
    # however the classifiers read it ("huh" lands near "hi"), it says the visitor is lost
    assert _read(text, intent) == "nlu_fallback"


@pytest.mark.parametrize("text", ["hmm does it hurt?", "huh, so how many sessions", "umbrella", "hey", "hi"])
def test_a_sound_of_doubt_with_words_keeps_its_reading(text):
    assert _read(text, "faq") == "faq"


@pytest.mark.parametrize(
    "text, courtesy",
    [
        ("kia ora!", "greet"),
        ("Howzit", "greet"),
        ("shwmae 👋", "greet"),
        ("assalamu alaikum", "greet"),
        ("As-salamu alaykum 🙏", "greet"),
        ("sat sri akal", "greet"),
        ("asante sana", "thank"),
        ("Diolch yn fawr!", "thank"),
        ("terima kasih 🙏", "thank"),
        ("dankjewel", "thank"),
        ("ta-ra", "goodbye"),
        ("hasta luego!!", "goodbye"),
        ("ka kite", "goodbye"),
    ],
)
@pytest.mark.parametrize("intent", ["out_of_scope", "nlu_fallback", "faq"])
def test_a_greeting_thanks_or_goodbye_in_another_language_or_dialect_is_understood(text, courtesy, intent):
    assert _read(text, intent, 0.5) == courtesy


@pytest.mark.parametrize(
    "text, intent",
    [
        ("hola, how much is it?", "out_of_scope"),
        ("merci, but does it hurt?", "faq"),
        ("kia ora, can i book", "book_consultation"),
    ],
)
def test_a_courtesy_beside_a_question_keeps_the_questions_reading(text, intent):
    assert _read(text, intent) == intent


@pytest.mark.parametrize("text", ["Tara", "ta", "sound"])
def test_a_name_or_a_word_of_other_uses_is_no_thanks_or_goodbye(text):
    # the callback form asks for a name, and a thanks or goodbye would not fill it
    assert courtesy(text) is None
