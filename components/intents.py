"""Changing the intent the classifiers chose, as the components after them do."""

from typing import Any, Dict, List, Optional, Text

from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    FULL_RETRIEVAL_INTENT_NAME_KEY,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    RESPONSE_SELECTOR,
)
from rasa.shared.nlu.training_data.message import Message

# The retrieval intent of the FAQ answers ("faq/<key>"), as data/nlu/faq.yml and config.yml name it.
RETRIEVAL_INTENT = "faq"
OUT_OF_SCOPE_INTENT = "out_of_scope"
# A question about the aftercare timing, and the reply to its question for the date.
AFTERCARE_INTENT = "ask_aftercare_timing"
AFTERCARE_INTENTS = (AFTERCARE_INTENT, "inform_treatment_date")
# Answers about what to do in the days after a treatment, where a date changes the answer
# (the aftercare timing). Not redness or results: "a wedding on Saturday, how red will I
# be?" gives the date of something else.
AFTERCARE_ANSWER_KEYS = ("aftercare", "exfoliation_and_harsh_products")
# A clear guide answer: the intent faq at least this sure and the ResponseSelector's pick at
# least this sure (both 0-1).
CLEAR_INTENT_CONFIDENCE = 0.6
CLEAR_ANSWER_CONFIDENCE = 0.5
# Below this, a reading as out of scope is unsure: a later check may settle the message.
UNSURE_OUT_OF_SCOPE = 0.6
# A message property: for each label of the training data (an intent, or "faq/<key>"), the
# cosine similarity of the message to that label's nearest training example.
NEAREST_EXAMPLES = "nearest_examples"


def set_intent(message: Message, name: Text, confidence: float, answer: Optional[Text] = None) -> None:
    """Make `name` the message's intent and put it first in the ranking, the rest kept.
    `answer` ("faq/<key>") names the answer too, as Rasa does for a retrieval intent, and
    becomes the ResponseSelector's pick: that pick is what `utter_faq` sends."""
    replacement = {INTENT_NAME_KEY: name, "confidence": confidence}
    if answer:
        replacement[FULL_RETRIEVAL_INTENT_NAME_KEY] = answer
        _pick_answer(message, answer, confidence)
    others = [entry for entry in message.get(INTENT_RANKING_KEY) or [] if entry.get(INTENT_NAME_KEY) != name]
    message.set(INTENT, replacement, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [replacement, *others], add_to_output=True)


def _pick_answer(message: Message, answer: Text, confidence: float) -> None:
    """Make `answer` the ResponseSelector's pick, as sure as the intent; its ranking stays
    the model's."""
    properties = dict(message.get(RESPONSE_SELECTOR) or {})
    selector = dict(properties.get(RETRIEVAL_INTENT) or {})
    if (selector.get(RESPONSE_SELECTOR_PREDICTION_KEY) or {}).get(INTENT_RESPONSE_KEY) == answer:
        return
    selector[RESPONSE_SELECTOR_PREDICTION_KEY] = {
        INTENT_RESPONSE_KEY: answer,
        RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{answer}",
        PREDICTED_CONFIDENCE_KEY: confidence,
        # The texts are the domain's: utter_faq sends the response its action names.
        RESPONSE_SELECTOR_RESPONSES_KEY: [],
    }
    properties[RETRIEVAL_INTENT] = selector
    message.set(RESPONSE_SELECTOR, properties, add_to_output=True)


def clear_guide_answer(intent: Dict[Text, Any], pick: Dict[Text, Any]) -> Optional[Text]:
    """The answer ("faq/<key>") of a reading whose intent is faq at least
    CLEAR_INTENT_CONFIDENCE sure and whose pick is at least CLEAR_ANSWER_CONFIDENCE sure,
    or None. `intent` and `pick` are a parse's intent and ResponseSelector pick."""
    if (
        intent.get(INTENT_NAME_KEY) != RETRIEVAL_INTENT
        or intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < CLEAR_INTENT_CONFIDENCE
    ):
        return None
    return pick.get(INTENT_RESPONSE_KEY) if pick.get(PREDICTED_CONFIDENCE_KEY, 0.0) >= CLEAR_ANSWER_CONFIDENCE else None


def picked_answer(message: Message) -> Dict[Text, Any]:
    """The ResponseSelector's pick among the FAQ answers (intent_response_key, confidence), or {}."""
    return ((message.get(RESPONSE_SELECTOR) or {}).get(RETRIEVAL_INTENT) or {}).get("response") or {}


def ranked_intents(message: Message) -> List[Text]:
    """The intents of the message's ranking, likeliest first, without the fallback's."""
    return [
        entry.get(INTENT_NAME_KEY)
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
    ]


def is_unsure(message: Message) -> bool:
    """Whether the NLU is unsure of the message: `nlu_fallback`, or out of scope below
    UNSURE_OUT_OF_SCOPE."""
    intent = message.get(INTENT) or {}
    name = intent.get(INTENT_NAME_KEY)
    return name == DEFAULT_NLU_FALLBACK_INTENT_NAME or (
        name == OUT_OF_SCOPE_INTENT and intent.get(PREDICTED_CONFIDENCE_KEY, 0.0) < UNSURE_OUT_OF_SCOPE
    )
