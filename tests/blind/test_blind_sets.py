"""The blind sets (tests/blind/*.yml, written from the guide alone), end to end over REST
against real servers, judged on the replies. Figures and wrong replies go to
results/blind/report.json; `make bench` reports them against issue 12's targets.

The floors below are not the targets: they are what the shipped model measured, less a
margin, so that a change which loses understanding fails here."""

import json

import pytest

from bench.blind import evaluate_sets, summary
from tests.conftest import PROJECT

SETS = sorted((PROJECT / "tests" / "blind").glob("*.yml"))
REPORT = PROJECT / "results" / "blind" / "report.json"

# Set A with the shipped model on 2026-12-02 (3 seeds: FAQ 88%, out of scope 83-91%,
# aftercare 93-96%, two questions 87-90%, all 89%), less a margin for the other set
# and for a retraining's seed. Two questions: 87-97% on sets A to F on 2026-12-03 once a
# surely picked answer beside a clear question counts (set E had been 74%).
FLOORS = {
    "faq_right": 0.80,
    "out_of_scope_declined": 0.75,
    "aftercare_recognised": 0.85,
    "two_questions_both": 0.80,
    "all_right": 0.82,
}
CEILINGS = {
    "in_scope_declined": 0.05,
    "out_of_scope_given_faq_answer": 0.15,
}


@pytest.fixture(scope="module")
def report(servers):
    result = evaluate_sets(SETS, servers.send)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=1))
    print("\n" + summary(result))
    return result


def test_there_are_blind_sets():
    assert SETS, "tests/blind/*.yml: no blind set"


@pytest.mark.parametrize("blind_set", [path.stem for path in SETS])
def test_blind_set_understood_at_least_as_well_as_measured(report, blind_set):
    figures = report[blind_set]["figures"]
    below = {name: figures[name] for name, floor in FLOORS.items() if figures[name] < floor}
    above = {name: figures[name] for name, ceiling in CEILINGS.items() if figures[name] > ceiling}
    assert not below and not above, f"{blind_set}: below floor {below}, above ceiling {above}"
