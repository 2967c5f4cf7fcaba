"""The TF-IDF nearest-neighbour baseline (scikit-learn), over the same training examples.

Each training example keeps its full label: `faq/<key>` for the guide's answers (the
retrieval intent with its response key), the intent name otherwise. A message gets the
label of the most similar training example (cosine similarity of TF-IDF vectors of word
uni- and bigrams and of character 2-4-grams within words):

- intent: the base of that label (`faq/<key>` -> `faq`), nearest over all examples;
- response (FAQ answer): the label of the nearest `faq/...` example, as Rasa's
  ResponseSelector, trained on the faq examples only, always picks one of them.

It has no confidence threshold, so it never falls back.
"""

from typing import List, Optional, Sequence, Tuple

import numpy as np
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def base_intent(label: str) -> str:
    return label.split("/", 1)[0]


class TfidfNearestNeighbour:
    def __init__(self, retrieval_intent: str = "faq"):
        self.retrieval_intent = retrieval_intent
        self.words = TfidfVectorizer(lowercase=True, ngram_range=(1, 2), sublinear_tf=True)
        self.chars = TfidfVectorizer(lowercase=True, analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
        self.labels: List[str] = []
        self.matrix = None

    def _vectors(self, texts: Sequence[str]):
        return normalize(hstack([self.words.transform(texts), self.chars.transform(texts)]).tocsr())

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> "TfidfNearestNeighbour":
        if len(texts) != len(labels) or not texts:
            raise ValueError("need as many labels as texts, and at least one")
        self.words.fit(texts)
        self.chars.fit(texts)
        self.matrix = self._vectors(texts)
        self.labels = list(labels)
        return self

    def _similarities(self, texts: Sequence[str]) -> np.ndarray:
        return (self._vectors(texts) @ self.matrix.T).toarray()

    def predict(self, texts: Sequence[str]) -> List[Tuple[str, Optional[str]]]:
        """(intent, response label or None when there are no retrieval examples) per text."""
        similarities = self._similarities(texts)
        retrieval = np.array([base_intent(label) == self.retrieval_intent and "/" in label for label in self.labels])
        results = []
        for row in similarities:
            intent = base_intent(self.labels[int(np.argmax(row))])
            response = None
            if retrieval.any():
                masked = np.where(retrieval, row, -np.inf)
                response = self.labels[int(np.argmax(masked))]
            results.append((intent, response))
        return results
