"""Reading contact details and answers in the callback request (actions/contact.py)."""

import pytest

from actions import contact


@pytest.mark.parametrize(
    "text, expected",
    [
        ("07911 123456", contact.Contact("phone", "+447911123456")),
        ("call me on +44 20 7946 0958 please", contact.Contact("phone", "+442079460958")),
        ("(0161) 496-0123", contact.Contact("phone", "+441614960123")),
        ("+1 415 555 2671", contact.Contact("phone", "+14155552671")),
        ("sam.taylor+chat@example.co.uk", contact.Contact("email", "sam.taylor+chat@example.co.uk")),
        ("actually use my email Jo@Example.org instead", contact.Contact("email", "Jo@Example.org")),
    ],
)
def test_a_phone_number_or_email_address_is_found(text, expected):
    assert contact.find_contact(text, "GB") == expected


@pytest.mark.parametrize(
    "text", ["12345", "07911 654321", "sam@", "sam at example dot org", "tomorrow", "", "555-0100"]
)
def test_what_cannot_reach_anyone_is_refused(text):
    assert contact.find_contact(text, "GB") is None


def test_the_clinics_country_decides_numbers_without_a_code():
    assert contact.find_phone("(415) 555-2671", "US") == "+14155552671"
    assert contact.find_phone("(415) 555-2671", "GB") is None


@pytest.mark.parametrize(
    "text, name",
    [("Sam", "Sam"), ("my name is Priya Shah", "Priya Shah"), ("I'm Jo.", "Jo"), ("Ms O'Neill", "Ms O'Neill")],
)
def test_names(text, name):
    assert contact.clean_name(text) == name


@pytest.mark.parametrize(
    "text",
    ["", "   ", "12345", "sam@example.org", "x" * 81, "ok", "no", "why do you need my name?", "Sam 07911 123456"],
)
def test_not_names(text):
    assert contact.clean_name(text) is None


@pytest.mark.parametrize(
    "text",
    ["Sunny Redd", "sunny redd", "Rita Restart", "Will Peel", "May Glow", "Grace Skinner", "Dr Paine", "Can Yilmaz"],
)
def test_a_name_that_sounds_like_a_topic_asks_nothing(text):
    # The NLU may read these as questions about the guide; at the name question they are names.
    assert not contact.asks_something(text)


@pytest.mark.parametrize(
    "text",
    [
        "does it hurt",
        "how long am i red for",
        "will it hurt",
        "may i use retinol after",
        "can u tell me about scars",
        "what about aftercare",
        "redness",
        "side effects",
        "microneedling",
        "numbing cream",
        "pain",
        "hmm, what if i'm still sore?",
    ],
)
def test_a_question_or_a_topic_asks_something(text):
    assert contact.asks_something(text)


@pytest.mark.parametrize(
    "text, answer",
    [
        ("yes", True),
        ("Yes please", True),
        ("ok", True),
        ("sure!", True),
        ("no", False),
        ("No thanks", False),
        ("nope", False),
        ("maybe", None),
        ("what do you keep?", None),
        ("of course not", None),
        ("no problem", None),
        ("ok, actually no", None),
        ("Nope, fine by me", None),
        ("Yes, pass it on", True),
    ],
)
def test_consent(text, answer):
    assert contact.consent(text) is answer


def test_a_name_or_time_is_one_line():
    assert contact.clean_name("Sam\nJones") == "Sam Jones"
    assert contact.clean_time("mornings\r\nBcc: x@example.org") == "mornings Bcc: x@example.org"


def test_an_extension_is_kept():
    assert contact.find_phone("020 7946 0958 ext 12", "GB") == "+442079460958 ext. 12"


@pytest.mark.parametrize("text", ["hi", "Hello!", "hey there", "good morning 🙂"])
def test_a_greeting_is_no_name_or_time(text):
    # The name and time questions do not leave greetings to the NLU: "mornings" reads as one.
    assert contact.clean_time(text) is None
    assert contact.clean_name(text) is None


@pytest.mark.parametrize("text", ["mornings", "good mornings are best", "any morning after 9", "evenings"])
def test_times_of_day_are_times(text):
    assert contact.clean_time(text) == text
