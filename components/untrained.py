"""What this project's NLU components that learn nothing share: Rasa makes each from its
configuration alone, at training and at loading (GraphComponent.load calls `create`); and
what the two that blank part of a message before it is read share (TextBlanker)."""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class UntrainedComponent(GraphComponent):
    """A component made from its configuration (`self.config`) and nothing else."""

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self.config = {**self.get_default_config(), **(config or {})}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UntrainedComponent:
        return cls(config)


class TextBlanker(UntrainedComponent):
    """A component that blanks what is not the message (markup, a letter's frame) with as many
    spaces, in the training data as in each message, so that positions stay as written.
    Register each as a featurizer: the kind of component the default recipe runs on the
    training data as well as on each message, in pipeline order."""

    @staticmethod
    def blanked(text: Text) -> Text:
        raise NotImplementedError

    @staticmethod
    def patterns() -> Text:
        """What `blanked` blanks, as the patterns it uses."""
        raise NotImplementedError

    @classmethod
    def fingerprint_addon(cls, config: Dict[Text, Any]) -> Optional[Text]:
        # Rasa's training cache fingerprints a component class's own source only: what it
        # inherits from here, and the patterns it blanks with, must invalidate the cache too.
        return inspect.getsource(TextBlanker) + cls.patterns()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, self.blanked(text))
        return messages
