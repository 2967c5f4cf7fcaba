"""What this project's NLU components that learn nothing share: Rasa makes each from its
configuration alone, at training and at loading (GraphComponent.load calls `create`)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


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
