"""Build the spaCy pipeline that config.yml's SpacyNLP component loads.

No official spaCy model can be downloaded on our machines, so the pipeline is made
from packages: a blank English tokenizer, the lookup lemmatizer from
spacy-lookups-data, and entity rules that mark when a visitor had (or will have)
their treatment as `treatment_time`. The path comes from config.yml, so it is
written in one place only. If config.yml names an installed package instead
(e.g. en_core_web_md), there is nothing to build.

Usage: python scripts/build_spacy_pipeline.py [--config config.yml]
"""

import argparse
import hashlib
import json
import shutil
import sys
from pathlib import Path

import spacy
import yaml

ENTITY_LABEL = "treatment_time"

NUMBER_WORDS = [
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    "ten", "eleven", "twelve", "couple", "few",
]
UNITS = ["hour", "hours", "day", "days", "week", "weeks", "fortnight", "fortnights", "month", "months", "year", "years"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
]
PARTS_OF_DAY = ["morning", "afternoon", "evening", "night"]

DAY_OF_MONTH = {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)?$"}}
QUANTITY = {"LOWER": {"REGEX": r"^(\d{1,3}|" + "|".join(NUMBER_WORDS) + ")$"}}
UNIT = {"LOWER": {"IN": UNITS}}
MONTH = {"LOWER": {"IN": MONTHS}}
WEEKDAY = {"LOWER": {"IN": WEEKDAYS}}

# Token patterns, longest first where two could start at the same token: the
# entity ruler keeps the longest match, and "2 days ago" must not end as "2 days".
TIME_PATTERNS = [
    [{"LOWER": {"IN": ["today", "yesterday", "tomorrow", "tonight"]}}],
    [{"LOWER": "the"}, {"LOWER": "day"}, {"LOWER": {"IN": ["before", "after"]}},
     {"LOWER": {"IN": ["yesterday", "tomorrow"]}}],
    [{"LOWER": {"IN": ["this", "last", "yesterday", "tomorrow"]}}, {"LOWER": {"IN": PARTS_OF_DAY}}],
    [{"LOWER": "earlier"}, {"LOWER": "today"}],
    # "2 days ago", "a couple of weeks ago", "a few days ago"; "48 hours since", "5 days post"
    [QUANTITY, UNIT, {"LOWER": {"IN": ["ago", "since", "post"]}}],
    [{"LOWER": "a"}, {"LOWER": {"IN": ["couple", "few"]}}, {"LOWER": "of", "OP": "?"}, UNIT, {"LOWER": "ago"}],
    # "in 3 days", "in a week", "in two weeks' time"
    [{"LOWER": "in"}, QUANTITY, UNIT],
    [{"LOWER": "in"}, {"LOWER": "a"}, {"LOWER": {"IN": ["couple", "few"]}}, {"LOWER": "of", "OP": "?"}, UNIT],
    # "last Friday", "next Monday", "this Tuesday", "last week", "next week"
    [{"LOWER": {"IN": ["last", "next", "this", "past", "coming"]}}, WEEKDAY],
    [{"LOWER": {"IN": ["last", "next"]}}, {"LOWER": {"IN": ["week", "month"]}}],
    [{"LOWER": "on"}, WEEKDAY],
    [WEEKDAY],
    # "on the 20th", "the 20th", "20th of November", "20 November", "November 20th"
    [{"LOWER": "the"}, {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)$"}},
     {"LOWER": "of", "OP": "?"}, MONTH],
    [{"LOWER": "the"}, {"TEXT": {"REGEX": r"^(0?[1-9]|[12]\d|3[01])(st|nd|rd|th)$"}}],
    [DAY_OF_MONTH, {"LOWER": "of", "OP": "?"}, MONTH],
    [MONTH, DAY_OF_MONTH],
    # "20/11", "20/11/2026", "2026-11-20" (the tokenizer splits ISO dates at the hyphens)
    [{"TEXT": {"REGEX": r"^\d{1,2}[/.]\d{1,2}([/.]\d{2,4})?$"}}],
    [{"TEXT": {"REGEX": r"^\d{4}$"}}, {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d{1,2}$"}},
     {"TEXT": "-"}, {"TEXT": {"REGEX": r"^\d{1,2}$"}}],
    # "it's been 3 days", "been a week": the word "been" stays in the span so the
    # action can read it as "ago"
    [{"LOWER": "been"}, QUANTITY, UNIT],
    [{"LOWER": "been"}, {"LOWER": "a"}, {"LOWER": {"IN": ["couple", "few"]}}, {"LOWER": "of", "OP": "?"}, UNIT],
]


def pipeline_path(config_file: Path) -> str:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "SpacyNLP":
            return component["model"]
    sys.exit(f"{config_file}: pipeline: no SpacyNLP component with a `model`")


def patterns_fingerprint() -> str:
    # The pipeline is rebuilt when the rules (or spaCy) change, and only then.
    payload = json.dumps([TIME_PATTERNS, spacy.__version__], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler")
    nlp.initialize()  # loads the lemma tables; it would also empty the ruler, so patterns come after
    ruler.add_patterns([{"label": ENTITY_LABEL, "pattern": p} for p in TIME_PATTERNS])
    nlp.meta["name"] = "microneedling"
    nlp.meta["description"] = "Blank English + lookup lemmatizer + treatment_time rules"
    nlp.meta["patterns_fingerprint"] = patterns_fingerprint()

    staging = target.with_name(target.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=Path("config.yml"))
    args = parser.parse_args()

    model = pipeline_path(args.config)
    if "/" not in model:
        if not spacy.util.is_package(model):
            sys.exit(f"spaCy: config.yml names the package {model}, which is not installed "
                     f"in this environment; install it, or set the model back to a path.")
        print(f"spaCy: using the installed package {model}")
        return

    target = Path(model)
    meta_file = target / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("patterns_fingerprint") == patterns_fingerprint():
            print(f"spaCy: {target} is up to date")
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    build(target)
    print(f"spaCy: built {target}")


if __name__ == "__main__":
    main()
