"""A second reader of each message: a pre-trained sentence encoder, and a vote with DIET's.

DIET and the ResponseSelector read words and letters learnt from our examples only, so a
visitor's wording that no example has can land on the wrong answer. This component reads the message with a sentence encoder trained on a
billion sentence pairs (components/sentence_encoder.py), and reads its vector two ways:
a logistic regression trained on our examples (intents, and each FAQ answer as its own
label), and the similarity of each label's nearest example, made a probability by a
softmax with a low temperature. The encoder's reading mixes the two, and is averaged with
those of DIET and the ResponseSelector:

    p_vector(label) = (1 - nearest_weight) * p_regression(label) + nearest_weight * p_nearest(label)
    p(answer) = weight * p_DIET(faq) * p_ResponseSelector(answer) + (1 - weight) * p_vector(answer)
    p(intent) = weight * p_DIET(intent) + (1 - weight) * p_vector(intent)

The regression draws smooth borders between labels; the nearest example keeps a wording
that only one or two examples have, which the regression averages away.

The message then gets the intent, and the FAQ answer, with the highest averaged
probability, which the FallbackClassifier and FaqAnswerGuard after it check as before.
It goes after the ResponseSelector and before the FallbackClassifier. Its head start
(`SentenceEncoderHeadStart`, as soon as the message's text is final) starts the encoder's
reading on a thread of its own, which TensorFlow runs on the second core while spaCy, DIET
and the ResponseSelector read the message on the first: the vote then finds it done, or
nearly (about 5 ms less per message; docs/understanding.md, round 25).

It also keeps the vectors of the training examples, and gives each message, for each
label, the similarity of its nearest example (`NEAREST_EXAMPLES`): FaqAnswerGuard
declines a message nearer to a question the guide does not answer than to the answer
picked, and settles some it is unsure of. A model saved before it kept them still loads,
without that, and its encoder's reading is the regression's alone (with a warning when
`nearest_weight` asks for more).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import zlib
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from components import sentence_encoder
from components.intents import NEAREST_EXAMPLES, RETRIEVAL_INTENT
from components.untrained import UntrainedComponent

logger = logging.getLogger(__name__)

RANKING_LENGTH = 10
# Where the head start leaves its ReadAhead on a message; not part of the parse: the vote
# takes it off the message.
HEAD_START = "sentence_encoder_head_start"


def training_examples(training_data: TrainingData) -> List[Message]:
    """The examples the vote learns from: those with an intent and a text."""
    return [m for m in training_data.intent_examples if m.get(TEXT)]


class ReadAhead(NamedTuple):
    text: Text  # the text the head start read: the vote reads again if the text changed since
    pooled: Future  # of the encoder's pooled vectors for that text: every layer's, shape (1, 6, 384)


def softmax(labels: Iterable[Text], scores: np.ndarray) -> Dict[Text, float]:
    """Each label's probability from its score (the largest subtracted first: no overflow)."""
    exponents = np.exp(scores - scores.max())
    return dict(zip(labels, (exponents / exponents.sum()).tolist()))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SentenceEncoderVote(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # The encoder's layers whose pooled vectors are joined into the one voted on.
            "pooled_layers": [sentence_encoder.LAYERS],
            "weight": 0.5,  # of DIET and the ResponseSelector; the rest is the encoder's
            "regularisation": 100.0,  # LogisticRegression's C
            # The nearest examples' share of the encoder's reading, and their softmax's temperature.
            "nearest_weight": 0.0,
            "nearest_temperature": 0.02,
        }

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        """Rasa's training cache knows a component by its class's own code and its config,
        not by the modules it calls: a change in how the encoder reads text must retrain
        this component, or the examples' cached vectors would not be the served encoder's.
        (inspect reads the source as text, so line endings do not change the key.)"""
        return hashlib.sha256(inspect.getsource(sentence_encoder).encode()).hexdigest()

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if not 0.0 <= float(config["weight"]) <= 1.0:
            raise ValueError(f"SentenceEncoderVote: weight must be within 0..1, not {config['weight']}")
        if not 0.0 <= float(config["nearest_weight"]) <= 1.0:
            raise ValueError(f"SentenceEncoderVote: nearest_weight must be within 0..1, not {config['nearest_weight']}")
        if not float(config["nearest_temperature"]) > 0.0:
            raise ValueError(
                f"SentenceEncoderVote: nearest_temperature must be above 0, not {config['nearest_temperature']}"
            )
        if "layers" in config:
            # A model trained before `pooled_layers` read one layer; its vectors are not these.
            raise ValueError("SentenceEncoderVote: `layers` is now `pooled_layers`, a list: retrain (make train)")
        layers = config["pooled_layers"]
        in_range = range(1, sentence_encoder.LAYERS + 1)
        if not (
            isinstance(layers, (list, tuple))
            and layers
            and len(set(layers)) == len(layers)
            and all(type(layer) is int and layer in in_range for layer in layers)
        ):
            raise ValueError(
                f"SentenceEncoderVote: pooled_layers must be a list of distinct layers, 1 to {sentence_encoder.LAYERS}, "
                f"not {layers!r}"
            )

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        labels: Optional[List[Text]] = None,
        coefficients: Optional[np.ndarray] = None,
        intercepts: Optional[np.ndarray] = None,
        responses: Optional[Dict[Text, Any]] = None,
        example_vectors: Optional[np.ndarray] = None,
        example_labels: Optional[List[Text]] = None,
    ) -> None:
        self.validate_config(config)
        self.config = config
        self.model_storage = model_storage
        self.resource = resource
        self.labels = labels or []
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.responses = responses or {}
        self._keep_examples(example_vectors, example_labels or [])
        self.encoder = sentence_encoder.load()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderVote:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = training_examples(training_data)
        labels = [m.get(INTENT_RESPONSE_KEY) or m.get(INTENT) for m in examples]
        regression = LogisticRegression(C=float(self.config["regularisation"]), max_iter=5000)
        # Read on the encoder's thread since the head start, if the pipeline has it.
        vectors = self.encoder.encode([m.get(TEXT) for m in examples], self.config["pooled_layers"])
        regression.fit(vectors, labels)
        labels = [str(label) for label in labels]
        self._keep_examples(vectors.astype(np.float32), labels)
        self.labels = [str(label) for label in regression.classes_]
        self.coefficients, self.intercepts = regression.coef_.astype(np.float32), regression.intercept_
        self.responses = {
            key: value for key, value in training_data.responses.items() if key.startswith(f"utter_{RETRIEVAL_INTENT}/")
        }
        with self.model_storage.write_to(self.resource) as directory:
            np.savez(
                directory / "regression.npz",
                coefficients=self.coefficients,
                intercepts=self.intercepts,
                example_vectors=self.example_vectors,
            )
            saved = {
                "labels": self.labels,
                "responses": self.responses,
                "example_labels": self.example_label_names[self.example_label_index].tolist(),
            }
            (directory / "labels.json").write_text(json.dumps(saved))
        return self.resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SentenceEncoderVote:
        with model_storage.read_from(resource) as directory:
            arrays = np.load(Path(directory) / "regression.npz")
            saved = json.loads((Path(directory) / "labels.json").read_text())
            if "example_vectors" not in arrays.files and float(config["nearest_weight"]):
                logger.warning(
                    "SentenceEncoderVote: this model keeps no example vectors, so nearest_weight is ignored: retrain"
                )
            return cls(
                config,
                model_storage,
                resource,
                saved["labels"],
                arrays["coefficients"],
                arrays["intercepts"],
                saved["responses"],
                arrays["example_vectors"] if "example_vectors" in arrays.files else None,
                saved.get("example_labels"),
            )

    def _keep_examples(self, vectors: Optional[np.ndarray], labels: List[Text]) -> None:
        self.example_vectors = vectors
        # Each example's label as an index into the distinct labels, to find each label's nearest at once.
        self.example_label_names, self.example_label_index = np.unique(np.array(labels, dtype=str), return_inverse=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        read_ahead = [message.data.pop(HEAD_START, None) for message in messages]
        voted = [
            (message, ahead)
            for message, ahead in zip(messages, read_ahead)
            if message.get(TEXT) and message.get(INTENT)
        ]
        if self.coefficients is None or not voted:
            return messages
        for (message, _), vector in zip(voted, self._vectors(voted)):
            nearest = self._nearest_examples(vector) if self._has_examples() else {}
            self._vote(message, self._encoder_votes(vector, nearest))
            if nearest:
                message.set(NEAREST_EXAMPLES, nearest)
        return messages

    def _vectors(self, voted: List[Tuple[Message, Optional[ReadAhead]]]) -> np.ndarray:
        """The messages' joined vectors: the head start's reading of a message whose text is
        still the one it read, or a reading now."""
        pooled = [
            ahead.pooled.result()[0] if ahead and ahead.text == message.get(TEXT) else None for message, ahead in voted
        ]
        unread = [index for index, vectors in enumerate(pooled) if vectors is None]
        if unread:
            for index, vectors in zip(unread, self.encoder.pooled([voted[index][0].get(TEXT) for index in unread])):
                pooled[index] = vectors
        return sentence_encoder.joined(np.stack(pooled), self.config["pooled_layers"])

    def _has_examples(self) -> bool:
        return self.example_vectors is not None and len(self.example_label_names) > 0

    def _encoder_votes(self, vector: np.ndarray, nearest: Dict[Text, float]) -> Dict[Text, float]:
        votes = self._probabilities(vector)
        share = float(self.config["nearest_weight"])
        if not share or not nearest:
            return votes
        similarities = np.array(list(nearest.values()))
        by_nearest = softmax(nearest, similarities / float(self.config["nearest_temperature"]))
        return {
            label: (1 - share) * votes.get(label, 0.0) + share * by_nearest.get(label, 0.0)
            for label in votes.keys() | by_nearest.keys()
        }

    def _nearest_examples(self, vector: np.ndarray) -> Dict[Text, float]:
        """For each label, the cosine similarity of its nearest training example (vectors are of unit length)."""
        nearest = np.full(len(self.example_label_names), -1.0)
        np.maximum.at(nearest, self.example_label_index, self.example_vectors @ vector)
        return dict(zip(self.example_label_names.tolist(), nearest.tolist()))

    def _probabilities(self, vector: np.ndarray) -> Dict[Text, float]:
        return softmax(self.labels, vector @ self.coefficients.T + self.intercepts)

    def _vote(self, message: Message, encoder_votes: Dict[Text, float]) -> None:
        weight = float(self.config["weight"])
        ranking = {
            entry[INTENT_NAME_KEY]: entry[PREDICTED_CONFIDENCE_KEY]
            for entry in message.get(INTENT_RANKING_KEY) or []
            if entry[INTENT_NAME_KEY] != DEFAULT_NLU_FALLBACK_INTENT_NAME
        }
        total = sum(ranking.values()) or 1.0
        selector = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
        answers = {
            entry[INTENT_RESPONSE_KEY]: entry[PREDICTED_CONFIDENCE_KEY] for entry in selector.get("ranking") or []
        }
        faq_share = ranking.get(RETRIEVAL_INTENT, 0.0) / total

        intents: Dict[Text, float] = {}
        answer_votes: Dict[Text, float] = {}
        for label in set(self.labels) | set(ranking) | set(answers):
            if label.startswith(f"{RETRIEVAL_INTENT}/"):
                answer_votes[label] = weight * faq_share * answers.get(label, 0.0) + (1 - weight) * encoder_votes.get(
                    label, 0.0
                )
            elif label != RETRIEVAL_INTENT:
                intents[label] = weight * ranking.get(label, 0.0) / total + (1 - weight) * encoder_votes.get(label, 0.0)
        intents[RETRIEVAL_INTENT] = sum(answer_votes.values())

        ranked = sorted(intents.items(), key=lambda item: -item[1])[:RANKING_LENGTH]
        entries = [{INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence} for name, confidence in ranked]
        message.set(INTENT, entries[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, entries, add_to_output=True)
        if answer_votes and selector:
            self._set_answer(message, selector, answer_votes)

    def _set_answer(self, message: Message, selector: Dict[Text, Any], votes: Dict[Text, float]) -> None:
        total = sum(votes.values()) or 1.0
        ranked = sorted(votes.items(), key=lambda item: -item[1])[:RANKING_LENGTH]
        ids = {entry[INTENT_RESPONSE_KEY]: entry.get("id") for entry in selector.get("ranking") or []}
        ranking = [
            {
                "id": ids.get(key, zlib.crc32(key.encode())),
                PREDICTED_CONFIDENCE_KEY: vote / total,
                INTENT_RESPONSE_KEY: key,
            }
            for key, vote in ranked
        ]
        best = ranking[0]
        utter_action = f"utter_{best[INTENT_RESPONSE_KEY]}"
        selected = {
            "responses": self.responses.get(utter_action) or selector["response"].get("responses"),
            PREDICTED_CONFIDENCE_KEY: best[PREDICTED_CONFIDENCE_KEY],
            INTENT_RESPONSE_KEY: best[INTENT_RESPONSE_KEY],
            "utter_action": utter_action,
        }
        properties = dict(message.get("response_selector") or {})
        properties[RETRIEVAL_INTENT] = {"response": selected, "ranking": ranking}
        message.set("response_selector", properties, add_to_output=True)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderHeadStart(UntrainedComponent):
    """Starts the sentence encoder's reading of each message for SentenceEncoderVote, which
    comes later in the pipeline. Place it where the text is final (after the components
    that blank markup and a letter's frame). In a training, it starts reading the vote's
    examples, which the encoder's thread reads while the featurizers, DIET and the
    ResponseSelector train: the same vectors, and the vote's training takes 5 to 6 s instead
    of 12, though the others slow a little (about 3 s less in all on 2 cores;
    docs/understanding.md, round 31). When Rasa restores the vote from its cache instead,
    the reading is left untaken."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderHeadStart:
        # Without the vote, each message would pay for a reading nobody takes.
        if not any(
            issubclass(node.uses, SentenceEncoderVote) for node in execution_context.graph_schema.nodes.values()
        ):
            raise ValueError(
                "SentenceEncoderHeadStart reads ahead for SentenceEncoderVote, which is not in the pipeline: "
                "add the vote after the ResponseSelector, or remove the head start"
            )
        return super().create(config, model_storage, resource, execution_context)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        sentence_encoder.load().start_reading([m.get(TEXT) for m in training_examples(training_data)])
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        encoder = sentence_encoder.load()
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(HEAD_START, ReadAhead(text, encoder.read_ahead([text])))
        return messages
