"""The blind sets (tests/blind/*.yml, written from the guide alone), end to end over REST
against real servers, judged on the replies. Figures and wrong replies go to
results/blind/report.json; `make bench` reports them against issue 12's targets.

Checked here: the two newest sets still blind. Each set takes over a minute beside the
other checks, so the older ones, still blind or tuned on (fitted by earlier rounds), are
left to `make bench`, which measures every set; this keeps `make test` within its 20
minutes on a fresh clone.

The floors below are not the targets: they are what the shipped model measured, less a
margin, so that a change which loses understanding fails here."""

import json

import pytest

from bench.blind import evaluate_sets, set_status, summary
from tests.harness.project import PROJECT

ALL_SETS = sorted((PROJECT / "tests" / "blind").glob("*.yml"))
STILL_BLIND = [path for path in ALL_SETS if set_status(path).startswith("blind")]
NEWEST_CHECKED = 2
CHECKED = STILL_BLIND[-NEWEST_CHECKED:]  # names sort in the order the sets were written
REPORT = PROJECT / "results" / "blind" / "report.json"

# Sets ZZZM and ZZZO with the shipped model on 2026-12-07 (round 35): FAQ 96.9-97.5%, out
# of scope declined 92.4-93.8% (up to 3.8% given an FAQ answer), in scope declined 0.3-1.6%,
# aftercare 97.8%, two questions 97.1-100%, all 96.1-96.3%; less a margin of at least two
# messages for a retraining on another machine (one message is 0.4 points of a set's FAQ
# questions, 1.3 of its out-of-scope questions, 2.2 of its aftercare messages, 2.9 of its
# two-question messages, 0.3 of its in-scope messages, 0.2 of all its messages). The
# out-of-scope floor is below issue 12's target, which both sets miss: the floors guard
# against losing understanding; `make bench` reports the targets.
FLOORS = {
    "faq_right": 0.96,
    "out_of_scope_declined": 0.89,
    "aftercare_recognised": 0.93,
    "two_questions_both": 0.91,
    "all_right": 0.95,
}
CEILINGS = {
    "in_scope_declined": 0.025,
    "out_of_scope_given_faq_answer": 0.07,
}


@pytest.fixture(scope="module")
def report(servers):
    result = evaluate_sets(CHECKED, servers.send)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(json.dumps(result, indent=1))
    print("\n" + summary(result))
    return result


def test_there_are_blind_sets():
    assert CHECKED, "tests/blind/*.yml: no set is still blind: write a fresh one (docs/blind-sets.md)"


@pytest.mark.parametrize("blind_set", [path.stem for path in CHECKED])
def test_blind_set_understood_at_least_as_well_as_measured(report, blind_set):
    figures = report[blind_set]["figures"]
    below = {name: figures[name] for name, floor in FLOORS.items() if figures[name] < floor}
    above = {name: figures[name] for name, ceiling in CEILINGS.items() if figures[name] > ceiling}
    assert not below and not above, f"{blind_set}: below floor {below}, above ceiling {above}"
