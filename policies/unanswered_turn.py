"""Never leave a visitor without a reply.

Two kinds of turn would otherwise end in silence, and this policy steers both:

1. A custom action or form fails (the action server is down, or an action raises):
   Rasa logs "Failed to execute custom action", keeps going, and the visitor gets no
   message at all. This shows as a custom action or form that left no events at all
   (Rasa logs an action before its events, and on failure it logs the action alone)
   in a turn where nothing was said to the visitor. The policy then answers with
   `utter_action_unavailable`, a plain response that needs no action server (a rule in
   data/rules.yml then goes back to listening). A form open at that moment (the failed
   call may be its own check of a date) is closed and its unchecked answer forgotten:
   left open, it would hold every next message for a check the server cannot make, and
   an answer it never checked could end it. A successful action of ours leaves events
   (its messages, slots, the form's state); the one that may leave none, the
   consultation suggestion on cooldown, only runs after another reply of the same turn.
2. A retrieval intent arrives without an answer chosen for it: the typed command `/faq`
   sets the intent `faq` but skips the ResponseSelector, and `utter_faq` would then
   fail with a KeyError and send nothing. The policy runs the clarification
   (`action_clarify_question`) instead, as for any message it did not understand.
   Test stories label FAQ messages `faq/<key>`, so they always name an answer.
"""

from typing import List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import UTTER_PREFIX
from rasa.shared.core.constants import ACTION_LISTEN_NAME, REQUESTED_SLOT
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import FULL_RETRIEVAL_INTENT_NAME_KEY

from policies.steering import SteeringPolicy

APOLOGY = "utter_action_unavailable"
CLARIFICATION = "action_clarify_question"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class UnansweredTurnPolicy(SteeringPolicy):
    overrules_open_forms = True  # a form's failed check must get the apology too

    @staticmethod
    def get_default_config() -> dict:
        # Above RulePolicy (4), which would otherwise go back to listening.
        return {"priority": 5}

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[Text]:
        if _retrieval_intent_without_answer(tracker, domain):
            return CLARIFICATION
        if _custom_action_failed(tracker, domain) and not _bot_spoke_this_turn(tracker):
            return APOLOGY
        return None

    def events_before(self, action: Text, tracker: DialogueStateTracker) -> List[Event]:
        if action != APOLOGY or not tracker.active_loop_name:
            return []
        requested = tracker.get_slot(REQUESTED_SLOT)
        return [ActiveLoop(None), *([SlotSet(requested, None)] if requested else []), SlotSet(REQUESTED_SLOT, None)]


def _retrieval_intent_without_answer(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """A new message with a retrieval intent (`faq`) but no chosen answer (`faq/<key>`)."""
    message = tracker.latest_message
    if tracker.latest_action_name != ACTION_LISTEN_NAME or message is None:
        return False
    intent = message.intent or {}
    return intent.get("name") in domain.retrieval_intents and not intent.get(FULL_RETRIEVAL_INTENT_NAME_KEY)


def _custom_action_failed(tracker: DialogueStateTracker, domain: Domain) -> bool:
    """The last event is a custom action or form that left no events at all."""
    last = tracker.events[-1] if tracker.events else None
    if not isinstance(last, ActionExecuted) or last.action_name.startswith(UTTER_PREFIX):
        return False  # responses are sent by Rasa itself (an FAQ with no answer chosen is case 2)
    return last.action_name in set(domain.user_actions) | set(domain.form_names)


def _bot_spoke_this_turn(tracker: DialogueStateTracker) -> bool:
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            return True
        if isinstance(event, UserUttered):
            return False
    return False
