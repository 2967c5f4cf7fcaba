"""BookingRequestCheck on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.booking_request import BookingRequestCheck

CHECK = BookingRequestCheck()


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
    ],
)
@pytest.mark.parametrize("intent, confidence", [("nlu_fallback", 0.4), ("out_of_scope", 0.45)])
def test_a_request_to_book_read_unsurely_is_a_booking(text, intent, confidence):
    assert intent_after_check(text, intent, confidence) == "book_consultation"


@pytest.mark.parametrize(
    "text, intent, confidence",
    [
        # a sure reading stands
        ("do I need to book a consultation first?", "faq", 0.9),
        ("can I book an appointment on Sunday?", "out_of_scope", 0.8),
        # no request to book
        ("what happens at the appointment", "nlu_fallback", 0.4),
        ("is it safe for someone with rosacea", "out_of_scope", 0.5),
    ],
)
def test_a_sure_reading_or_a_message_asking_no_booking_is_left_alone(text, intent, confidence):
    assert intent_after_check(text, intent, confidence) == intent
