"""Build the spaCy pipeline that config.yml's SpacyNLP component loads.

No official spaCy model can be downloaded on our machines, so the pipeline is made
from packages: a blank English tokenizer and the lookup lemmatizer from
spacy-lookups-data. (When the treatment was is found by components/treatment_time.py,
with the grammar the actions read dates with.) The path comes from config.yml, so it
is written in one place only. If config.yml names an installed package instead
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

DESCRIPTION = "Blank English + lookup lemmatizer"


def pipeline_path(config_file: Path) -> str:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "SpacyNLP":
            return component["model"]
    sys.exit(f"{config_file}: pipeline: no SpacyNLP component with a `model`")


def pipeline_fingerprint() -> str:
    # The pipeline is rebuilt when what goes into it (or spaCy) changes, and only then.
    payload = json.dumps([DESCRIPTION, spacy.__version__], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lemma tables
    nlp.meta["name"] = "microneedling"
    nlp.meta["description"] = DESCRIPTION
    nlp.meta["pipeline_fingerprint"] = pipeline_fingerprint()

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
            sys.exit(
                f"spaCy: config.yml names the package {model}, which is not installed "
                f"in this environment; install it, or set the model back to a path."
            )
        print(f"spaCy: using the installed package {model}")
        return

    target = Path(model)
    meta_file = target / "meta.json"
    if meta_file.exists():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("pipeline_fingerprint") == pipeline_fingerprint():
            print(f"spaCy: {target} is up to date")
            return
    target.parent.mkdir(parents=True, exist_ok=True)
    build(target)
    print(f"spaCy: built {target}")


if __name__ == "__main__":
    main()
