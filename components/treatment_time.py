"""Marks when the visitor says they had (or will have) the treatment as the
`treatment_time` entity, with the grammar the aftercare actions read dates with
(actions/timing.py), so every phrase the NLU recognises is one the actions can read.

The entity routes the turn (data/rules.yml, components/faq_guard.py); the action
then reads the date from the whole message, whose other words say whether the
treatment is still to come.
"""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from actions.timing import find_time_phrase
from components.untrained import UntrainedComponent

ENTITY = "treatment_time"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TreatmentTimeExtractor(UntrainedComponent, EntityExtractorMixin):
    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            phrase = find_time_phrase(message.get(TEXT) or "")
            if phrase is None:
                continue
            entity = {"entity": ENTITY, "start": phrase.start, "end": phrase.end, "value": phrase.text}
            entities = [*(message.get(ENTITIES) or []), *self.add_extractor_name([entity])]
            message.set(ENTITIES, entities, add_to_output=True)
        return messages
