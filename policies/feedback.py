"""Ask "Was this answer helpful?" after an answer from the guide, at most once every few answers.

Rules cannot count, and a custom action after every answer would cost each FAQ turn a
call to the action server, so this policy decides inside the Rasa server: right after
`utter_faq`, outside the aftercare form, when no question has been asked yet in this
conversation or `ask_every` answers have been sent since the last one. A message cut into
several questions (connectors/questions.py) is not interrupted between its answers.
The visitor's reply goes to `action_feedback` (actions/feedback.py).
"""

from typing import Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from policies.steering import SteeringPolicy

ANSWER = "utter_faq"
QUESTION = "utter_ask_feedback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class FeedbackPolicy(SteeringPolicy):
    @staticmethod
    def get_default_config() -> dict:
        # Above RulePolicy (4), which would otherwise go back to listening after the answer.
        # 0 never asks.
        return {"priority": 5, "ask_every": 3}

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        return QUESTION if feedback_due(tracker, int(self.config["ask_every"])) else None


def feedback_due(tracker: DialogueStateTracker, ask_every: int) -> bool:
    if ask_every <= 0 or tracker.latest_action_name != ANSWER or tracker.active_loop_name:
        return False
    if "split_from" in ((tracker.latest_message.metadata if tracker.latest_message else None) or {}):
        return False
    answers_since_asked = 0
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name == QUESTION:
                return answers_since_asked >= ask_every
            answers_since_asked += event.action_name == ANSWER
    return True
