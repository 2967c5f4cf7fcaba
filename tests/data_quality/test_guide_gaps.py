"""No guide question of the training data matches GuideGapCheck's patterns: a pattern that
declined one would decline every visitor who asks it that way."""

from components.guide_gaps import gap_asked
from tests.data_quality.test_no_overlap import ROOT, nlu_examples


def test_no_guide_question_of_the_training_data_asks_for_a_gap():
    matched = [
        f"{path.name}, {intent}: {text}"
        for path in sorted((ROOT / "data" / "nlu").glob("*.yml"))
        for intent, text in nlu_examples(path)
        if intent != "out_of_scope" and gap_asked(text)
    ]
    assert matched == []
