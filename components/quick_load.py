"""Rasa's DIETClassifier and ResponseSelector, loaded for prediction without a training step.

To load a saved model, Rasa compiles it, trains it one step on an example to create its
weights, then overwrites them with the saved ones (`RasaModel.load`; RasaHQ/rasa#7096).
Tracing that training step, with its gradients and optimiser, is the larger part of the
time a Rasa server takes to start. These classes create the weights by one prediction
instead, before the saved weights replace them: every reading stays the same
(tests/unit/test_quick_load.py). Training, and loading to fine-tune, are Rasa's own.
"""

from __future__ import annotations

import warnings
from typing import Any, Optional, Text, Type

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.nlu.selectors.response_selector import DIET2BOW, DIET2DIET, ResponseSelector
from rasa.utils.tensorflow.constants import RUN_EAGERLY
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel
from rasa.utils.train_utils import create_data_generators

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
        # The labels' embeddings again, from the saved weights; then the prediction is traced, as
        # Rasa does, so that the first visitor does not wait for it.
        model.prepare_for_predict()
        model.prepared_for_prediction = True
        model.run_inference(predict_data_example)
        return model


class _DIET(_LoadedForPrediction, DIET):
    pass


class _DIET2BOW(_LoadedForPrediction, DIET2BOW):
    pass


class _DIET2DIET(_LoadedForPrediction, DIET2DIET):
    pass


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return _DIET


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class QuickLoadResponseSelector(ResponseSelector):
    @staticmethod
    def model_class(use_text_as_label: bool) -> Type[RasaModel]:  # type: ignore[override]
        return _DIET2DIET if use_text_as_label else _DIET2BOW
