"""A message written wholly in another language is read as unsure (`nlu_fallback`), so that
the clarification asks for it in English (actions/language.py says why). Greetings, thanks
and goodbyes keep their reading: "muchas gracias" is understood."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.language import written_in_another_language
from components.intents import set_intent
from components.untrained import UntrainedComponent

SMALL_TALK = {"greet", "goodbye", "thank"}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherLanguageCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) not in SMALL_TALK and written_in_another_language(message.get(TEXT)):
                set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, intent.get("confidence", 0.0))
        return messages
