"""Cutting a message into questions and choosing which to answer one by one."""

import pytest

from connectors.questions import Piece, question_pieces, questions_to_answer


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("does it hurt and how long will I be red?", ["does it hurt", "how long will I be red?"]),
        ("how many sessions? and how far apart?", ["how many sessions?", "how far apart?"]),
        ("how deep do they go, does it hurt", ["how deep do they go", "does it hurt"]),
        ("<p>does it hurt?</p><p>how deep?</p>", ["does it hurt?", "how deep?"]),
        ("can i use retinol after n when will the redness go", ["can i use retinol after", "when will the redness go"]),
        ("does it help acne scars and pores?", ["does it help acne scars", "pores"]),
        ("What is microneedling?", ["What is microneedling?"]),
        # not a question: a short conjunct is not cut off
        ("I am 45 and I have wrinkles, would it help?", ["I am 45 and I have wrinkles", "would it help?"]),
        ("tell me about pores & scars", ["tell me about pores & scars"]),
        ("", []),
        ("?!", []),
    ],
)
def test_question_pieces(text, pieces):
    assert [piece.text for piece in question_pieces(text)] == pieces


def test_pieces_know_whether_they_ask():
    assert [piece.asks for piece in question_pieces("I'm 52 and my lines bother me. Would it help?")] == [False, True]
    assert [piece.asks for piece in question_pieces("does it help acne scars and pores")] == [True, True]


def faq(key, intent_confidence=0.95, answer_confidence=0.9):
    return {"intent": {"name": "faq", "confidence": intent_confidence}, "entities": [],
            "response_selector": {"faq": {"response": {"intent_response_key": f"faq/{key}",
                                                       "confidence": answer_confidence}}}}


def intent(name, confidence=0.95, entities=()):
    return {"intent": {"name": name, "confidence": confidence}, "entities": list(entities)}


def asking(*texts):
    return [Piece(text, True) for text in texts]


def test_two_clear_guide_questions_are_answered_in_order():
    pieces = asking("does it hurt", "how long will I be red?")
    assert questions_to_answer(pieces, [faq("does_it_hurt"), faq("redness_after")], faq("does_it_hurt")) == [
        "does it hurt", "how long will I be red?"]


def test_context_around_the_questions_is_left_out():
    pieces = [Piece("my skin looks dull", False), *asking("does it hurt?", "how many sessions?")]
    parses = [faq("skin_health"), faq("does_it_hurt"), faq("number_of_sessions")]
    assert questions_to_answer(pieces, parses, faq("does_it_hurt")) == ["does it hurt?", "how many sessions?"]


def test_a_question_beyond_the_guide_beside_a_guide_question_is_answered_too():
    pieces = asking("does it hurt?", "how much is it?")
    assert questions_to_answer(pieces, [faq("does_it_hurt"), intent("out_of_scope")], faq("does_it_hurt")) == [
        "does it hurt?", "how much is it?"]


def test_one_clear_question_in_an_unclear_message_is_answered_alone():
    pieces = [Piece("alert('x')", False), *asking("does it hurt")]
    parses = [intent("out_of_scope"), faq("does_it_hurt")]
    assert questions_to_answer(pieces, parses, intent("out_of_scope")) == ["does it hurt"]


def test_one_clear_question_in_a_clear_message_goes_through_whole():
    pieces = [Piece("I'm 52 and my lines bother me", False), *asking("would it soften them?")]
    parses = [faq("fine_lines_wrinkles"), faq("fine_lines_wrinkles")]
    assert questions_to_answer(pieces, parses, faq("fine_lines_wrinkles")) == []


@pytest.mark.parametrize(
    "parses",
    [
        [faq("does_it_hurt"), faq("does_it_hurt")],  # one question, asked twice
        [faq("does_it_hurt"), faq("redness_after", answer_confidence=0.2)],  # the second is unclear
        [faq("does_it_hurt"), faq("redness_after", intent_confidence=0.4)],
        [intent("out_of_scope"), intent("out_of_scope")],  # nothing the guide answers
        [faq("aftercare"), intent("inform_treatment_date", entities=[{"entity": "treatment_time"}])],
    ],
    ids=["same answer", "unclear answer", "unclear intent", "no guide answer", "a date"],
)
def test_otherwise_the_message_goes_through_whole(parses):
    assert questions_to_answer(asking("first?", "second?"), parses, faq("does_it_hurt")) == []


class CountingNlu:
    """Answers every piece as a clear FAQ question of its own and counts the calls."""

    def __init__(self):
        self.read = []

    async def __call__(self, text):
        self.read.append(text)
        return faq(f"key_{len(self.read)}")


@pytest.mark.parametrize(
    "text, reads",
    [
        ("What is microneedling?", 0),  # one piece
        ("I had it yesterday, what now?", 0),  # one question among plain statements
        ("does it hurt and how long will I be red?", 3),  # the whole message and each question
        ("<p>hello</p> does it hurt?", 1),  # markup: the whole, clear on its own
    ],
)
def test_the_nlu_reads_only_what_can_change_the_answer(text, reads):
    import asyncio

    from connectors.questions import _questions

    nlu = CountingNlu()
    asyncio.run(_questions(text, nlu))
    assert len(nlu.read) == reads, nlu.read
