"""The sentence encoder's vote, averaged with DIET's and the ResponseSelector's."""

import json
import logging
import threading
from pathlib import Path

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema, SchemaNode
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.training.fingerprinting import calculate_fingerprint_key
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components import sentence_encoder
from components.intents import NEAREST_EXAMPLES
from components.sentence_vote import HEAD_START, SentenceEncoderHeadStart, SentenceEncoderVote

EXAMPLES = {
    "faq/does_it_hurt": ["does it hurt", "is it painful", "will it be sore during the treatment", "how much pain"],
    "faq/pore_size": ["does it shrink pores", "will my big pores get smaller", "open pores", "pore size"],
    "out_of_scope": ["what's the weather", "how much does it cost", "do you have parking", "tell me a joke"],
    "greet": ["hello", "hi there", "good morning", "hey"],
}
RESPONSES = {"utter_faq/does_it_hurt": [{"text": "hurt answer"}], "utter_faq/pore_size": [{"text": "pores answer"}]}
CONFIG = {**SentenceEncoderVote.get_default_config(), "pooled_layers": [4, 6]}


def training_data() -> TrainingData:
    messages = []
    for label, texts in EXAMPLES.items():
        intent, _, answer = label.partition("/")
        for text in texts:
            data = {TEXT: text, INTENT: intent}
            if answer:
                data[INTENT_RESPONSE_KEY] = label
            messages.append(Message(data=data))
    return TrainingData(messages, responses=RESPONSES)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("vote")
    context = ExecutionContext(GraphSchema({}), "test")
    SentenceEncoderVote.create(CONFIG, storage, resource, context).train(training_data())
    return SentenceEncoderVote.load(CONFIG, storage, resource, context)


def parsed(text, intents, answers):
    """A message as DIET and the ResponseSelector leave it."""
    ranking = [{"name": name, "confidence": confidence} for name, confidence in intents]
    selector = {
        "faq": {
            "response": {
                "responses": [{"text": f"{answers[0][0]} answer"}],
                "confidence": answers[0][1],
                "intent_response_key": answers[0][0],
                "utter_action": f"utter_{answers[0][0]}",
            },
            "ranking": [{"id": 1, "confidence": confidence, "intent_response_key": key} for key, confidence in answers],
        }
    }
    return Message(data={TEXT: text, INTENT: ranking[0], INTENT_RANKING_KEY: ranking, "response_selector": selector})


def test_a_sure_encoder_decides_between_two_answers_diet_cannot_tell_apart(trained):
    message = parsed(
        "is the needling agonising",
        [("faq", 0.9), ("greet", 0.1)],
        [("faq/pore_size", 0.52), ("faq/does_it_hurt", 0.48)],
    )
    trained.process([message])
    response = message.get("response_selector")["faq"]["response"]
    assert response["intent_response_key"] == "faq/does_it_hurt"
    assert response["utter_action"] == "utter_faq/does_it_hurt"
    assert response["responses"] == RESPONSES["utter_faq/does_it_hurt"]
    assert message.get(INTENT)["name"] == "faq"
    ranking = message.get("response_selector")["faq"]["ranking"]
    assert sum(entry["confidence"] for entry in ranking) == pytest.approx(1.0)


def test_votes_are_averaged_so_a_sure_diet_is_not_overruled_by_an_unsure_encoder(trained):
    message = parsed(
        "is it sore", [("out_of_scope", 0.99), ("faq", 0.01)], [("faq/does_it_hurt", 0.9), ("faq/pore_size", 0.1)]
    )
    trained.process([message])
    intent = message.get(INTENT)
    assert intent["name"] == "out_of_scope"
    assert 0.5 <= intent["confidence"] < 0.99  # DIET's half of the vote, and part of the encoder's
    assert [entry["name"] for entry in message.get(INTENT_RANKING_KEY)][:2] == ["out_of_scope", "faq"]


def test_the_nlu_fallback_in_the_ranking_gets_no_vote(trained):
    message = parsed(
        "hey hello",
        [("nlu_fallback", 0.4), ("greet", 0.35), ("faq", 0.3)],
        [("faq/does_it_hurt", 0.6), ("faq/pore_size", 0.4)],
    )
    trained.process([message])
    names = [entry["name"] for entry in message.get(INTENT_RANKING_KEY)]
    assert names[0] == "greet" and "nlu_fallback" not in names


def test_a_message_without_text_or_intent_is_left_alone(trained):
    empty = Message(data={TEXT: ""})
    unparsed = Message(data={TEXT: "does it hurt"})
    trained.process([empty, unparsed])
    assert empty.get(INTENT) is None and unparsed.get(INTENT) is None


def voted(trained, text, head_start=False, text_after_head_start=None):
    message = parsed(text, [("faq", 0.5), ("greet", 0.3), ("out_of_scope", 0.2)], [("faq/pore_size", 0.6)])
    if head_start:
        SentenceEncoderHeadStart().process([message])
    if text_after_head_start:
        message.set(TEXT, text_after_head_start)
    trained.process([message])
    return message


def test_a_message_read_ahead_gets_the_vote_it_gets_when_the_vote_reads_it(trained, monkeypatch):
    text = "will it make my pores less visible"
    alone = voted(trained, text)

    def read_again(texts):
        raise AssertionError(f"read again: {texts}")

    message = parsed(text, [("faq", 0.5), ("greet", 0.3), ("out_of_scope", 0.2)], [("faq/pore_size", 0.6)])
    SentenceEncoderHeadStart().process([message])
    monkeypatch.setattr(trained.encoder, "pooled", read_again)  # the head start's reading is taken
    trained.process([message])
    assert message.get(INTENT_RANKING_KEY) == alone.get(INTENT_RANKING_KEY)
    assert message.get("response_selector") == alone.get("response_selector")
    assert message.get(NEAREST_EXAMPLES) == alone.get(NEAREST_EXAMPLES)
    assert HEAD_START not in message.data and HEAD_START not in message.as_dict()


def test_a_text_changed_after_the_head_start_is_read_again(trained):
    changed = voted(trained, "<p>does it hurt</p>", head_start=True, text_after_head_start="does it hurt")
    alone = voted(trained, "does it hurt")
    assert changed.get(INTENT_RANKING_KEY) == alone.get(INTENT_RANKING_KEY)
    assert changed.get(NEAREST_EXAMPLES) == alone.get(NEAREST_EXAMPLES)


def test_a_reading_ahead_is_taken_off_messages_the_vote_does_not_vote_on(trained, tmp_path):
    untrained = SentenceEncoderVote.create(
        CONFIG, LocalModelStorage(tmp_path), Resource("untrained"), ExecutionContext(GraphSchema({}), "test")
    )
    for vote in (trained, untrained):
        unparsed = Message(data={TEXT: "does it hurt"})
        parsed_message = parsed("does it hurt", [("faq", 0.9), ("greet", 0.1)], [("faq/does_it_hurt", 0.9)])
        SentenceEncoderHeadStart().process([unparsed, parsed_message])
        vote.process([unparsed, parsed_message])
        assert HEAD_START not in unparsed.data and HEAD_START not in parsed_message.data


def test_an_error_in_the_reading_ahead_is_raised_by_the_vote_not_hidden(trained, monkeypatch):
    read = trained.encoder._read

    def broken_ahead(texts):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("encoder broke")
        return read(texts)

    monkeypatch.setattr(trained.encoder, "_read", broken_ahead)
    message = parsed("does it hurt", [("faq", 0.9), ("greet", 0.1)], [("faq/does_it_hurt", 0.9)])
    SentenceEncoderHeadStart().process([message])
    with pytest.raises(RuntimeError, match="encoder broke"):
        trained.process([message])


def test_the_head_start_needs_the_vote_later_in_the_pipeline(tmp_path):
    def context(*components):
        nodes = {
            f"run_{component.__name__}": SchemaNode(
                needs={}, uses=component, constructor_name="load", fn="process", config={}
            )
            for component in components
        }
        return ExecutionContext(GraphSchema(nodes), "test")

    storage, resource = LocalModelStorage(tmp_path), Resource("head_start")
    with pytest.raises(ValueError, match="SentenceEncoderVote"):
        SentenceEncoderHeadStart.create({}, storage, resource, context(SentenceEncoderHeadStart))
    SentenceEncoderHeadStart.create({}, storage, resource, context(SentenceEncoderHeadStart, SentenceEncoderVote))


def test_in_a_training_the_vote_learns_from_the_head_starts_reading_on_the_encoders_thread(tmp_path, monkeypatch):
    context = ExecutionContext(GraphSchema({}), "test")
    alone = SentenceEncoderVote.create(CONFIG, LocalModelStorage(tmp_path), Resource("alone"), context)
    alone.train(training_data())

    encoder = sentence_encoder.load()
    threads = []
    read = encoder._read
    monkeypatch.setattr(encoder, "_read", lambda texts: threads.append(threading.current_thread()) or read(texts))
    data = training_data()
    assert SentenceEncoderHeadStart().process_training_data(data) is data
    assert not any(HEAD_START in message.data for message in data.training_examples)
    ahead = SentenceEncoderVote.create(CONFIG, LocalModelStorage(tmp_path), Resource("ahead"), context)
    ahead.train(data)

    assert len(threads) == 1 and threads[0] is not threading.current_thread()
    np.testing.assert_array_equal(ahead.example_vectors, alone.example_vectors)
    np.testing.assert_array_equal(ahead.coefficients, alone.coefficients)
    np.testing.assert_array_equal(ahead.intercepts, alone.intercepts)


@pytest.mark.parametrize(
    "setting",
    [
        {"weight": 1.5},
        {"weight": -0.1},
        {"nearest_weight": 1.5},
        {"nearest_weight": -0.1},
        {"nearest_temperature": 0},
        {"nearest_temperature": -0.02},
        {"pooled_layers": []},
        {"pooled_layers": [0]},
        {"pooled_layers": [4, 7]},
        {"pooled_layers": [4, 4]},
        {"pooled_layers": "46"},
        {"pooled_layers": 4},
        {"pooled_layers": ["4", "6"]},
        {"pooled_layers": [True, 6]},
        # a model trained before pooled_layers: its vectors are of one layer
        {"layers": 4},
    ],
)
def test_a_setting_out_of_range_is_a_clear_error(tmp_path, setting):
    with pytest.raises(ValueError, match=next(iter(setting))):
        SentenceEncoderVote.create(
            {**CONFIG, **setting},
            LocalModelStorage(tmp_path),
            Resource("vote"),
            ExecutionContext(GraphSchema({}), "test"),
        )


def test_each_label_gets_the_similarity_of_its_nearest_training_example(trained):
    message = parsed("what's the weather like today", [("faq", 0.6), ("out_of_scope", 0.4)], [("faq/pore_size", 1.0)])
    trained.process([message])
    nearest = message.get(NEAREST_EXAMPLES)
    assert set(nearest) == set(EXAMPLES)
    assert max(nearest, key=nearest.get) == "out_of_scope"
    vectors = trained.encoder.encode(
        ["what's the weather like today", *EXAMPLES["out_of_scope"]], CONFIG["pooled_layers"]
    )
    assert nearest["out_of_scope"] == pytest.approx(float(max(vectors[1:] @ vectors[0])), abs=1e-3)


def test_a_model_saved_before_the_examples_were_kept_loads_and_votes_without_them(trained, tmp_path, caplog):
    storage = LocalModelStorage(tmp_path)
    resource = Resource("old_vote")
    with storage.write_to(resource) as directory:
        np.savez(directory / "regression.npz", coefficients=trained.coefficients, intercepts=trained.intercepts)
        (directory / "labels.json").write_text(json.dumps({"labels": trained.labels, "responses": RESPONSES}))
    with caplog.at_level(logging.WARNING):
        old = SentenceEncoderVote.load(
            {**CONFIG, "nearest_weight": 0.3}, storage, resource, ExecutionContext(GraphSchema({}), "test")
        )
    assert "nearest_weight is ignored" in caplog.text
    message = parsed("is it painful", [("faq", 0.9), ("greet", 0.1)], [("faq/does_it_hurt", 0.9)])
    old.process([message])
    assert message.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/does_it_hurt"
    assert message.get(NEAREST_EXAMPLES) is None


def encoder_only_reading(trained, text, **settings):
    """The message as the vote leaves it with the whole vote the encoder's, and the regression's own reading."""
    config = {**CONFIG, "weight": 0.0, **settings}
    voter = SentenceEncoderVote.load(
        config, trained.model_storage, trained.resource, ExecutionContext(GraphSchema({}), "test")
    )
    message = parsed(text, [("greet", 0.9), ("faq", 0.1)], [("faq/pore_size", 1.0)])
    voter.process([message])
    return message, voter._probabilities(voter.encoder.encode([text], CONFIG["pooled_layers"])[0])


@pytest.mark.parametrize("nearest_weight", [0.3, 1.0])
def test_the_nearest_examples_take_their_share_of_the_encoders_reading(trained, nearest_weight):
    """With the whole vote the encoder's, each label's confidence is the regression's and the
    softmax of its nearest example's similarity over the temperature, mixed by nearest_weight."""
    temperature = 0.2
    message, regression = encoder_only_reading(
        trained, "does the treatment hurt a lot", nearest_weight=nearest_weight, nearest_temperature=temperature
    )
    nearest = message.get(NEAREST_EXAMPLES)
    closeness = {label: np.exp((value - max(nearest.values())) / temperature) for label, value in nearest.items()}
    expected = {
        label: (1 - nearest_weight) * regression[label] + nearest_weight * value / sum(closeness.values())
        for label, value in closeness.items()
    }
    confidences = {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)}
    assert confidences["greet"] == pytest.approx(expected["greet"], rel=1e-4)
    assert confidences["out_of_scope"] == pytest.approx(expected["out_of_scope"], rel=1e-4)
    assert confidences["faq"] == pytest.approx(expected["faq/does_it_hurt"] + expected["faq/pore_size"], rel=1e-4)
    answers = {
        entry["intent_response_key"]: entry["confidence"]
        for entry in message.get("response_selector")["faq"]["ranking"]
    }
    share = expected["faq/does_it_hurt"] / (expected["faq/does_it_hurt"] + expected["faq/pore_size"])
    assert answers["faq/does_it_hurt"] == pytest.approx(share, rel=1e-4)


def test_with_the_default_nearest_weight_the_encoders_reading_is_the_regressions_alone(trained):
    message, regression = encoder_only_reading(trained, "does the treatment hurt a lot")
    confidences = {entry["name"]: entry["confidence"] for entry in message.get(INTENT_RANKING_KEY)}
    assert confidences["greet"] == pytest.approx(regression["greet"], rel=1e-4)
    assert confidences["out_of_scope"] == pytest.approx(regression["out_of_scope"], rel=1e-4)


def test_a_change_to_the_encoders_code_retrains_rather_than_restores_from_rasas_cache(tmp_path, monkeypatch):
    config = {**SentenceEncoderVote.get_default_config(), "pooled_layers": [4, 6]}
    inputs = {"training_data": training_data()}
    before = calculate_fingerprint_key(SentenceEncoderVote, config, inputs)
    assert calculate_fingerprint_key(SentenceEncoderVote, config, inputs) == before
    changed = tmp_path / "sentence_encoder.py"
    changed.write_text(Path(sentence_encoder.__file__).read_text() + "\nBATCH = 32\n")
    monkeypatch.setattr(sentence_encoder, "__file__", str(changed))
    assert calculate_fingerprint_key(SentenceEncoderVote, config, inputs) != before
