"""Replies keep the guide's own hedges: a dropped "may" or "can", a limit turned exact or a
consensus the guide does not claim would tell a visitor more than the guide does."""

import re
from pathlib import Path

import pytest
import yaml

from actions import clinic

ROOT = Path(__file__).resolve().parents[2]
FAQ = {
    name.split("/", 1)[1]: variations[0]["text"]
    for name, variations in yaml.safe_load((ROOT / "data" / "responses" / "faq.yml").read_text(encoding="utf-8"))[
        "responses"
    ].items()
}
DOMAIN = {
    name: variations[0]["text"]
    for name, variations in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"].items()
}
PHASES = {phase.name: phase for phase in clinic.AFTERCARE.phases}


@pytest.mark.parametrize(
    "key, must_say",
    [
        ("healing_and_results", "begins to heal"),  # not "heals in a few days"
        ("aftercare", "may include"),
        ("texture_scars_stretch_marks", "can help"),
        ("skin_health", "can enhance"),
        ("what_is_microneedling", "can help improve"),
        ("product_absorption", "harsh chemical"),  # the guide's caveat goes with the "yes"
        ("product_absorption", "gentle skincare"),
        ("consult_first", "important"),
        ("consult_first", "always advisable"),
        ("effectiveness", "The guide describes"),  # the guide's claim, said as the guide's
    ],
)
def test_faq_answers_keep_the_guides_hedges(key, must_say):
    assert must_say in FAQ[key]


@pytest.mark.parametrize(
    "key, must_not_say",
    [
        ("effectiveness", "regarded"),
        ("consult_first", "wise"),
        ("fine_lines_wrinkles", "It can."),
        ("product_absorption", "Yes"),
    ],
)
def test_faq_answers_claim_no_more_than_the_guide(key, must_not_say):
    assert must_not_say not in FAQ[key]


def test_redness_beyond_a_day_or_two_is_for_the_practitioner_never_normal():
    first_phase_after = next(phase for phase in clinic.AFTERCARE.phases if phase.first_day >= 3)
    assert "practitioner" in first_phase_after.now
    for phase in clinic.AFTERCARE.phases:
        if phase.first_day >= 3:
            assert "normal" not in f"{phase.now} {phase.next}".lower(), phase.name
    assert "normal" not in FAQ["lasting_symptoms"].lower().replace("normal reaction", "")


def test_a_few_days_or_weeks_are_never_said_to_have_passed():
    texts = " ".join(f"{phase.now} {phase.next}" for phase in clinic.AFTERCARE.phases)
    assert not re.search(r"(few|four) (days|weeks)[^.]*(have|has) passed", texts, re.IGNORECASE)
    assert not re.search(r"(have|has) passed", texts, re.IGNORECASE)


def test_a_day_or_two_is_counted_from_the_treatment():
    # On day 2, "settles within a day or two" read as two more days.
    assert "a day or two of the treatment" in PHASES["first_two_days"].now


def test_the_treatment_day_reads_right_before_and_after_it():
    assert not PHASES["treatment_day"].now.startswith("On the day of treatment")
    assert PHASES["treatment_day"].now.startswith("After the treatment")


def test_out_of_scope_leaves_the_professional_to_the_consultation():
    # Followed by the consultation, which names the qualified professional once.
    assert "professional" not in DOMAIN["utter_out_of_scope"]
