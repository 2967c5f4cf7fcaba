"""GuideQuoteCheck on Rasa's own Message objects, with the real guide/sources.yml."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.guide_quote import GuideQuoteCheck

CHECK = GuideQuoteCheck()


def reading_after_check(text, intent="faq", pick="faq/what_is_microneedling", confidence=0.6):
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
            "response_selector": {"faq": {"response": {"intent_response_key": pick, "confidence": confidence}}},
        }
    )
    message = CHECK.process([message])[0]
    return message.get("intent")["name"], message.get("response_selector")["faq"]["response"]["intent_response_key"]


@pytest.mark.parametrize(
    "text, answer",
    [
        ('what does "controlled micro-injuries" mean on your page', "faq/how_it_works"),
        ("what do you mean by 'controlled micro-injuries'?", "faq/how_it_works"),
        ("what does “penetrate deeper into the skin” mean on the website", "faq/product_absorption"),
        ('"enhance the skin\'s natural repair process" — what does that mean', "faq/skin_health"),
        ("'enhance the skin's natural repair process' — what does that mean", "faq/skin_health"),
        ("what does ‘the body’s healing response’ mean", "faq/how_it_works"),
        ('what does "harsh chemical products" mean', "faq/exfoliation_and_harsh_products"),
        ('"assess your skin\'s needs" what does that mean', "faq/consult_first"),
        # first of all how the skin looks after, then what the pain is like
        ('what does "similar to a mild sunburn" mean, like how bad are we talking', "faq/redness_after"),
        ('what\'s a "topical anaesthetic"', "faq/does_it_hurt"),
    ],
)
@pytest.mark.parametrize("intent", ["faq", "out_of_scope", "nlu_fallback"])
def test_a_quote_from_the_guide_picks_the_answer_resting_on_it(text, answer, intent):
    assert reading_after_check(text, intent) == ("faq", answer)


def test_the_models_pick_stands_when_the_quote_is_among_its_sentences():
    text = 'what does "topical anesthetic" mean'
    assert reading_after_check(text, pick="faq/session_steps") == ("faq", "faq/session_steps")


@pytest.mark.parametrize(
    "text",
    [
        '"microneedling erases wrinkles" - true??',  # not the guide's words
        'what does the term "microneedling" mean',  # a single word names no passage
    ],
)
def test_a_quote_that_is_not_a_guide_passage_changes_nothing(text):
    assert reading_after_check(text) == ("faq", "faq/what_is_microneedling")


def test_other_intents_keep_their_reading():
    text = 'had it yesterday, what does "gentle skincare products" mean for me today'
    assert reading_after_check(text, intent="ask_aftercare_timing")[0] == "ask_aftercare_timing"
