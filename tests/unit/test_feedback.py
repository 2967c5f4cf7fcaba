"""When "Was this answer helpful?" is asked (policies/feedback.py), and which answer a
visitor's verdict is about (actions/feedback.py)."""

from rasa.shared.core.events import ActionExecuted, ActiveLoop, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.feedback import answered_question, other_topics
from policies.feedback import feedback_due


def answered(text="does it hurt", metadata=None):
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, {"name": "faq"}, metadata=metadata),
        ActionExecuted("utter_faq"),
    ]


def tracker(*events):
    return DialogueStateTracker.from_events("visitor", [event for group in events for event in group])


def test_asked_after_the_first_answer_then_every_third():
    events, due = [], []
    for _ in range(7):
        events += answered()
        due.append(feedback_due(tracker(events), ask_every=3))
        if due[-1]:
            events.append(ActionExecuted("utter_ask_feedback"))
    assert due == [True, False, False, True, False, False, True]


def test_never_asked_when_ask_every_is_zero():
    assert not feedback_due(tracker(answered()), ask_every=0)


def test_not_asked_between_the_answers_of_one_message():
    assert not feedback_due(tracker(answered(metadata={"split_from": "a and b", "split_part": 0})), ask_every=3)


def test_not_asked_while_the_aftercare_form_waits_for_a_date():
    assert not feedback_due(tracker([ActiveLoop("aftercare_timing_form")], answered()), ask_every=3)


def user(text, answer=None, ranking=()):
    selector = {
        "faq": {
            "response": {"intent_response_key": answer},
            "ranking": [{"intent_response_key": key, "confidence": c} for key, c in ranking],
        }
    }
    return {"event": "user", "text": text, "parse_data": {"response_selector": selector if answer else {}}}


def test_the_verdict_is_about_the_answer_of_the_turn_before():
    question = user("does it hurt", "faq/does_it_hurt")
    events = [
        question,
        {"event": "action", "name": "utter_faq"},
        {"event": "action", "name": "utter_ask_feedback"},
        user("no"),
    ]
    assert answered_question(events)[0] == "faq/does_it_hurt"
    # Two turns later, or after a turn that answered nothing from the guide: about nothing.
    assert answered_question([*events, user("no again")]) is None
    assert answered_question([user("hi"), {"event": "action", "name": "utter_greet"}, user("no")]) is None


def test_other_topics_leave_out_the_answer_given():
    parse = user(
        "q", "faq/does_it_hurt", [("faq/does_it_hurt", 0.6), ("faq/session_steps", 0.3), ("faq/needle_depth", 0.05)]
    )["parse_data"]
    assert other_topics(parse, "faq/does_it_hurt") == ["session_steps"]
    assert "what_is_microneedling" in other_topics({}, "faq/does_it_hurt")
