"""Visitors say whether an answer helped: "Was this answer helpful?" after an answer from
the guide (not after every one), 👍 / 👎 or words, kept in the conversation for the report."""

import pytest

from tests.harness.conversations import texts

ASKED = "Was this answer helpful?"
CONSULTATION = "qualified professional"


def feedback_buttons(messages):
    return [button for message in messages if message.get("text") == ASKED for button in message.get("buttons", [])]


def stored_feedback(servers, sender):
    return [
        event["value"]
        for event in servers.stored_events(sender)
        if event.get("event") == "slot" and event.get("name") == "feedback"
    ]


def test_the_first_answer_asks_whether_it_helped(servers, sender):
    messages = servers.send(sender, "Does microneedling hurt?")
    assert "anaesthetic" in texts(messages)
    assert messages[-1]["text"] == ASKED
    assert [button["title"] for button in feedback_buttons(messages)] == ["👍 Yes", "👎 No"]


def test_thumbs_up_is_thanked_and_kept_for_that_answer(servers, sender):
    yes, _ = feedback_buttons(servers.send(sender, "Does microneedling hurt?"))
    reply = texts(servers.send(sender, yes["payload"]))
    assert reply.startswith("Thanks"), reply
    assert stored_feedback(servers, sender) == [{"answer": "faq/does_it_hurt", "helpful": True}]


def test_thumbs_down_gets_an_apology_other_topics_and_the_consultation(servers, sender):
    _, no = feedback_buttons(servers.send(sender, "Does microneedling hurt?"))
    messages = servers.send(sender, no["payload"])
    reply = texts(messages)
    assert reply.startswith("Sorry"), reply
    topics = [button["title"] for message in messages for button in message.get("buttons", [])]
    assert topics and "Does microneedling hurt?" not in topics, topics
    assert CONSULTATION in reply
    assert stored_feedback(servers, sender) == [{"answer": "faq/does_it_hurt", "helpful": False}]


@pytest.mark.parametrize("words, helpful", [("yes that helped", True), ("no", False), ("not really", False)])
def test_words_work_as_well_as_buttons(servers, sender, words, helpful):
    servers.send(sender, "how many sessions will i need")
    servers.send(sender, words)
    assert stored_feedback(servers, sender) == [{"answer": "faq/number_of_sessions", "helpful": helpful}]


def test_it_asks_at_most_once_every_three_answers(servers, sender):
    questions = [
        "What is microneedling?",
        "Does microneedling hurt?",
        "How deep do the needles go?",
        "How many sessions will I need?",
        "Can it reduce enlarged pores?",
    ]
    asked = [ASKED in texts(servers.send(sender, question)) for question in questions]
    assert asked == [True, False, False, True, False]


def test_two_questions_in_one_message_are_not_interrupted(servers, sender):
    messages = servers.send(sender, "does it hurt and how many sessions will i need?")
    assert ASKED not in texts(messages)


def test_frustration_after_an_answer_counts_against_that_answer(servers, sender):
    servers.send(sender, "How deep do the needles go?")
    reply = texts(servers.send(sender, "that's not helpful"))
    assert reply.startswith("Sorry") and CONSULTATION in reply
    assert stored_feedback(servers, sender) == [{"answer": "faq/needle_depth", "helpful": False}]


def test_a_stop_said_with_annoyance_is_met_as_frustration(servers, sender):
    servers.send(sender, "How deep do the needles go?")
    reply = texts(servers.send(sender, "ugh forget it"))
    assert reply.startswith("Sorry") and CONSULTATION in reply and "let's leave that" not in reply
    assert stored_feedback(servers, sender) == [{"answer": "faq/needle_depth", "helpful": False}]


def test_yes_or_no_with_no_answer_before_is_not_kept(servers, sender):
    servers.send(sender, "hi")
    clarification = texts(servers.send(sender, "yes"))
    assert "not sure I understood" in clarification or "didn't understand" in clarification, clarification
    assert texts(servers.send(sender, "no")).startswith("Sorry")
    assert stored_feedback(servers, sender) == []
