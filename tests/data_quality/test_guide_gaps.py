"""No guide question of the training data matches GuideGapCheck's patterns: a pattern that
declined one would decline every visitor who asks it that way. (The check leaves other
intents alone: "I have some pigmentation, am I a candidate?" asks about suitability.)"""

from components.guide_gaps import dated_for_another_treatment, gap_asked
from components.intents import AFTERCARE_INTENTS, RETRIEVAL_INTENT
from tests.data_quality.test_no_overlap import ROOT, nlu_examples


def test_no_guide_question_of_the_training_data_asks_for_a_gap():
    matched = [
        f"{path.name}, {intent}: {text}"
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for intent, text in nlu_examples(path)
        if (intent.startswith(RETRIEVAL_INTENT + "/") or intent in AFTERCARE_INTENTS) and gap_asked(text)
    ]
    assert matched == []


def test_no_aftercare_timing_of_the_training_data_is_dated_for_another_treatment():
    matched = [
        f"{path.name}, {intent}: {text}"
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for intent, text in nlu_examples(path)
        if intent in AFTERCARE_INTENTS and dated_for_another_treatment(text)
    ]
    assert matched == []
