"""The count featurizers' token-level features of the text are dropped; nothing else is."""

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.token_features import TokenCountsRemover

COUNTS, LEXICAL = "run_CountVectorsFeaturizer6", "run_LexicalSyntacticFeaturizer5"


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


EXPECTED = sorted(
    [
        ("sentence", TEXT, COUNTS),
        ("sequence", TEXT, LEXICAL),
        ("sequence", INTENT, COUNTS),
        ("sentence", INTENT, COUNTS),
    ]
)


def test_a_message_keeps_its_sentence_features_and_the_lexical_token_features():
    message = featurized("does it hurt")
    TokenCountsRemover({}).process([message])
    assert kept(message) == EXPECTED


def test_the_training_data_loses_the_same_features():
    examples = [featurized("hello there"), featurized("is it painful")]
    TokenCountsRemover({}).process_training_data(TrainingData(training_examples=examples))
    assert [kept(example) for example in examples] == [EXPECTED, EXPECTED]


def test_combined_features_name_every_featurizer_they_come_from():
    message = Message(data={TEXT: "does it hurt"})
    message.features.append(Features(scipy.sparse.coo_matrix(np.ones((3, 3))), "sequence", TEXT, [LEXICAL, COUNTS]))
    TokenCountsRemover({}).process([message])
    assert message.features == []
