"""DIET and the ResponseSelector given the text's sentence-level features alone.

With no transformer layers, no masked language model and no entity recognition, and the
ResponseSelector's answers read by their keys, not their text (config.yml), both
classifiers read a message from its sentence position: each token's
features pass through their dense layers on their own, and nothing reads what comes out
(tests/unit/test_token_features.py trains each and shows it). Yet both embed every
token's features at each training step and each reading, and Rasa's training fingerprints
them after each featurizer. So:

- `SentenceCountsFeaturizer` is Rasa's CountVectorsFeaturizer counting the text as a whole,
  not token by token, and leaving the answers' text (`response`) uncounted: the
  ResponseSelector reads its answers' keys, and nothing else reads it (every other
  attribute, such as the labels, is counted as Rasa counts it);
- `SentenceFeaturesOnly`, after the featurizers, gives the text one placeholder token with
  one constant feature, in place of any token features left: both classifiers require
  some. It refuses a classifier that would read the placeholder as the tokens, or filter
  it out (`featurizers`).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text, Tuple, Type

import numpy as np
import scipy.sparse
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import FEATURE_TYPE_SEQUENCE, RESPONSE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils.tensorflow.constants import (
    ENTITY_RECOGNITION,
    FEATURIZERS,
    MASKED_LM,
    NUM_TRANSFORMER_LAYERS,
    USE_TEXT_AS_LABEL,
)

from components.untrained import UntrainedComponent

# What would read the tokens' features, and the setting that keeps each from doing so. A
# ResponseSelector that reads its answers' text reads a message from its last token.
TOKEN_READERS = {NUM_TRANSFORMER_LAYERS: 0, ENTITY_RECOGNITION: False, MASKED_LM: False, USE_TEXT_AS_LABEL: False}


def reads_tokens(classifier: Type[DIETClassifier], config: Dict[Text, Any]) -> List[Text]:
    """The settings under which DIET, or a classifier built on it, reads each token's features,
    or would not find the placeholder."""
    settings = {**classifier.get_default_config(), **config}
    if issubclass(classifier, ResponseSelector):
        settings[ENTITY_RECOGNITION] = False  # whatever its configuration says
    found = []
    # Rasa's `featurizers` keeps only the features of the featurizers it names.
    named = settings.get(FEATURIZERS) or []
    if named and SentenceFeaturesOnly.__name__ not in named:
        found.append(f"{FEATURIZERS}: {named} (without {SentenceFeaturesOnly.__name__})")
    for name, off in TOKEN_READERS.items():
        value = settings.get(name, off)
        if isinstance(value, dict):
            value = value.get(TEXT, off)
        if value != off:
            found.append(f"{name}: {value}")
    return found


def check_classifiers(schema: GraphSchema) -> None:
    """A clear error for a classifier that would read the placeholder as the tokens."""
    for name, node in schema.nodes.items():
        if issubclass(node.uses, DIETClassifier):
            settings = reads_tokens(node.uses, node.config)
            if settings:
                raise ValueError(
                    f"SentenceFeaturesOnly leaves the text one placeholder token, but {node.uses.__name__} ({name}) "
                    f"reads each token's features with {', '.join(settings)}: remove SentenceFeaturesOnly "
                    f"(and use CountVectorsFeaturizer), or set "
                    f"{', '.join(f'{key}: {value}' for key, value in TOKEN_READERS.items())} "
                    f"(and name {SentenceFeaturesOnly.__name__} among any {FEATURIZERS})"
                )


def check_token_features(schema: GraphSchema) -> None:
    """A clear error for a pipeline whose classifiers would find no token features at all."""
    uses = [node.uses for node in schema.nodes.values()]
    token_featurizers = [
        c
        for c in uses
        if issubclass(c, (Featurizer, SentenceFeaturesOnly)) and not issubclass(c, SentenceCountsFeaturizer)
    ]
    if any(issubclass(c, DIETClassifier) for c in uses) and not token_featurizers:
        raise ValueError(
            "SentenceCountsFeaturizer gives the text no token features, which DIET and the ResponseSelector "
            "require: add components.token_features.SentenceFeaturesOnly after the featurizers"
        )


def check_answer_texts_unread(schema: GraphSchema) -> None:
    """A clear error for a ResponseSelector that would read its answers' text, left uncounted."""
    for name, node in schema.nodes.items():
        if issubclass(node.uses, ResponseSelector) and {**node.uses.get_default_config(), **node.config}.get(
            USE_TEXT_AS_LABEL
        ):
            raise ValueError(
                f"SentenceCountsFeaturizer leaves the answers' text uncounted, but {node.uses.__name__} ({name}) "
                f"reads it with {USE_TEXT_AS_LABEL}: true: set it to false, or use CountVectorsFeaturizer instead"
            )


def check_own_vocabulary(config: Dict[Text, Any]) -> None:
    """A clear error for a vocabulary shared between attributes: the answers' text would leave it."""
    if config.get("use_shared_vocab"):
        raise ValueError(
            "SentenceCountsFeaturizer leaves the answers' text uncounted, which would change a vocabulary "
            "shared between attributes: remove use_shared_vocab, or use CountVectorsFeaturizer instead"
        )


def check_sentence_counts(config: Dict[Text, Any], schema: GraphSchema) -> None:
    """What SentenceCountsFeaturizer checks where Rasa creates and loads it."""
    check_token_features(schema)
    check_answer_texts_unread(schema)
    check_own_vocabulary(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceCountsFeaturizer(CountVectorsFeaturizer):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CountVectorsFeaturizer:
        check_sentence_counts(config, execution_context.graph_schema)
        return super().create(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CountVectorsFeaturizer:
        check_sentence_counts(config, execution_context.graph_schema)
        return super().load(config, model_storage, resource, execution_context, **kwargs)

    @staticmethod
    def _attributes_for(analyzer: Text) -> List[Text]:
        return [attribute for attribute in CountVectorsFeaturizer._attributes_for(analyzer) if attribute != RESPONSE]

    def _create_features(
        self, attribute: Text, all_tokens: List[List[Text]]
    ) -> Tuple[List[Optional[scipy.sparse.spmatrix]], List[Optional[scipy.sparse.spmatrix]]]:
        if attribute != TEXT or not self.vectorizers.get(attribute):
            return super()._create_features(attribute, all_tokens)
        vectorizer = self.vectorizers[attribute]
        sentences = [vectorizer.transform([" ".join(tokens)]) if tokens else None for tokens in all_tokens]
        for sentence in sentences:
            if sentence is not None:
                sentence.sort_indices()  # as Rasa's
        return [None] * len(all_tokens), [None if sentence is None else sentence.tocoo() for sentence in sentences]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceFeaturesOnly(UntrainedComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceFeaturesOnly:
        check_classifiers(execution_context.graph_schema)
        return super().create(config, model_storage, resource, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            kept = [
                feature
                for feature in message.features
                if not (feature.attribute == TEXT and feature.type == FEATURE_TYPE_SEQUENCE)
            ]
            if any(feature.attribute == TEXT for feature in kept):
                placeholder = scipy.sparse.coo_matrix(np.ones((1, 1), dtype=np.float32))
                kept.append(Features(placeholder, FEATURE_TYPE_SEQUENCE, TEXT, self.__class__.__name__))
            message.features = kept
        return messages
