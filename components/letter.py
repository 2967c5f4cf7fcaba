"""A letter's greeting and signature are skipped when reading a message, like markup.

Some visitors write to the clinic as they would a letter: "Dear Sir or Madam, I would be
most obliged if you could outline the principal benefits of this treatment. Yours
sincerely, Mrs. D. Hartley". Read as words, the greeting and the name signed weigh as
much as the question, and such messages were met with "did you mean...?" or the wrong
answer. This component, after components.markup, blanks the greeting ("Dear ...,",
"Respected sir/madam,", "To whom it may concern", or "Good morning," before at least five
words) and a signature after the last sentence ("Regards, Frank", "Yours faithfully, E.
Brown", "With gratitude, Winifred", "Best regards, Dr. Osei (asking for my wife)") with as
many spaces, so character positions (of a date, say) stay those of the message as written. A message that is
nothing but a greeting or a thanks ("thank you kindly", "great. thanks so much") is read
as it is: a signature follows a letter of at least five words.
"""

from __future__ import annotations

import re
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.untrained import TextBlanker

# "Dear Sir or Madam,", "Dear Sir/Madam,", "Dear team:", "Respected sir/madam,", "To whom it may concern,"
_GREETING = r"^\s*(?:(?:dear|respected)(?:\s+[\w.'/&-]+){1,4}\s*[,:\n]|to\s+whom\s+it\s+may\s+concern\b[,:]?)"
# A greeting of the day or a hello opening a letter ("Good morning,\nI would like to arrange
# ..."); alone or before small talk ("good evening, how are you") it is the message.
_SALUTATION = (
    r"^\s*(?:good\s+(?:morning|afternoon|evening|day)|hello)\b\s*[,.!:\n]+"
    r"(?!\s*(?:how are|how r|how's|how is|how do you do|what's up|whats up|nice to)\b)"
)
# Closing words a letter is signed with; "best" and "cheers" alone start questions too
# ("best age for it?"): "best" counts with "regards" or "wishes", "cheers" with a comma.
_CLOSING = (
    r"(?:yours(?:\s+(?:sincerely|faithfully|truly|gratefully))?|sincerely(?:\s+yours)?|respectfully"
    r"|(?:(?:with\s+)?(?:kind|kindest|best|warm|warmest)\s+)?regards|with\s+(?:thanks|gratitude|appreciation)"
    r"|(?:best|warm|warmest|kind)\s+wishes|many\s+thanks|thank\s+you(?:\s+(?:kindly|again|so\s+much))?"
    r"|thanks(?:\s+(?:again|so\s+much))?|cheers,)"
)
# The signature: closing words after the last sentence, then a name or a few words that
# ask nothing ("..., thanks, and how long does it take" keeps its question), and perhaps a
# note in brackets of whom it is for ("Dr. Osei (asking for my wife)").
_SIGNED_NAME = (
    r"(?:(?!(?:and|also|but|or|so|i|i'm|im|my|it|is|are|can|how|what|when|where|why|who|which|does|do|will"
    r"|should|could|would)\b)[\w.'-]+[\s,.]*){0,5}"
    r"(?:\((?:(?:asking|writing|enquiring|inquiring)\s+)?(?:for|on behalf of)\s+[^()?]{0,30}\)[\s.]*)?"
)
_SIGNATURE = r"(?:(?<=[.!?])\s+|\n\s*)" + _CLOSING + r"[\s,.!]*" + _SIGNED_NAME + r"$"
# A signature ends a letter, not a short thanks: "great. thank you so much" is a thanks.
MIN_LETTER_WORDS = 5
_GREETING_PATTERN = re.compile(_GREETING, re.IGNORECASE)
_SALUTATION_PATTERN = re.compile(_SALUTATION, re.IGNORECASE)
_SIGNATURE_PATTERN = re.compile(_SIGNATURE, re.IGNORECASE)


def _blank(text: Text, start: int, end: int) -> Text:
    return text[:start] + " " * (end - start) + text[end:]


def without_letter_frame(text: Text) -> Text:
    """The text with a letter's greeting and signature replaced by as many spaces;
    unchanged if nothing else is left."""
    blanked = text
    greeting = _GREETING_PATTERN.search(blanked)
    if greeting:
        blanked = _blank(blanked, *greeting.span())
    signature = _SIGNATURE_PATTERN.search(blanked)
    if signature and len(re.findall(r"\w+", blanked[: signature.start()])) >= MIN_LETTER_WORDS:
        blanked = _blank(blanked, *signature.span())
    salutation = _SALUTATION_PATTERN.search(blanked)
    if salutation and len(re.findall(r"\w+", blanked[salutation.end() :])) >= MIN_LETTER_WORDS:
        blanked = _blank(blanked, *salutation.span())
    return blanked if re.search(r"\w", blanked) else text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LetterFrameRemover(TextBlanker):
    @staticmethod
    def patterns() -> Text:
        return f"{_GREETING} {_SIGNATURE} {MIN_LETTER_WORDS}"

    @staticmethod
    def blanked(text: Text) -> Text:
        return without_letter_frame(text)
