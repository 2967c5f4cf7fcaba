"""Evaluate one trained model on the held-out file, loading it once.

    python -m bench.nlu_eval --model reports/models/shipped.tar.gz \
        --nlu tests/nlu_holdout.yml --out reports/nlu/shipped

Writes what `rasa test nlu --errors` writes (it calls the same
rasa.nlu.test.run_evaluation: intent_report.json, response_selection_report.json, the
confusion matrices and histograms), and predictions.json: each held-out message with
its true intent and the intent the assistant acts on. `rasa test nlu` undoes the
FallbackClassifier before scoring; predictions.json keeps both, so the benchmark can
count messages that would get the clarification question ("nlu_fallback").
"""

import argparse
import asyncio
import json
import logging
from pathlib import Path


async def evaluate(model: str, nlu: str, out: Path) -> None:
    from rasa.core.agent import Agent
    from rasa.core.channels import UserMessage
    from rasa.nlu.classifiers import fallback_classifier
    from rasa.nlu.test import run_evaluation
    from rasa.shared.nlu.training_data.loading import load_data

    out.mkdir(parents=True, exist_ok=True)
    agent = Agent.load(model_path=model)
    await run_evaluation(nlu, agent.processor, output_directory=str(out), errors=True)

    predictions = []
    for example in load_data(nlu).intent_examples:
        result = await agent.processor.parse_message(
            UserMessage(text=example.get("text")), only_output_properties=False
        )
        acted_on = result.get("intent", {}).get("name")
        if fallback_classifier.is_fallback_classifier_prediction(result):
            undone = fallback_classifier.undo_fallback_prediction(result).get("intent", {}).get("name")
        else:
            undone = acted_on
        predictions.append(
            {
                "text": example.get("text"),
                "intent": example.get("intent"),
                "intent_response_key": example.get("intent_response_key"),
                "predicted": acted_on,
                "predicted_without_fallback": undone,
                "confidence": result.get("intent", {}).get("confidence"),
            }
        )
    (out / "predictions.json").write_text(json.dumps(predictions, indent=1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--nlu", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(evaluate(args.model, args.nlu, args.out))


if __name__ == "__main__":
    main()
