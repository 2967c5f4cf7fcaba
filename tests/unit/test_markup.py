"""MarkupRemover on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.markup import MarkupRemover, without_markup


@pytest.mark.parametrize(
    "text, words",
    [
        ("<p>does it hurt?</p>", "does it hurt?"),
        ("<div class='q'><b>how deep</b></div>", "how deep"),
        ("one<br/>two", "one two"),
        ("<!-- hi --> what is it", "what is it"),
        ('<a href="https://x.example/a?b=1" target=_blank>does it hurt?</a>', "does it hurt?"),
        # a script's or style's code is markup too, not words to read
        ("<script>alert(document.cookie)</script> what is it", "what is it"),
        ("<style type='text/css'>p { color: red }</style>how deep", "how deep"),
    ],
)
def test_tags_are_blanked_keeping_every_position(text, words):
    read = without_markup(text)
    assert " ".join(read.split()) == words
    assert len(read) == len(text) and read.index(words.split()[-1]) == text.index(words.split()[-1])


@pytest.mark.parametrize(
    "text",
    [
        "i <3 my skin",
        "is 0.5 < 1 mm deep?",
        "a -> b",
        "<script></script>",
        "<b>",
        "",
        # words between angle brackets that no tag could be: a date, an address, a comparison
        "had it <a week ago -> still red, normal?",
        "email me: Jane <jane@example.com>",
    ],
)
def test_what_is_not_a_tag_or_nothing_but_tags_is_read_as_written(text):
    assert without_markup(text) == text


def test_the_component_blanks_the_text_the_pipeline_reads():
    message = Message(data={"text": "<span>when will I see results</span>"})
    MarkupRemover().process([message])
    assert message.get("text").strip() == "when will I see results"
