"""When the NLU is unsure: offer the likeliest topics as buttons instead of guessing.

A button payload cannot select a response-selector answer directly, so each button
sends the topic's canonical question (actions/faq_topics.yml) as text; every such
question is a training example of its own topic.
"""

from pathlib import Path
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.consultation import ActionSuggestConsultation
from actions.language import written_in_another_language

# End the turn here. As RulePolicy's core fallback this action is otherwise predicted
# again and again until Rasa's circuit breaker trips, and after that every later
# message of the visitor trips it at once (it counts actions since the last listen).
LISTEN: List[EventType] = [FollowupAction("action_listen")]

TOPICS_FILE = Path(__file__).with_name("faq_topics.yml")
TOPICS: Dict[str, str] = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))["topics"]

EMPTY_MESSAGE = "Your message looks empty. Ask me anything about microneedling, for example:"
STILL_UNCLEAR = "Sorry, I still don't understand. I can only answer from a guide to microneedling."
DID_YOU_MEAN = "I'm not sure I understood, and the guide I answer from may not cover it. Did you mean one of these?"
NOT_UNDERSTOOD = "Sorry, I didn't understand that. I answer questions about microneedling, for example:"
ONLY_ENGLISH = (
    "Sorry, I can only read and answer English: the guide I answer from is in English. "
    "Could you ask your question in English? For example:"
)

# Offered when nothing in the message points to a topic.
STARTER_TOPICS = ["what_is_microneedling", "session_steps", "aftercare"]
MAX_SUGGESTIONS = 3
# A topic below this response-selector confidence is not worth offering.
MIN_TOPIC_CONFIDENCE = 0.1


def buttons_for(topic_keys: List[str]) -> List[Dict[str, str]]:
    return [{"title": TOPICS[key], "payload": TOPICS[key]} for key in topic_keys]


def likely_topics(parse_data: Dict[str, Any]) -> List[str]:
    """The FAQ topics the response selector ranked highest for this message."""
    ranking = ((parse_data.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
    keys = []
    for candidate in ranking:
        key = (candidate.get("intent_response_key") or "").split("/", 1)[-1]
        if key in TOPICS and candidate.get("confidence", 0) >= MIN_TOPIC_CONFIDENCE:
            keys.append(key)
    return keys[:MAX_SUGGESTIONS]


class ActionClarifyQuestion(Action):
    def name(self) -> Text:
        return "action_clarify_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        message = tracker.latest_message or {}
        unclear_in_a_row = int(tracker.get_slot("unclear_messages_in_a_row") or 0) + 1
        events: List[EventType] = [SlotSet("unclear_messages_in_a_row", unclear_in_a_row)]
        if not (message.get("text") or "").strip():
            dispatcher.utter_message(text=EMPTY_MESSAGE, buttons=buttons_for(STARTER_TOPICS))
            return events + LISTEN
        # Every time, not "I still don't understand": the visitor can do something about it.
        if written_in_another_language(message.get("text") or ""):
            dispatcher.utter_message(text=ONLY_ENGLISH, buttons=buttons_for(STARTER_TOPICS))
            return events + LISTEN
        if unclear_in_a_row >= 2:
            dispatcher.utter_message(text=STILL_UNCLEAR)
            # Suggested here rather than as a FollowupAction: no rule follows
            # action_suggest_consultation, so the core fallback (this action) came back.
            return events + ActionSuggestConsultation().run(dispatcher, tracker, domain) + LISTEN
        topics = likely_topics(message)
        if topics:
            dispatcher.utter_message(text=DID_YOU_MEAN, buttons=buttons_for(topics))
        else:
            dispatcher.utter_message(text=NOT_UNDERSTOOD, buttons=buttons_for(STARTER_TOPICS))
        return events + LISTEN
