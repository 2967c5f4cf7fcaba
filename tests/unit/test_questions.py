"""Cutting a message into questions and choosing which to answer one by one."""

import pytest

from connectors.questions import Piece, Question, question_pieces, questions_to_answer


@pytest.mark.parametrize(
    "text, pieces",
    [
        ("does it hurt and how long will I be red?", ["does it hurt", "how long will I be red?"]),
        ("how many sessions? and how far apart?", ["how many sessions?", "how far apart?"]),
        ("how deep do they go, does it hurt", ["how deep do they go", "does it hurt"]),
        ("<p>does it hurt?</p><p>how deep?</p>", ["does it hurt?", "how deep?"]),
        # words in bold or italics, or a link, stay in their sentence; a line break cuts
        (
            "<p>How long does the <b>redness</b> usually last after microneedling?</p>",
            ["How long does the <b>redness</b> usually last after microneedling?"],
        ),
        (
            "does it <em>hurt</em> and how <a href='#x'>deep</a>?",
            ["does it <em>hurt</em>", "how <a href='#x'>deep</a>?"],
        ),
        ("does it hurt<br>how deep", ["does it hurt", "how deep"]),
        ("can i use retinol after n when will the redness go", ["can i use retinol after", "when will the redness go"]),
        ("does it help acne scars and pores?", ["does it help acne scars", "pores"]),
        # question words as typed in a hurry
        ("wil it help my wrinkles n does it hurt much", ["wil it help my wrinkles", "does it hurt much"]),
        # when a thing applies until is part of the question, not a second thing asked about
        (
            "which things do i avoid and until when after my session",
            ["which things do i avoid and until when after my session"],
        ),
        ("What is microneedling?", ["What is microneedling?"]),
        # a greeting, "please" or "kindly advise" before a question word leaves it a question
        ("please brother what is microneedling and is it painful", ["what is microneedling", "is it painful"]),
        (
            "Kindly advise who will do the procedure and how many sessions are required",
            ["who will do the procedure", "how many sessions are required"],
        ),
        ("hi how deep does it go, and does it hurt", ["how deep does it go", "does it hurt"]),
        # ... and so do question words run into their verb
        ("whos the one actually doing it, and is it worth it", ["whos the one actually doing it", "is it worth it"]),
        ("hows it done step by step and how deep", ["hows it done step by step", "how deep"]),
        # courtesy before a statement leaves it a statement
        ("please help, my skin is still red and does it hurt", ["please help, my skin is still red", "does it hurt"]),
        # not a question: a short conjunct is not cut off
        ("I am 45 and I have wrinkles, would it help?", ["I am 45 and I have wrinkles", "would it help?"]),
        ("my pores & scars bother me", ["my pores & scars bother me"]),
        # two things asked about together are one question
        (
            "is it ok to have fillers and microneedling close together",
            ["is it ok to have fillers and microneedling close together"],
        ),
        ("can i get botox and microneedling on the same day", ["can i get botox and microneedling on the same day"]),
        (
            "can i do laser hair removal and microneedling in the same month",
            ["can i do laser hair removal and microneedling in the same month"],
        ),
        # "between A and B" is one thing
        (
            "how long do i wait between microneedling and a laser treatment",
            ["how long do i wait between microneedling and a laser treatment"],
        ),
        # a statement goes on with its own verb ("... and has acne scars"); a question starts
        # with its verb before its subject ("... and is it normal")
        (
            "whats the minimum age? my son is 15 and has acne scars",
            ["whats the minimum age?", "my son is 15 and has acne scars"],
        ),
        ("she is 16 & has a lot of acne", ["she is 16 & has a lot of acne"]),
        ("I'm 67 and have a few lines, does it help?", ["I'm 67 and have a few lines", "does it help?"]),
        (
            "i had it on monday and is it normal to still be red",
            ["i had it on monday", "is it normal to still be red"],
        ),
        ("i had it yesterday and is peeling normal", ["i had it yesterday", "is peeling normal"]),
        ("i had it monday and has the redness gone down?", ["i had it monday", "has the redness gone down?"]),
        ("does it hurt and will redness last long", ["does it hurt", "will redness last long"]),
        # "between" a few words before "and" joins the two; further back it does not
        (
            "can i use retinol between my sessions at the clinic and vitamin c",
            ["can i use retinol between my sessions at the clinic", "vitamin c"],
        ),
        # a request to be told asks as a question does
        ("tell me about pores & scars", ["tell me about pores", "scars"]),
        (
            "walk me through the appointment, and how deep do you go",
            ["walk me through the appointment", "how deep do you go"],
        ),
        # a longer second half, or one led by "my", is asked about too, after a question
        (
            "will it help my big pores and also the fine lines around my eyes",
            ["will it help my big pores", "the fine lines around my eyes"],
        ),
        ("will it shrink my pores and smooth my rough skin", ["will it shrink my pores", "smooth my rough skin"]),
        ("skin peeling and itchy a week after?? normal?", ["skin peeling and itchy a week after??", "normal?"]),
        # "A and B, does it help both?": each is asked about
        ("pores + fine lines, will it help both?", ["pores", "fine lines"]),
        ("wrinkles and pores, does it do both?", ["wrinkles", "pores"]),
        (
            "my texture is rough AND my pores are huge, does microneedling help both of these??",
            ["my texture is rough", "my pores are huge"],
        ),
        # "is that normal" points back at the statement before it, with or without a comma
        (
            "still red after 6 days is that normal, and when can i exfoliate again",
            ["still red after 6 days, is that normal", "when can i exfoliate again"],
        ),
        # a question after a colon starts a piece; hedges before a question are dropped
        (
            "so two things: what's the aftercare, and how red will I be?",
            ["two things:", "what's the aftercare", "how red will I be?"],
        ),
        (
            "do i need a consultation first? and honestly is it worth it",
            ["do i need a consultation first?", "is it worth it"],
        ),
        ("cn it help acne scars and also big pores", ["cn it help acne scars", "big pores"]),
        ("", []),
        ("?!", []),
        # a short question that points back ("is that ok?") belongs to the statement before it
        (
            "my skin's still tender 5 days later, is that ok? also when can I have my next session",
            ["my skin's still tender 5 days later, is that ok?", "when can I have my next session"],
        ),
        (
            "still red after a week... normal? and should i keep putting sunscreen on",
            ["still red after a week... normal?", "should i keep putting sunscreen on"],
        ),
        (
            "still a bit pink on day 3. ok? and can i wear makeup",
            ["still a bit pink on day 3. ok?", "can i wear makeup"],
        ),
        # "+" joins questions like "and"; a hedge word may come before the next question
        ("is it painful + how red do you get", ["is it painful", "how red do you get"]),
        (
            "how deep do the needles go? and roughly how many sessions",
            ["how deep do the needles go?", "how many sessions"],
        ),
        ("does it work, and specifically does it shrink pores", ["does it work", "does it shrink pores"]),
        ("i'm 30 and just curious", ["i'm 30 and just curious"]),
        # a hedge cuts only before a question word: these are statements
        ("I'll wait and just have it done in spring", ["I'll wait and just have it done in spring"]),
        ("id love to but just can't afford it", ["id love to but just can't afford it"]),
        ("does it help acne scars + pores?", ["does it help acne scars", "pores"]),
        # a short conjunct may start with a preposition
        ("does it help with pores and with general skin health", ["does it help with pores", "general skin health"]),
        # numbered questions
        (
            "hi, two questions: 1) does it help pores 2) do products absorb better after",
            ["hi, two questions:", "does it help pores", "do products absorb better after"],
        ),
        ("1. does it hurt? 2. how deep do they go?", ["does it hurt?", "how deep do they go?"]),
        ("<p>1) does it hurt</p><p>2) how deep</p>", ["does it hurt", "how deep"]),
        ("I'm 45. I have wrinkles, would it help?", ["I'm 45.", "I have wrinkles", "would it help?"]),
        # a slash before a question cuts; between two names of one thing it does not
        ("how many sessions do i need / how far apart", ["how many sessions do i need", "how far apart"]),
        ("benefits? / does it actually work", ["benefits?", "does it actually work"]),
        ("smile lines / laugh lines does it work on those", ["smile lines / laugh lines does it work on those"]),
        # "+" or "&" after a question mark starts the next question too
        ("pores - does it help? + how soon do results show", ["pores - does it help?", "how soon do results show"]),
        # a question about the topic before it is one question with it
        ("pores 🙈 does it help? and does it hurt", ["pores 🙈 does it help?", "does it hurt"]),
        ("fine lines + does it actually work on them?", ["fine lines, does it actually work on them?"]),
        # an emoji inside a sentence does not end it
        ("I ❤️ microneedling, is it ok for sensitive skin", ["I ❤️ microneedling", "is it ok for sensitive skin"]),
        ("is it safe for 👶 breastfeeding moms?", ["is it safe for 👶 breastfeeding moms?"]),
        ("does it hurt ⭐ how much is it", ["does it hurt ⭐", "how much is it"]),
        # "quick q" before a question is filler, like "and"
        (
            "quick q does it shrink pores + does it make serums work better",
            ["does it shrink pores", "does it make serums work better"],
        ),
        ("quick question: how deep do the needles go?", ["how deep do the needles go?"]),
        # "and whether" starts an indirect question, as "and how" does; "whether ... or not" asks nothing
        (
            "could you tell me what it is good for, and whether I need to see a professional first?",
            ["could you tell me what it is good for", "whether I need to see a professional first?"],
        ),
        ("I will book it, whether it hurts or not.", ["I will book it, whether it hurts or not."]),
        ("Not sure yet, whether to book", ["Not sure yet, whether to book"]),
        # "ok quick q", "quick qs:" are filler too
        ("ok quick q does it hurt and how long is the redness", ["does it hurt", "how long is the redness"]),
        ("quick qs: does it hurt? how deep?", ["does it hurt?", "how deep?"]),
        # an emoji ends a sentence before a question word, as a full stop does
        (
            "getting married in the fall 💍 does it make you look younger and how long is the redness after",
            ["getting married in the fall 💍", "does it make you look younger", "how long is the redness after"],
        ),
    ],
)
def test_question_pieces(text, pieces):
    assert [piece.text for piece in question_pieces(text)] == pieces


def asks_in(text):
    """Whether each piece of the text asks something."""
    return [piece.asks for piece in question_pieces(text)]


def test_pieces_know_whether_they_ask():
    assert asks_in("I'm 52 and my lines bother me. Would it help?") == [False, True]
    assert asks_in("does it help acne scars and pores") == [True, True]
    # a lead-in before a colon ("two things:") does not hide the question after it
    assert asks_in("two things: does it help scars, and is it worth it?") == [
        False,
        True,
        True,
    ]
    assert asks_in("better absorption?? explain pls") == [True, False]
    # a worry told asks as a question does
    assert asks_in("had it 6 days ago and still red which is worrying me, and when will it settle?") == [True, True]
    assert asks_in("wats microneedling n does it hurt") == [True, True]
    assert asks_in("wil it help my wrinkles n does it hurt much") == [True, True]
    assert asks_in("shud i use spf after, n how long am i red") == [True, True]
    # "wen" is also a cyst
    assert asks_in("does it help with milia, wen or skin tags?") == [True]
    assert asks_in("my worry: the redness. does it hurt?") == [False, True]
    # a topic of a few words before a question is asked about too; a statement is not
    assert asks_in("fine lines + does it hurt?") == [True, True]
    assert asks_in("pain level + how long am i red for?") == [True, True]
    assert asks_in("I'm 45, does it help wrinkles") == [False, True]
    assert asks_in("hi there, does it hurt") == [False, True]
    assert asks_in("sceptical here. is there any reason it works") == [False, True]
    assert asks_in("lifeguard here ☀️ what aftercare do i need") == [False, True]
    assert asks_in("stretch marks and how many sessions") == [True, True]
    # a short afterthought after a question asks too; a longer one, or one after a statement, does not
    assert asks_in("does it help acne scars? and also my big pores") == [True, True]
    assert asks_in("is it good for skin health? and wrinkles specifically") == [
        True,
        True,
    ]
    assert asks_in("I'm 45. and my sister is 50") == [False, False]
    assert asks_in("does it hurt? and I have been reading about it for a long time") == [True, False]
    # a topic is joined to the question by "+", "&" or "and" at the message's start, not later in it
    assert not question_pieces("swelling, how long does the swelling and redness last")[0].asks
    assert asks_in("Perfect and does it hurt") == [False, True]
    assert asks_in("does it hurt, and whether the redness lasts") == [True, True]
    assert asks_in("Whether it works or not, I am booking. does it hurt?") == [False, True]
    assert asks_in("Sounds good and how much is it") == [False, True]
    assert asks_in("does it hurt? + my pores") == [True, True]
    assert asks_in("does it hurt? and I'm nervous lol") == [True, False]
    assert asks_in("does it hurt? and thanks!") == [True, False]
    assert [piece.text for piece in question_pieces("does it help acne scars? and also my big pores")] == [
        "does it help acne scars?",
        "my big pores",
    ]
    # not knowing what or how asks as a question does; not getting something does not
    assert asks_in("I don’t get what it is, does it hurt?") == [True, True]
    assert asks_in("I don't get any redness after, is that normal?") == [True]
    assert asks_in("I can't see any difference yet.") == [False]
    assert asks_in("i still dont really get what it even is and also does it hurt") == [True, True]
    assert asks_in("I don't understand how it works, is it worth it?") == [True, True]
    assert asks_in("I know what it is. I'm 40") == [False, False]
    # a dash is no lead-in: "booked for friday - can't wait", "loved it - would recommend"
    assert asks_in("Loved it - would recommend") == [False]
    assert asks_in("Booked for Friday - can't wait") == [False]
    # ... but a question after a dash is a question, its context before it
    assert asks_in("stretch marks on my hips - does it work on them, and how many treatments?") == [True, True]
    # a question asked for someone, or wondered about, is a question
    assert asks_in("my bf wants to know does it hurt and who actually does it") == [
        True,
        True,
    ]
    assert asks_in("i was wondering if it helps pores, also how deep do they go") == [
        True,
        True,
    ]
    assert asks_in("i know what microneedling is, but does it hurt?") == [
        False,
        True,
    ]
    # "fine." answers something; it asks nothing
    assert [piece.text for piece in question_pieces("I had it yesterday. fine. what now?")] == [
        "I had it yesterday.",
        "fine.",
        "what now?",
    ]


def faq(key, intent_confidence=0.95, answer_confidence=0.9):
    return {
        "intent": {"name": "faq", "confidence": intent_confidence},
        "entities": [],
        "response_selector": {
            "faq": {"response": {"intent_response_key": f"faq/{key}", "confidence": answer_confidence}}
        },
    }


def intent(name, confidence=0.95, entities=()):
    return {"intent": {"name": name, "confidence": confidence}, "entities": list(entities)}


def asking(*texts):
    return [Piece(text, True) for text in texts]


def test_two_clear_guide_questions_are_answered_in_order():
    pieces = asking("does it hurt", "how long will I be red?")
    assert questions_to_answer(pieces, [faq("does_it_hurt"), faq("redness_after")], faq("does_it_hurt")) == [
        Question("does it hurt", "faq/does_it_hurt"),
        Question("how long will I be red?", "faq/redness_after"),
    ]


def aftercare_without_a_date(answer="aftercare", answer_confidence=0.99):
    return {
        **faq(answer, answer_confidence=answer_confidence),
        "intent": {"name": "ask_aftercare_timing", "confidence": 0.97},
    }


@pytest.mark.parametrize(
    "second",
    [
        aftercare_without_a_date(),
        faq("number_of_sessions", intent_confidence=0.45, answer_confidence=0.99),
        faq("session_spacing", intent_confidence=0.55, answer_confidence=0.88),
    ],
    ids=["aftercare intent, no date", "unsure intent", "guide answers likeliest, answer likely"],
)
def test_a_surely_picked_answer_beside_a_clear_question_is_answered_too(second):
    """ "what aftercare is there" alone asks for the date; beside "can i exfoliate" it is the
    guide's aftercare. "how many would I need" after "what happens in a session?" is the
    number of sessions however unsure the intent."""
    pieces = asking("can i exfoliate", "what aftercare is there")
    answer = second["response_selector"]["faq"]["response"]["intent_response_key"]
    assert questions_to_answer(pieces, [faq("exfoliation_and_harsh_products"), second], second) == [
        Question("can i exfoliate", "faq/exfoliation_and_harsh_products"),
        Question("what aftercare is there", answer),
    ]


@pytest.mark.parametrize(
    "parses",
    [
        [aftercare_without_a_date(), intent("out_of_scope")],  # nothing clear beside it
        [faq("does_it_hurt"), aftercare_without_a_date(answer_confidence=0.8)],  # not sure enough
        [faq("does_it_hurt"), faq("number_of_sessions", intent_confidence=0.45, answer_confidence=0.6)],
        [
            faq("does_it_hurt"),
            {**faq("number_of_sessions", answer_confidence=0.9), "intent": {"name": "greet", "confidence": 0.45}},
        ],
        [faq("does_it_hurt"), intent("out_of_scope", confidence=0.45)],  # leaning out of scope: not an answer
    ],
    ids=["alone", "unsure aftercare pick", "unsure pick", "another intent first", "no pick"],
)
def test_a_loosely_read_piece_needs_a_clear_one_beside_it_and_a_sure_pick(parses):
    assert questions_to_answer(asking("first?", "second?"), parses, intent("ask_aftercare_timing")) == []


def test_an_aftercare_question_read_unsurely_is_not_dropped_for_the_clear_one():
    # The aftercare timing asks for the date: the message goes through whole.
    parses = [faq("does_it_hurt"), aftercare_without_a_date(answer_confidence=0.8)]
    assert questions_to_answer(asking("does it hurt?", "what now?"), parses, intent("nlu_fallback", 0.4)) == []


def dated(parse, value):
    return {**parse, "entities": [{"entity": "treatment_time", "value": value}]}


def test_a_date_inside_a_question_the_guide_answers_does_not_stop_the_cut():
    """ "still red on day 6, is that normal?" asks about a symptom, not for the aftercare timing."""
    pieces = asking("still red on day 6, is that normal", "when can i exfoliate again")
    parses = [dated(faq("lasting_symptoms"), "day 6"), faq("exfoliation_and_harsh_products")]
    assert questions_to_answer(pieces, parses, dated(faq("lasting_symptoms"), "day 6")) == [
        Question("still red on day 6, is that normal", "faq/lasting_symptoms"),
        Question("when can i exfoliate again", "faq/exfoliation_and_harsh_products"),
    ]


def test_a_date_in_the_story_of_a_message_not_read_as_aftercare_does_not_stop_the_cut():
    """ "stretch marks since my twins were born 8 years ago. does it help them, and how often?":
    the date is no treatment's, and nothing reads the message as the aftercare timing."""
    pieces = asking("Does microneedling help stretch marks", "how often could I have it done?")
    parses = [faq("texture_scars_stretch_marks"), faq("session_spacing")]
    whole = dated(faq("texture_scars_stretch_marks"), "8 years ago")
    assert questions_to_answer(pieces, parses, whole) == [
        Question("Does microneedling help stretch marks", "faq/texture_scars_stretch_marks"),
        Question("how often could I have it done?", "faq/session_spacing"),
    ]


def test_a_date_beside_a_question_about_what_to_do_after_sends_the_message_whole():
    # "had it 3 days ago, can i exfoliate? can i wear makeup?": read unsurely as a whole, its
    # questions ask what to do after a treatment, so the date is the treatment's.
    pieces = asking("can i exfoliate?", "can i wear makeup?")
    parses = [faq("exfoliation_and_harsh_products"), faq("aftercare")]
    assert questions_to_answer(pieces, parses, dated(intent("nlu_fallback", 0.4), "3 days ago")) == []


def test_a_date_outside_the_questions_sends_the_message_whole():
    # "had it 3 days ago, can i exfoliate? and does the redness last": the date is in no question.
    pieces = asking("can i exfoliate?", "does the redness last")
    parses = [faq("exfoliation_and_harsh_products"), faq("redness_after")]
    assert questions_to_answer(pieces, parses, dated(intent("ask_aftercare_timing"), "3 days ago")) == []


def questions_read_by(readings, text):
    """The questions `_questions` finds in `text`, with an NLU that knows only `readings`."""
    import asyncio

    from connectors.questions import _questions

    async def nlu(piece):
        return readings.get(piece, intent("nlu_fallback", 0.4))

    return asyncio.run(_questions(text, nlu))


def test_a_question_unclear_alone_is_read_with_the_statement_before_it():
    readings = {
        "my stretch marks are bad, can it help them": faq("texture_scars_stretch_marks"),
        "how many sessions would that take": faq("number_of_sessions"),
    }
    questions = questions_read_by(
        readings, "my stretch marks are bad, can it help them and how many sessions would that take"
    )
    assert questions == [
        Question("my stretch marks are bad, can it help them", "faq/texture_scars_stretch_marks"),
        Question("how many sessions would that take", "faq/number_of_sessions"),
    ]


def test_it_in_a_question_unclear_alone_is_read_as_the_treatment():
    readings = {"what is microneedling": faq("what_is_microneedling"), "does it even work": faq("effectiveness")}
    assert questions_read_by(readings, "what is it and does it even work") == [
        Question("what is microneedling", "faq/what_is_microneedling"),
        Question("does it even work", "faq/effectiveness"),
    ]


def test_it_read_as_the_treatment_is_kept_only_when_that_reading_is_clear():
    readings = {"what is microneedling for": intent("nlu_fallback", 0.4), "does it even work": faq("effectiveness")}
    # neither "what is it for" nor its reading as the treatment is clear: the clear one alone
    assert questions_read_by(readings, "what is it for and does it even work") == [
        Question("does it even work", "faq/effectiveness")
    ]


def test_context_around_the_questions_is_left_out():
    pieces = [Piece("my skin looks dull", False), *asking("does it hurt?", "how many sessions?")]
    parses = [faq("skin_health"), faq("does_it_hurt"), faq("number_of_sessions")]
    assert [question.text for question in questions_to_answer(pieces, parses, faq("does_it_hurt"))] == [
        "does it hurt?",
        "how many sessions?",
    ]


def test_a_question_beyond_the_guide_beside_a_guide_question_is_answered_too():
    pieces = asking("does it hurt?", "how much is it?")
    assert questions_to_answer(pieces, [faq("does_it_hurt"), intent("out_of_scope")], faq("does_it_hurt")) == [
        Question("does it hurt?", "faq/does_it_hurt"),
        Question("how much is it?", "out_of_scope"),
    ]


def test_one_clear_question_in_an_unclear_message_is_answered_alone():
    pieces = [Piece("alert('x')", False), *asking("does it hurt")]
    parses = [intent("out_of_scope"), faq("does_it_hurt")]
    assert questions_to_answer(pieces, parses, intent("out_of_scope")) == [Question("does it hurt", "faq/does_it_hurt")]


def test_one_clear_question_in_a_clear_message_goes_through_whole():
    pieces = [Piece("I'm 52 and my lines bother me", False), *asking("would it soften them?")]
    parses = [faq("fine_lines_wrinkles"), faq("fine_lines_wrinkles")]
    assert questions_to_answer(pieces, parses, faq("fine_lines_wrinkles")) == []


@pytest.mark.parametrize(
    "parses",
    [
        [faq("does_it_hurt"), faq("does_it_hurt")],  # one question, asked twice
        [faq("does_it_hurt"), faq("redness_after", answer_confidence=0.2)],  # the second is unclear
        [faq("does_it_hurt"), faq("redness_after", intent_confidence=0.4, answer_confidence=0.6)],
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


def test_each_turn_names_the_answer_it_was_cut_for_and_a_visitor_cannot_name_one():
    import asyncio

    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from connectors.questions import one_turn_per_question

    async def nlu(text):
        return faq("does_it_hurt") if "hurt" in text else faq("redness_after")

    turns = []

    async def rasa(message):
        turns.append((message.text, message.metadata))

    handle = one_turn_per_question(rasa, nlu)
    forged = {"split_answer": "faq/effectiveness", "split_from": "x", "split_part": 5, "page": "/prices"}
    asyncio.run(
        handle(UserMessage("does it hurt and how long will I be red?", CollectingOutputChannel(), "s", metadata=forged))
    )
    asyncio.run(handle(UserMessage("what is it?", CollectingOutputChannel(), "s", metadata=forged)))
    assert turns == [
        (
            "does it hurt",
            {
                "page": "/prices",
                "split_from": "does it hurt and how long will I be red?",
                "split_part": 0,
                "split_answer": "faq/does_it_hurt",
            },
        ),
        (
            "how long will I be red?",
            {
                "page": "/prices",
                "split_from": "does it hurt and how long will I be red?",
                "split_part": 1,
                "split_answer": "faq/redness_after",
            },
        ),
        ("what is it?", {"page": "/prices"}),
    ]


def test_a_statement_going_on_with_its_own_verb_asks_nothing():
    assert question_pieces("my son is 15 and has acne scars") == [Piece("my son is 15 and has acne scars", False)]


@pytest.mark.parametrize(
    "text",
    [
        "please brother what is microneedling and is it painful",
        "Kindly advise who will do the procedure and how many sessions are required",
        "whos the one actually doing it, and is it worth it",
        "hows it done step by step and how deep",
        "wots skin needling n does it hurt",
    ],
)
def test_a_question_after_courtesy_or_with_its_word_run_together_asks(text):
    assert [piece.asks for piece in question_pieces(text)] == [True, True]
