"""Turn what a client says about their treatment date into a date and an aftercare phase.

Design: a small set of regular expressions finds the time phrase inside the
message ("I had it 2 days ago" -> "2 days ago"). Only that phrase goes to
dateparser, so words that merely look like dates ("banana", "may I ask",
"march on") never become dates. Weekdays, ordinals ("the 20th"), parts of the
day ("this morning") and ISO dates are computed here, because dateparser
either does not read them or reads them in a way that does not fit.

Dates without a year ("20 November", "the 20th", "on Friday") are read as the
most recent one, since clients mostly talk about a treatment they already had,
unless the message speaks of a booking ("I'm booked for the 5th", "I will have
it on Friday") or says the treatment "is on" that day: then the next one. The
reply names the date it understood, so a wrong guess is visible.
Vague amounts ("a few days ago", "a while ago") give None on purpose: guessing
a number could put the client in the wrong aftercare phase, so the assistant
should ask for the date instead.
"""
import os
import re
from datetime import date, datetime, timedelta
from typing import Callable, List, Optional, Pattern, Tuple
from zoneinfo import ZoneInfo

import dateparser

from actions.settings import AftercareSchedule, Phase

FIXED_NOW_ENV_VAR = "ASSISTANT_FIXED_NOW"

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL_SUFFIX = r"(?:st|nd|rd|th)?"
_UNIT = r"(?:hour|day|week|fortnight|month|year)s?"


def current_time(timezone: str) -> datetime:
    """Now in the given IANA timezone; ASSISTANT_FIXED_NOW pins it for end-to-end tests."""
    zone = ZoneInfo(timezone)
    fixed = os.environ.get(FIXED_NOW_ENV_VAR, "").strip()
    if not fixed:
        return datetime.now(zone)
    try:
        # Python 3.10's fromisoformat does not accept a trailing "Z".
        pinned = datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", fixed))
    except ValueError:
        raise ValueError(
            f"{FIXED_NOW_ENV_VAR} must be an ISO 8601 date and time such as "
            f"2026-11-28T10:00:00+00:00 (got {fixed!r})"
        )
    if pinned.tzinfo is None:
        raise ValueError(
            f"{FIXED_NOW_ENV_VAR} must include a UTC offset such as +00:00 (got {fixed!r})"
        )
    return pinned.astimezone(zone)


def parse_treatment_date(text: str, now: datetime) -> Optional[date]:
    """The calendar date (in now's timezone) the text refers to, or None if not understood."""
    phrase_text = _normalise(text)
    for pattern, to_date, next_occurrence in _RULES:
        match = pattern.search(phrase_text)
        if match:
            found = to_date(match, now)
            if (found is not None and found < now.date() and next_occurrence
                    and _speaks_of_future(phrase_text, match.start())):
                return next_occurrence(found, match)
            return found
    return None


_FUTURE_WORDS = re.compile(
    r"\b(?:booked|booking|will|i'll|going to|gonna|having it|getting it|scheduled|appointment is"
    r"|upcoming|coming up|planned|planning)\b"
)
# Right before the date: a treatment that "is on Thursday" is still to come ("was on" is past).
_IS_ON = re.compile(r"(?:\bis|'s)(?: on)? $")


def _speaks_of_future(text: str, date_start: int) -> bool:
    return bool(_FUTURE_WORDS.search(text) or _IS_ON.search(text[:date_start]))


def days_since(treatment: date, now: datetime) -> int:
    """Whole calendar days from the treatment to now; negative = still ahead."""
    return (now.date() - treatment).days


def is_plausible(days: int, schedule: AftercareSchedule) -> bool:
    return -schedule.max_days_ahead <= days <= schedule.max_days_past


def phase_for_day(days: int, schedule: AftercareSchedule) -> Phase:
    if days < 0:
        raise ValueError(f"the treatment is still ahead ({days} days); no aftercare phase applies yet")
    for phase in schedule.phases:
        if phase.first_day <= days and (phase.last_day is None or days <= phase.last_day):
            return phase
    # Unreachable with a validated schedule: the last phase is open-ended.
    raise ValueError(f"no aftercare phase covers day {days}")


def _normalise(text: str) -> str:
    """Lower-case, single-spaced, with spoken amounts turned into digits and
    "it's been 3 days", "3 days since" and "3 days post" read as "3 days ago"."""
    text = " ".join(text.lower().replace("’", "'").split())
    text = re.sub(r"\b(?:a )?couple(?: of)?\b", "2", text)
    text = re.sub(r"\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", lambda m: str(_NUMBER_WORDS[m.group(0)]), text)
    text = re.sub(r"\ban? (?=" + _UNIT + r"\b)", "1 ", text)
    text = re.sub(r"\b(\d{1,3}) fortnights?\b", lambda m: f"{2 * int(m.group(1))} weeks", text)
    text = re.sub(r"\bbeen (\d{1,3} " + _UNIT + r")\b(?! ago)", r"\1 ago", text)
    return re.sub(r"\b(\d{1,3} " + _UNIT + r") (?:since|post)\b", r"\1 ago", text)


def _dateparser_date(phrase: str, now: datetime) -> Optional[date]:
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            # Naive local wall-clock time, so "yesterday" means the local yesterday.
            "RELATIVE_BASE": now.replace(tzinfo=None),
            "DATE_ORDER": "DMY",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _phrase_via_dateparser(match: re.Match, now: datetime) -> Optional[date]:
    return _dateparser_date(match.group(0), now)


def _iso_date(match: re.Match, now: datetime) -> Optional[date]:
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:  # e.g. 2026-02-30
        return None


def _day_slash_month(match: re.Match, now: datetime) -> Optional[date]:
    # dateparser reads "11/20" as 11 Nov 2020; day-first with a real month only.
    if not 1 <= int(match["month"]) <= 12:
        return None
    return _dateparser_date(match.group(0), now)


def _part_of_today(match: re.Match, now: datetime) -> date:
    return now.date()


def _last_night(match: re.Match, now: datetime) -> date:
    return now.date() - timedelta(days=1)


def _weekday(match: re.Match, now: datetime) -> date:
    """
    "last friday": the most recent Friday strictly before today.
    "next monday": the first Monday strictly after today.
    "this monday": the Monday of the current Monday-to-Sunday week, which may
                   be in the past, today or still ahead.
    "friday" / "on friday": the most recent Friday, today if today is Friday.
    """
    today = now.date()
    target = _WEEKDAYS.index(match["weekday"])
    qualifier = match["qualifier"]
    if qualifier == "last":
        return today - timedelta(days=(today.weekday() - target - 1) % 7 + 1)
    if qualifier == "next":
        return today + timedelta(days=(target - today.weekday() - 1) % 7 + 1)
    if qualifier == "this":
        return today + timedelta(days=target - today.weekday())
    return today - timedelta(days=(today.weekday() - target) % 7)


def _day_of_month(match: re.Match, now: datetime) -> Optional[date]:
    """"the 20th": the most recent 20th that is not in the future (today if today is the 20th)."""
    day = int(match["day"])
    if not 1 <= day <= 31:
        return None
    year, month = now.year, now.month
    if day > now.day:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    while True:  # walk back past months too short for the day, e.g. "the 31st"
        try:
            return date(year, month, day)
        except ValueError:
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)


def _same_day_next_year(found: date, match: re.Match) -> date:
    if re.search(r"\d{4}", match.group(0)):
        return found  # the year was given
    try:
        return found.replace(year=found.year + 1)
    except ValueError:  # 29 February
        return found


def _same_day_next_month(found: date, match: re.Match) -> date:
    year, month = found.year, found.month
    while True:  # skip months too short for the day, e.g. "the 31st"
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        try:
            return found.replace(year=year, month=month)
        except ValueError:
            continue


def _same_weekday_next_week(found: date, match: re.Match) -> date:
    if match["qualifier"] in ("last", "next", "this"):
        return found  # the qualifier already decided
    return found + timedelta(days=7)


_ToDate = Callable[[re.Match, datetime], Optional[date]]
_NextOccurrence = Callable[[date, re.Match], date]
_Rule = Tuple[Pattern[str], _ToDate, Optional[_NextOccurrence]]

# Most specific first: a full calendar date beats a relative phrase, and the
# bare "the 20th" comes last because "the 2nd session" is not a date.
_RULES: List[_Rule] = [
    (re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"), _iso_date, None),
    (re.compile(r"\b(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?:\d{4}|\d{2}))?\b"), _day_slash_month,
     _same_day_next_year),
    (re.compile(rf"\b\d{{1,2}}{_ORDINAL_SUFFIX}(?: of)? {_MONTHS}\b(?:,? \d{{4}}\b)?"), _phrase_via_dateparser,
     _same_day_next_year),
    (re.compile(rf"\b{_MONTHS} \d{{1,2}}{_ORDINAL_SUFFIX}\b(?:,? \d{{4}}\b)?"), _phrase_via_dateparser,
     _same_day_next_year),
    (re.compile(rf"\b\d{{1,3}} {_UNIT} ago\b"), _phrase_via_dateparser, None),
    (re.compile(rf"\bin \d{{1,3}} {_UNIT}\b"), _phrase_via_dateparser, None),
    (
        re.compile(r"\b(?:(?:the )?day before yesterday|yesterday|today|tomorrow|last week|next week)\b"),
        _phrase_via_dateparser,
        None,
    ),
    (re.compile(r"\b(?:this (?:morning|afternoon|evening)|tonight)\b"), _part_of_today, None),
    (re.compile(r"\blast night\b"), _last_night, None),
    (
        re.compile(r"\b(?:(?P<qualifier>last|next|this|on) )?(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"),
        _weekday,
        _same_weekday_next_week,
    ),
    (re.compile(r"\bthe (?P<day>\d{1,2})(?:st|nd|rd|th)\b"), _day_of_month, _same_day_next_month),
]
