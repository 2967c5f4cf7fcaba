"""Fail when `rasa test nlu` results fall below the accuracy the project promises.

Usage: python scripts/check_nlu_results.py RESULTS_DIR --min-accuracy 0.95
Reads intent_report.json and response_selection_report.json that `rasa test nlu`
writes, prints the figures, and exits 1 if either accuracy is below the minimum.
"""

import argparse
import json
import sys
from pathlib import Path

REPORTS = {
    "intent": "intent_report.json",
    "response selection": "response_selection_report.json",
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("results", type=Path)
    parser.add_argument("--min-accuracy", type=float, required=True)
    args = parser.parse_args()

    failed = False
    for label, filename in REPORTS.items():
        path = args.results / filename
        if not path.exists():
            print(f"{path}: missing; did `rasa test nlu` run?", file=sys.stderr)
            return 1
        report = json.loads(path.read_text(encoding="utf-8"))
        accuracy = report["accuracy"]
        macro_f1 = report["macro avg"]["f1-score"]
        verdict = "ok" if accuracy >= args.min_accuracy else "BELOW MINIMUM"
        print(f"{label}: accuracy {accuracy:.3f}, macro F1 {macro_f1:.3f} (minimum {args.min_accuracy:.2f}) {verdict}")
        if accuracy < args.min_accuracy:
            failed = True
            worst = sorted(
                (name, scores["f1-score"])
                for name, scores in report.items()
                if isinstance(scores, dict) and "f1-score" in scores and "avg" not in name
            )
            for name, f1 in sorted(worst, key=lambda item: item[1])[:5]:
                print(f"  weakest: {name} F1 {f1:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
