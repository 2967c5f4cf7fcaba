"""The callback request: the visitor asks the clinic to contact them.

The form (domain.yml, callback_request_form) asks for a name, a phone number or email
address, a time that suits, and consent; each answer is checked here (actions/contact.py)
and re-asked with the reason when it does not do. A phone number or email address given
at any later step replaces the one given before ("actually, use my email ..."). Once
complete, the request is stored (persistence/callback_requests.py) and the courier
(connectors/clinic_inbox.py) delivers it. Where the clinic has set nowhere for requests to
go (settings/clinic.yml, callback_requests), none is taken and the visitor gets the
consultation suggestion instead.
"""

import logging
import os
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clinic, contact
from actions.consultation import consultation_text
from actions.conversation import latest_intent, latest_text
from connectors.clinic_inbox import Courier
from persistence.callback_requests import CallbackRequestStore, database_url

logger = logging.getLogger(__name__)

ANSWER_SLOTS = ("callback_name", "callback_contact", "callback_time", "callback_consent")
# Messages that are the visitor's questions, for the clinic to see with the request.
QUESTION_INTENTS = {
    "faq",
    "out_of_scope",
    "ask_suitability",
    "ask_aftercare_timing",
    "book_consultation",
    "nlu_fallback",
}

BAD_NAME = 'Sorry, I need a name the clinic can ask for, such as "Sam" or "Ms Patel".'
BAD_PHONE = "That doesn't look like a full phone number. Please check it, or give an email address instead."
BAD_CONTACT = 'I need a phone number or an email address for the clinic to reach you (or say "stop").'
BAD_TIME = 'Please say briefly when suits you, for example "weekday mornings".'
BAD_CONSENT = "Please answer yes or no."
CONTACT_CHANGED = "Got it: the clinic will use {contact} instead."
CONSENT = (
    "May I send your name, {contact}, the time that suits you and the questions you asked here to "
    "{clinic}, only so that they can contact you, keeping the request until {days} days after it arrives?"
)
CONSENT_YES = "Yes, pass it on"
CONSENT_BUTTONS = [{"title": CONSENT_YES, "payload": "yes"}, {"title": "No", "payload": "no"}]
PASSED_ON = "Thank you, {name}. Your request is saved and on its way: the clinic will contact you by {way}."
NOT_SAVED = "Sorry, I couldn't save your request just now, so nothing has been passed on."
NOT_PASSED_ON = "No problem, I haven't passed anything on to the clinic."
NOT_OFFERED = "I can't pass requests to the clinic from this chat."

# Each way of delivery needs its server settings: refuse to start without them rather
# than take requests that could never arrive.
MISSING = [
    name
    for wanted, name in (
        (clinic.SETTINGS.callback_requests.email_to, "SMTP_HOST"),
        (clinic.SETTINGS.callback_requests.webhook_url, "CALLBACK_WEBHOOK_SECRET"),
    )
    if wanted and not os.environ.get(name)
]
if MISSING:
    raise RuntimeError(
        f"settings/clinic.yml sets callback_requests, but {' and '.join(MISSING)} is not set "
        '(docs/operations.md, "Callback requests")'
    )

STORE: Optional[CallbackRequestStore] = None
COURIER: Optional[Courier] = None
if clinic.SETTINGS.callback_requests.enabled:
    STORE = CallbackRequestStore(database_url())
    COURIER = Courier(STORE, clinic.SETTINGS.callback_requests)
    COURIER.start()  # delivers what an earlier run stored but could not send


def visitor_questions(events: List[Dict[str, Any]]) -> List[str]:
    """The visitor's questions in this conversation: not their answers to the form (a
    message after which one of the form's slots was set)."""
    questions: List[str] = []
    candidate: Optional[str] = None  # the latest user message, while it still counts as a question
    for event in events:
        if event.get("event") == "user":
            if candidate:
                questions.append(candidate)
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            candidate = event.get("text") if intent in QUESTION_INTENTS else None
        elif event.get("event") == "slot" and event.get("name") in ANSWER_SLOTS:
            candidate = None
    if candidate:
        questions.append(candidate)
    return questions


class ValidateCallbackRequestForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_request_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return list(domain_slots) if clinic.SETTINGS.callback_requests.enabled else []

    def _changed_contact(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """A phone number or email address given while another answer was asked for."""
        found = contact.find_contact(latest_text(tracker), clinic.SETTINGS.callback_requests.country)
        if found is None or tracker.get_slot("callback_contact") in (None, found.value):
            return {}
        dispatcher.utter_message(text=CONTACT_CHANGED.format(contact=found.value))
        return {"callback_contact": found.value}

    def extract_callback_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The answer to the name question that the NLU read as a question about the guide
        (the slot's mapping leaves those to be answered): "Sunny Redd" is a name, "does it
        hurt?" is not (contact.asks_something)."""
        text = latest_text(tracker)
        if tracker.get_slot("requested_slot") != "callback_name" or latest_intent(tracker) != "faq":
            return {}
        return {} if contact.asks_something(text) else {"callback_name": text}

    def extract_callback_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A phone number or email address answers the contact question, whatever the NLU
        read it as: an address can look like a request to book (the slot's mapping leaves
        those to be answered). Not one inside a question ("is hello@clinic.com your
        address?"), nor a stop or goodbye, which the form's rules answer. Only at the
        contact question: a later answer holding a new contact is validate_callback_time's
        and validate_callback_consent's to take."""
        text = latest_text(tracker)
        if (
            tracker.get_slot("requested_slot") != "callback_contact"
            # Not contact.asks_something: its topic words match inside addresses ("pain.free@...").
            or "?" in text
            or latest_intent(tracker) in ("stop", "goodbye")
        ):
            return {}
        found = contact.find_contact(text, clinic.SETTINGS.callback_requests.country)
        return {"callback_contact": found.value} if found else {}

    def validate_callback_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        name = contact.clean_name(value if isinstance(value, str) else "")
        if name is None:
            dispatcher.utter_message(text=BAD_NAME)
        return {"callback_name": name}

    def validate_callback_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else ""
        found = contact.find_contact(text, clinic.SETTINGS.callback_requests.country)
        if found is None:
            dispatcher.utter_message(text=BAD_PHONE if contact.looks_like_a_number(text) else BAD_CONTACT)
            return {"callback_contact": None}
        return {"callback_contact": found.value}

    def validate_callback_time(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        changed = self._changed_contact(dispatcher, tracker)
        if changed:
            return {**changed, "callback_time": None}
        time = contact.clean_time(value if isinstance(value, str) else "")
        if time is None:
            dispatcher.utter_message(text=BAD_TIME)
        return {"callback_time": time}

    def validate_callback_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        changed = self._changed_contact(dispatcher, tracker)
        if changed:
            return {**changed, "callback_consent": None}
        answer = contact.consent(value if isinstance(value, str) else "")
        if answer is None:
            dispatcher.utter_message(text=BAD_CONSENT)
            return {"callback_consent": None}
        return {"callback_consent": "yes" if answer else "no"}


class ActionAskCallbackConsent(Action):
    def name(self) -> Text:
        return "action_ask_callback_consent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(
            text=CONSENT.format(
                contact=tracker.get_slot("callback_contact"),
                clinic=clinic.SETTINGS.name or "the clinic",
                days=clinic.SETTINGS.callback_requests.retention_days,
            ),
            buttons=CONSENT_BUTTONS,
        )
        return []


def cleared() -> List[EventType]:
    return [SlotSet(slot, None) for slot in ANSWER_SLOTS]


class ActionSubmitCallbackRequest(Action):
    def name(self) -> Text:
        return "action_submit_callback_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if STORE is None:
            dispatcher.utter_message(text=consultation_text(clinic.SETTINGS, NOT_OFFERED))
            return cleared()
        if tracker.get_slot("callback_consent") != "yes":
            dispatcher.utter_message(text=NOT_PASSED_ON)
            return cleared()
        reach = tracker.get_slot("callback_contact")
        kind = "email" if "@" in reach else "phone"  # also how the clinic will reach them
        try:
            request_id = STORE.add(
                sender_id=tracker.sender_id,
                name=tracker.get_slot("callback_name"),
                contact=reach,
                contact_kind=kind,
                preferred_time=tracker.get_slot("callback_time"),
                questions=visitor_questions(tracker.events),
                by_email=bool(clinic.SETTINGS.callback_requests.email_to),
                by_webhook=bool(clinic.SETTINGS.callback_requests.webhook_url),
            )
        except Exception as error:  # the database is down: say so, and never log the request
            logger.error("callback request not stored (%s)", type(error).__name__)
            dispatcher.utter_message(text=consultation_text(clinic.SETTINGS, NOT_SAVED))
            return cleared()
        logger.info("callback request %s stored", request_id)
        COURIER.wake()
        dispatcher.utter_message(text=PASSED_ON.format(name=tracker.get_slot("callback_name"), way=kind))
        return cleared()


class ActionStartCallbackRequest(Action):
    """Forget the answers of a request left unfinished (they carry over to new sessions)."""

    def name(self) -> Text:
        return "action_start_callback_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return cleared()


class ActionCancelCallbackRequest(Action):
    def name(self) -> Text:
        return "action_cancel_callback_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(text=NOT_PASSED_ON)
        return cleared()
