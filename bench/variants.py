"""The Rasa configurations the benchmark trains, derived at run time.

- shipped: config.yml as it is.
- rasa_init_default: bench/configs/default_rasa_init.yml (what a `rasa init` assistant
  trains with in Rasa 3.6).
- no_spacy: config.yml with spaCy taken out (generated, so it follows config.yml).
- no_encoder: config.yml without the sentence encoder's vote: what it costs and gives.

Pure functions on config dictionaries; the orchestrator writes the results to files.
"""

import copy
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import yaml

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
DEFAULT_RASA_INIT = BENCH / "configs" / "default_rasa_init.yml"

# Components and policies that train for a number of epochs (their Rasa default is used
# when a config does not set it, so --quick sets it on each of them explicitly).
EPOCH_COMPONENTS = ("DIETClassifier", "ResponseSelector", "TEDPolicy", "UnexpecTEDIntentPolicy")

Config = Dict[str, Any]

# The variants `rasa train` trains, in training order.
TRAINED = ("shipped", "rasa_init_default", "no_spacy", "no_encoder")

SENTENCE_ENCODER = "components.sentence_vote.SentenceEncoderVote"
# Starts the encoder's reading for the vote: nothing to do without it.
SENTENCE_ENCODER_HEAD_START = "components.sentence_vote.SentenceEncoderHeadStart"


def is_one_of(item: Config, classes: Tuple[str, ...]) -> bool:
    """Whether a pipeline or policy entry is one of these Rasa classes, or a subclass named
    after one (config.yml's components.quick_load.QuickLoadDIETClassifier)."""
    return str(item.get("name") or "").rsplit(".", 1)[-1].endswith(classes)


def load(path: Path) -> Config:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def has_spacy(config: Config) -> bool:
    return any(str(c.get("name", "")).startswith("Spacy") for c in config.get("pipeline") or [])


def without_spacy(config: Config) -> Config:
    """config with SpacyTokenizer replaced by WhitespaceTokenizer, every other spaCy
    component (SpacyNLP, SpacyEntityExtractor, SpacyFeaturizer) removed and
    `use_lemma` dropped from the featurizers (there are no spaCy lemmas any more)."""
    result = copy.deepcopy(config)
    pipeline = []
    replaced = False
    for component in result.get("pipeline") or []:
        name = component.get("name", "")
        if name == "SpacyTokenizer":
            # The remaining keys (intent_tokenization_flag, ...) are common to all tokenizers.
            pipeline.append({**component, "name": "WhitespaceTokenizer"})
            replaced = True
        elif name.startswith("Spacy"):
            continue
        else:
            component = dict(component)
            component.pop("use_lemma", None)
            pipeline.append(component)
    if not replaced:
        raise ValueError("the config has no SpacyTokenizer to replace")
    result["pipeline"] = pipeline
    return result


def has_sentence_encoder(config: Config) -> bool:
    return any(c.get("name") == SENTENCE_ENCODER for c in config.get("pipeline") or [])


def without_sentence_encoder(config: Config) -> Config:
    """config without the sentence encoder's vote and its head start: DIET and the ResponseSelector alone."""
    result = copy.deepcopy(config)
    dropped = {SENTENCE_ENCODER, SENTENCE_ENCODER_HEAD_START}
    result["pipeline"] = [c for c in result.get("pipeline") or [] if c.get("name") not in dropped]
    return result


def with_epochs(config: Config, epochs: Optional[int]) -> Config:
    """config with `epochs` set on every component and policy that trains in epochs
    (unchanged when epochs is None)."""
    result = copy.deepcopy(config)
    if epochs is None:
        return result
    for key in ("pipeline", "policies"):
        for item in result.get(key) or []:
            if is_one_of(item, EPOCH_COMPONENTS):
                item["epochs"] = epochs
    return result


SEEDED_COMPONENTS = ("DIETClassifier", "ResponseSelector")


def with_seed(config: Config, seed: int) -> Config:
    """config with `random_seed` set on every NLU component that trains from a random start."""
    result = copy.deepcopy(config)
    for item in result.get("pipeline") or []:
        if is_one_of(item, SEEDED_COMPONENTS):
            item["random_seed"] = seed
    return result


def variant_configs(shipped: Config, default: Config, epochs: Optional[int] = None) -> Dict[str, Config]:
    """The trained variants by name, in training order; no "no_spacy" or "no_encoder" when
    the shipped config has no spaCy component or sentence encoder (it would be the shipped
    config itself)."""
    configs = {
        "shipped": with_epochs(shipped, epochs),
        "rasa_init_default": with_epochs(default, epochs),
    }
    if has_spacy(shipped):
        configs["no_spacy"] = with_epochs(without_spacy(shipped), epochs)
    if has_sentence_encoder(shipped):
        configs["no_encoder"] = with_epochs(without_sentence_encoder(shipped), epochs)
    return configs


def dump(config: Config, path: Path, header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    path.write_text(lines + yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
