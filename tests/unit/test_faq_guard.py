"""FaqAnswerGuard on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.faq_guard import FaqAnswerGuard
from components.intents import NEAREST_EXAMPLES

GUARD = FaqAnswerGuard({**FaqAnswerGuard.get_default_config(), "answer_threshold": 0.4})


def parsed(intent, answer=None, answer_confidence=0.9, entities=(), text="..."):
    data = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.95},
        "intent_ranking": [{"name": intent, "confidence": 0.95}],
        "entities": list(entities),
    }
    if answer:
        data["response_selector"] = {
            "faq": {"response": {"intent_response_key": f"faq/{answer}", "confidence": answer_confidence}}
        }
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


@pytest.mark.parametrize(
    "text",
    ["10 days since my session, anything still off limits?", "two weeks since my treatment, still need spf?"],
)
def test_a_dated_question_picked_as_a_lasting_symptom_but_naming_none_goes_to_the_aftercare_timing(text):
    # "still" drew the pick; with no symptom named, the day's aftercare is what is asked.
    date = {"entity": "treatment_time", "value": "10 days"}
    assert intent_after_guard(parsed("faq", "lasting_symptoms", 0.9, [date], text)) == "ask_aftercare_timing"
    unsure = with_nearest_examples(
        parsed("nlu_fallback", "lasting_symptoms", 0.92, [date], text), faq__lasting_symptoms=0.8, out_of_scope=0.6
    )
    assert intent_after_guard(unsure) == "ask_aftercare_timing"


@pytest.mark.parametrize(
    "text", ["persistent erythema 10 days post treatment, expected?", "a week on and I still look like a tomato"]
)
def test_a_dated_lasting_symptom_in_clinical_or_everyday_words_keeps_its_answer(text):
    date = {"entity": "treatment_time", "value": "10 days"}
    message = GUARD.process([parsed("faq", "lasting_symptoms", 0.9, [date], text)])[0]
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/lasting_symptoms"


def test_other_intents_are_left_alone():
    assert intent_after_guard(parsed("out_of_scope")) == "out_of_scope"
    assert intent_after_guard(parsed("greet", "does_it_hurt", 0.1)) == "greet"


def unsure(ranking, entities=()):
    data = {
        "text": "...",
        "intent": {"name": "nlu_fallback", "confidence": 0.5},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.5},
            *({"name": name, "confidence": 0.3} for name in ranking),
        ],
        "entities": list(entities),
    }
    return Message(data=data)


def test_an_unsure_message_with_a_date_and_aftercare_likely_gets_the_aftercare_timing():
    date = {"entity": "treatment_time", "value": "friday"}
    assert intent_after_guard(unsure(["faq", "ask_aftercare_timing"], [date])) == "ask_aftercare_timing"
    assert intent_after_guard(unsure(["inform_treatment_date", "faq"], [date])) == "ask_aftercare_timing"


def test_an_unsure_message_stays_unsure_without_a_date_or_without_aftercare_near_the_top():
    date = {"entity": "treatment_time", "value": "friday"}
    assert intent_after_guard(unsure(["faq", "ask_aftercare_timing"])) == "nlu_fallback"
    assert intent_after_guard(unsure(["faq", "out_of_scope", "ask_aftercare_timing"], [date])) == "nlu_fallback"


def test_an_unsure_answer_with_a_date_and_aftercare_likely_gets_the_aftercare_timing():
    date = {"entity": "treatment_time", "value": "friday"}
    message = parsed("faq", "session_steps", 0.2, [date])
    message.set(
        "intent_ranking", [{"name": "faq", "confidence": 0.6}, {"name": "ask_aftercare_timing", "confidence": 0.3}]
    )
    assert intent_after_guard(message) == "ask_aftercare_timing"


@pytest.mark.parametrize("intent", ["faq", "nlu_fallback", "ask_aftercare_timing", "inform_treatment_date"])
@pytest.mark.parametrize(
    "text", ["swelling hasn't gone down after 4 days", "my skin hasn't calmed down after a week what do i do"]
)
def test_a_lasting_symptom_is_answered_as_such_even_with_a_date(intent, text):
    # The worry first, never the day's aftercare alone.
    date = {"entity": "treatment_time", "value": "4 days"}
    message = GUARD.process([parsed(intent, "lasting_symptoms", 0.9, [date], text)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/lasting_symptoms"


@pytest.mark.parametrize("answer", ["lasting_symptoms", "redness_after"])
@pytest.mark.parametrize(
    "text",
    [
        "treated on Tuesday, now it's Sunday and my cheeks look irritated, is that how it should be?",
        "had it 9 days ago and still pink, should i worry",
        "<p>Had microneedling on Tuesday, face very red and hot. Is this normal?</p>",
        "had my session tuesday and my chin has broken out, is that expected",
        "since tuesday's treatment i've got breakouts on my forehead, normal?",
        "treated tuesday and now there are dark patches on my cheeks, should i worry",
        "had my session tuesday, now a break-out on my chin, is that normal",
        "treated tuesday and there are darker patches now, normal?",
    ],
)
def test_a_symptom_on_a_given_day_asked_about_gets_the_lasting_symptoms_answer_from_an_unsure_pick(answer, text):
    # The day's aftercare would answer the date and leave the worry unanswered.
    date = {"entity": "treatment_time", "value": "on Tuesday"}
    message = GUARD.process([parsed("ask_aftercare_timing", answer, 0.6, [date], text)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/lasting_symptoms"
    # utter_faq sends the ResponseSelector's pick
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/lasting_symptoms"


@pytest.mark.parametrize("answer", ["lasting_symptoms", "redness_after"])
def test_a_symptom_asked_about_before_the_treatment_is_not_a_lasting_one(answer):
    date = {"entity": "treatment_time", "value": "friday"}
    text = "booked in for friday, will i still be red on monday? is that normal?"
    message = GUARD.process([parsed("faq", answer, 0.6, [date], text)])[0]
    assert message.get("intent").get("full_retrieval_intent_name") != "faq/lasting_symptoms"


def test_an_unsure_pick_of_lasting_symptoms_or_one_without_a_symptom_is_not_forced():
    date = {"entity": "treatment_time", "value": "4 days"}
    not_asked_about = "4 days on and a bit dry, what can I put on it"
    assert (
        intent_after_guard(parsed("ask_aftercare_timing", "lasting_symptoms", 0.5, [date], not_asked_about))
        == "ask_aftercare_timing"
    )
    another_answer = "still red 4 days on, can I exfoliate yet?"
    assert (
        intent_after_guard(
            parsed("ask_aftercare_timing", "exfoliation_and_harsh_products", 0.6, [date], another_answer)
        )
        == "ask_aftercare_timing"
    )
    still = "3 weeks since my treatment, anything I should still avoid?"
    assert (
        intent_after_guard(parsed("ask_aftercare_timing", "lasting_symptoms", 0.95, [date], still))
        == "ask_aftercare_timing"
    )


def test_something_else_not_settled_is_no_lasting_symptom():
    # a date not yet settled on, beside a question on the usual redness
    message = GUARD.process(
        [parsed("faq", "redness_after", 0.9, text="still not settled on a date, how long does the redness last?")]
    )[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/redness_after"


def taken_for_stop(text, answer_confidence=0.96):
    data = {
        "text": text,
        "intent": {"name": "stop", "confidence": 0.45},
        "intent_ranking": [
            {"name": "stop", "confidence": 0.45},
            {"name": "out_of_scope", "confidence": 0.23},
            {"name": "faq", "confidence": 0.15},
        ],
        "response_selector": {
            "faq": {
                "response": {"intent_response_key": "faq/texture_scars_stretch_marks", "confidence": answer_confidence}
            }
        },
    }
    return Message(data=data)


@pytest.mark.parametrize("text", ["can microneedling leave scars", "leave scars on my face?", "What, leave it?"])
def test_a_question_taken_for_stop_gets_the_next_intent(text):
    assert intent_after_guard(taken_for_stop(text)) == "out_of_scope"


@pytest.mark.parametrize("text", ["leave it", "never mind", "cancel that please", "I'd rather not say"])
def test_a_request_to_stop_stays_one(text):
    assert intent_after_guard(taken_for_stop(text)) == "stop"


def unsure_between_stop_and(text, next_intent, next_confidence):
    """What FallbackClassifier leaves when `stop` and the next intent are too close to call:
    nlu_fallback first, with the threshold as its confidence."""
    data = {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.4},
            {"name": "stop", "confidence": 0.45},
            {"name": next_intent, "confidence": next_confidence},
            {"name": "book_consultation", "confidence": 0.07},
        ],
        "response_selector": {"faq": {"response": {"intent_response_key": "faq/consult_first", "confidence": 0.98}}},
    }
    return Message(data=data)


@pytest.mark.parametrize("next_confidence", [0.41, 0.4])
def test_a_question_unsure_between_stop_and_a_sure_enough_intent_gets_that_intent(next_confidence):
    message = GUARD.process(
        [unsure_between_stop_and("can i skip the consultation, i know what i want", "faq", next_confidence)]
    )[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent_ranking")[0]["name"] == "faq"


def test_an_unsure_question_stays_unsure_below_the_threshold_and_a_statement_stays_unsure():
    # the next intent is below the fallback threshold: still "did you mean...?"
    assert intent_after_guard(unsure_between_stop_and("can i skip the consultation?", "faq", 0.3)) == "nlu_fallback"
    # not a question: a request to stop, however unsure, is not read as something else
    assert intent_after_guard(unsure_between_stop_and("skip it, i know what i want", "faq", 0.41)) == "nlu_fallback"


def piece_of_a_message(intent, answer, split_answer, entities=()):
    message = parsed(intent, answer, 0.99, entities)
    message.set(
        "metadata",
        {"split_from": "can i exfoliate, and what aftercare is there", "split_part": 1, "split_answer": split_answer},
    )
    return message


@pytest.mark.parametrize("intent", ["ask_aftercare_timing", "ask_suitability", "nlu_fallback"])
def test_a_question_cut_from_a_message_gets_the_answer_it_was_cut_for(intent):
    message = GUARD.process([piece_of_a_message(intent, "aftercare", "faq/aftercare")])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/aftercare"


def test_the_cut_question_keeps_its_own_reading_when_it_differs_or_has_a_date():
    assert (
        intent_after_guard(piece_of_a_message("ask_suitability", "aftercare", "faq/does_it_hurt")) == "ask_suitability"
    )
    assert intent_after_guard(piece_of_a_message("ask_suitability", "aftercare", "out_of_scope")) == "ask_suitability"
    date = {"entity": "treatment_time", "value": "friday"}
    assert intent_after_guard(piece_of_a_message("ask_aftercare_timing", "aftercare", "faq/aftercare", [date])) == (
        "ask_aftercare_timing"
    )
    assert intent_after_guard(parsed("ask_aftercare_timing", "aftercare", 0.99)) == "ask_aftercare_timing"


def with_nearest_examples(message, **similarities):
    message.set(NEAREST_EXAMPLES, {label.replace("__", "/"): value for label, value in similarities.items()})
    return message


def test_an_answer_whose_nearest_example_is_out_of_scope_by_a_margin_is_declined():
    # "what's the name of the numbing cream": nearer to a question the guide does not answer
    message = with_nearest_examples(
        parsed("faq", "does_it_hurt", 0.9), out_of_scope=0.94, faq__does_it_hurt=0.84, faq__session_steps=0.86
    )
    assert intent_after_guard(message) == "out_of_scope"


def test_an_answer_as_near_to_its_own_examples_is_kept():
    message = with_nearest_examples(parsed("faq", "does_it_hurt", 0.9), out_of_scope=0.88, faq__does_it_hurt=0.86)
    assert intent_after_guard(message) == "faq"


@pytest.mark.parametrize("out_of_scope, kept", [(0.89, True), (0.91, False)])
def test_an_answer_is_kept_until_an_out_of_scope_example_is_nearer_by_the_margin(out_of_scope, kept):
    # the margin, 0.06, is set for the encoder's joined layers and its vote (round 18)
    message = with_nearest_examples(
        parsed("faq", "does_it_hurt", 0.9), out_of_scope=out_of_scope, faq__does_it_hurt=0.84
    )
    assert intent_after_guard(message) == ("faq" if kept else "out_of_scope")


def test_an_unsure_message_nearest_to_an_out_of_scope_example_is_declined_not_clarified():
    message = with_nearest_examples(parsed("nlu_fallback"), out_of_scope=0.8, faq__aftercare=0.7, greet=0.3)
    assert intent_after_guard(message) == "out_of_scope"


def test_an_unsure_message_nearest_to_another_intent_by_a_margin_gets_it():
    # "can i make an appointment for next week": unsure between booking and out of scope
    message = with_nearest_examples(parsed("nlu_fallback"), book_consultation=0.86, out_of_scope=0.78)
    assert intent_after_guard(message) == "book_consultation"


def test_an_unsure_message_nearest_to_the_picked_answer_gets_that_answer():
    message = with_nearest_examples(
        parsed("nlu_fallback", "redness_after", 0.35), faq__redness_after=0.8, out_of_scope=0.7
    )
    message = GUARD.process([message])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/redness_after"


def test_an_unsure_message_stays_unsure_when_its_nearest_example_is_not_far_ahead_or_another_answer():
    near_tie = with_nearest_examples(parsed("nlu_fallback"), out_of_scope=0.8, faq__aftercare=0.79)
    assert intent_after_guard(near_tie) == "nlu_fallback"
    other_answer = with_nearest_examples(
        parsed("nlu_fallback", "consult_first", 0.3), faq__redness_after=0.9, out_of_scope=0.7
    )
    assert intent_after_guard(other_answer) == "nlu_fallback"


def unsure_between(first, second, answer, answer_confidence, **nearest):
    message = parsed("nlu_fallback", answer, answer_confidence)
    message.set(
        "intent_ranking",
        [
            {"name": "nlu_fallback", "confidence": 0.4},
            {"name": first, "confidence": 0.45},
            {"name": second, "confidence": 0.44},
        ],
    )
    return with_nearest_examples(message, **nearest)


@pytest.mark.parametrize("first, second", [("faq", "out_of_scope"), ("out_of_scope", "faq")])
def test_an_unsure_message_with_a_sure_pick_no_question_the_guide_lacks_nearer_gets_the_pick(first, second):
    # "do you use numbing cream": the intent hesitates between the guide and out of scope,
    # the ResponseSelector is sure, and its answer's examples are the nearest of the two
    message = unsure_between(
        first, second, "does_it_hurt", 0.85, faq__does_it_hurt=0.82, faq__session_steps=0.815, out_of_scope=0.8
    )
    message = GUARD.process([message])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/does_it_hurt"


def test_an_unsure_dated_message_with_a_sure_pick_on_aftercare_gets_the_aftercare_timing():
    # "say I go out in the sun on day 2, will that mess things up": that day's aftercare
    message = unsure_between("faq", "out_of_scope", "aftercare", 0.85, faq__aftercare=0.82, out_of_scope=0.8)
    message.set("entities", [{"entity": "treatment_time", "value": "day 2"}])
    assert intent_after_guard(message) == "ask_aftercare_timing"


def test_an_unsure_message_keeps_its_doubt_without_a_sure_pick_nearer_than_out_of_scope():
    nearest = {"faq__does_it_hurt": 0.82, "faq__session_steps": 0.815, "out_of_scope": 0.8}
    unsure_pick = unsure_between("faq", "out_of_scope", "does_it_hurt", 0.6, **nearest)
    assert intent_after_guard(unsure_pick) == "nlu_fallback"
    nearer_out_of_scope = {**nearest, "out_of_scope": 0.825}
    assert intent_after_guard(unsure_between("faq", "out_of_scope", "does_it_hurt", 0.85, **nearer_out_of_scope)) == (
        "nlu_fallback"
    )
    # "is microneedling right for me?": a request for the consultation, whatever the pick
    suitability = unsure_between(
        "ask_suitability", "faq", "effectiveness", 0.95, faq__effectiveness=0.82, out_of_scope=0.8
    )
    suitability.get(NEAREST_EXAMPLES)["ask_suitability"] = 0.815
    assert intent_after_guard(suitability) == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    [
        "what should i do after my treatment depending on the day",
        "how does the aftercare change over the days after",
        "which aftercare rules apply when?",
        "the first night after, what do i do",
        "when can i go back to my normal routine after microneedling",
        "when is it safe to go back to my usual routine after treatment",
        "when can i do what after microneedling",
        "day-by-day what to avoid after cit?",
        "step by step after-care timeline please",
        "what to do the first day vs the first week after treatment?",
        "first 48 hrs compared to the rest of the week, what changes",
        "when is it ok to restart my normal products",
        "when can i start using my usual skincare again",
        "could you set out what one should do, stage by stage, following the procedure?",
        "when can i do normal stuff again after microneedling, step by step",
        "how long do the aftercare rules apply",
        "how does the aftercare change as time goes on after the treatment",
        "what to do straight after microneedling and then in the days after that",
        "when after microneedling can i go back to my normal routine",
        "can you give me a timeline of what i can and can't do after the treatment",
        "a schedule of dos and don'ts for after my session please",
        "what can i put on my face afterwards, and when?",
        "which products are fine after my session, on what days",
        "which days after the procedure do the rules apply",
        "what is fine when, after my session?",
        "what’s fine when, after my session?",
        "a checklist of do’s and don’ts for after my session please",
        "what can i use afterwards & when?",
    ],
)
def test_a_question_on_what_applies_when_goes_to_the_aftercare_timing(text):
    assert intent_after_guard(parsed("faq", "aftercare", 0.9, text=text)) == "ask_aftercare_timing"
    unsure = parsed("nlu_fallback", "session_steps", 0.3, text=text)
    unsure.set(
        "intent_ranking", [{"name": "faq", "confidence": 0.4}, {"name": "ask_aftercare_timing", "confidence": 0.38}]
    )
    assert intent_after_guard(unsure) == "ask_aftercare_timing"


@pytest.mark.parametrize(
    "text",
    [
        "what happens when you do microneedling?",
        "what happens to my skin over the next few days?",
        "can you walk me through a session step by step",
        "what happens step by step, and what is it like after",
        "what's the timeline for seeing results",
        "how should i schedule my sessions",
        "which products should i avoid when my skin is sensitive",
        "what happens on the first day of treatment",
        "do results keep improving over time",
        "i garden every day, do i need to keep out of the sun after this?",
        "is it ok when my skin is peeling",
        "when will my skin go back to normal",
        "when can i go back to my exfoliating routine",
        "when can i go back to my usual skincare routine with acids",
        "how many days vs weeks until results show",
        "when can i start using retinol again",
        "when will i start seeing results",
        "first 24 hours, how red will i be",
        "what's the timeline for seeing results after treatment",
        "which day of the week is best to book my session",
        "on which day of the week is it best to book my session",
        "on what days are you open?",
        "what results do people usually get and when?",
        "how many sessions do i need and when?",
        "is there a checklist of dos and don'ts before my appointment",
        "what is safe when pregnant",
        "what do the needles do, and when were they invented",
    ],
)
def test_time_words_in_other_questions_keep_their_reading(text):
    for pick in ("aftercare", "healing_and_results", "session_steps"):
        assert intent_after_guard(parsed("faq", pick, text=text)) == "faq"
        unsure = parsed("nlu_fallback", pick, 0.3, text=text)
        # the aftercare timing next: only the wording decides
        unsure.set(
            "intent_ranking", [{"name": "faq", "confidence": 0.4}, {"name": "ask_aftercare_timing", "confidence": 0.38}]
        )
        assert intent_after_guard(unsure) == "nlu_fallback"


def test_an_unsure_question_on_what_applies_when_needs_the_aftercare_near():
    text = "how does the aftercare change over the days after"
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.4},
        {"name": "faq", "confidence": 0.35},
        {"name": "greet", "confidence": 0.2},
    ]
    message = parsed("nlu_fallback", "session_steps", 0.3, text=text)
    message.set("intent_ranking", ranking)
    assert intent_after_guard(message) == "nlu_fallback"
    ranking[2] = {"name": "ask_aftercare_timing", "confidence": 0.3}
    message = parsed("nlu_fallback", "session_steps", 0.3, text=text)
    message.set("intent_ranking", ranking)
    assert intent_after_guard(message) == "ask_aftercare_timing"


def test_a_reading_settled_by_the_question_it_was_cut_for_is_not_declined_by_the_nearest_examples():
    message = with_nearest_examples(
        piece_of_a_message("faq", "aftercare", "faq/aftercare"), out_of_scope=0.95, faq__aftercare=0.7
    )
    assert intent_after_guard(message) == "faq"


def test_an_answer_missing_from_the_nearest_examples_is_not_declined():
    message = with_nearest_examples(parsed("faq", "does_it_hurt", 0.9), out_of_scope=0.9, faq__pore_size=0.5)
    assert intent_after_guard(message) == "faq"
    assert intent_after_guard(with_nearest_examples(parsed("faq", "does_it_hurt", 0.9))) == "faq"


@pytest.mark.parametrize(
    "label", ["stop", "affirm", "deny", "inform_treatment_date", "request_callback", "greet", "frustration"]
)
def test_an_unsure_message_is_not_settled_to_an_intent_that_acts_on_the_conversation_or_to_small_talk(label):
    # "can I skip the consultation?" lies near "skip that", an example of stop; "huh" and
    # "umm" lie near "hi" and "hey": a short sound is too little for the encoder to place
    message = with_nearest_examples(parsed("nlu_fallback", text="can i skip the consultation?"), **{label: 0.9})
    message.get(NEAREST_EXAMPLES)["out_of_scope"] = 0.7
    assert intent_after_guard(message) == "nlu_fallback"


def test_an_intent_settled_by_the_nearest_examples_is_not_given_a_zero_confidence():
    message = with_nearest_examples(parsed("nlu_fallback"), book_consultation=0.86, out_of_scope=0.78)
    message = GUARD.process([message])[0]
    assert message.get("intent")["name"] == "book_consultation"
    assert message.get("intent")["confidence"] >= GUARD.threshold


def out_of_scope_unsure(text, confidence=0.76, aftercare_confidence=0.21, dated=True):
    """Read as out of scope, then the guide, then the aftercare timing unless it is below 0.02."""
    message = parsed("out_of_scope", text=text, entities=[{"entity": "treatment_time", "value": "x"}] if dated else [])
    message.set("intent", {"name": "out_of_scope", "confidence": confidence})
    message.set(
        "intent_ranking",
        [
            {"name": "out_of_scope", "confidence": confidence},
            {"name": "faq", "confidence": 0.02},
            {"name": "ask_aftercare_timing", "confidence": aftercare_confidence},
        ],
    )
    if aftercare_confidence < 0.02:
        ranking = message.get("intent_ranking")
        ranking.insert(2, {"name": "greet", "confidence": 0.015})
    return message


@pytest.mark.parametrize(
    "text",
    [
        "I have the appointment in 2 hours, what do I do when I get home",
        "just finished my session 20 mins ago, any tips for tonight?",
        "I underwent the procedure on Wednesday last. Kindly advise what care I ought to be taking at present.",
        "im on day 4 post-CIT, what's safe to do now",
        "had it this morning, what can i put on my face tonight",
    ],
)
def test_a_dated_treatment_asking_what_to_do_gets_the_aftercare_timing_though_read_as_out_of_scope(text):
    assert intent_after_guard(out_of_scope_unsure(text)) == "ask_aftercare_timing"


def test_out_of_scope_stays_so_when_sure_undated_without_aftercare_near_or_asking_something_else():
    text = "I have the appointment in 2 hours, what do I do when I get home"
    assert intent_after_guard(out_of_scope_unsure(text, confidence=0.95)) == "out_of_scope"
    assert intent_after_guard(out_of_scope_unsure(text, dated=False)) == "out_of_scope"
    assert intent_after_guard(out_of_scope_unsure(text, aftercare_confidence=0.01)) == "out_of_scope"
    assert intent_after_guard(out_of_scope_unsure("i had lip filler 2 weeks ago, is microneedling ok?")) == (
        "out_of_scope"
    )


def read_as_out_of_scope(confidence, answer_confidence, second="faq", **nearest):
    message = parsed("out_of_scope", "session_steps", answer_confidence)
    message.set("intent", {"name": "out_of_scope", "confidence": confidence})
    message.set(
        "intent_ranking",
        [{"name": "out_of_scope", "confidence": confidence}, {"name": second, "confidence": 1 - confidence}],
    )
    return with_nearest_examples(message, **nearest)


def test_a_message_read_unsurely_as_out_of_scope_with_a_sure_pick_nearer_than_out_of_scope_gets_the_pick():
    # "how does an appointment go from start to finish": out of scope at 0.57, the
    # ResponseSelector sure of the session's steps, whose examples are nearer
    message = read_as_out_of_scope(0.57, 0.99, faq__session_steps=0.84, out_of_scope=0.8)
    message = GUARD.process([message])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("intent")["full_retrieval_intent_name"] == "faq/session_steps"


def test_out_of_scope_stays_so_when_sure_or_the_pick_unsure_or_out_of_scope_nearer_or_the_guide_not_next():
    nearest = {"faq__session_steps": 0.84, "out_of_scope": 0.8}
    assert intent_after_guard(read_as_out_of_scope(0.7, 0.99, **nearest)) == "out_of_scope"
    assert intent_after_guard(read_as_out_of_scope(0.57, 0.8, **nearest)) == "out_of_scope"
    nearer_out_of_scope = {**nearest, "out_of_scope": 0.85}
    assert intent_after_guard(read_as_out_of_scope(0.57, 0.99, **nearer_out_of_scope)) == "out_of_scope"
    assert intent_after_guard(read_as_out_of_scope(0.57, 0.99, second="book_consultation", **nearest)) == (
        "out_of_scope"
    )


@pytest.mark.parametrize(
    "text", ["day 1 after microneedling wat do i do", "tomorrow is my appointment, what do i do once its done"]
)
@pytest.mark.parametrize("intent", ["faq", "nlu_fallback"])
def test_a_dated_question_on_what_to_do_picked_as_another_answer_gets_the_aftercare_timing(text, intent):
    date = {"entity": "treatment_time", "value": "day 1"}
    message = parsed(intent, "session_steps", 0.6, [date], text)
    message.set(
        "intent_ranking", [{"name": "faq", "confidence": 0.5}, {"name": "ask_aftercare_timing", "confidence": 0.3}]
    )
    assert intent_after_guard(message) == "ask_aftercare_timing"


def test_a_dated_question_asking_something_else_or_about_a_symptom_keeps_its_answer():
    date = {"entity": "treatment_time", "value": "friday"}
    ranking = [{"name": "faq", "confidence": 0.5}, {"name": "ask_aftercare_timing", "confidence": 0.3}]
    for answer, text in [
        ("session_steps", "booked for friday, what happens at the session?"),
        ("redness_after", "booked for friday, what should i expect, will i be red on saturday?"),
    ]:
        message = parsed("faq", answer, 0.9, [date], text)
        message.set("intent_ranking", ranking)
        assert intent_after_guard(message) == "faq"


@pytest.mark.parametrize(
    "text",
    [
        "step by step what should i do in the days after my session",
        "what am i supposed to do in the days following my session, step by step",
    ],
)
def test_a_question_on_what_applies_when_picked_as_the_sessions_steps_gets_the_aftercare_timing(text):
    assert intent_after_guard(parsed("faq", "session_steps", 0.96, text=text)) == "ask_aftercare_timing"


def test_a_question_on_what_applies_when_read_unsurely_as_out_of_scope_gets_the_aftercare_timing():
    text = "when is it safe to go back to my usual routine after treatment"
    assert intent_after_guard(out_of_scope_unsure(text, confidence=0.54, dated=False)) == "ask_aftercare_timing"
    assert intent_after_guard(out_of_scope_unsure(text, confidence=0.9, dated=False)) == "out_of_scope"
    assert intent_after_guard(out_of_scope_unsure(text, confidence=0.54, aftercare_confidence=0.01, dated=False)) == (
        "out_of_scope"
    )


@pytest.mark.parametrize(
    "text", ["is prolonged erythema after microneedling normal", "persistent redness after my session, should i worry"]
)
def test_a_symptom_said_to_last_gets_the_lasting_symptoms_answer_though_picked_as_the_usual_redness(text):
    message = GUARD.process([parsed("faq", "redness_after", 0.87, text=text)])[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/lasting_symptoms"


@pytest.mark.parametrize(
    "text",
    [
        "the bruising still hasn't gone down, is that expected?",
        "my swelling won't go away, what do i do",
        "face still hasn't calmed down and it's puffy, normal?",
    ],
)
def test_a_symptom_said_to_last_read_unsurely_as_out_of_scope_gets_the_lasting_symptoms_answer(text):
    message = GUARD.process([read_as_out_of_scope_with_pick(text, 0.55, "lasting_symptoms", 0.85)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/lasting_symptoms"


BRUISING_LASTS = "the bruising still hasn't gone down, is that expected?"


@pytest.mark.parametrize(
    "text, confidence, answer, answer_confidence",
    [
        # read surely as out of scope, or picked as another answer, or unsurely
        (BRUISING_LASTS, 0.75, "lasting_symptoms", 0.85),
        (BRUISING_LASTS, 0.55, "pore_size", 0.85),
        (BRUISING_LASTS, 0.55, "lasting_symptoms", 0.2),
        # a concern said to last, not a symptom
        ("my acne scars just won't go away, can this fix them?", 0.55, "lasting_symptoms", 0.85),
        ("my dark circles won't go away, would it help?", 0.55, "lasting_symptoms", 0.85),
    ],
)
def test_said_to_last_stays_out_of_scope_when_read_surely_picked_otherwise_or_naming_no_symptom(
    text, confidence, answer, answer_confidence
):
    message = read_as_out_of_scope_with_pick(text, confidence, answer, answer_confidence)
    assert intent_after_guard(message) == "out_of_scope"


def test_a_question_whether_redness_will_still_be_there_keeps_the_usual_redness():
    message = GUARD.process(
        [parsed("faq", "redness_after", 0.87, text="a wedding 2 days after, will i still be red?")]
    )[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/redness_after"


def read_as_out_of_scope_with_pick(text, confidence, answer, answer_confidence, entities=()):
    message = parsed("out_of_scope", answer, answer_confidence, entities, text)
    message.set("intent", {"name": "out_of_scope", "confidence": confidence})
    message.set(
        "intent_ranking",
        [{"name": "out_of_scope", "confidence": confidence}, {"name": "faq", "confidence": 1 - confidence}],
    )
    return message


@pytest.mark.parametrize(
    "text",
    [
        "can i use my at-home peel pads the next day",
        "is my benzoyl peroxide ok to use after",
        "should i stop my retinoids after treatment and for how long",
        "is it ok to do a chemical peel at home the day after",
    ],
)
def test_an_exfoliant_after_the_treatment_read_unsurely_as_out_of_scope_gets_the_guides_answer(text):
    message = GUARD.process([read_as_out_of_scope_with_pick(text, 0.8, "exfoliation_and_harsh_products", 0.9)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == (
        "faq/exfoliation_and_harsh_products"
    )
    date = {"entity": "treatment_time", "value": "3 days ago"}
    dated = read_as_out_of_scope_with_pick(text, 0.8, "exfoliation_and_harsh_products", 0.9, [date])
    assert intent_after_guard(dated) == "ask_aftercare_timing"


@pytest.mark.parametrize(
    "text, confidence, answer_confidence",
    [
        ("can i use my at-home peel pads the next day", 0.95, 0.9),  # surely out of scope
        ("can i use my at-home peel pads the next day", 0.8, 0.5),  # the pick unsure
        ("can i use hyaluronic acid straight after", 0.76, 0.9),  # no exfoliant
        ("how soon after a chemical peel can i get microneedled", 0.6, 0.9),  # the peel first
        ("can i get a chemical peel and microneedling together", 0.6, 0.9),
    ],
)
def test_out_of_scope_stays_so_when_sure_the_pick_unsure_or_no_exfoliant_after_the_treatment(
    text, confidence, answer_confidence
):
    message = read_as_out_of_scope_with_pick(text, confidence, "exfoliation_and_harsh_products", answer_confidence)
    assert intent_after_guard(message) == "out_of_scope"


@pytest.mark.parametrize(
    "text",
    [
        "is microneedling any good for wrinkles? trying to avoid botox if i can",
        "my mum (55) wants to know if it helps wrinkles, she refuses to do botox",
    ],
)
def test_a_question_on_what_it_does_beside_an_injectable_avoided_gets_the_guides_answer(text):
    message = GUARD.process([read_as_out_of_scope_with_pick(text, 0.66, "fine_lines_wrinkles", 0.5)])[0]
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/fine_lines_wrinkles"
    assert message.get("intent")["name"] == "faq"


@pytest.mark.parametrize(
    "text, confidence, answer",
    [
        ("can i have botox and microneedling on the same day", 0.7, "fine_lines_wrinkles"),  # no injectable avoided
        ("trying to avoid botox, does it help wrinkles", 0.95, "fine_lines_wrinkles"),  # surely out of scope
        ("not had botox yet, how many sessions would i need", 0.6, "number_of_sessions"),  # another question
    ],
)
def test_out_of_scope_stays_so_without_an_injectable_avoided_or_a_question_on_what_it_does(text, confidence, answer):
    assert intent_after_guard(read_as_out_of_scope_with_pick(text, confidence, answer, 0.8)) == "out_of_scope"


def picked_after_guard(message):
    return GUARD.process([message])[0].get("response_selector")["faq"]["response"]["intent_response_key"]


@pytest.mark.parametrize(
    "text",
    [
        "do you go deeper for acne scars",
        "do u go deeper for wrinkles than for pores?",
        "how deep for stretch marks?",
        "could they set it deeper for my pitted scars",
        "deeper needles for big pores?",
    ],
)
@pytest.mark.parametrize("answer", ["texture_scars_stretch_marks", "pore_size", "fine_lines_wrinkles"])
def test_a_question_on_the_depth_for_a_concern_gets_the_answer_on_depth(text, answer):
    # the concern drew the pick; the depth is what is asked
    assert picked_after_guard(parsed("faq", answer, 0.59, text=text)) == "faq/needle_depth"


@pytest.mark.parametrize(
    "text, answer",
    [
        ("does it help deep acne scars", "texture_scars_stretch_marks"),
        ("my pores are deeper than ever, can it help", "pore_size"),
        ("will my wrinkles get deeper without it", "fine_lines_wrinkles"),
        # the depth of the concern, not of the needles
        ("can microneedling reduce the depth of my acne scars?", "texture_scars_stretch_marks"),
        ("not sure how deep my wrinkles are, will it help?", "fine_lines_wrinkles"),
    ],
)
def test_a_concern_without_the_needles_depth_asked_keeps_its_answer(text, answer):
    assert picked_after_guard(parsed("faq", answer, 0.59, text=text)) == f"faq/{answer}"


@pytest.mark.parametrize(
    "text",
    [
        "i've wasted so much on creams, does microneedling actually do anything??",
        "I have tried many creams with no result. Does microneedling truly give results?",
        "serums never did a thing for me, does this actually work",
        "spent loads on creams over the years, does the needling really deliver?",
        "tried every serum going, does it live up to the hype",
        "so many creams that did nothing, does microneedling actually deliver?",
    ],
)
def test_whether_it_works_after_creams_that_did_not_gets_the_answer_on_effectiveness(text):
    assert picked_after_guard(parsed("faq", "product_absorption", 0.47, text=text)) == "faq/effectiveness"


@pytest.mark.parametrize(
    "text",
    [
        "does it actually make creams absorb better",
        "does microneedling work with my serums",
        "will it help my vitamin c serum penetrate deeper",
        # no product that failed: one in use, or whether products make a difference
        "is there any point using serums after or does it not make a difference",
        "creams working more effectively after mn, how does that work",
        "I've been using a vitamin C serum, does it work after microneedling or should I stop?",
        "been using retinol for ages, would it make a difference to stop before?",
        "my serum never worked, would microneedling deliver it into the skin?",
    ],
)
def test_a_question_on_products_keeps_the_answer_on_absorption(text):
    assert picked_after_guard(parsed("faq", "product_absorption", 0.47, text=text)) == "faq/product_absorption"


@pytest.mark.parametrize(
    "text", ["what device do you use", "which tool do u use for it?", "what kind of pen do they use"]
)
def test_a_question_on_the_device_read_unsurely_as_out_of_scope_gets_the_guides_answer(text):
    message = GUARD.process([read_as_out_of_scope_with_pick(text, 0.73, "who_performs_it", 0.95)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/who_performs_it"


@pytest.mark.parametrize(
    "text, confidence, answer_confidence",
    [
        ("what device do you use", 0.95, 0.95),  # surely out of scope
        ("what device do you use", 0.73, 0.5),  # the pick unsure
        ("do you use numbing cream", 0.73, 0.95),  # no device asked
    ],
)
def test_out_of_scope_stays_so_when_sure_the_pick_unsure_or_no_device_asked(text, confidence, answer_confidence):
    message = read_as_out_of_scope_with_pick(text, confidence, "who_performs_it", answer_confidence)
    assert intent_after_guard(message) == "out_of_scope"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("I've got loads of tattoos, is microneedling anywhere near as sore?", "out_of_scope"),
        ("I've got full sleeves and tattoos never bothered me, is microneedling worse than that?", "out_of_scope"),
        ("does it hurt more than getting a tattoo", "nlu_fallback"),
        ("compared to a tattoo how painful is it", "faq"),
        ("is it more painful than getting my eyebrows threaded", "out_of_scope"),
        ("does it hurt worse than a bikini wax", "out_of_scope"),
        ("compared to a flu jab how sore is it", "nlu_fallback"),
        ("my pain threshold is low, like i faint at the dentist. how bad is it", "out_of_scope"),
        ("I get my brows waxed regularly, does microneedling hurt more than waxing?", "out_of_scope"),
    ],
)
def test_pain_compared_with_a_tattoo_or_another_known_pain_gets_the_answer_on_pain(text, intent):
    message = read_as_out_of_scope_with_pick(text, 0.89, "texture_scars_stretch_marks", 0.21)
    message.set("intent", {"name": intent, "confidence": 0.89})
    message = GUARD.process([message])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/does_it_hurt"


@pytest.mark.parametrize(
    "text",
    [
        "is laser hair removal less painful than waxing",
        "does waxing hurt more than threading",
        "does a chemical peel hurt more than waxing?",
        "does dermaplaning hurt more than threading?",
        "does tattoo removal hurt more than laser?",
        "i'd like to get my brows waxed after, will it sting?",
        "will it sting more than usual if I get waxed after?",
    ],
)
def test_pain_of_another_treatment_or_after_one_stays_out_of_scope(text):
    assert intent_after_guard(read_as_out_of_scope_with_pick(text, 0.89, "does_it_hurt", 0.6)) == "out_of_scope"


def test_redness_compared_with_after_another_treatment_keeps_the_answer_on_redness():
    text = "is the redness worse than after waxing?"
    assert picked_after_guard(parsed("faq", "redness_after", 0.7, text=text)) == "faq/redness_after"


@pytest.mark.parametrize(
    "text",
    [
        "can you do microneedling over a tattoo, will it hurt the ink?",
        "i got a tattoo last week, is it painful to have microneedling near it",
        "will microneedling fade my tattoo",
        "how sore is a tattoo removal session",
    ],
)
def test_a_tattoo_as_the_subject_stays_out_of_scope(text):
    assert intent_after_guard(read_as_out_of_scope_with_pick(text, 0.89, "does_it_hurt", 0.6)) == "out_of_scope"


@pytest.mark.parametrize(
    "text, answer, intent",
    [
        (
            "Good evening. My skin remains red and tender five days after my microneedling appointment. "
            "Is this expected?",
            "redness_after",
            "faq",
        ),
        ("it's day 5 and honestly looks worse than day 1. normal??", "lasting_symptoms", "ask_aftercare_timing"),
        ("still pink a week after the session, is that ok?", "redness_after", "faq"),
    ],
)
def test_a_symptom_counted_in_days_past_the_first_two_gets_the_lasting_symptoms_answer(text, answer, intent):
    message = GUARD.process([parsed(intent, answer, 0.46, text=text)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/lasting_symptoms"


@pytest.mark.parametrize(
    "text",
    [
        "is it normal to be red 1 day after?",
        "red for 2 days after, is that expected?",
        "how many days after will i be red",
    ],
)
def test_a_symptom_within_the_first_two_days_keeps_the_usual_redness(text):
    assert picked_after_guard(parsed("faq", "redness_after", 0.46, text=text)) == "faq/redness_after"


@pytest.mark.parametrize(
    "text, entities",
    [
        ("i have a wedding 3 days after my appointment, will i still be red by then", []),
        ("I've got a wedding in 2 weeks, will the redness be gone by then?", [{"entity": "treatment_time"}]),
        ("will my face still be pink for the party on saturday if i go on thursday?", []),
        ("I have a family wedding a few days after my appointment. Would my face still be red by then?", []),
    ],
)
def test_whether_redness_will_be_gone_by_an_event_gets_the_usual_redness(text, entities):
    message = parsed("faq", "lasting_symptoms", 0.59, [{**e, "value": "in 2 weeks"} for e in entities], text)
    assert picked_after_guard(message) == "faq/redness_after"


@pytest.mark.parametrize(
    "text",
    [
        "had it 5 days ago, will the redness ever be gone?",
        "still red after a week, will it be gone by the weekend?",
    ],
)
def test_redness_to_come_after_a_past_treatment_keeps_the_lasting_symptoms_answer(text):
    entities = [{"entity": "treatment_time", "value": "5 days ago"}] if "ago" in text else []
    assert picked_after_guard(parsed("faq", "lasting_symptoms", 0.59, entities, text)) == "faq/lasting_symptoms"


def test_a_tattoo_had_before_or_after_the_treatment_stays_out_of_scope():
    text = "can i get a tattoo after microneedling, does it hurt more?"
    assert intent_after_guard(read_as_out_of_scope_with_pick(text, 0.89, "does_it_hurt", 0.6)) == "out_of_scope"


@pytest.mark.parametrize("text", ["what device do you use", "which pen r u using on ppl"])
def test_a_question_on_the_device_is_answered_though_a_question_on_its_brand_is_nearer(text):
    message = with_nearest_examples(
        parsed("faq", "who_performs_it", 0.95, text=text), out_of_scope=0.95, faq__who_performs_it=0.85
    )
    assert picked_after_guard(message) == "faq/who_performs_it"
    assert message.get("intent")["name"] == "faq"


@pytest.mark.parametrize("text", ["what device brand do you use", "which model of pen is it"])
def test_a_question_on_the_devices_name_nearest_to_one_out_of_scope_is_declined(text):
    message = with_nearest_examples(
        parsed("faq", "who_performs_it", 0.95, text=text), out_of_scope=0.95, faq__who_performs_it=0.85
    )
    assert intent_after_guard(message) == "out_of_scope"


def unsure_between_aftercare_answer_and_timing(text, intent="nlu_fallback", entities=()):
    message = parsed(intent, "aftercare", 0.67, entities, text)
    message.set("intent", {"name": intent, "confidence": 0.4})
    message.set(
        "intent_ranking",
        [{"name": "ask_aftercare_timing", "confidence": 0.39}, {"name": "faq", "confidence": 0.3}],
    )
    return message


@pytest.mark.parametrize("intent", ["nlu_fallback", "ask_aftercare_timing"])
@pytest.mark.parametrize(
    "text",
    [
        "could you please send me the aftercare advice for microneedling?",
        "Could you share the aftercare guidelines following microneedling?",
        "where can i find the aftercare instructions",
    ],
)
def test_a_request_for_the_aftercare_advice_without_a_date_gets_the_guides_aftercare(text, intent):
    message = GUARD.process([unsure_between_aftercare_answer_and_timing(text, intent)])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aftercare"


def test_a_request_for_the_aftercare_advice_with_a_date_or_by_day_keeps_the_aftercare_timing():
    date = {"entity": "treatment_time", "value": "yesterday"}
    dated = unsure_between_aftercare_answer_and_timing(
        "had it yesterday, send me the aftercare advice", entities=[date]
    )
    assert intent_after_guard(dated) == "ask_aftercare_timing"
    by_day = unsure_between_aftercare_answer_and_timing("send me the aftercare tips day by day", "ask_aftercare_timing")
    assert intent_after_guard(by_day) == "ask_aftercare_timing"


@pytest.mark.parametrize(
    "text, intent, answer",
    [
        ("Do you also do tattoos? mine were so painful", "out_of_scope", "does_it_hurt"),
        ("I have a tattoo on my face, does that make me a worse candidate?", "out_of_scope", "does_it_hurt"),
        ("can microneedling make my tattoo scars worse?", "faq", "texture_scars_stretch_marks"),
        ("will microneedling hurt my tattoo", "out_of_scope", "does_it_hurt"),
    ],
)
def test_a_tattoo_beside_pain_words_without_a_comparison_keeps_its_reading(text, intent, answer):
    message = read_as_out_of_scope_with_pick(text, 0.95, answer, 0.9)
    message.set("intent", {"name": intent, "confidence": 0.95})
    assert GUARD.process([message])[0].get("intent")["name"] == intent


@pytest.mark.parametrize(
    "text",
    [
        "6 days after and my face is still red and swollen, is this normal? will it be gone for photos on friday",
        "still red after a week, will it be gone in time for my holiday?",
    ],
)
def test_a_symptom_that_lasts_keeps_the_lasting_answer_though_an_event_is_ahead(text):
    assert picked_after_guard(parsed("faq", "lasting_symptoms", 0.59, text=text)) == "faq/lasting_symptoms"


@pytest.mark.parametrize(
    "text",
    [
        "Is it normal to be red for a few days after?",
        "red on day 1, is that normal? I'm back at work in 5 days",
        "I stopped retinol 2 weeks before, is it normal to be red the day after?",
        "how many days of redness is normal, a day or two or a week?",
    ],
)
def test_days_not_counted_since_the_treatment_keep_the_usual_redness(text):
    assert picked_after_guard(parsed("faq", "redness_after", 0.46, text=text)) == "faq/redness_after"


def test_a_question_on_when_beside_the_aftercare_sheet_keeps_the_aftercare_timing():
    text = "the aftercare sheet says no makeup, when can I wear makeup again?"
    message = unsure_between_aftercare_answer_and_timing(text, "ask_aftercare_timing")
    assert intent_after_guard(message) == "ask_aftercare_timing"


def test_a_request_for_the_after_care_advice_in_two_words_gets_the_guides_aftercare():
    message = GUARD.process([unsure_between_aftercare_answer_and_timing("send me the after care advice")])[0]
    assert message.get("intent")["name"] == "faq"
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/aftercare"


def test_equipment_for_home_is_not_the_device_the_guide_names():
    message = with_nearest_examples(
        parsed("faq", "who_performs_it", 0.95, text="what kind of equipment do I need at home?"),
        out_of_scope=0.95,
        faq__who_performs_it=0.85,
    )
    assert intent_after_guard(message) == "out_of_scope"
