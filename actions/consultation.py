"""Suggest a consultation with a trained, qualified professional.

The clinic's contact details come from settings/clinic.yml, validated when the
action server starts; with none set, the wording stays generic.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import clinic
from actions.conversation import latest_intent, user_turn
from actions.settings import ClinicSettings

# Intents that always get it, whatever the cooldown: the visitor asked for it, asked what
# the guide does not cover (a professional is then the only answer we can give), or said
# that an answer did not help.
ALWAYS_FOR = {"book_consultation", "ask_suitability", "out_of_scope", "deny", "frustration"}
APOLOGY = "Sorry that wasn't the answer you needed."

INTRODUCTIONS = {
    "book_consultation": "I can't book appointments myself, but the clinic can.",
    "ask_suitability": (
        "Whether microneedling is right for you depends on your skin and what you'd like "
        "to achieve, which is something to check with a professional before treatment."
    ),
    # Right after "the guide doesn't cover that": no introduction needed.
    "out_of_scope": None,
    # 👎 or annoyance: the apology opens the reply (actions/feedback.py).
    "deny": APOLOGY,
    "frustration": APOLOGY,
}
DEFAULT_INTRODUCTION = "For advice about your own skin, it's best to speak to someone in person."
PROFESSIONAL = (
    "A trained, qualified professional at {clinic} can assess your skin and give you "
    "personal recommendations in a consultation."
)
# The clinic's own details (settings/clinic.yml), in one sentence so the bubble stays short.
# The booking link is Markdown: the web widget shows a link, other channels readable text.
BOOK_ONLINE = "[book a consultation online]({url})"
CALL = "call {phone}"
EMAIL = "email {email}"
CONTACTS = "You can {contacts}."
CONTACTS_WITH_HOURS = "You can {contacts} ({hours})."
NO_CONTACTS = "Contact your clinic to arrange one."
# Where the clinic takes requests through the chat (actions/callback_request.py).
CALLBACK_OFFER = "Ask the clinic to contact me"
CALLBACK_BUTTON = {"title": CALLBACK_OFFER, "payload": "/request_callback"}


def consultation_text(settings: ClinicSettings, introduction: Optional[str] = DEFAULT_INTRODUCTION) -> str:
    """The suggestion, with whichever contact details the clinic has set: three sentences at most."""
    lines = [introduction] if introduction else []
    lines.append(PROFESSIONAL.format(clinic=settings.name or "the clinic"))
    contacts = []
    if settings.booking_url:
        contacts.append(BOOK_ONLINE.format(url=settings.booking_url))
    if settings.phone:
        contacts.append(CALL.format(phone=settings.phone))
    if settings.email:
        contacts.append(EMAIL.format(email=settings.email))
    if not contacts:
        lines.append(NO_CONTACTS)
    elif settings.opening_hours:
        lines.append(CONTACTS_WITH_HOURS.format(contacts=" or ".join(contacts), hours=settings.opening_hours))
    else:
        lines.append(CONTACTS.format(contacts=" or ".join(contacts)))
    return " ".join(lines)


def cooldown_over(last_turn: Optional[float], turn: int, cooldown: int) -> bool:
    return last_turn is None or turn - int(last_turn) >= cooldown


class ActionSuggestConsultation(Action):
    def name(self) -> Text:
        return "action_suggest_consultation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        intent = latest_intent(tracker)
        turn = user_turn(tracker)
        last_turn = tracker.get_slot("consultation_suggested_turn")
        if intent not in ALWAYS_FOR and not cooldown_over(last_turn, turn, clinic.SETTINGS.suggestion_cooldown_turns):
            return []  # suggested a moment ago; saying it again would nag
        dispatcher.utter_message(
            text=consultation_text(clinic.SETTINGS, INTRODUCTIONS.get(intent, DEFAULT_INTRODUCTION)),
            buttons=[CALLBACK_BUTTON] if clinic.SETTINGS.callback_requests.enabled else [],
        )
        return [SlotSet("consultation_suggested_turn", turn)]
