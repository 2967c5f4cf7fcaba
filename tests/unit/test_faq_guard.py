"""FaqAnswerGuard on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.faq_guard import FaqAnswerGuard

GUARD = FaqAnswerGuard({**FaqAnswerGuard.get_default_config(), "answer_threshold": 0.4})


def parsed(intent, answer=None, answer_confidence=0.9, entities=()):
    data = {"text": "...", "intent": {"name": intent, "confidence": 0.95},
            "intent_ranking": [{"name": intent, "confidence": 0.95}], "entities": list(entities)}
    if answer:
        data["response_selector"] = {"faq": {"response": {"intent_response_key": f"faq/{answer}",
                                                          "confidence": answer_confidence}}}
    return Message(data=data)


def intent_after_guard(message):
    return GUARD.process([message])[0].get("intent")["name"]


def test_a_sure_answer_is_kept():
    assert intent_after_guard(parsed("faq", "does_it_hurt", 0.9)) == "faq"


@pytest.mark.parametrize("confidence", [0.39, 0.1])
def test_an_unsure_answer_becomes_the_clarification(confidence):
    message = GUARD.process([parsed("faq", "healing_and_results", confidence)])[0]
    assert message.get("intent")["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[0]["name"] == "nlu_fallback"
    assert message.get("intent_ranking")[1]["name"] == "faq"  # the original stays ranked


def test_an_aftercare_question_with_a_date_goes_to_the_aftercare_timing():
    date = {"entity": "treatment_time", "value": "on the 20th"}
    assert intent_after_guard(parsed("faq", "aftercare", 0.9, [date])) == "ask_aftercare_timing"
    # a date beside another answer is the date of something else ("a wedding on Saturday")
    assert intent_after_guard(parsed("faq", "redness_after", 0.9, [date])) == "faq"


def test_other_intents_are_left_alone():
    assert intent_after_guard(parsed("out_of_scope")) == "out_of_scope"
    assert intent_after_guard(parsed("greet", "does_it_hurt", 0.1)) == "greet"
