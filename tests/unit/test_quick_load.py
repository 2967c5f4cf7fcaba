"""DIET and the ResponseSelector loaded without Rasa's training step read every message as
Rasa's own loading reads it: a small model is trained here, saved, and loaded both ways.
(That the numpy reading equals Rasa's is tests/unit/test_sentence_reading.py's.)"""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from components.quick_load import QuickLoadDIETClassifier, QuickLoadResponseSelector
from tests.unit.small_nlu_data import TRAINING_DATA

MESSAGES = ["hello", "does it hurt a lot", "red skin after?", "painful needles", "morning", "how long am i pink"]
SETTINGS = {
    "epochs": 3,
    "evaluate_every_number_of_epochs": -1,
    "random_seed": 1,
    "constrain_similarities": True,
    "number_of_transformer_layers": 0,
}


@pytest.fixture(scope="module")
def featurizers(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("models"))
    context = ExecutionContext(GraphSchema({}), "quick-load")
    tokenizer = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
    counts = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(), storage, Resource("counts"), context
    )
    data = RasaYAMLReader().reads(TRAINING_DATA)
    tokenizer.process_training_data(data)
    counts.train(data)
    counts.process_training_data(data)
    return storage, context, tokenizer, counts, data


def read(component, featurizers, text):
    """Rasa's own (TensorFlow) reading of the text by the component's model."""
    _, _, tokenizer, counts, _ = featurizers
    message = Message(data={"text": text})
    tokenizer.process([message])
    counts.process([message])
    return DIETClassifier._predict(component, message)["i_scores"].tolist()


@pytest.mark.parametrize(
    "quick_class, rasa_class, settings",
    [
        (QuickLoadDIETClassifier, DIETClassifier, {"entity_recognition": False}),
        (QuickLoadResponseSelector, ResponseSelector, {"retrieval_intent": "faq"}),
    ],
)
def test_a_quickly_loaded_model_reads_as_rasas_loading_does(featurizers, quick_class, rasa_class, settings):
    storage, context, _, _, data = featurizers
    config = {**quick_class.get_default_config(), **SETTINGS, **settings}
    resource = Resource(f"{quick_class.__name__}-{len(settings)}")
    quick_class.create(config, storage, resource, context).train(data)
    # Rasa's own class and loading, under the name the files were saved with
    saved_as = type(quick_class.__name__, (rasa_class,), {})
    quick = quick_class.load(config, storage, resource, context)
    rasas = saved_as.load(config, storage, resource, context)
    assert type(quick.model).load.__func__ is not type(rasas.model).load.__func__
    for text in MESSAGES:
        assert read(quick, featurizers, text) == read(rasas, featurizers, text), text
