"""The count featurizers' token-level features are dropped before the classifiers train or read.

With no transformer layers and no entity recognition (config.yml), DIET and the
ResponseSelector classify a message from its sentence-level features alone: the token-level
ones pass through layers whose output nothing reads. Yet both classifiers embed every
token's words and character n-grams at every step: about 15 s of their two minutes of
training, and a quarter of the model (79 MB against 60 MB). Both require some token-level
features, so those of the LexicalSyntacticFeaturizer, a few dozen per token, are kept.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.untrained import UntrainedComponent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TokenCountsRemover(UntrainedComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Featurizers are told apart by the graph node that made them ("run_CountVectorsFeaturizer6").
        return {"featurizers": ["CountVectorsFeaturizer"]}

    def _is_dropped(self, feature: Features) -> bool:
        origins = [feature.origin] if isinstance(feature.origin, str) else feature.origin
        return (
            feature.attribute == TEXT
            and feature.type == FEATURE_TYPE_SEQUENCE
            and any(name in origin for name in self.config["featurizers"] for origin in origins)
        )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            message.features = [feature for feature in message.features if not self._is_dropped(feature)]
        return messages
