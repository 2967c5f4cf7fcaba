"""Aftercare timing: from when the visitor had (or will have) the treatment, say what
applies now and what comes next, following settings/aftercare_phases.yml."""

from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import clinic
from actions.conversation import user_messages, user_turn
from actions.settings import AftercareSchedule
from actions.timing import TimeReading, current_time, days_since, is_plausible, phase_for_day, read_treatment_time

FORM = "aftercare_timing_form"

# One re-ask with examples, then the general aftercare rather than asking forever.
MAX_ATTEMPTS = 2

NO_DATE_INTRODUCTION = "I couldn't work out the date, so here is the general aftercare."
UPCOMING_WITHOUT_DAY_INTRODUCTION = "So your treatment is still to come."
CONSULTATION_BEFORE_TREATMENT = (
    "If you haven't had a consultation yet, the guide advises one first, so a trained "
    "professional can check that microneedling is right for you."
)


# The date understood, said back so that a wrong reading is visible.
WHEN_TODAY = "Your treatment is today, {date}"
WHEN_YESTERDAY = "Your treatment was yesterday, {date}"
WHEN_TOMORROW = "Your treatment is tomorrow, {date}"
WHEN_PAST = "Your treatment was {days} days ago, on {date}"
WHEN_AHEAD = "Your treatment is in {days} days, on {date}"
WHAT_COMES_NEXT = "Next: {next}"


def when_text(days: int, treatment: date) -> str:
    on_day = f"{treatment:%A} {treatment.day} {treatment:%B}"
    if days == 0:
        return WHEN_TODAY.format(date=on_day)
    if days == 1:
        return WHEN_YESTERDAY.format(date=on_day)
    if days == -1:
        return WHEN_TOMORROW.format(date=on_day)
    if days > 0:
        return WHEN_PAST.format(days=days, date=on_day)
    return WHEN_AHEAD.format(days=-days, date=on_day)


def is_usable(reading: TimeReading, now: datetime, schedule: AftercareSchedule) -> bool:
    """A reading the answer can rest on: a plausible day, or "still to come" without one."""
    if reading.is_upcoming_without_day:
        return True
    return reading.day is not None and is_plausible(days_since(reading.day, now), schedule)


def aftercare_messages(
    treatment: Optional[date], upcoming: bool, now: datetime, schedule: AftercareSchedule
) -> List[str]:
    """What applies now and what comes next (one or two chat bubbles).

    treatment: the day understood, or None; upcoming: the treatment is still to come
    (with no day: "next week"; on today's date: "I'm having it today")."""
    if treatment is None and not upcoming:
        return [f"{NO_DATE_INTRODUCTION} {schedule.general}"]
    if treatment is None:
        return [f"{UPCOMING_WITHOUT_DAY_INTRODUCTION} {schedule.upcoming}", CONSULTATION_BEFORE_TREATMENT]
    days = days_since(treatment, now)
    if days < 0 or (days == 0 and upcoming):
        return [f"{when_text(days, treatment)}. {schedule.upcoming}", CONSULTATION_BEFORE_TREATMENT]
    phase = phase_for_day(days, schedule)
    return [f"{when_text(days, treatment)}. {phase.now}", WHAT_COMES_NEXT.format(next=phase.next)]


def _reading(tracker: Tracker, fallback_text: Any, now: datetime) -> TimeReading:
    """The date read from the visitor's whole message, with the one before it for context
    (the question the form asks a date for: "I'm booked in, what aftercare?" ... "friday")."""
    messages = user_messages(tracker)
    latest = (tracker.latest_message or {}).get("text") or str(fallback_text or "")
    earlier = (messages[-2].get("text") or "") if len(messages) >= 2 else ""
    return read_treatment_time(latest, now, earlier_message=earlier)


class ValidateAftercareTimingForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_aftercare_timing_form"

    def validate_treatment_time(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        now = current_time(clinic.SETTINGS.timezone)
        reading = _reading(tracker, slot_value, now)
        if is_usable(reading, now, clinic.AFTERCARE):
            return {
                "treatment_time": slot_value,
                "treatment_date": reading.day.isoformat() if reading.day else None,
                "treatment_upcoming": reading.ahead,
            }

        attempts = int(tracker.get_slot("treatment_time_attempts") or 0) + 1
        if attempts < MAX_ATTEMPTS:
            # The form asks again; utter_ask_treatment_time has a variation for this attempt.
            return {"treatment_time": None, "treatment_time_attempts": attempts}
        # Still no usable date: stop asking; the answer falls back to general aftercare.
        return {
            "treatment_time": slot_value,
            "treatment_date": None,
            "treatment_upcoming": False,
            "treatment_time_attempts": attempts,
        }


class ActionAftercareTiming(Action):
    def name(self) -> Text:
        return "action_aftercare_timing"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        now = current_time(clinic.SETTINGS.timezone)
        if tracker.latest_action_name == FORM:
            # The form's validation has decided: its date, or none after the one re-ask.
            stored = tracker.get_slot("treatment_date")
            treatment = date.fromisoformat(stored) if stored else None
            upcoming = bool(tracker.get_slot("treatment_upcoming"))
        else:
            # A date given with the question (data/rules.yml): answered in this one call,
            # where the form would take two (validation, then this answer).
            reading = _reading(tracker, tracker.get_slot("treatment_time"), now)
            if not is_usable(reading, now, clinic.AFTERCARE):
                return [FollowupAction(FORM)]  # the form checks it and asks again, as usual
            treatment, upcoming = reading.day, reading.ahead
        messages = aftercare_messages(treatment, upcoming, now, clinic.AFTERCARE)
        for text in messages:
            dispatcher.utter_message(text=text)

        # Reset so the visitor can ask again about another date.
        events: List[EventType] = [
            SlotSet("treatment_time", None),
            SlotSet("treatment_date", None),
            SlotSet("treatment_upcoming", None),
            SlotSet("treatment_time_attempts", 0),
        ]
        if CONSULTATION_BEFORE_TREATMENT in messages:
            events.append(SlotSet("consultation_suggested_turn", user_turn(tracker)))
        return events
