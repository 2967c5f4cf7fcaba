"""DIET's reading of one message from its sentence features, in numpy.

With no transformer layers, DIET and the ResponseSelector read a message from its
sentence position alone (components/token_features.py): the text's sentence features go
through the sparse-to-dense layer, the dense layers, the embedding, and are compared with
every label's embedding. Rasa runs these few matrix products through TensorFlow, whose
overhead for one message (building the batch, calling the traced graph, converting its
tensors) is most of the time both classifiers take. `SentenceReading` does the same
arithmetic with the trained model's own weights, in float32 as TensorFlow does, and gives
the scores Rasa's `run_inference` gives (tests/unit/test_sentence_reading.py compares them).

`SentenceReading.of` returns None for any model it cannot read this way (a transformer,
entity recognition, a ResponseSelector reading its answers' text, dense or several sparse
sentence features, an activation other than GELU), and the classifier keeps Rasa's own
reading.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple

import numpy as np
import scipy.sparse
import scipy.special
import tensorflow as tf
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.shared.nlu.constants import TEXT
from rasa.utils.tensorflow.constants import (
    COSINE,
    ENTITY_RECOGNITION,
    INTENT_CLASSIFICATION,
    LABEL,
    SENTENCE,
    SEQUENCE,
    SOFTMAX,
)
from rasa.utils.tensorflow.layers import Ffnn, RandomlyConnectedDense
from rasa.utils.tensorflow.models import RasaModel
from rasa.utils.tensorflow.rasa_layers import RasaFeatureCombiningLayer, RasaSequenceLayer

# (kernel, bias, GELU after it)
Step = Tuple[np.ndarray, np.ndarray, bool]


def _gelu(x: np.ndarray) -> np.ndarray:
    # tf.nn.gelu's exact form (approximate=False), as Rasa's dense layers use it.
    return (0.5 * x * (1.0 + scipy.special.erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32)


def _l2_normalized(x: np.ndarray) -> np.ndarray:
    # tf.nn.l2_normalize's form, with its lower bound on the squared norm
    return (x / np.sqrt(np.maximum(np.sum(x * x, axis=-1, keepdims=True), np.float32(1e-12)))).astype(np.float32)


def _activation_is_gelu(layer: tf.keras.layers.Dense) -> Optional[bool]:
    """True for GELU, False for none, None for any other activation."""
    if layer.activation is None or layer.activation is tf.keras.activations.linear:
        return False
    if layer.activation is tf.nn.gelu:
        return True
    return None


def _dense_steps(ffnn: Optional[Ffnn]) -> Optional[List[Step]]:
    """The dense layers of Rasa's Ffnn (their dropout does nothing when predicting)."""
    steps: List[Step] = []
    for layer in getattr(ffnn, "_ffn_layers", []):
        if isinstance(layer, tf.keras.layers.Dropout):
            continue
        if not isinstance(layer, RandomlyConnectedDense) or not layer.use_bias:
            return None
        gelu = _activation_is_gelu(layer)
        if gelu is None:
            return None
        kernel = layer.kernel.numpy()
        if layer.kernel_mask is not None:
            kernel = kernel * layer.kernel_mask.numpy()
        steps.append((kernel.astype(np.float32), layer.bias.numpy().astype(np.float32), gelu))
    return steps


class SentenceReading:
    """Scores of every label for a message's sentence features, as DIET's `run_inference`
    gives them under "i_scores"."""

    def __init__(self, steps: List[Step], labels: np.ndarray, cosine: bool, softmax: bool) -> None:
        # From the sentence features to the embedding: sparse-to-dense, dense layers, embedding.
        self._steps = steps
        self._labels = _l2_normalized(labels) if cosine else labels
        self._cosine = cosine
        self._softmax = softmax

    @classmethod
    def of(cls, model: Optional[RasaModel]) -> Optional[SentenceReading]:
        """The reading of a DIET model prepared for prediction, or None when it cannot be read so."""
        try:
            return cls._of(model)
        except (AttributeError, KeyError, TypeError, ValueError):
            return None

    @classmethod
    def _of(cls, model: Any) -> Optional[SentenceReading]:
        if model is None or getattr(model, "all_labels_embed", None) is None:
            return None
        # DIET's prediction (the ResponseSelector's too, unless it reads its answers' text,
        # which reads the last token): intents from the sentence position, and nothing else.
        if type(model).batch_predict is not DIET.batch_predict:
            return None
        if not model.config[INTENT_CLASSIFICATION] or model.config[ENTITY_RECOGNITION]:
            return None
        signature = model.predict_data_signature.get(TEXT, {})
        sentence = signature.get(SENTENCE, [])
        if len(sentence) != 1 or not sentence[0].is_sparse or not signature.get(SEQUENCE):
            return None
        sequence_layer = model._tf_layers[f"sequence_layer.{TEXT}"]
        if not isinstance(sequence_layer, RasaSequenceLayer) or sequence_layer._has_transformer:
            return None
        combining = sequence_layer._tf_layers[RasaSequenceLayer.FEATURE_COMBINING]
        if not isinstance(combining, RasaFeatureCombiningLayer):
            return None
        to_dense_layer = combining._tf_layers[f"sparse_dense.{SENTENCE}"]._tf_layers["sparse_to_dense"]
        if _activation_is_gelu(to_dense_layer) is not False or not to_dense_layer.use_bias:
            return None
        to_dense = (to_dense_layer.kernel.numpy(), to_dense_layer.bias.numpy(), False)
        unify = _dense_steps(combining._tf_layers.get(f"unify_dims_before_seq_sent_concat.{SENTENCE}"))
        hidden = _dense_steps(sequence_layer._tf_layers[RasaSequenceLayer.FFNN])
        if unify is None or hidden is None:
            return None
        embed_layer = model._tf_layers[f"embed.{TEXT}"]._dense
        if _activation_is_gelu(embed_layer) is not False or not embed_layer.use_bias:
            return None
        embed = (embed_layer.kernel.numpy(), embed_layer.bias.numpy(), False)
        loss = model._tf_layers[f"loss.{LABEL}"]
        labels = np.asarray(model.all_labels_embed, dtype=np.float32)
        return cls(
            [to_dense, *unify, *hidden, embed],
            labels,
            cosine=loss.similarity_type == COSINE,
            softmax=loss.model_confidence == SOFTMAX,
        )

    def scores(self, sentence_features: scipy.sparse.spmatrix) -> np.ndarray:
        """The labels' scores, shape (1, labels), for one message's sentence features (1 x units)."""
        x = scipy.sparse.csr_matrix(sentence_features, dtype=np.float32)
        for kernel, bias, gelu in self._steps:
            x = np.asarray(x @ kernel) + bias
            if gelu:
                x = _gelu(x)
        if self._cosine:
            x = _l2_normalized(x)
        similarities = (x @ self._labels.T).astype(np.float32)
        if not self._softmax:
            return similarities
        shifted = np.exp(similarities - similarities.max(axis=-1, keepdims=True))
        return (shifted / shifted.sum(axis=-1, keepdims=True)).astype(np.float32)
