"""The text's sentence-level counts alone, and one placeholder position in place of its
tokens' features, which is all DIET and the ResponseSelector need when they read no token:
a small DIET is trained here to show that, with the shipped settings, what it reads does not
move with the tokens' features (and does with a transformer layer)."""

import re

import numpy as np
import pytest
import scipy.sparse
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.quick_load import QuickLoadDIETClassifier, QuickLoadResponseSelector
from components.token_features import SentenceCountsFeaturizer, SentenceFeaturesOnly
from tests.harness.project import PROJECT
from tests.unit.small_nlu_data import TRAINING_DATA

COUNTS, LEXICAL = "run_CountVectorsFeaturizer6", "run_LexicalSyntacticFeaturizer5"
PLACEHOLDER = ("sequence", TEXT, "SentenceFeaturesOnly")


def featurized(text):
    message = Message(data={TEXT: text, INTENT: "greet"})
    for kind, attribute, origin in [
        ("sequence", TEXT, COUNTS),
        ("sentence", TEXT, COUNTS),
        ("sequence", TEXT, LEXICAL),
        ("sequence", INTENT, COUNTS),
        ("sentence", INTENT, COUNTS),
    ]:
        rows = len(text.split()) if kind == "sequence" else 1
        message.features.append(Features(scipy.sparse.coo_matrix(np.ones((rows, 3))), kind, attribute, origin))
    return message


def kept(message):
    return sorted((feature.type, feature.attribute, feature.origin) for feature in message.features)


EXPECTED = sorted([("sentence", TEXT, COUNTS), PLACEHOLDER, ("sequence", INTENT, COUNTS), ("sentence", INTENT, COUNTS)])


def placeholder_of(message):
    (feature,) = [f for f in message.features if f.attribute == TEXT and f.type == "sequence"]
    return feature.features.toarray()


def test_a_message_keeps_its_sentence_features_and_one_placeholder_token():
    message = featurized("does it hurt")
    SentenceFeaturesOnly({}).process([message])
    assert kept(message) == EXPECTED
    assert placeholder_of(message).tolist() == [[1.0]]


def test_the_training_data_gets_the_same():
    examples = [featurized("hello there"), featurized("is it painful after a week")]
    SentenceFeaturesOnly({}).process_training_data(TrainingData(training_examples=examples))
    assert [kept(example) for example in examples] == [EXPECTED, EXPECTED]


def test_combined_features_of_the_tokens_give_way_too():
    message = Message(data={TEXT: "does it hurt"})
    message.features.append(Features(scipy.sparse.coo_matrix(np.ones((3, 3))), "sequence", TEXT, [LEXICAL, COUNTS]))
    message.features.append(Features(scipy.sparse.coo_matrix(np.ones((1, 3))), "sentence", TEXT, [LEXICAL, COUNTS]))
    SentenceFeaturesOnly({}).process([message])
    assert kept(message) == sorted([("sentence", TEXT, [LEXICAL, COUNTS]), PLACEHOLDER])


def test_a_message_with_sentence_features_alone_gets_the_placeholder():
    message = Message(data={TEXT: "does it hurt"})
    message.features.append(Features(scipy.sparse.coo_matrix(np.ones((1, 3))), "sentence", TEXT, COUNTS))
    SentenceFeaturesOnly({}).process([message])
    assert kept(message) == sorted([("sentence", TEXT, COUNTS), PLACEHOLDER])


def test_a_message_without_features_of_its_text_gets_no_placeholder():
    message = Message(data={TEXT: "", INTENT: "greet"})
    message.features.append(Features(scipy.sparse.coo_matrix(np.ones((1, 3))), "sentence", INTENT, COUNTS))
    SentenceFeaturesOnly({}).process([message])
    assert kept(message) == [("sentence", INTENT, COUNTS)]


def context_with(classifier, config, *others):
    nodes = {
        "train_classifier": SchemaNode(needs={}, uses=classifier, constructor_name="create", fn="train", config=config)
    }
    for index, other in enumerate(others):
        nodes[f"other{index}"] = SchemaNode(needs={}, uses=other, constructor_name="create", fn="process", config={})
    return ExecutionContext(GraphSchema(nodes), "token-features")


def create(context):
    return SentenceFeaturesOnly.create({}, None, Resource("sentence-features"), context)


def shipped_settings(classifier):
    pipeline = yaml.safe_load((PROJECT / "config.yml").read_text())["pipeline"]
    (settings,) = [c for c in pipeline if c["name"] == f"components.quick_load.{classifier.__name__}"]
    return {key: value for key, value in settings.items() if key != "name"}


@pytest.mark.parametrize(
    "classifier, config",
    [
        (QuickLoadDIETClassifier, shipped_settings(QuickLoadDIETClassifier)),
        (QuickLoadResponseSelector, shipped_settings(QuickLoadResponseSelector)),
        (
            QuickLoadDIETClassifier,
            {**shipped_settings(QuickLoadDIETClassifier), "featurizers": ["SentenceFeaturesOnly"]},
        ),
    ],
)
def test_classifiers_that_read_no_token_are_let_through(classifier, config):
    create(context_with(classifier, config))  # raises if refused


@pytest.mark.parametrize(
    "classifier, config, named",
    [
        (DIETClassifier, {}, "number_of_transformer_layers: 2, entity_recognition: True"),
        (DIETClassifier, {"number_of_transformer_layers": 0}, "entity_recognition: True"),
        (
            DIETClassifier,
            {"number_of_transformer_layers": {"text": 1}, "entity_recognition": False},
            "number_of_transformer_layers: 1",
        ),
        (ResponseSelector, {"use_masked_language_model": True}, "use_masked_language_model: True"),
        (ResponseSelector, {"use_text_as_label": True}, "use_text_as_label: True"),
        (
            QuickLoadDIETClassifier,
            {**shipped_settings(QuickLoadDIETClassifier), "featurizers": ["words"]},
            "featurizers: ['words'] (without SentenceFeaturesOnly)",
        ),
    ],
)
def test_a_classifier_that_reads_tokens_is_refused_by_name(classifier, config, named):
    with pytest.raises(
        ValueError,
        match=re.escape(f"{classifier.__name__} (train_classifier) reads each token's features with {named}:"),
    ):
        create(context_with(classifier, config))


TRAINING = {"epochs": 5, "random_seed": 1, "evaluate_every_number_of_epochs": -1, "constrain_similarities": True}


def readings_with_other_token_features(classifier, settings, tmp_path):
    """What a classifier reads in one message of four tokens, with its own token features and
    with those of a message of one token."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "token-features")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    counts = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage, Resource("c"), context)
    data = RasaYAMLReader().reads(TRAINING_DATA)
    tokenizer.process_training_data(data)
    counts.train(data)
    counts.process_training_data(data)
    config = {**classifier.get_default_config(), **TRAINING, **settings}
    model = classifier.create(config, storage, Resource("classifier"), context)
    model.train(data)

    def featurized(text):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        counts.process([message])
        return message

    readings = []
    for others in (False, True):
        message = featurized("does the redness hurt")
        if others:
            message.features = [f for f in message.features if f.type == "sentence"] + [
                f for f in featurized("hello").features if f.type == "sequence"
            ]
        model.process([message])
        if classifier is ResponseSelector:
            ranking = message.get("response_selector")["faq"]["ranking"]
            readings.append([(r["intent_response_key"], round(r["confidence"], 6)) for r in ranking])
        else:
            readings.append([(r["name"], round(r["confidence"], 6)) for r in message.get("intent_ranking")])
    return readings


def shipped_reading_settings(quick_class):
    return {
        key: value
        for key, value in shipped_settings(quick_class).items()
        if key not in TRAINING and key != "batch_size"
    }


@pytest.mark.parametrize(
    "classifier, quick_class",
    [(DIETClassifier, QuickLoadDIETClassifier), (ResponseSelector, QuickLoadResponseSelector)],
)
def test_with_the_shipped_settings_what_is_read_does_not_move_with_the_tokens_features(
    classifier, quick_class, tmp_path
):
    own, others = readings_with_other_token_features(classifier, shipped_reading_settings(quick_class), tmp_path)
    assert own == others


def test_with_a_transformer_layer_it_does(tmp_path):
    settings = {"number_of_transformer_layers": 1, "transformer_size": 16, "entity_recognition": False}
    own, others = readings_with_other_token_features(DIETClassifier, settings, tmp_path)
    assert own != others


COUNTED = """
version: "3.1"
nlu:
- intent: faq/pain
  examples: |
    - does it hurt
    - is it painfull, honestly?
- intent: greet
  examples: |
    - hello there
responses:
  utter_faq/pain:
  - text: It can feel a little uncomfortable.
"""


@pytest.mark.parametrize("settings", [{}, {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 4}])
def test_the_sentence_counts_are_rasas_and_the_tokens_are_not_counted(settings, tmp_path):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "token-features")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    read = {}
    for featurizer in (CountVectorsFeaturizer, SentenceCountsFeaturizer):
        data = RasaYAMLReader().reads(COUNTED)
        tokenizer.process_training_data(data)
        counts = featurizer.create(
            {**featurizer.get_default_config(), **settings}, storage, Resource(featurizer.__name__), context
        )
        counts.train(data)
        message = Message(data={TEXT: "does it hurt a lot"})
        tokenizer.process([message])
        counts.process([message])
        counts.process_training_data(data)
        read[featurizer] = [
            {(f.type, f.attribute): f.features.toarray().tolist() for f in m.features}
            for m in [message, *data.training_examples]
        ]
    rasas, sentence_only = read[CountVectorsFeaturizer], read[SentenceCountsFeaturizer]
    assert any(key[1] == RESPONSE for rasa_features in rasas for key in rasa_features)
    for rasa_features, own in zip(rasas, sentence_only):
        assert ("sequence", TEXT) in rasa_features and ("sequence", TEXT) not in own
        del rasa_features[("sequence", TEXT)]
        answers = [key for key in rasa_features if key[1] == RESPONSE]
        assert not any(key[1] == RESPONSE for key in own)
        for key in answers:
            del rasa_features[key]
        assert own == rasa_features
    assert any(("sentence", TEXT) in own for own in sentence_only)


def test_the_response_selector_reads_the_same_without_its_answers_text(tmp_path):
    """It reads its answers' keys: the same seed trains the same model with or without the
    answers' text counted."""
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "token-features")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    counts = CountVectorsFeaturizer.create(CountVectorsFeaturizer.get_default_config(), storage, Resource("c"), context)
    readings = []
    for drop_answers in (False, True):
        data = RasaYAMLReader().reads(TRAINING_DATA)
        tokenizer.process_training_data(data)
        counts.train(data)
        counts.process_training_data(data)
        if drop_answers:
            assert any(f.attribute == RESPONSE for m in data.training_examples for f in m.features)
            for example in data.training_examples:
                example.features = [f for f in example.features if f.attribute != RESPONSE]
        config = {
            **ResponseSelector.get_default_config(),
            **TRAINING,
            **shipped_reading_settings(QuickLoadResponseSelector),
        }
        selector = ResponseSelector.create(config, storage, Resource(f"selector{drop_answers}"), context)
        selector.train(data)
        message = Message(data={TEXT: "does the redness hurt"})
        tokenizer.process([message])
        counts.process([message])
        selector.process([message])
        readings.append(message.get("response_selector")["faq"]["ranking"])
    assert readings[0] == readings[1]


def test_a_response_selector_reading_its_answers_text_is_refused(tmp_path):
    def counts(context):
        return SentenceCountsFeaturizer.create(
            SentenceCountsFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("counts"), context
        )

    with pytest.raises(ValueError, match="leaves the answers' text uncounted, but ResponseSelector"):
        counts(
            context_with(
                ResponseSelector, {"use_text_as_label": True}, SentenceCountsFeaturizer, CountVectorsFeaturizer
            )
        )
    counts(context_with(ResponseSelector, {}, SentenceCountsFeaturizer, CountVectorsFeaturizer))  # no error


def test_sentence_counts_with_nothing_for_the_tokens_is_refused(tmp_path):
    storage = LocalModelStorage(tmp_path)

    def counts(context):
        return SentenceCountsFeaturizer.create(
            SentenceCountsFeaturizer.get_default_config(), storage, Resource("counts"), context
        )

    with pytest.raises(ValueError, match="add components.token_features.SentenceFeaturesOnly after the featurizers"):
        counts(context_with(QuickLoadDIETClassifier, {}, SentenceCountsFeaturizer))
    counts(context_with(QuickLoadDIETClassifier, {}, SentenceCountsFeaturizer, SentenceFeaturesOnly))  # no error


def test_a_vocabulary_shared_between_attributes_is_refused(tmp_path):
    config = {**SentenceCountsFeaturizer.get_default_config(), "use_shared_vocab": True}
    context = context_with(QuickLoadDIETClassifier, {}, SentenceCountsFeaturizer, SentenceFeaturesOnly)
    with pytest.raises(ValueError, match="remove use_shared_vocab"):
        SentenceCountsFeaturizer.create(config, LocalModelStorage(tmp_path), Resource("counts"), context)
