"""The sentence encoder against the published model's own figures."""

import threading

import numpy as np
import pytest

from components.sentence_encoder import joined, load


@pytest.fixture(scope="module")
def full():
    return load()


def test_reproduces_the_similarity_the_model_card_publishes(full):
    # sentence-transformers' documentation, all-MiniLM-L6-v2: 0.8939 for this pair,
    # 0.6788 for the second. A wrong layer, norm or pooling moves these.
    first, second, third, fourth = full.encode(
        ["The new movie is awesome", "The new movie is so great", "The cat sits outside", "The cat plays in the garden"]
    )
    assert float(first @ second) == pytest.approx(0.8939, abs=5e-4)
    assert float(third @ fourth) == pytest.approx(0.6788, abs=5e-4)


def test_a_batch_gives_each_text_the_vector_it_gets_alone(full):
    texts = ["pores?", "I had microneedling three days ago and my skin is still a little red, is that normal?", ""]
    together = full.encode(texts)
    for text, vector in zip(texts, together):
        np.testing.assert_allclose(vector, full.encode([text])[0], atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_is_nearer_than_another_topic_with_the_layers_config_uses(full):
    hurt, painful, redness = full.encode(
        ["does microneedling hurt", "is the procedure painful", "how long will my face stay red"], (4, 6)
    )
    assert float(hurt @ painful) > float(hurt @ redness)


def test_joined_layers_are_each_layers_vector_side_by_side(full):
    texts = ["does microneedling hurt", "dose it hert alot"]
    fourth = full.encode(texts, [4])
    sixth = full.encode(texts)
    joined = full.encode(texts, [6, 4])
    assert load() is full
    np.testing.assert_array_equal(joined, full.encode(texts, (4, 6)))
    np.testing.assert_allclose(joined[:, :384] * np.sqrt(2), fourth, atol=1e-5)
    np.testing.assert_allclose(joined[:, 384:] * np.sqrt(2), sixth, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(joined, axis=1), 1.0, atol=1e-5)
    mean = (float(fourth[0] @ fourth[1]) + float(sixth[0] @ sixth[1])) / 2
    assert float(joined[0] @ joined[1]) == pytest.approx(mean, abs=1e-5)


def recording_threads(encoder, monkeypatch):
    """The thread of each reading the encoder does from now on."""
    threads = []
    read = encoder._read
    monkeypatch.setattr(encoder, "_read", lambda texts: threads.append(threading.current_thread()) or read(texts))
    return threads


def test_a_reading_started_ahead_is_the_reading_now_and_runs_on_a_thread_of_its_own(full, monkeypatch):
    texts = ["how long will i be red", "pores?"]
    now = full.pooled(texts)
    threads = recording_threads(full, monkeypatch)
    ahead = full.read_ahead(texts).result()
    assert threads and threads[0] is not threading.current_thread()
    np.testing.assert_array_equal(ahead, now)
    np.testing.assert_array_equal(joined(ahead, (4, 6)), full.encode(texts, (4, 6)))


def test_a_reading_started_for_a_training_is_taken_once_by_a_reading_of_the_same_texts(full, monkeypatch):
    texts = ["does it hurt", "how long will i be red", "pores?"]
    now = full.pooled(texts)
    threads = recording_threads(full, monkeypatch)
    full.start_reading(texts)
    np.testing.assert_array_equal(full.pooled(texts), now)
    assert len(threads) == 1 and threads[0] is not threading.current_thread()
    np.testing.assert_array_equal(full.pooled(texts), now)  # taken already: read here
    assert len(threads) == 2 and threads[1] is threading.current_thread()


def test_a_reading_of_other_texts_is_not_given_the_one_started_and_drops_it(full, monkeypatch):
    started, other = ["does it hurt"], ["pores?"]
    expected = full.pooled(other)
    threads = recording_threads(full, monkeypatch)
    full.start_reading(started)
    np.testing.assert_array_equal(full.pooled(other), expected)
    full.pooled(started)
    assert threads[-1] is threading.current_thread()  # read again: the started reading was dropped


def test_words_become_bert_pieces(full):
    tokenizer = full.tokenizer
    assert tokenizer.words("Café, isn't it?") == ["cafe", ",", "isn", "'", "t", "it", "?"]
    pieces = tokenizer.pieces("microneedling")
    assert len(pieces) > 1 and tokenizer.unknown not in pieces
    assert tokenizer.encode("\u2603\ufe0f") == [tokenizer.unknown]
    assert tokenizer.encode("<script>alert(1)</script>")  # markup is text like any other


def test_a_very_long_message_is_cut_not_refused(full):
    vector = full.encode(["does it hurt " * 500])[0]
    assert np.isfinite(vector).all()


def test_one_graph_serves_every_length_and_batch(full):
    # A graph traced again for each new message length would cost a visitor a second.
    traced = full._forward.experimental_get_tracing_count()
    full.encode(["hi"])
    full.encode(["does it hurt " * 20, "what is microneedling"])
    full.encode([f"question number {n}" for n in range(70)])
    assert full._forward.experimental_get_tracing_count() == traced == 1
