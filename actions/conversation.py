"""Facts about the conversation so far, read from the tracker's events."""

from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker


def user_messages(tracker: Tracker) -> List[Dict[str, Any]]:
    return [event for event in tracker.events if event.get("event") == "user"]


def user_turn(tracker: Tracker) -> int:
    """How many messages the visitor has sent in this conversation."""
    return len(user_messages(tracker))


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent NLU chose for the latest message, nlu_fallback included."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """What the visitor wrote last, as written: the user event's text, not the parse data's
    (the NLU reads markup blanked out, components/markup.py)."""
    messages = user_messages(tracker)
    return (messages[-1].get("text") or "") if messages else ""
