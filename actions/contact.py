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
EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")
PHONE_LIKE = re.compile(r"\+?[\d(][\d\s().-]{5,}\d")
YES = re.compile(r"^\s*(yes|yeah|yep|yup|y|ok|okay|sure|i agree|agree|agreed|fine|go ahead|please do|of course|👍)\b", re.I)
NO = re.compile(r"^\s*(no|nope|nah|n|i don'?t agree|don'?t|do not|i'?d rather not|👎)\b", re.I)


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # E.164 for a phone number, the address as written for an email


def find_email(text: str) -> Optional[str]:
    match = EMAIL.search(text or "")
    return match.group(0) if match else None


def find_phone(text: str, country: str) -> Optional[str]:
    """A valid phone number in the text, in E.164 form, or None."""
    for candidate in PHONE_LIKE.findall(text or ""):
        try:
            number = phonenumbers.parse(candidate, country)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
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


def clean_name(text: str) -> Optional[str]:
    """The name as given, trimmed; None when it cannot be a name (empty, too long, no letters)."""
    name = re.sub(r"^(my name is|i'?m|i am|it'?s|this is|call me)\s+", "", (text or "").strip(), flags=re.I)
    name = name.strip(" .!,")
    if not name or len(name) > MAX_NAME_LENGTH or not re.search(r"[^\W\d_]", name) or "@" in name:
        return None
    return name


def clean_time(text: str) -> Optional[str]:
    time = (text or "").strip()
    if not time or len(time) > MAX_TIME_LENGTH:
        return None
    return time


def consent(text: str) -> Optional[bool]:
    """True for yes, False for no, None when the answer is neither."""
    if YES.match(text or ""):
        return True
    if NO.match(text or ""):
        return False
    return None

