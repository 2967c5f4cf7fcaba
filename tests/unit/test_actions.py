"""The custom actions, run as the action server runs them: a rasa-sdk Tracker in,
a CollectingDispatcher's messages and the returned events out."""

from datetime import date

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import aftercare, callback_request, clarify, clinic, consultation, sources
from actions.conversation import latest_text
from actions.settings import AFTERCARE_SCHEDULE_FILE, ClinicSettings, load_aftercare_schedule
from tests.harness.project import FULL_CLINIC, GENERIC_CLINIC, project_responses

SCHEDULE = load_aftercare_schedule(AFTERCARE_SCHEDULE_FILE)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", "2026-11-28T10:00:00+00:00")  # a Saturday


def user_event(text, intent, **parse_data):
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}, **parse_data}}


def tracker(slots=None, latest=None, earlier_messages=(), latest_action="action_listen"):
    latest = latest or user_event("hello", "greet")
    events = [*earlier_messages, latest]
    return Tracker(
        "visitor", slots or {}, latest["parse_data"] | {"text": latest["text"]}, events, False, None, {}, latest_action
    )


def after_form(slots):
    """The tracker action_aftercare_timing sees when the form has just been completed."""
    return tracker(slots, latest_action=aftercare.FORM)


def run(action, current_tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, current_tracker, {})
    return dispatcher.messages, events


# --- callback requests ---------------------------------------------------------------


def test_a_contact_read_as_another_request_answers_the_contact_question():
    form = callback_request.ValidateCallbackRequestForm()

    def extracted(requested, text, intent):
        asked = tracker({"requested_slot": requested}, latest=user_event(text, intent))
        return form.extract_callback_contact(CollectingDispatcher(), asked, {})

    assert extracted("callback_contact", "sam.taylor@example.org", "book_consultation") == {
        "callback_contact": "sam.taylor@example.org"
    }
    assert extracted("callback_contact", "can I book a consultation?", "book_consultation") == {}
    assert extracted("callback_contact", "is hello@clinic.example your address?", "faq") == {}
    assert extracted("callback_contact", "stop, sam.taylor@example.org was a typo", "stop") == {}
    assert extracted("callback_name", "sam.taylor@example.org", "book_consultation") == {}


# --- consultation ------------------------------------------------------------------


def test_generic_consultation_has_no_contact_details_or_links():
    text = consultation.consultation_text(GENERIC_CLINIC)
    assert "qualified professional" in text
    assert "Contact your clinic" in text
    assert "http" not in text and "](" not in text


def test_consultation_shows_every_detail_the_clinic_set():
    text = consultation.consultation_text(FULL_CLINIC)
    assert "Example Skin Clinic" in text
    assert "[book a consultation online](https://example.com/book)" in text
    assert "+44 20 7946 0000" in text and "hello@example.com" in text
    assert "Mon-Fri 9:00-17:00" in text
    assert "Contact your clinic" not in text


def test_consultation_with_only_a_phone_number():
    settings = ClinicSettings(None, None, "020 7946 0000", None, None, "Europe/London", 4)
    text = consultation.consultation_text(settings)
    assert "call 020 7946 0000" in text and "http" not in text


def test_booking_request_always_gets_the_suggestion(monkeypatch):
    monkeypatch.setattr(clinic, "SETTINGS", FULL_CLINIC)
    current = tracker({"consultation_suggested_turn": 1}, user_event("book me in", "book_consultation"))
    messages, events = run(consultation.ActionSuggestConsultation(), current)
    assert "can't book appointments myself" in messages[0]["text"]
    assert events == [SlotSet("consultation_suggested_turn", 1)]


def test_unrequested_suggestion_waits_for_the_cooldown(monkeypatch):
    monkeypatch.setattr(clinic, "SETTINGS", GENERIC_CLINIC)
    earlier = [user_event(f"question {n}", "faq") for n in range(2)]
    soon = tracker({"consultation_suggested_turn": 1}, user_event("zzgrb", "nlu_fallback"), earlier)
    assert run(consultation.ActionSuggestConsultation(), soon) == ([], [])

    later_messages = [user_event(f"question {n}", "faq") for n in range(4)]
    later = tracker({"consultation_suggested_turn": 1}, user_event("zzgrb", "nlu_fallback"), later_messages)
    messages, events = run(consultation.ActionSuggestConsultation(), later)
    assert "qualified professional" in messages[0]["text"]
    assert events == [SlotSet("consultation_suggested_turn", 5)]


def test_a_question_the_guide_does_not_cover_always_gets_the_consultation(monkeypatch):
    # "Not covered here" plus the consultation, every time: it is the only answer we have.
    monkeypatch.setattr(clinic, "SETTINGS", GENERIC_CLINIC)
    soon = tracker(
        {"consultation_suggested_turn": 1}, user_event("price?", "out_of_scope"), [user_event("question", "faq")]
    )
    messages, _ = run(consultation.ActionSuggestConsultation(), soon)
    assert messages[0]["text"].startswith("A trained, qualified professional")  # no introduction
    assert messages[0]["text"].count("professional") == 1


# --- aftercare timing ----------------------------------------------------------------


def validate(value, attempts=0, earlier_messages=()):
    """The form's validation of an answer, sent as the visitor's latest message."""
    dispatcher = CollectingDispatcher()
    current = tracker(
        {"treatment_time_attempts": attempts},
        latest=user_event(value, "inform_treatment_date"),
        earlier_messages=earlier_messages,
    )
    result = aftercare.ValidateAftercareTimingForm().validate_treatment_time(value, dispatcher, current, {})
    return result, dispatcher.messages


def test_validation_accepts_a_date_and_stores_it():
    assert validate("2 days ago") == (
        {"treatment_time": "2 days ago", "treatment_date": "2026-11-26", "treatment_upcoming": False},
        [],
    )


@pytest.mark.parametrize("value", ["banana", "100 years ago", "in 5 years", "", "a while back", "last week"])
def test_validation_rejects_once_so_the_form_asks_again(value):
    assert validate(value) == ({"treatment_time": None, "treatment_time_attempts": 1}, [])


def test_validation_gives_up_after_the_second_try():
    result, _ = validate("banana", attempts=1)
    assert result == {
        "treatment_time": "banana",
        "treatment_date": None,
        "treatment_upcoming": False,
        "treatment_time_attempts": 2,
    }


def test_validation_reads_ahead_from_the_question_the_form_answers():
    question = user_event("I'm booked in, what aftercare will I need?", "ask_aftercare_timing")
    result, _ = validate("friday", earlier_messages=[question])
    assert result["treatment_date"] == "2026-12-04" and result["treatment_upcoming"] is True


def test_validation_keeps_next_week_as_upcoming_without_a_day():
    result, _ = validate("next week")
    assert result["treatment_date"] is None and result["treatment_upcoming"] is True


# The same answer whether the form's validation found the date or the visitor gave it with
# the question (data/rules.yml answers that without the form).
ANSWER_PATHS = pytest.mark.parametrize("given", ["after the form", "with the question"])


def answer_tracker(given, text, iso_date, upcoming=False):
    if given == "after the form":
        return after_form({"treatment_time": text, "treatment_date": iso_date, "treatment_upcoming": upcoming})
    return tracker({"treatment_time": text}, latest=user_event(text, "ask_aftercare_timing"))


@ANSWER_PATHS
def test_aftercare_names_the_phase_and_resets_the_form_slots(given):
    messages, events = run(aftercare.ActionAftercareTiming(), answer_tracker(given, "3 days ago", "2026-11-25"))
    phase = {p.name: p for p in SCHEDULE.phases}["rest_of_first_week"]
    assert [m["text"] for m in messages] == [
        f"Your treatment was 3 days ago, on Wednesday 25 November. {phase.now}",
        f"Next: {phase.next}",
    ]
    assert events == [
        SlotSet("treatment_time", None),
        SlotSet("treatment_date", None),
        SlotSet("treatment_upcoming", None),
        SlotSet("treatment_time_attempts", 0),
    ]


@ANSWER_PATHS
def test_upcoming_treatment_gets_what_to_expect_and_the_consultation_first(monkeypatch, given):
    monkeypatch.setattr(clinic, "SETTINGS", FULL_CLINIC)
    messages, events = run(
        aftercare.ActionAftercareTiming(),
        answer_tracker(given, "I'm booked for next monday", "2026-11-30", upcoming=True),
    )
    assert messages[0]["text"] == f"Your treatment is in 2 days, on Monday 30 November. {SCHEDULE.upcoming}"
    # Already booked: no "contact your clinic to arrange one".
    assert messages[1]["text"] == aftercare.CONSULTATION_BEFORE_TREATMENT
    assert SlotSet("consultation_suggested_turn", 1) in events


# Said on Wednesday 2 December 2026, with the date given with the question: the slot holds
# only the phrase the NLU marked; the words around it say whether it is still to come.
@pytest.mark.parametrize(
    "message, phrase, expected",
    [
        (
            "I'm booked for the 5th, what should I expect",
            "the 5th",
            "Your treatment is in 3 days, on Saturday 5 December.",
        ),
        (
            "I will have it on Friday, what aftercare do I need?",
            "on Friday",
            "Your treatment is in 2 days, on Friday 4 December.",
        ),
        ("it's this coming Monday", "coming Monday", "Your treatment is in 5 days, on Monday 7 December."),
        (
            "I'm having it done today, what should I do after?",
            "today",
            f"Your treatment is today, Wednesday 2 December. {SCHEDULE.upcoming}",
        ),
        ("I had it on the 20th", "the 20th", "Your treatment was 12 days ago, on Friday 20 November."),
    ],
)
def test_the_date_is_read_from_the_whole_message(monkeypatch, message, phrase, expected):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", "2026-12-02T10:00:00+00:00")
    latest = user_event(message, "ask_aftercare_timing", entities=[{"entity": "treatment_time", "value": phrase}])
    messages, _ = run(aftercare.ActionAftercareTiming(), tracker({"treatment_time": phrase}, latest=latest))
    assert messages[0]["text"].startswith(expected)


def test_next_week_gets_what_applies_before_a_treatment(monkeypatch):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", "2026-12-02T10:00:00+00:00")
    latest = user_event("my microneedling is next week, anything I should know?", "ask_aftercare_timing")
    messages, _ = run(aftercare.ActionAftercareTiming(), tracker({"treatment_time": "next week"}, latest=latest))
    assert [m["text"] for m in messages] == [
        f"{aftercare.UPCOMING_WITHOUT_DAY_INTRODUCTION} {SCHEDULE.upcoming}",
        aftercare.CONSULTATION_BEFORE_TREATMENT,
    ]


def test_unknown_date_gets_the_general_aftercare():
    # The form gave up after its re-ask: it completes with the last answer and no date.
    messages, _ = run(
        aftercare.ActionAftercareTiming(), after_form({"treatment_time": "banana", "treatment_date": None})
    )
    assert [m["text"] for m in messages] == [f"{aftercare.NO_DATE_INTRODUCTION} {SCHEDULE.general}"]


@pytest.mark.parametrize("value", ["a few days ago", "a while back", "100 years ago", None])
def test_unusable_date_given_with_the_question_goes_to_the_form(value):
    # No answer and no general aftercare yet: the form validates it and asks again.
    latest = user_event(value or "what aftercare now?", "ask_aftercare_timing")
    messages, events = run(aftercare.ActionAftercareTiming(), tracker({"treatment_time": value}, latest=latest))
    assert messages == []
    assert events == [FollowupAction(aftercare.FORM)]


@pytest.mark.parametrize(
    "days, expected",
    [
        (0, "Your treatment is today, Saturday 28 November"),
        (1, "Your treatment was yesterday, Friday 27 November"),
        (-1, "Your treatment is tomorrow, Sunday 29 November"),
        (14, "Your treatment was 14 days ago, on Saturday 14 November"),
    ],
)
def test_when_text(days, expected):
    assert aftercare.when_text(days, date.fromordinal(date(2026, 11, 28).toordinal() - days)) == expected


# --- clarification ----------------------------------------------------------------------


def fallback_event(text, ranking=()):
    selector = {"faq": {"ranking": [{"intent_response_key": key, "confidence": c} for key, c in ranking]}}
    return user_event(text, "nlu_fallback", response_selector=selector)


def test_clarify_offers_the_likeliest_topics():
    latest = fallback_event("red skin?", [("faq/redness_after", 0.6), ("faq/aftercare", 0.3), ("faq/pore_size", 0.05)])
    messages, events = run(clarify.ActionClarifyQuestion(), tracker(latest=latest))
    titles = [button["title"] for button in messages[0]["buttons"]]
    assert titles == [clarify.TOPICS["redness_after"], clarify.TOPICS["aftercare"]]
    assert all(button["payload"] == button["title"] for button in messages[0]["buttons"])
    # It also ends the turn: as the core fallback it would otherwise be predicted again.
    assert events == [SlotSet("unclear_messages_in_a_row", 1), FollowupAction("action_listen")]


def test_clarify_empty_message_offers_starter_topics():
    messages, _ = run(clarify.ActionClarifyQuestion(), tracker(latest=fallback_event("  ")))
    assert "empty" in messages[0]["text"]
    assert len(messages[0]["buttons"]) == len(clarify.STARTER_TOPICS)


@pytest.mark.parametrize("unclear_before", [0, 1, 2])
def test_clarify_asks_a_message_in_another_language_again_in_english(unclear_before):
    latest = fallback_event("cuántas sesiones necesito?", [("faq/number_of_sessions", 0.6)])
    messages, _ = run(
        clarify.ActionClarifyQuestion(), tracker({"unclear_messages_in_a_row": unclear_before}, latest=latest)
    )
    assert messages[0]["text"] == clarify.ONLY_ENGLISH
    assert len(messages) == 1 and len(messages[0]["buttons"]) == len(clarify.STARTER_TOPICS)


def test_second_fallback_in_a_row_hands_over_to_the_consultation():
    current = tracker({"unclear_messages_in_a_row": 1}, latest=fallback_event("zzz"))
    messages, events = run(clarify.ActionClarifyQuestion(), current)
    assert "still don't understand" in messages[0]["text"]
    assert "qualified professional" in messages[1]["text"]
    assert events == [
        SlotSet("unclear_messages_in_a_row", 2),
        SlotSet("consultation_suggested_turn", 1),
        FollowupAction("action_listen"),
    ]


def test_every_topic_title_is_a_training_example_of_its_topic():
    from pathlib import Path

    import yaml

    examples = {}
    for item in yaml.safe_load(Path("data/nlu/faq.yml").read_text())["nlu"]:
        examples[item["intent"]] = {line[2:].strip() for line in item["examples"].splitlines() if line.strip()}
    for key, question in clarify.TOPICS.items():
        assert question in examples[f"faq/{key}"], key


# --- where does it say that? ------------------------------------------------------------


def bot_event(text):
    return {"event": "bot", "text": text}


def source_of(*earlier_events):
    events = [*earlier_events, user_event("where does it say that?", "ask_source")]
    current = Tracker(
        "visitor", {}, events[-1]["parse_data"] | {"text": events[-1]["text"]}, events, False, None, {}, "action_listen"
    )
    messages, _ = run_with_domain(sources.ActionShowSource(), current, {"responses": project_responses()})
    return messages[0]["text"]


def run_with_domain(action, current_tracker, domain):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, current_tracker, domain)
    return dispatcher.messages, events


def test_source_quotes_the_guide_sentence_of_the_last_answer():
    answer = project_responses()["utter_faq/does_it_hurt"][0]["text"]
    reply = source_of(user_event("does it hurt", "faq"), bot_event(answer))
    assert reply.startswith("The guide says: “")
    assert "numbed with a topical anesthetic to ensure maximum comfort" in reply


def test_source_of_an_aftercare_answer_built_from_the_phases(monkeypatch):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", "2026-11-28T10:00:00+00:00")
    now = aftercare.current_time("Europe/London")
    messages = aftercare.aftercare_messages(date(2026, 11, 27), False, now, SCHEDULE)
    reply = source_of(user_event("had it yesterday", "ask_aftercare_timing"), *map(bot_event, messages))
    assert "typically subsides within a day or two" in reply


def test_source_after_the_not_covered_reply_says_so():
    declined = project_responses()["utter_out_of_scope"][0]["text"]
    assert source_of(user_event("how much is it", "out_of_scope"), bot_event(declined)) == sources.NOT_COVERED


def test_source_with_nothing_from_the_guide_before():
    greeting = project_responses()["utter_greet"][0]["text"]
    assert source_of(user_event("hi", "greet"), bot_event(greeting)) == sources.NOTHING_TO_QUOTE
    assert source_of() == sources.NOTHING_TO_QUOTE


def test_asking_twice_quotes_the_same_answer_again():
    answer = project_responses()["utter_faq/session_spacing"][0]["text"]
    first = source_of(user_event("how far apart", "faq"), bot_event(answer))
    again = source_of(
        user_event("how far apart", "faq"), bot_event(answer), user_event("source?", "ask_source"), bot_event(first)
    )
    assert again == first and "a few weeks apart" in again


# --- the conversation's facts ------------------------------------------------------


def test_the_latest_text_is_the_message_as_written_not_as_read():
    written = "call me on <b>07700 900123</b>"
    event = user_event(written, "inform")
    read = Tracker(
        "visitor",
        {},
        event["parse_data"] | {"text": "call me on    07700 900123    "},
        [event],
        False,
        None,
        {},
        "action_listen",
    )
    assert latest_text(read) == written
