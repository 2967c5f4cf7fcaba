"""LetterFrameRemover on Rasa's own Message objects, as the pipeline hands them over."""

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.letter import LetterFrameRemover, without_letter_frame


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Dear Sir or Madam, I would be most obliged if you could outline the principal benefits. "
            "Yours sincerely, Mrs. D. Hartley",
            "I would be most obliged if you could outline the principal benefits.",
        ),
        (
            "Dear Sirs, may I ask how deeply the needles enter the skin? Regards, Philip",
            "may I ask how deeply the needles enter the skin?",
        ),
        (
            "Dear Clinic, I had it on Monday and my cheeks remain pink. Is this to be expected? Yours, Iris B",
            "I had it on Monday and my cheeks remain pink. Is this to be expected?",
        ),
        (
            "Hello, how does one's face look right after the treatment?\nWith gratitude,\nWinifred",
            "how does one's face look right after the treatment?",
        ),
        ("To whom it may concern, how many sessions are usually needed?", "how many sessions are usually needed?"),
        (
            "Dear Sir/Madam, how soon might one notice an improvement? Kind regards, Mr. T. Okafor",
            "how soon might one notice an improvement?",
        ),
    ],
)
def test_a_letters_greeting_and_signature_are_blanked_keeping_every_position(text, words):
    read = without_letter_frame(text)
    assert " ".join(read.split()) == words
    assert len(read) == len(text) and read.index(words.split()[-1]) == text.index(words.split()[-1])


@pytest.mark.parametrize(
    "text",
    [
        "thank you",
        "thanks so much!",
        # a thanks after a short message is the message, not a signature
        "great. thank you so much for your help",
        "does it hurt? Cheers, Tom",
        # what follows the closing words asks something
        "is it safe? thanks, and how long does it take",
        "I'm 40. Best age for it?",
        "Dear team,",
        "",
    ],
)
def test_what_is_no_letter_or_nothing_but_its_frame_is_read_as_written(text):
    assert without_letter_frame(text) == text


def test_the_component_blanks_the_text_the_pipeline_reads():
    message = Message(data={"text": "Dear team, when will I see results? Best wishes, Eileen"})
    LetterFrameRemover().process([message])
    assert message.get("text").strip() == "when will I see results?"


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Respected sir/madam, after the treatment how many days of healing is required? Thanks",
            "after the treatment how many days of healing is required?",
        ),
        (
            "Could you share the aftercare guidelines following microneedling? "
            "Best regards, Dr. Osei (asking for my wife)",
            "Could you share the aftercare guidelines following microneedling?",
        ),
        (
            "Respected Doctor, is the treatment painful for sensitive skin?",
            "is the treatment painful for sensitive skin?",
        ),
    ],
)
def test_a_respectful_greeting_and_a_signature_with_a_note_in_brackets_are_blanked(text, words):
    read = without_letter_frame(text)
    assert " ".join(read.split()) == words
    assert len(read) == len(text)


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "Good morning,\nI would like to arrange an appointment for microneedling. Kindly let me know how to "
            "proceed.\nRegards,\nAchieng",
            "I would like to arrange an appointment for microneedling. Kindly let me know how to proceed.",
        ),
        (
            "Good evening. My skin remains red five days after. Is this expected?",
            "My skin remains red five days after. Is this expected?",
        ),
        ("Hello, could you please send me the aftercare advice?", "could you please send me the aftercare advice?"),
    ],
)
def test_a_greeting_of_the_day_or_a_hello_opening_a_letter_is_blanked(text, words):
    read = without_letter_frame(text)
    assert " ".join(read.split()) == words
    assert len(read) == len(text)


@pytest.mark.parametrize("text", ["Good morning!", "hello", "hi, thanks", "good evening, how are you"])
def test_a_greeting_that_is_the_whole_message_or_small_talk_is_read_as_written(text):
    assert without_letter_frame(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "Could you tell me about the aftercare please? Regards, Mia (I am pregnant, is that ok)",
        "Could you tell me about the aftercare please? Thanks, Jo (I have rosacea and take accutane)",
        "Could you tell me about the aftercare please? Thanks (also wondering how much 3 sessions cost)",
    ],
)
def test_a_note_in_brackets_that_says_more_than_who_is_asking_is_read(text):
    assert "(" in " ".join(without_letter_frame(text).split())


@pytest.mark.parametrize("text", ["Hi! How are you doing today?", "Hello, how are you doing this fine evening?"])
def test_a_hello_before_small_talk_is_read_as_written(text):
    assert without_letter_frame(text) == text
