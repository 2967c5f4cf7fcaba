"""A visitor who quotes the guide's own words asks about the answer those words come from.

"what does "controlled micro-injuries" mean on your page", "'enhance the skin's natural
repair process' — what does that mean", "what does "harsh chemical products" mean": the
words around the quote ask what something means, which reads like "what is microneedling"
or like nothing the guide covers, while the quote itself names the passage. Here a quoted
span of at least two words found in a guide sentence that an FAQ answer rests on
(guide/sources.yml) makes that answer the pick: unless the model's own pick is one of
those resting on it, the answer that rests on it first ("similar to a mild sunburn" is
first of all how the skin looks after, then what the pain is like), and of those the
answer resting on the fewest sentences, the most specific.

Runs after FaqAnswerGuard, on a message read as an FAQ question, out of scope or unsure;
GuideGapCheck after it still declines a question for what the guide never gives ("which
"topical anesthetic" do you use?"). A quote that is not the guide's ("microneedling erases
wrinkles") changes nothing.
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional, Text, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.sources import SOURCES
from components.intents import OUT_OF_SCOPE_INTENT, RETRIEVAL_INTENT, picked_answer, set_intent
from components.untrained import UntrainedComponent

# guide/sources.yml names each answer's response "responses:utter_faq/<key>".
RESPONSE_PREFIX = "responses:utter_"
ANSWER_PREFIX = f"{RESPONSE_PREFIX}{RETRIEVAL_INTENT}/"
# Text in double or typographic quotes, or in single quotes that are not apostrophes; an
# apostrophe inside a word ("the skin's natural repair process") does not end the quote.
QUOTED = re.compile(r"[\"“”]([^\"“”]+)[\"“”]|(?<!\w)['‘]((?:[^'‘’]|(?<=\w)['’](?=\w))+?)['’](?!\w)")
MIN_QUOTED_WORDS = 2
READINGS_TO_SETTLE = (RETRIEVAL_INTENT, OUT_OF_SCOPE_INTENT, DEFAULT_NLU_FALLBACK_INTENT_NAME)


def comparable(text: Text) -> Text:
    """Lowercase words, without punctuation, typographic apostrophes read as plain ones."""
    # the guide spells "anesthetic" the American way; visitors often the British
    text = text.lower().replace("’", "'").replace("anaesthe", "anesthe")
    return " ".join(re.findall(r"[a-z0-9']+", text))


def answers_by_sentence() -> List[Tuple[Text, Text, Tuple[int, int]]]:
    """(guide sentence, FAQ key, rank) from guide/sources.yml; the rank, lowest first, is
    where the sentence comes in that answer's list and how many sentences it has."""
    rows = []
    for key, source in SOURCES.items():
        if key.startswith(ANSWER_PREFIX):
            answer = key[len(RESPONSE_PREFIX) :]
            rows += [
                (comparable(quote), answer, (place, len(source.quotes))) for place, quote in enumerate(source.quotes)
            ]
    return rows


def answer_for_quote(
    text: Text, rows: List[Tuple[Text, Text, Tuple[int, int]]], model_pick: Optional[Text]
) -> Optional[Text]:
    """The FAQ answer whose guide sentences contain a span the message quotes, or None."""
    for match in QUOTED.finditer(text):
        span = comparable(match.group(1) or match.group(2))
        if len(span.split()) < MIN_QUOTED_WORDS:
            continue
        candidates: Dict[Text, Tuple[int, int]] = {}
        for sentence, answer, rank in rows:
            if f" {span} " in f" {sentence} ":
                candidates[answer] = min(rank, candidates.get(answer, rank))
        if candidates:
            if model_pick in candidates:
                return model_pick
            return min(candidates, key=lambda answer: candidates[answer])  # first listed wins a tie
    return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class GuideQuoteCheck(UntrainedComponent):
    def __init__(self, config: Optional[Dict] = None) -> None:
        super().__init__(config)
        self.rows = answers_by_sentence()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) not in READINGS_TO_SETTLE:
                continue
            answer = answer_for_quote(
                message.get(TEXT) or "", self.rows, picked_answer(message).get("intent_response_key")
            )
            if answer:
                set_intent(message, RETRIEVAL_INTENT, intent.get("confidence", 0.0), answer)
        return messages
