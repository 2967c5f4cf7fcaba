"""Reading a visitor's contact details and answers in the callback request: plain functions.

A phone number is checked with `phonenumbers` (Google's libphonenumber), with the clinic's
country as the default for numbers written without a country code; an email address is
checked for its syntax only (whether it exists shows when the clinic writes to it).
"""

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers

MAX_NAME_LENGTH = 80
MAX_TIME_LENGTH = 200
# One @, no spaces, a dot in the domain: what a mail server would accept as an address.
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
PHONE_LIKE = re.compile(r"\+?[\d(][\d\s().-]{5,}\d")
# Consent is the whole answer, never its first word: "no problem" is not a no, and
# "of course not" is not a yes. Anything else is asked again.
YES_ANSWERS = {
    "yes",
    "yeah",
    "yep",
    "yup",
    "y",
    "ok",
    "okay",
    "sure",
    "i agree",
    "agree",
    "agreed",
    "fine",
    "that's fine",
    "thats fine",
    "go ahead",
    "please do",
    "of course",
    "yes pass it on",
    "👍",
}
NO_ANSWERS = {
    "no",
    "nope",
    "nah",
    "n",
    "i don't agree",
    "i do not agree",
    "don't",
    "do not",
    "i'd rather not",
    "rather not",
    "no don't",
    "please don't",
    "👎",
}
POLITE_ENDINGS = re.compile(r"\s*(please|thanks|thank you)$")
# A whole answer that only greets. The name and time questions take any other text as
# said: the NLU reads "mornings" or "Mo Ning" as a greeting, so it cannot decide this there.
GREETING = re.compile(r"^(hi|hello|hey|hiya|heya|yo|good (morning|afternoon|evening|day))( there)?$")

# A question's first word. "will", "may" and "can" also begin names ("Will Peel", "May",
# "Can"), so they count only before a pronoun or an article.
QUESTION_START = re.compile(
    r"^(how|what|whats|what's|wat|why|when|where|which|who|whos|do|does|dose|did|is|isnt|isn't|are|"
    r"could|would|should|shall|am|any|anything|tell|explain|"
    r"(will|may|can|cant|can't|won't|wont)\s+(i|it|you|u|my|me|the|this|that|there|we|they|she|he))\b"
)
# Guide topics that no one gives as their name: said at the name question, they are asked about.
TOPIC_WORD = re.compile(
    r"\b(microneedl\w*|needl\w*|derma\w*|skin|treatments?|sessions?|redness|sunburn\w*|pain|painful|"
    r"hurts?|hurting|sore(ness)?|numb\w*|anaesthe\w*|anesthe\w*|scars?|scarring|pores?|wrinkles?|collagen|"
    r"elastin|aftercare|spf|sunscreen|retinol|exfoliat\w*|acne|results?|healing|recovery|downtime|"
    r"side effects?|benefits?|consultation)\b"
)


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # E.164 for a phone number, the address as written for an email


def find_email(text: str) -> Optional[str]:
    match = EMAIL.search(text or "")
    return match.group(0) if match else None


PHONE_WITH_EXTENSION = re.compile(PHONE_LIKE.pattern + r"(?:\s*(?:ext\.?|extension|x)\s*\d{1,6})?", re.I)


def find_phone(text: str, country: str) -> Optional[str]:
    """A valid phone number in the text, in E.164 form (with its extension), or None."""
    for candidate in PHONE_WITH_EXTENSION.findall(text or ""):
        try:
            number = phonenumbers.parse(candidate, country)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return f"{e164} ext. {number.extension}" if number.extension else e164
    return None


def find_contact(text: str, country: str) -> Optional[Contact]:
    """The email address or phone number the message gives, the address first."""
    email = find_email(text)
    if email:
        return Contact("email", email)
    phone = find_phone(text, country)
    if phone:
        return Contact("phone", phone)
    return None


def looks_like_a_number(text: str) -> bool:
    """Whether the visitor seems to have meant a phone number (to say so when re-asking)."""
    return bool(re.search(r"\d{3}", text or ""))


def one_line(text: str) -> str:
    """Runs of spaces, tabs, newlines and other control characters as one space."""
    return " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", text or "").split())


def clean_name(text: str) -> Optional[str]:
    """The name as given, trimmed; None when it cannot be a name: empty, too long, no
    letters, digits or an address in it, a question, a yes or no, or a greeting."""
    name = re.sub(r"^(my name is|i'?m|i am|it'?s|this is)\s+", "", one_line(text), flags=re.I)
    name = name.strip(" .!,")
    if (
        not name
        or len(name) > MAX_NAME_LENGTH
        or not re.search(r"[^\W\d_]", name)
        or "@" in name
        or re.search(r"\d", name)
        or name.endswith("?")
        or consent(name) is not None
        or is_greeting(name)
    ):
        return None
    return name


def asks_something(text: str) -> bool:
    """Whether an answer to the name question is worded as a question or names a guide
    topic. If not, it is the name, even when the NLU reads it as a question about the
    guide ("Sunny Redd" as redness)."""
    words = " ".join(re.sub(r"[^\w\s']", " ", one_line(text).lower()).split())
    return "?" in text or bool(QUESTION_START.match(words) or TOPIC_WORD.search(words))


def clean_time(text: str) -> Optional[str]:
    """The time that suits, as said; None when empty, too long, a question or a greeting."""
    time = one_line(text)
    if not time or len(time) > MAX_TIME_LENGTH or time.endswith("?"):
        return None
    if is_greeting(time):
        return None
    return time


def is_greeting(text: str) -> bool:
    return bool(GREETING.match(" ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())))


def consent(text: str) -> Optional[bool]:
    """True for yes, False for no, None when the whole answer is neither."""
    answer = re.sub(r"[^\w\s'👍👎]", " ", (text or "").lower().replace("’", "'"))
    answer = POLITE_ENDINGS.sub("", " ".join(answer.split()))
    if answer in YES_ANSWERS:
        return True
    if answer in NO_ANSWERS:
        return False
    return None
