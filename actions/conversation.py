"""Facts about the conversation so far, read from the tracker's events."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def user_messages(tracker: Tracker) -> List[Dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def user_turn(tracker: Tracker) -> int:
    """How many messages the visitor has sent in this conversation."""
    return len(user_messages(tracker))


def previous_message_was_fallback(tracker: Tracker) -> bool:
    """True when the message before the latest one was not understood either."""
    messages = user_messages(tracker)
    if len(messages) < 2:
        return False
    intent = (messages[-2].get("parse_data") or {}).get("intent") or {}
    return intent.get("name") == "nlu_fallback"


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent NLU chose for the latest message, nlu_fallback included."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")
