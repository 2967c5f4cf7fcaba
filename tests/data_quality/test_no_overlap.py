"""Test messages must not be training messages: a figure measured on messages the model
was trained on, or on the same words in another order of punctuation, says nothing about
visitors. Compared after lowercasing, dropping punctuation and lemmatising."""

import re
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import pytest
import spacy
import yaml

ROOT = Path(__file__).resolve().parents[2]
TRAINING_FILES = sorted((ROOT / "data" / "nlu").glob("*.yml"))
HOLDOUT_FILE = ROOT / "tests" / "nlu_holdout.yml"
BLIND_FILES = sorted((ROOT / "tests" / "blind").glob("*.yml"))

_lemmatizer = spacy.blank("en")
_lemmatizer.add_pipe("lemmatizer", config={"mode": "lookup"})
_lemmatizer.initialize()


def normalised(text: str) -> str:
    """The words of a message, lowercased and lemmatised, without punctuation."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # entity annotations [x](y)
    text = re.sub(r"[^\w\s]", " ", text.lower())
    return " ".join(token.lemma_ or token.text for token in _lemmatizer(text) if not token.is_space)


def nlu_examples(path: Path) -> Iterator[Tuple[str, str]]:
    """(intent, message) pairs of a Rasa NLU file."""
    for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield block.get("intent", ""), line[2:]


def blind_messages(path: Path) -> Iterator[str]:
    for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]:
        yield entry["text"]


@lru_cache(maxsize=None)  # read once for the eighty-odd sets, not once each
def training_index() -> Dict[str, str]:
    return {normalised(text): f"{path.name}: {text}" for path in TRAINING_FILES for _, text in nlu_examples(path)}


def overlaps(messages: List[str], index: Dict[str, str]) -> List[str]:
    return [
        f"{message!r} = training {index[normalised(message)]!r}" for message in messages if normalised(message) in index
    ]


def test_normalising_sees_through_case_punctuation_and_inflection():
    assert normalised("Do the needles HURT?") == normalised("do the needle hurt")
    assert normalised("[2 days ago](treatment_time) I had it") == normalised("2 days ago, i had it")
    assert normalised("does it hurt") != normalised("does it sting")


def test_holdout_shares_no_message_with_training_data():
    holdout = [text for _, text in nlu_examples(HOLDOUT_FILE)]
    assert holdout, "no held-out messages read"
    found = overlaps(holdout, training_index())
    assert not found, f"{len(found)} held-out messages are training messages:\n" + "\n".join(found)


@pytest.mark.parametrize("blind_file", BLIND_FILES, ids=lambda path: path.name)
def test_blind_set_shares_no_message_with_training_data(blind_file):
    found = overlaps(list(blind_messages(blind_file)), training_index())
    assert not found, f"{len(found)} blind messages are training messages:\n" + "\n".join(found)


def test_holdout_has_no_duplicates_of_its_own():
    seen: Dict[str, str] = {}
    twins = []
    for _, text in nlu_examples(HOLDOUT_FILE):
        key = normalised(text)
        if key in seen:
            twins.append(f"{text!r} = {seen[key]!r}")
        seen[key] = text
    assert not twins, "\n".join(twins)
