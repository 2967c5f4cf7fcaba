"""What this project's policies share: they learn nothing, and either choose one action
for sure or leave the turn to the other policies."""

from typing import Any, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction, confidence_scores_for
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class SteeringPolicy(Policy):
    """A policy decided by `next_action` from the conversation so far, without training.
    Subclasses register themselves with DefaultV1Recipe and set their priority."""

    # Whether a sure choice also overrules an open form's next step: RulePolicy marks that
    # step as not depending on the visitor's message, and Rasa ranks such predictions above
    # all others, whatever their priority.
    overrules_open_forms = False

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self, tracker: DialogueStateTracker, domain: Domain, **kwargs: Any
    ) -> PolicyPrediction:
        action = self.next_action(tracker, domain)
        if action is None:
            return self._prediction(self._default_predictions(domain))
        return self._prediction(
            confidence_scores_for(action, 1.0, domain),
            optional_events=self.events_before(action, tracker),
            is_no_user_prediction=self.overrules_open_forms,
        )

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        """The action to run for sure, or None to leave the turn to the other policies."""
        raise NotImplementedError

    def events_before(self, action: Text, tracker: DialogueStateTracker) -> List[Event]:
        """Events to apply before `action` runs, when this policy's choice wins."""
        return []
