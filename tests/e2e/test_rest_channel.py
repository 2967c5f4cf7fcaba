"""The whole assistant over the REST channel: real Rasa server, real action server."""

import pytest
import requests

from actions.settings import load_aftercare_schedule
from tests.harness.conversations import texts

SCHEDULE = {phase.name: phase for phase in load_aftercare_schedule().phases}
NOT_COVERED = "doesn't cover"
CONSULTATION = "qualified professional"


def test_answers_a_guide_question(servers, sender):
    reply = texts(servers.send(sender, "What is microneedling?"))
    assert "collagen induction therapy" in reply.lower()


def test_answer_offers_related_questions_as_buttons(servers, sender):
    messages = servers.send(sender, "Will my skin be red afterwards?")
    assert "sunburn" in texts(messages).lower()
    buttons = [button for message in messages for button in message.get("buttons", [])]
    assert buttons, messages
    # A button sends its question as text, and that question gets its own answer.
    follow_up = texts(servers.send(sender, buttons[0]["payload"]))
    assert follow_up and follow_up != texts(messages)


def test_capabilities_list_topics_as_buttons(servers, sender):
    messages = servers.send(sender, "what can I ask you?")
    assert len([b for m in messages for b in m.get("buttons", [])]) >= 3


@pytest.mark.parametrize(
    "question",
    ["How much does microneedling cost?", "Can I have it done while pregnant?", "Is laser better than this?"],
)
def test_questions_beyond_the_guide_are_not_answered_confidently(servers, sender, question):
    messages = servers.send(sender, question)
    assert NOT_COVERED in texts(messages)
    assert CONSULTATION in texts(messages)
    # Two short bubbles on a phone, the professional named once.
    assert len(messages) == 2 and texts(messages).count("professional") == 1, messages


def test_every_question_beyond_the_guide_gets_the_consultation(servers, sender):
    for question in ["How much does it cost?", "Do you have parking?", "Can I wear makeup after?"]:
        assert CONSULTATION in texts(servers.send(sender, question)), question


def test_where_does_it_say_that_quotes_the_guide(servers, sender):
    servers.send(sender, "Does microneedling hurt?")
    reply = texts(servers.send(sender, "where does it say that?"))
    assert reply.startswith("The guide says:")
    assert "numbed with a topical anesthetic" in reply


def test_where_does_it_say_that_after_an_aftercare_answer(servers, sender):
    servers.send(sender, "I had microneedling yesterday, what now?")
    reply = texts(servers.send(sender, "source?"))
    assert "typically subsides within a day or two" in reply


@pytest.mark.parametrize(
    "question", ["can microneedling leave scars", "will it scar my face", "does microneedling help acne scars"]
)
def test_scarring_is_never_answered_as_a_benefit_alone(servers, sender, question):
    # The guide says nothing about risks: whether the question is taken as out of scope
    # or as the scars answer, the reply must say so and point to a professional.
    reply = texts(servers.send(sender, question))
    assert NOT_COVERED in reply
    assert CONSULTATION in reply


def test_two_questions_in_one_message_get_both_answers_in_order(servers, sender):
    messages = servers.send(sender, "Does it hurt? And how far apart are the sessions?")
    reply = texts(messages)
    assert "anaesthetic" in reply and "few weeks apart" in reply, reply
    assert reply.index("anaesthetic") < reply.index("few weeks apart")
    # Each question is a turn of its own; the message as written is kept with them.
    user_events = [event for event in servers.stored_events(sender) if event["event"] == "user"]
    assert [event["text"] for event in user_events] == ["Does it hurt?", "how far apart are the sessions?"]
    assert [(event["metadata"]["split_from"], event["metadata"]["split_part"]) for event in user_events] == [
        ("Does it hurt? And how far apart are the sessions?", 0),
        ("Does it hurt? And how far apart are the sessions?", 1),
    ]


def test_an_aftercare_question_beside_another_gets_the_guide_aftercare(servers, sender):
    # Alone, "what aftercare is there" asks when the treatment was; beside another
    # question it asks for the guide's aftercare, which is answered without a date.
    reply = texts(servers.send(sender, "does it hurt? also what aftercare is there"))
    assert "anaesthetic" in reply and "wearing SPF" in reply, reply
    assert reply.index("anaesthetic") < reply.index("wearing SPF")
    user_events = [event for event in servers.stored_events(sender) if event["event"] == "user"]
    assert [event["metadata"]["split_answer"] for event in user_events] == ["faq/does_it_hurt", "faq/aftercare"]


def test_one_question_with_context_is_answered_once(servers, sender):
    messages = servers.send(sender, "I have quite sensitive skin. Does microneedling hurt?")
    assert "anaesthetic" in texts(messages)
    assert [event["text"] for event in servers.stored_events(sender) if event["event"] == "user"] == [
        "I have quite sensitive skin. Does microneedling hurt?"
    ]


@pytest.mark.parametrize(
    "message",
    [
        # a statement goes on with its own verb: "has acne scars" is the daughter's, not a question
        "is there an age limit? my daughter is 14 and has acne scars",
        # "between A and B" is one thing asked about
        "how long should i leave between microneedling and a laser facial",
    ],
)
def test_a_question_beyond_the_guide_with_a_guide_topic_in_it_is_declined_whole(servers, sender, message):
    reply = texts(servers.send(sender, message))
    assert NOT_COVERED in reply and CONSULTATION in reply
    assert [event["text"] for event in servers.stored_events(sender) if event["event"] == "user"] == [message]


@pytest.mark.parametrize(
    "message", ["<div><b>when will I notice results?</b></div>", "<p class='q'>when will I notice results?</p>"]
)
def test_a_question_wrapped_in_markup_is_read_without_it(servers, sender, message):
    reply = texts(servers.send(sender, message))
    assert reply.startswith("Over the next few days your skin begins to heal"), reply
    # The markup is not obeyed, only skipped: the conversation keeps the message as written.
    assert [event["text"] for event in servers.stored_events(sender) if event["event"] == "user"] == [message]


@pytest.mark.parametrize(
    "message",
    [
        "still red after 5 days, is that normal?",
        "my skin has been sore for a week since my treatment",
        "I had microneedling last Monday and my face is still puffy and hot, should it be?",
    ],
)
def test_a_lasting_symptom_is_never_called_normal(servers, sender, message):
    reply = texts(servers.send(sender, message))
    assert "practitioner" in reply, reply
    assert "normal" not in reply.lower(), reply


@pytest.mark.parametrize("message", ["that's not helpful", "you're useless"])
def test_frustration_gets_an_apology_topics_and_the_consultation(servers, sender, message):
    messages = servers.send(sender, message)
    reply = texts(messages)
    assert reply.startswith("Sorry"), reply
    assert "let's leave that" not in reply
    assert [b for m in messages for b in m.get("buttons", [])], messages
    assert CONSULTATION in reply


@pytest.mark.parametrize(
    "message, when",
    [
        ("I had microneedling 6 hours ago, what now?", "Your treatment is today"),
        ("it's been 48 hours since my microneedling, what aftercare applies?", "2 days ago"),
        ("I had microneedling a fortnight ago, what aftercare applies now?", "14 days ago"),
    ],
)
def test_aftercare_in_hours_and_fortnights(servers, sender, message, when):
    assert when in texts(servers.send(sender, message))


def test_booking_request_suggests_a_consultation(servers, sender):
    reply = texts(servers.send(sender, "I'd like to book an appointment"))
    assert CONSULTATION in reply


def test_aftercare_with_the_date_in_the_question(servers, sender):
    reply = texts(servers.send(sender, "I had microneedling 2 days ago, what should I do now?"))
    assert "2 days ago" in reply
    assert SCHEDULE["first_two_days"].now in reply
    assert SCHEDULE["first_two_days"].next in reply
    # Answered in one action-server call: the form (and its validation call) never ran.
    actions = [event["name"] for event in servers.stored_events(sender) if event["event"] == "action"]
    assert "action_aftercare_timing" in actions
    assert "aftercare_timing_form" not in actions


def test_vague_date_in_the_question_is_asked_again_then_answered(servers, sender):
    reask = texts(servers.send(sender, "I had it a few days ago, which aftercare applies now?"))
    assert "couldn't work out a date" in reask
    reply = texts(servers.send(sender, "3 days ago"))
    assert "Your treatment was 3 days ago, on Wednesday 25 November" in reply


def test_aftercare_form_asks_for_the_date_then_answers(servers, sender):
    question = texts(servers.send(sender, "which aftercare applies to me at this point?"))
    assert "When did you have your microneedling treatment" in question
    reply = texts(servers.send(sender, "last Friday"))
    assert "yesterday" in reply  # the fixed clock says today is Saturday
    assert SCHEDULE["first_two_days"].now in reply


def test_aftercare_for_an_upcoming_treatment_suggests_a_consultation_first(servers, sender):
    messages = servers.send(sender, "I'm booked for next Monday, what should I expect afterwards?")
    assert "in 2 days" in texts(messages)
    assert "topical anaesthetic" in texts(messages)
    # Already booked: the consultation is a reminder, not "contact your clinic to arrange one".
    assert "If you haven't had a consultation yet" in texts(messages)
    assert "arrange one" not in texts(messages)
    assert len(messages) == 2


# The fixed clock says Saturday 28 November 2026: the words around the date say it is ahead.
@pytest.mark.parametrize(
    "message, when",
    [
        ("I'm booked for the 5th, what should I expect", "Your treatment is in 7 days, on Saturday 5 December"),
        ("I will have it on Friday, what aftercare do I need?", "Your treatment is in 6 days, on Friday 4 December"),
        ("my microneedling is next week, anything I should know?", "So your treatment is still to come"),
    ],
)
def test_a_treatment_still_to_come_is_read_as_ahead(servers, sender, message, when):
    reply = texts(servers.send(sender, message))
    assert when in reply
    assert "Next:" not in reply  # no aftercare phase before the treatment


def test_stopping_the_date_question_starts_the_next_one_afresh(servers, sender):
    assert "couldn't work out a date" in texts(servers.send(sender, "I had it a while back, which aftercare now?"))
    servers.send(sender, "never mind")
    again = texts(servers.send(sender, "which aftercare applies to me now?"))
    assert "When did you have your microneedling treatment" in again
    assert "couldn't work out" not in again


def test_a_time_in_another_question_is_not_taken_as_the_treatment_date(servers, sender):
    reply = texts(servers.send(sender, "will the redness be gone by tomorrow?"))
    assert "Your treatment" not in reply


def test_a_while_back_is_asked_about(servers, sender):
    reask = texts(servers.send(sender, "I had microneedling a while back, what aftercare applies now?"))
    assert "couldn't work out a date" in reask


def test_unusable_date_is_asked_once_more_then_general_aftercare(servers, sender):
    servers.send(sender, "what aftercare applies to me right now?")
    reask = texts(servers.send(sender, "100 years ago"))
    assert "couldn't work out a date" in reask
    reply = texts(servers.send(sender, "banana"))
    assert "general aftercare" in reply


def test_unsure_message_offers_likely_topics(servers, sender):
    # A lone word the model is unsure about (nlu_fallback), rather than a confident guess.
    messages = servers.send(sender, "it")
    assert "Did you mean" in texts(messages)
    assert [b for m in messages for b in m.get("buttons", [])]


@pytest.mark.parametrize("message", ["¿cuántas sesiones necesito?", "wie funktioniert das?"])
def test_a_question_in_another_language_is_asked_again_in_english(servers, sender, message):
    messages = servers.send(sender, message)
    assert "only read and answer English" in texts(messages)
    assert "not covered" not in texts(messages).lower()
    assert [b for m in messages for b in m.get("buttons", [])]


def test_two_misunderstandings_in_a_row_suggest_a_consultation(servers, sender):
    first = servers.send(sender, "umm")
    assert texts(first)
    second = servers.send(sender, "huh")
    assert "still don't understand" in texts(second)
    assert CONSULTATION in texts(second)
    assert len(second) == 2, second  # once each, not repeated until Rasa's circuit breaker trips
    # and the conversation goes on
    assert "collagen induction therapy" in texts(servers.send(sender, "What is microneedling?")).lower()


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   ",
        "microneedling " * 357,  # about 5,000 characters
        "😀🙏✨",
        "<script>alert(1)</script>",
        "Wie viel kostet eine Behandlung?",
        "¿Duele el tratamiento?",
    ],
    ids=["empty", "whitespace", "5000-chars", "emoji", "script", "german", "spanish"],
)
def test_bad_input_gets_a_polite_reply_and_the_server_stays_up(servers, sender, message):
    messages = servers.send(sender, message)
    assert texts(messages).strip(), f"no reply to {message[:40]!r}"
    assert "<script>" not in texts(messages)
    assert "collagen" in texts(servers.send(sender, "What is microneedling?")).lower()
    assert requests.get(f"{servers.rasa_url}/", timeout=5).ok
