"""A message written wholly in another language is read as unsure (`nlu_fallback`), so that
the clarification asks for it in English (actions/language.py says why). Greetings, thanks
and goodbyes keep their reading: "muchas gracias" is understood. So does a guide answer
read clearly through the English words in it ("kya microneedling ke baad serum better
absorb hota hai?"): that is no guess."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.language import written_in_another_language
from components.intents import clear_guide_answer, picked_answer, set_intent
from components.untrained import UntrainedComponent

SMALL_TALK = {"greet", "goodbye", "thank"}


def _read_clearly_as_a_guide_answer(message: Message) -> bool:
    """As clear as a question of a message cut into questions (connectors/questions.py). On
    the messages in another language of the tuned sets A to ZR, the 5 readings this clear
    were the writer's answer."""
    return clear_guide_answer(message.get(INTENT) or {}, picked_answer(message)) is not None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class OtherLanguageCheck(UntrainedComponent):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if (
                intent.get(INTENT_NAME_KEY) not in SMALL_TALK
                and not _read_clearly_as_a_guide_answer(message)
                and written_in_another_language(message.get(TEXT))
            ):
                set_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, intent.get("confidence", 0.0))
        return messages
