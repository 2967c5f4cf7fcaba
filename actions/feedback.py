"""Whether an answer helped: the visitor's reply to "Was this answer helpful?" (asked by
policies/feedback.py), or a "yes", "no" or "that's useless" right after an answer.

The verdict is kept in the conversation as the slot `feedback` ({"answer": "faq/<key>",
"helpful": ...}), which the staff report counts per answer (scripts/insight.py). A 👎
gets an apology, the topics the model found next likeliest for the question, and the
consultation; a 👍 a short thanks. The apology comes with the consultation, so that the
topics come last: a chat widget shows the buttons of its latest message only.
"""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.clarify import STARTER_TOPICS, ActionClarifyQuestion, buttons_for, likely_topics
from actions.consultation import ActionSuggestConsultation
from actions.conversation import latest_intent

HELPFUL_INTENTS = {"affirm"}
OTHER_TOPICS = "Maybe one of these is closer to what you wanted to know:"
GUIDE_TOPICS = "I can only answer from a guide to microneedling; here are some of the topics it covers:"
MAX_OTHER_TOPICS = 3


def answered_question(events: List[Dict[str, Any]]) -> Optional[Tuple[str, Dict[str, Any]]]:
    """The answer from the guide sent in the turn before the latest message, with the
    parse data of the question it answered; None when that turn sent no such answer."""
    user_positions = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if len(user_positions) < 2:
        return None
    previous, latest = user_positions[-2], user_positions[-1]
    answered = any(
        event.get("event") == "action" and event.get("name") == "utter_faq" for event in events[previous:latest]
    )
    parse_data = events[previous].get("parse_data") or {}
    answer = (((parse_data.get("response_selector") or {}).get("faq") or {}).get("response") or {}).get(
        "intent_response_key"
    )
    return (answer, parse_data) if answered and answer else None


def other_topics(parse_data: Dict[str, Any], answer: str) -> List[str]:
    """The topics ranked next for the question, or the starter topics when none was."""
    answered_key = answer.split("/", 1)[-1]
    ranked = [key for key in likely_topics(parse_data) if key != answered_key]
    return (ranked or [key for key in STARTER_TOPICS if key != answered_key])[:MAX_OTHER_TOPICS]


class ActionFeedback(Action):
    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        helpful = latest_intent(tracker) in HELPFUL_INTENTS
        found = answered_question(tracker.events)
        if found is None:
            if helpful:  # a "yes" to nothing that was asked
                return ActionClarifyQuestion().run(dispatcher, tracker, domain)
            events = ActionSuggestConsultation().run(dispatcher, tracker, domain)
            dispatcher.utter_message(text=GUIDE_TOPICS, buttons=buttons_for(STARTER_TOPICS))
            return events
        answer, parse_data = found
        events: List[EventType] = [SlotSet("feedback", {"answer": answer, "helpful": helpful})]
        if helpful:
            dispatcher.utter_message(response="utter_feedback_thanks")
            return events
        events += ActionSuggestConsultation().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=OTHER_TOPICS, buttons=buttons_for(other_topics(parse_data, answer)))
        return events
