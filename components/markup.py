"""Markup in a message is skipped when reading it, never obeyed.

Visitors paste text from web pages, and some try markup: "<p>does it hurt?</p>". Read as
words, the tags look like the code questions the assistant declines ("fix my css"), so a
plain guide question wrapped in them was declined or met with "did you mean...?". This
component, first in the pipeline, blanks each tag with as many spaces before anything
reads the message, so character positions (of a date, say) stay those of the message as
written. The conversation's events keep the message as written; the parse data the
actions see (`tracker.latest_message`) holds it as read. A message that is nothing but
markup is read as it is.
"""

from __future__ import annotations

import re
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe

from components.untrained import TextBlanker

# What a tag is made of, by HTML's syntax, so that words a visitor puts between angle
# brackets ("<a week ago ->", "<jane@example.com>", "<3") are not taken for one.
_NAME = r"[A-Za-z][A-Za-z0-9-]{0,30}"
_ATTRIBUTE = r"""\s+[A-Za-z_:@][-\w:.]{0,50}(?:\s*=\s*(?:"[^"<>]{0,500}"|'[^'<>]{0,500}'|[^\s"'<>=`]{1,500}))?"""
_OPENING = r"(?:" + _ATTRIBUTE + r"){0,20}\s*/?>"
# A tag ("<p>", "</b>", "<a href='...'>", "<br/>"), a comment, or a script or style
# element, whose code is markup too. No capturing group: connectors.questions splits on it.
MARKUP_TAG = (
    r"(?i:<script\b"
    + _OPENING
    + r"[\s\S]{0,2000}?</script\s*>|<style\b"
    + _OPENING
    + r"[\s\S]{0,2000}?</style\s*>|<!--[\s\S]{0,500}?-->|</?"
    + _NAME
    + _OPENING
    + ")"
)
_MARKUP_TAG = re.compile(MARKUP_TAG)


def without_markup(text: Text) -> Text:
    """The text with each tag replaced by as many spaces; unchanged if nothing else is left."""
    blanked = _MARKUP_TAG.sub(lambda tag: " " * len(tag.group(0)), text)
    return blanked if re.search(r"\w", blanked) else text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MarkupRemover(TextBlanker):
    @staticmethod
    def patterns() -> Text:
        return MARKUP_TAG

    @staticmethod
    def blanked(text: Text) -> Text:
        return without_markup(text) if "<" in text else text
