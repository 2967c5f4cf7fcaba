"""components/short_replies.py: a whole message that is a short yes or no, and nothing else."""

import pytest

from components.short_replies import short_reply


@pytest.mark.parametrize(
    "text",
    ["yes", "Yes!", "yep, it did", "yes that helped", "👍", "yes 👍 thanks", "that helped", "Very helpful.", "it did"],
)
def test_yes(text):
    assert short_reply(text) == "affirm"


@pytest.mark.parametrize(
    "text",
    [
        "no",
        "Nope.",
        "not really",
        "no it didn't",
        "👎",
        "no, that's not what i asked",
        "it didn't help",
        "nah not at all",
    ],
)
def test_no(text):
    assert short_reply(text) == "deny"


@pytest.mark.parametrize(
    "text",
    [
        "are strong actives a no-no after microneedling",
        "swelling hasn't gone down",
        "no makeup after?",
        "yes but does it hurt?",
        "no thanks",
        "that helped, thanks for explaining the aftercare so clearly",
        "is it helpful for scars",
        "not sure",
        "",
    ],
)
def test_anything_else_is_left_to_the_classifiers(text):
    assert short_reply(text) is None
