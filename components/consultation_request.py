"""A request for a consultation, read unsurely or taken for the guide's advice to consult
first, is one: to book, to speak to someone, or to know whether the treatment suits them.

"can I get an appointment sometime next week?", "speak to a professional pls", "not sure
if this is the right place but can I speak to someone at the clinic", "my skin is dark
brown and I scar easily, is this the right treatment for me": the words of the request are
plain, but what surrounds them ("next week", "the right place", a description of their
skin) left the NLU unsure, or taking them for a question the guide does not cover, and
the visitor got "did you mean...?" or "not covered" instead of the consultation and the
clinic's contact details. Here a message that asks to book, make or arrange an
appointment, a consultation or a first session, or to speak to someone or be put through to
them, gets `book_consultation`, and one that asks whether the treatment is right for them
gets `ask_suitability`, when its reading is unsure (`nlu_fallback`, or out of scope below
`components.intents.UNSURE_OUT_OF_SCOPE`). A sure reading stands: "do I need to book a
consultation first?" asks the guide, "can I book an appointment on Sunday?" the clinic,
"is it right for me if I'm pregnant?" what the guide does not cover. Except where the
guide's answer is that a consultation comes first: "May I make an appointment for a
consultation?" and "I'd like a professional to look at my skin before I decide" ask for
one rather than whether one is needed, and get `book_consultation` however sure the
reading; so does "not sure it suits me, can I get my skin assessed?", as being assessed is
what a consultation is; "appointment pls" alone is a request too. Whether one is needed
("should I talk to a professional first?", "can I book the treatment without a
consultation?") keeps the guide's answer.
Runs after FaqAnswerGuard and before GuideGapCheck, which leaves these intents alone.
"""

from __future__ import annotations

import re
from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intents import RETRIEVAL_INTENT, is_unsure, picked_answer, set_intent
from components.untrained import UntrainedComponent

BOOKING_INTENT = "book_consultation"
SUITABILITY_INTENT = "ask_suitability"
_A_CONSULTATION = (
    r"(?:in\s+)?(?:an?|my|the|one)\s+(?:free\s+|initial\s+|first\s+)?(?:appt|appointment|consultation|consult)\b"
)
# Someone to speak to ("speak to a nurse"; "talk to the doctor first?" asks the guide).
_A_PERSON = (
    r"(?:someone|somebody|an? (?:real |actual |live )?(?:person|human)"
    r"|(?:an?|one of (?:your|the)) (?:real |actual |qualified |proper |trained )?(?:skin )?"
    r"(?:practitioner|professional|expert|specialist|nurse|doctor|dermatologist"
    r"|therapist)s?|(?:the |your )?(?:staff|team|clinic|practitioner))\b(?!['’]s)"
)
# Someone to be put through to ("connect me with the doctor", "put me in touch w a specialist").
_A_PERSON_TO_REACH = (
    r"(?:"
    + _A_PERSON
    + r"|a member of (?:staff|the team)\b|(?:the |your )(?:skin )?(?:doctor|nurse|dermatologist|specialist|therapist)s?\b)"
    + r"(?!['’]s)"
)
# Whom a booking is for: "can I book him a consultation", "book my husband in".
_BOOKED_FOR = (
    r"(?:me|him|her|them|us|my\s+(?:\w+\s+)?(?:husband|wife|partner|son|daughter|mum|mom|mother|dad|father"
    r"|friend|sister|brother|boyfriend|girlfriend|fianc[eé]e?|grandson|granddaughter|gran|nan|grandma|aunt|uncle"
    r"|colleague|teen|teenager|kid|child)s?)"
)
ASKS_TO_BOOK = re.compile(
    r"\b(?:book|make|arrange|schedule|set up|get|request)\s+(?:"
    + _BOOKED_FOR
    + r"\s+)?"
    + _A_CONSULTATION
    + r"|\b(?:book|schedule|arrange)\s+(?:me\s+)?(?:in\s+)?(?:for\s+)?(?:an?|my|the)\s+(?:first\s+|initial\s+|next\s+)?"
    r"(?:session|treatment|slot)\b"
    r"|\bbook\s+(?:" + _BOOKED_FOR + r"\s+)?in\b|\b(?:want|ready) to book\b"
    r"|\bhow (?:do|can|could|would|should) (?:i|we|she|he) (?:go about )?(?:booking|making|arranging|scheduling|getting|"
    r"requesting)\s+"
    + _A_CONSULTATION
    + r"|\b(?:i'?d like|i would like|i'?d love|i want|i wanna|(?:can|could|may) i (?:please )?(?:have|get))\s+"
    r"(?:to (?:book|make|arrange|have|get|request)\s+)?(?:an?|my)\s+(?:first\s+)?(?:appt|appointment|consultation|consult)\b"
    r"|\b(?:i'?d|i would|i) (?:like|want) (?:a|an|the|your|one of your) (?:professional|practitioner|expert|specialist|"
    r"nurse|doctor|someone|person) to (?:have a |take a )?(?:look|see|check|assess|examine)\b"
    r"|^\W*(?:an? )?(?:appt|appointment|booking|consultation|consult)\W*(?:pls|plz|please)?\W*$"
    # to be seen by one ("can I get my skin assessed?"), which is what a consultation is
    r"|\b(?:can|could|may) (?:i|we|she|he) (?:please )?(?:get (?:my |her |his |our |it |them )?|"
    r"have (?:my |her |his |our |it |them ))(?:skin |face )?(?:properly |professionally )?"
    r"(?:assessed|checked|examined|looked at)\b"
    r"|\b(?:can|could|may) (?:i|we|she|he|" + _BOOKED_FOR + r") be (?:assessed|examined)\b"
    r"|\b(?:speak|talk|chat)\s+(?:to|with)\s+"
    + _A_PERSON
    + r"|\b(?:connect|put|transfer|pass)\s+me\s+(?:through\s+|on\s+|in (?:touch|contact)\s+)?(?:to|with|w/?)\s+"
    + _A_PERSON_TO_REACH,
    re.IGNORECASE,
)
# The guide's answer that asks to consult first; whether a consultation is needed, or may be
# skipped, is the guide's question ("do I need to book a consultation first?").
CONSULT_FIRST_ANSWER = f"{RETRIEVAL_INTENT}/consult_first"
ASKS_WHETHER_NEEDED = re.compile(
    r"\b(?:do|would|will|must|should|shall) (?:i|we|she|he|my \w+) (?:really |still |first |just )?"
    r"(?:need|have to|have a)\b|\b(?:should|must|shall) (?:i|we|she|he|my \w+) (?:first )?(?:book|get|see|speak|talk|have)\b"
    r"|\b(?:i|we) (?:should|must)\b"
    r"|\b(?:necessary|required|compulsory|mandatory|obligatory|needed|important|advisable|why|without|skip)\b"
    r"|\bneed(?:ed)? to\b|\bwalk in\b|\bjust (?:book|turn up|go)\b|\bthe point of\b|\bwhat'?s the point\b"
    # whether it is advisable ("is it best to talk to a trained professional first?")
    r"|\bis it (?:a good idea|best|better|wise|worth(?: it)?|recommended|advised) to\b"
    r"|\b(?:would|do|does) (?:you|they) (?:recommend|advise)\b",
    re.IGNORECASE,
)
# "is it right for me", "would it suit my skin", "am I a good candidate": not "the right depth".
ASKS_IF_IT_SUITS = re.compile(
    r"\b(?:right|suitable|good|ok|okay|a good (?:fit|option|idea|choice))\s+(?:treatment\s+|option\s+|choice\s+)?"
    r"for\s+(?:me|my\b|someone like me)"
    r"|\bthe right (?:treatment|choice|thing|option)\b|\bam i (?:a )?(?:good |suitable |right )?candidate\b"
    r"|\b(?:suit|work for)\s+(?:me|my)\b|\bis (?:it|this|microneedling) for me\b",
    re.IGNORECASE,
)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ConsultationRequestCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            confidence = (message.get(INTENT) or {}).get("confidence", 0.0)
            if self._asks_for_the_consultation_the_guide_advises(message, text):
                set_intent(message, BOOKING_INTENT, confidence)
            elif not is_unsure(message):
                continue
            elif ASKS_TO_BOOK.search(text):
                set_intent(message, BOOKING_INTENT, confidence)
            elif ASKS_IF_IT_SUITS.search(text):
                set_intent(message, SUITABILITY_INTENT, confidence)
        return messages

    @staticmethod
    def _asks_for_the_consultation_the_guide_advises(message: Message, text: str) -> bool:
        read_as_consult_first = (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == RETRIEVAL_INTENT and (
            picked_answer(message).get("intent_response_key") == CONSULT_FIRST_ANSWER
        )
        return read_as_consult_first and bool(ASKS_TO_BOOK.search(text)) and not ASKS_WHETHER_NEEDED.search(text)
