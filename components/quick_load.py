"""Rasa's DIETClassifier and ResponseSelector, loaded without a training step and reading in numpy.

To load a saved model, Rasa compiles it, trains it one step on an example to create its
weights, then overwrites them with the saved ones (`RasaModel.load`; RasaHQ/rasa#7096).
Tracing that training step, with its gradients and optimiser, is the larger part of the
time a Rasa server takes to start. These classes create the weights by one prediction
instead, before the saved weights replace them: every reading stays the same
(tests/unit/test_quick_load.py). Training, and loading to fine-tune, are Rasa's own.

Once the model is prepared for prediction, each message is read by
`components.sentence_reading.SentenceReading` where the model allows it (no transformer:
the sentence features alone), with the same weights and the same scores as Rasa's
TensorFlow prediction, without its overhead for one message. Rasa's own reading stays for
any other model, and for diagnostic data (which nothing in Rasa 3.6 asks for).
"""

from __future__ import annotations

import warnings
from typing import Any, Dict, Optional, Text, Type

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET, ResponseSelector
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import FEATURIZERS, RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from rasa.utils.train_utils import create_data_generators

from components.sentence_reading import SentenceReading

# Rasa's check that training data with responses has a response selector to learn them looks
# for its own class only, and would warn at every training that there is none.
warnings.filterwarnings(
    "ignore",
    message="You have defined training data with examples for training a response selector",
    category=UserWarning,
)


class _LoadedForPrediction:
    """For a RasaModel class: `load` builds the prediction's weights by predicting, not training."""

    @classmethod
    def load(
        cls,
        model_file_name: Text,
        model_data_example: RasaModelData,
        predict_data_example: Optional[RasaModelData] = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> RasaModel:
        if finetune_mode or predict_data_example is None:
            return super().load(  # type: ignore[misc]
                model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        model = cls(*args, **kwargs)
        model._training = False
        # What Rasa's `compile` would set: predict eagerly, untraced, if the config asks.
        model._run_eagerly = bool(kwargs.get("config", {}).get(RUN_EAGERLY))
        # One prediction, run eagerly: it creates every weight a prediction uses, and traces nothing.
        generator, _ = create_data_generators(predict_data_example, batch_sizes=1, epochs=1, shuffle=False)
        batch = next(iter(generator))[0]
        model.prepare_for_predict()
        model.batch_predict(tuple(tf.convert_to_tensor(array) for array in batch))
        # The optimiser's state is saved too, and is not needed to predict.
        model.load_weights(model_file_name).expect_partial()
        # The labels' embeddings again, from the saved weights.
        model.prepare_for_predict()
        model.prepared_for_prediction = True
        # A model read in numpy needs no TensorFlow prediction: tracing it was most of the load,
        # and a caller of Rasa's own reading traces it at its first call. Any other model is
        # traced now, as Rasa does, so that the first visitor does not wait for it.
        if SentenceReading.of(model) is None:
            model.run_inference(predict_data_example)
        return model


class _DIET(_LoadedForPrediction, DIET):
    pass


class _DIET2BOW(_LoadedForPrediction, DIET2BOW):
    pass


class _DIET2DIET(_LoadedForPrediction, DIET2DIET):
    pass


class _ReadsSentences:
    """For DIETClassifier or a classifier built on it: `_predict` by `SentenceReading` when it can."""

    _read_model: Optional[RasaModel] = None
    _reading: Optional[SentenceReading] = None

    def _sentence_reading(self) -> Optional[SentenceReading]:
        model = self.model  # type: ignore[attr-defined]
        # Rasa prepares a freshly trained model at its first prediction, which stays Rasa's.
        if model is None or not model.prepared_for_prediction:
            return None
        # A model's weights do not change once it predicts: one reading per model.
        if self._read_model is not model:
            self._reading, self._read_model = SentenceReading.of(model), model
        return self._reading

    def _predict(self, message: Message) -> Optional[Dict[Text, Any]]:
        reading = self._sentence_reading()
        if reading is not None and not self._execution_context.should_add_diagnostic_data:  # type: ignore[attr-defined]
            _, sentence = message.get_sparse_features(TEXT, self.component_config[FEATURIZERS])  # type: ignore[attr-defined]
            if sentence is not None:
                return {"i_scores": reading.scores(sentence.features)}
        return super()._predict(message)  # type: ignore[misc]


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadDIETClassifier(_ReadsSentences, DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return _DIET


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuickLoadResponseSelector(_ReadsSentences, ResponseSelector):
    @staticmethod
    def model_class(use_text_as_label: bool) -> Type[RasaModel]:  # type: ignore[override]
        return _DIET2DIET if use_text_as_label else _DIET2BOW
