"""DIET and the ResponseSelector read a message in numpy (components/sentence_reading.py) as
Rasa's TensorFlow prediction reads it: small models are trained, saved and loaded here, and
each message is read both ways. A model the numpy reading cannot read exactly is Rasa's."""

import numpy as np
import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.constants import DIAGNOSTIC_DATA
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from components.quick_load import QuickLoadDIETClassifier, QuickLoadResponseSelector
from components.sentence_reading import SentenceReading
from components.token_features import SentenceCountsFeaturizer, SentenceFeaturesOnly
from tests.harness.project import PROJECT
from tests.unit.small_nlu_data import TRAINING_DATA

MESSAGES = [
    "hello",
    "does it hurt a lot",
    "red skin after?",
    "painful needles",
    "morning",
    "how long am i pink",
    "zzz",  # no word the featurizers know
]
TRAINING = {"epochs": 3, "random_seed": 1, "evaluate_every_number_of_epochs": -1}


def shipped(quick_class):
    pipeline = yaml.safe_load((PROJECT / "config.yml").read_text())["pipeline"]
    (settings,) = [c for c in pipeline if c["name"] == f"components.quick_load.{quick_class.__name__}"]
    return {key: value for key, value in settings.items() if key not in ("name", "epochs", "random_seed")}


class DenseTokenPlaceholder(SentenceFeaturesOnly):
    """A dense placeholder of one unit: its width differs from the sentence features', so
    Rasa joins the two through dense layers of their own."""

    def process(self, messages):
        for message in super().process(messages):
            for index, feature in enumerate(message.features):
                if feature.attribute == TEXT and feature.type == "sequence":
                    message.features[index] = Features(np.ones((1, 1), dtype=np.float32), feature.type, TEXT, "dense")
        return messages


class KeepTokens(SentenceFeaturesOnly):
    """No placeholder: each token's features stay, as Rasa's own counts make them."""

    def process(self, messages):
        return messages


def trained(
    quick_class, settings, placeholder, tmp_path, counts=SentenceCountsFeaturizer, load=True, data=TRAINING_DATA
):
    """A classifier trained on the small data, saved and loaded (unless `load` is False), and
    the function that featurizes a text as its training data was featurized."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "sentence-reading")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    featurizers = [
        counts.create({**counts.get_default_config(), **config}, storage, Resource(f"counts{index}"), context)
        for index, config in enumerate([{}, {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}])
    ]
    data = RasaYAMLReader().reads(data)
    tokenizer.process_training_data(data)
    for featurizer in featurizers:
        featurizer.train(data)
        featurizer.process_training_data(data)
    placeholder({}).process_training_data(data)
    config = {**quick_class.get_default_config(), **TRAINING, **settings}
    resource = Resource(quick_class.__name__)
    classifier = quick_class.create(config, storage, resource, context)
    classifier.train(data)
    if load:
        classifier = quick_class.load(config, storage, resource, context)

    def featurized(text):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        for featurizer in featurizers:
            featurizer.process([message])
        placeholder({}).process([message])
        return message

    return classifier, featurized


def assert_reads_as_rasa(classifier, featurized):
    for text in MESSAGES:
        message = featurized(text)
        mine = classifier._predict(message)["i_scores"]
        rasas = DIETClassifier._predict(classifier, message)["i_scores"]
        assert mine.shape == rasas.shape
        np.testing.assert_allclose(mine, rasas, rtol=1e-5, atol=1e-6, err_msg=text)
        assert list(np.argsort(-mine.ravel(), kind="stable")) == list(np.argsort(-rasas.ravel(), kind="stable"))


CASES = [
    (QuickLoadDIETClassifier, {}, SentenceFeaturesOnly, SentenceCountsFeaturizer),
    (QuickLoadResponseSelector, {}, SentenceFeaturesOnly, SentenceCountsFeaturizer),
    # Dense layers (GELU) between the sentence features and the embedding
    (
        QuickLoadDIETClassifier,
        {"hidden_layers_sizes": {"text": [32, 16], "label": []}},
        SentenceFeaturesOnly,
        SentenceCountsFeaturizer,
    ),
    # Cosine similarity, and confidences without softmax
    (
        QuickLoadDIETClassifier,
        {"similarity_type": "cosine", "loss_type": "margin"},
        SentenceFeaturesOnly,
        SentenceCountsFeaturizer,
    ),
    (QuickLoadDIETClassifier, {}, DenseTokenPlaceholder, SentenceCountsFeaturizer),
    # Rasa's own counts with each token's features: read from the sentence position all the same
    (QuickLoadDIETClassifier, {}, KeepTokens, CountVectorsFeaturizer),
    (QuickLoadResponseSelector, {}, KeepTokens, CountVectorsFeaturizer),
]


@pytest.mark.parametrize("quick_class, settings, placeholder, counts", CASES)
def test_the_numpy_reading_gives_rasas_scores(quick_class, settings, placeholder, counts, tmp_path):
    classifier, featurized = trained(quick_class, {**shipped(quick_class), **settings}, placeholder, tmp_path, counts)
    assert SentenceReading.of(classifier.model) is not None
    # Tracing Rasa's prediction was most of a server's start, for a prediction nothing reads.
    assert not classifier.model._run_eagerly and classifier.model._tf_predict_step is None
    assert set(classifier._predict(featurized("hello"))) == {"i_scores"}  # the numpy reading's, not Rasa's
    classifier.process([featurized("hello"), featurized("")])
    assert classifier.model._tf_predict_step is None
    assert_reads_as_rasa(classifier, featurized)  # Rasa's reading, traced at its first call
    assert classifier.model._tf_predict_step is not None


def test_what_the_classifier_reads_is_the_numpy_reading(tmp_path):
    classifier, featurized = trained(
        QuickLoadDIETClassifier, shipped(QuickLoadDIETClassifier), SentenceFeaturesOnly, tmp_path
    )
    reading = SentenceReading.of(classifier.model)
    message = featurized("does it hurt a lot")
    classifier.process([message])
    _, sentence = message.get_sparse_features(TEXT)
    scores = reading.scores(sentence.features).ravel()
    ranked = {entry["name"]: entry["confidence"] for entry in message.get("intent_ranking")}
    assert ranked == {classifier.index_label_id_mapping[index]: float(score) for index, score in enumerate(scores)}


# Rasa turns entity recognition off when the training data has no entity.
WITH_AN_ENTITY = TRAINING_DATA.replace("- will i be red after", "- will i be red after [two](days) days")
FALLBACKS = [
    (QuickLoadDIETClassifier, {"number_of_transformer_layers": 1, "transformer_size": 16}, TRAINING_DATA),
    (QuickLoadDIETClassifier, {"entity_recognition": True}, WITH_AN_ENTITY),
]


@pytest.mark.parametrize("quick_class, settings, data", FALLBACKS)
def test_a_model_it_cannot_read_exactly_is_read_by_rasa(quick_class, settings, data, tmp_path):
    classifier, featurized = trained(
        quick_class, {**shipped(quick_class), **settings}, KeepTokens, tmp_path, CountVectorsFeaturizer, data=data
    )
    assert SentenceReading.of(classifier.model) is None
    assert classifier.model._tf_predict_step is not None  # traced at load: the first visitor does not wait
    message = featurized("does it hurt a lot")
    assert DIAGNOSTIC_DATA in classifier._predict(message)  # Rasa's reading
    classifier.process([message])
    assert message.get("intent") or message.get("response_selector")


def test_a_freshly_trained_model_is_read_by_rasa_until_rasa_prepares_it(tmp_path):
    classifier, featurized = trained(
        QuickLoadDIETClassifier, shipped(QuickLoadDIETClassifier), SentenceFeaturesOnly, tmp_path, load=False
    )
    assert classifier._sentence_reading() is None
    classifier.process([featurized("hello")])
    assert classifier._sentence_reading() is not None
    assert_reads_as_rasa(classifier, featurized)
