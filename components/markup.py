"""Markup in a message is skipped when reading it, never obeyed.

Visitors paste text from web pages, and some try markup: "<p>does it hurt?</p>". Read as
words, the tags look like the code questions the assistant declines ("fix my css"), so a
plain guide question wrapped in them was declined or met with "did you mean...?". This
component, first in the pipeline, blanks each tag with as many spaces before anything
reads the message: character positions (of a date, say) stay those of the message as
written, and the conversation keeps the message as written. A message that is nothing
but markup is read as it is.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# An HTML or XML tag: "<p>", "</b>", "<a href='...'>", "<br/>", "<!-- -->". Not "<3" or "3 < 5".
MARKUP_TAG = r"<(?:/?[A-Za-z][^<>]{0,200}|!--[^<>]{0,200}--)>"
_MARKUP_TAG = re.compile(MARKUP_TAG)


def without_markup(text: Text) -> Text:
    """The text with each tag replaced by as many spaces; unchanged if nothing else is left."""
    blanked = _MARKUP_TAG.sub(lambda tag: " " * len(tag.group(0)), text)
    return blanked if re.search(r"\w", blanked) else text


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class MarkupRemover(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> MarkupRemover:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text and "<" in text:
                message.set(TEXT, without_markup(text))
        return messages
