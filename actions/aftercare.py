"""Aftercare timing: from when the visitor had (or will have) the treatment, say what
applies now and what comes next, following settings/aftercare_phases.yml."""

from datetime import date, datetime
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consultation import CLINIC, consultation_text
from actions.conversation import user_turn
from actions.settings import AftercareSchedule, load_aftercare_schedule
from actions.timing import current_time, days_since, is_plausible, parse_treatment_date, phase_for_day

SCHEDULE = load_aftercare_schedule()

FORM = "aftercare_timing_form"

# One re-ask with examples, then the general aftercare rather than asking forever.
MAX_ATTEMPTS = 2

UPCOMING_INTRODUCTION = (
    "Before any treatment, the guide recommends a consultation with a trained professional "
    "who can check that microneedling is right for you."
)


def when_text(days: int, treatment: date) -> str:
    if days == 0:
        return "Your treatment is today"
    if days == 1:
        return "Your treatment was yesterday"
    if days == -1:
        return "Your treatment is tomorrow"
    on_day = f"{treatment:%A} {treatment.day} {treatment:%B}"
    if days > 0:
        return f"Your treatment was {days} days ago, on {on_day}"
    return f"Your treatment is in {-days} days, on {on_day}"


def usable_treatment_date(text: Any, now: datetime, schedule: AftercareSchedule) -> Optional[date]:
    """The treatment date the text names, if it is one the schedule can answer for."""
    treatment = parse_treatment_date(str(text or ""), now)
    if treatment is not None and is_plausible(days_since(treatment, now), schedule):
        return treatment
    return None


def aftercare_message(treatment: Optional[date], now: datetime, schedule: AftercareSchedule) -> str:
    """What applies now and what comes next; the general aftercare without a date."""
    if treatment is None:
        return f"I couldn't work out the date, so here is the general aftercare. {schedule.general}"
    days = days_since(treatment, now)
    if days < 0:
        return f"{when_text(days, treatment)}. What to expect: {schedule.upcoming}"
    phase = phase_for_day(days, schedule)
    return f"{when_text(days, treatment)}.\n\nNow: {phase.now}\n\nNext: {phase.next}"


class ValidateAftercareTimingForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_aftercare_timing_form"

    def validate_treatment_time(
        self, slot_value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        treatment = usable_treatment_date(slot_value, current_time(CLINIC.timezone), SCHEDULE)
        if treatment is not None:
            return {"treatment_time": slot_value, "treatment_date": treatment.isoformat()}

        attempts = int(tracker.get_slot("treatment_time_attempts") or 0) + 1
        if attempts < MAX_ATTEMPTS:
            # The form asks again; utter_ask_treatment_time has a variation for this attempt.
            return {"treatment_time": None, "treatment_time_attempts": attempts}
        # Still no usable date: stop asking; the answer falls back to general aftercare.
        return {"treatment_time": slot_value, "treatment_date": None, "treatment_time_attempts": attempts}


class ActionAftercareTiming(Action):
    def name(self) -> Text:
        return "action_aftercare_timing"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        now = current_time(CLINIC.timezone)
        if tracker.latest_action_name == FORM:
            # The form's validation has decided: its date, or none after the one re-ask.
            iso_date = tracker.get_slot("treatment_date")
            treatment = date.fromisoformat(iso_date) if iso_date else None
        else:
            # A date given with the question (data/rules.yml): answered in this one call,
            # where the form would take two (validation, then this answer).
            treatment = usable_treatment_date(tracker.get_slot("treatment_time"), now, SCHEDULE)
            if treatment is None:
                return [FollowupAction(FORM)]  # the form checks it and asks again, as usual
        dispatcher.utter_message(text=aftercare_message(treatment, now, SCHEDULE))

        # Reset so the visitor can ask again about another date.
        events: List[EventType] = [
            SlotSet("treatment_time", None),
            SlotSet("treatment_date", None),
            SlotSet("treatment_time_attempts", 0),
        ]
        if treatment is not None and days_since(treatment, now) < 0:
            dispatcher.utter_message(text=consultation_text(CLINIC, UPCOMING_INTRODUCTION))
            events.append(SlotSet("consultation_suggested_turn", user_turn(tracker)))
        return events
