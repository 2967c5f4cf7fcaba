"""A request for an appointment or for a person, read unsurely, is a request to book.

"can I get an appointment sometime next week?", "speak to a professional pls", "not sure
if this is the right place but can I speak to someone at the clinic": the words of the
request are plain, but what surrounds them ("next week", "the right place") left the
NLU unsure, or taking them for a question the guide does not cover, and the visitor got
"did you mean...?" or "not covered" instead of the clinic's contact details. Here a
message that asks to book, make or arrange an appointment or a consultation, or to speak
to someone, gets `book_consultation` when its reading is unsure (`nlu_fallback`, or out of
scope below `components.intents.UNSURE_OUT_OF_SCOPE`). A sure reading stands: "do I need to book a
consultation first?" asks the guide, "can I book an appointment on Sunday?" the clinic.
Runs after FaqAnswerGuard and before GuideGapCheck, which leaves this intent alone.
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intents import is_unsure, set_intent
from components.untrained import UntrainedComponent

BOOKING_INTENT = "book_consultation"
ASKS_TO_BOOK = re.compile(
    r"\b(?:book|make|arrange|schedule|set up|get)\s+(?:in\s+)?(?:an?|my|the)\s+(?:appt|appointment|consultation|consult)\b"
    r"|\b(?:speak|talk|chat)\s+(?:to|with)\s+(?:someone|somebody|a (?:real )?(?:person|human)"
    r"|an? (?:practitioner|professional|expert|specialist|nurse|doctor)|(?:the |your )?(?:staff|team|clinic|practitioner))\b",
    re.IGNORECASE,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class BookingRequestCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_unsure(message) and ASKS_TO_BOOK.search(message.get(TEXT) or ""):
                set_intent(message, BOOKING_INTENT, (message.get(INTENT) or {}).get("confidence", 0.0))
        return messages
