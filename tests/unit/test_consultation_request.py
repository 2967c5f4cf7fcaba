"""ConsultationRequestCheck on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.consultation_request import ConsultationRequestCheck

CHECK = ConsultationRequestCheck()


def intent_after_check(text, intent, confidence=0.4):
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}],
        }
    )
    return CHECK.process([message])[0].get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "can I get an appointment sometime next week?",
        "speak to a professional pls",
        "not sure if this is the right place but can i speak to someone at the clinic",
        "I think I'm ready. How do I make an appointment?",
        "can i schedule a consult for next week",
        "id like an appt pls, whens free",
        "ive been reading up for weeks and i think im ready, i want to book my first session",
        "my son wants to book in for his acne scars, how do we go about that",
    ],
)
@pytest.mark.parametrize("intent, confidence", [("nlu_fallback", 0.4), ("out_of_scope", 0.45)])
def test_a_request_to_book_read_unsurely_is_a_booking(text, intent, confidence):
    assert intent_after_check(text, intent, confidence) == "book_consultation"


@pytest.mark.parametrize(
    "text",
    [
        "my skin is dark brown and i scar easily, is this the right treatment for me",
        "is microneedling right for me? I'm 52 with quite thin skin",
        "would it suit my skin? very oily and acne prone",
        "is this treatment suitable for me? 38, some melasma and fine lines",
        "am i a good candidate, i have a lot of sun damage",
    ],
)
@pytest.mark.parametrize("intent, confidence", [("nlu_fallback", 0.4), ("out_of_scope", 0.45)])
def test_asking_whether_it_suits_them_read_unsurely_is_a_suitability_question(text, intent, confidence):
    assert intent_after_check(text, intent, confidence) == "ask_suitability"


@pytest.mark.parametrize(
    "text, intent, confidence",
    [
        # a sure reading stands
        ("do I need to book a consultation first?", "faq", 0.9),
        ("can I book an appointment on Sunday?", "out_of_scope", 0.8),
        ("is it right for me if I'm pregnant?", "out_of_scope", 0.9),
        # no request to book, nor a question whether it suits them
        ("what happens at the appointment", "nlu_fallback", 0.4),
        ("is it safe for someone with rosacea", "out_of_scope", 0.5),
        ("how many sessions will I need to book", "nlu_fallback", 0.4),
        ("what is the right depth for acne scars", "nlu_fallback", 0.4),
    ],
)
def test_a_sure_reading_or_a_message_asking_neither_is_left_alone(text, intent, confidence):
    assert intent_after_check(text, intent, confidence) == intent


def intent_after_check_with_pick(text, answer, confidence=0.9):
    message = Message(
        data={
            "text": text,
            "intent": {"name": "faq", "confidence": confidence},
            "intent_ranking": [{"name": "faq", "confidence": confidence}],
            "response_selector": {"faq": {"response": {"intent_response_key": answer, "confidence": confidence}}},
        }
    )
    return CHECK.process([message])[0].get("intent")["name"]


@pytest.mark.parametrize(
    "text",
    [
        "Question: May I make an appointment for a consultation?  Thank you, Gordon",
        "I'd like a professional to have a look at my skin before I decide",
        "can I book a consultation please",
        "i would like an appointment",
        "how do i book a consultation",
        "how do I go about scheduling a consultation",
        "Could I book a consultation? Do you have a slot Tuesday?",
        "no idea if it suits my skin, could I get it looked at?",
        "can i get my skin assessed by one of you",
        "can my daughter be assessed before we decide",
    ],
)
def test_a_request_for_the_consultation_the_guide_advises_is_a_booking_however_sure(text):
    assert intent_after_check_with_pick(text, "faq/consult_first") == "book_consultation"


@pytest.mark.parametrize(
    "text, answer",
    [
        # whether one is needed is the guide's question
        ("do I need to book a consultation first?", "faq/consult_first"),
        ("why would I need a consultation before my first session", "faq/consult_first"),
        ("is a consultation required or can I just book the treatment", "faq/consult_first"),
        ("can i just book the treatment without a consultation", "faq/consult_first"),
        ("can I book a treatment without a consultation?", "faq/consult_first"),
        ("should i talk to a professional before microneedling", "faq/consult_first"),
        ("must i talk to a professional before getting it", "faq/consult_first"),
        ("i was wondering whether i should talk to a professional before doing this", "faq/consult_first"),
        ("could I get my skin assessed first or is a consultation needed?", "faq/consult_first"),
        ("is it best to talk to a trained professional first?", "faq/consult_first"),
        ("would you recommend I talk to a qualified professional first", "faq/consult_first"),
        ("should i talk to a qualified professional before deciding", "faq/consult_first"),
        # a request beside another answer is left to that answer
        ("may I make an appointment to ask how many sessions I need", "faq/number_of_sessions"),
    ],
)
def test_a_guide_question_about_the_consultation_keeps_its_answer(text, answer):
    assert intent_after_check_with_pick(text, answer) == "faq"


@pytest.mark.parametrize("text", ["appointment pls", "Consultation please", "booking?"])
def test_a_bare_request_read_unsurely_is_a_booking(text):
    assert intent_after_check(text, "nlu_fallback") == "book_consultation"


@pytest.mark.parametrize(
    "text",
    [
        "can I have a glass of wine after my appointment?",
        "how do I get ready for my appointment?",
        "could i have checked too early, still red on day 2",
        "can my results be assessed after a month",
    ],
)
def test_a_question_about_the_appointment_read_unsurely_is_not_a_booking(text):
    assert intent_after_check(text, "nlu_fallback") == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    [
        "please put me through to one of your nurses",
        "can you connect me with someone from the clinic",
        "could you transfer me to a real person",
        "pls put me in touch with a dermatologist there",
        "can you put me in contact w a skin specialist",
        "connect me with your therapist please",
        "please put me through to a member of staff",
        "connect me with the doctor pls",
        "i'd rather chat with an actual nurse if that's ok",
        "could i talk to a qualified practitioner please",
        "sorry but can i speak to an actual human",
    ],
)
def test_asking_to_be_put_in_touch_with_a_person_read_unsurely_is_a_booking(text):
    assert intent_after_check(text, "nlu_fallback") == "book_consultation"


@pytest.mark.parametrize(
    "text",
    [
        "can you connect me to the wifi",
        "can you connect me to the clinic's wifi",
        "put me through the steps of a session",
        # a referral elsewhere is not the clinic's consultation
        "can you refer me to a dermatologist for my rosacea",
        # whether the doctor must be seen first is the guide's question
        "before my session must i talk to the doctor or not?",
    ],
)
def test_being_put_through_to_no_person_is_not_a_booking(text):
    assert intent_after_check(text, "nlu_fallback") == "nlu_fallback"


@pytest.mark.parametrize(
    "text",
    [
        "My grandson wants this for his acne scars, can I book him a consultation as a gift?",
        "could i arrange her an appointment for next month",
        "can i book my husband in, he wont do it himself lol",
    ],
)
def test_a_request_to_book_someone_else_read_unsurely_is_a_booking(text):
    assert intent_after_check(text, "out_of_scope", 0.54) == "book_consultation"


@pytest.mark.parametrize(
    "text",
    [
        "should i book my holiday in august after the treatment",
        "can i book my flights in the same week",
        "book my wedding photos in before or after?",
    ],
)
def test_booking_something_other_than_a_person_in_is_no_booking(text):
    assert intent_after_check(text, "out_of_scope", 0.54) == "out_of_scope"
