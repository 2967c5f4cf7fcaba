"""When the visitor had (or will have) the treatment: the one grammar for time phrases.

The NLU marks the phrase this grammar finds as the `treatment_time` entity
(components/treatment_time.py), which routes the turn; the actions then read the
date from the whole message with the same grammar. Whether a phrase without a
direction of its own ("the 5th", "Friday", "20/11") lies ahead or behind comes
from the message's words: "booked", "I'll", "is on", "coming" look ahead; "had",
"was", "ago", "since" look back; with neither, the most recent one, since most
visitors ask about a treatment they have had. The reply names the date it
understood, so a wrong guess is visible.

A time that belongs to the visitor's question rather than to the treatment ("can I
exfoliate in a few days?", "will I be red tomorrow?") is not a treatment time; with
several times in a message, the one said of the treatment wins ("I had it on Monday,
can I wear make-up today?").

A phrase that names no exact day is still recognised, so the assistant can ask
rather than answer for a guessed day: "a while back", "a few days ago" and "last
week" are vague; "next week" and "in a few days" lie ahead, and what applies
before a treatment needs no exact day.
"""

import calendar
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, List, Optional, Pattern, Tuple
from zoneinfo import ZoneInfo

from actions.settings import AftercareSchedule, Phase

FIXED_NOW_ENV_VAR = "ASSISTANT_FIXED_NOW"


@dataclass(frozen=True)
class TimePhrase:
    """Where the message says when: offsets into the message as the visitor wrote it."""

    text: str
    start: int
    end: int
    rule: str  # the grammar rule that found it (tests check every rule is exercised)


@dataclass(frozen=True)
class TimeReading:
    """What a message says about when the treatment is."""

    phrase: Optional[TimePhrase]  # None: the message says nothing about when
    day: Optional[date]  # the calendar day, when the phrase names one
    ahead: bool  # the treatment is still to come

    @property
    def is_upcoming_without_day(self) -> bool:
        return self.phrase is not None and self.day is None and self.ahead


NOTHING_SAID = TimeReading(phrase=None, day=None, ahead=False)


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
            f"{FIXED_NOW_ENV_VAR} must be an ISO 8601 date and time such as 2026-11-28T10:00:00+00:00 (got {fixed!r})"
        ) from None
    if pinned.tzinfo is None:
        raise ValueError(f"{FIXED_NOW_ENV_VAR} must include a UTC offset such as +00:00 (got {fixed!r})")
    return pinned.astimezone(zone)


# --- the vocabulary ------------------------------------------------------------

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Short forms that are not everyday words; "mon" and "sat" only after "on", "next", "last"
# or "this"; never "sun" ("this sun cream", "past sun damage").
_WEEKDAY_SHORT = {"tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4}
_WEEKDAY_SHORT_QUALIFIED = {"mon": 0, "sat": 5}
_MONTH_NAMES = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_UNIT_WORDS = {
    "h": "hour",
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "hrs": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "wks": "week",
    "fortnight": "fortnight",
    "fortnights": "fortnight",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
    "yr": "year",
    "yrs": "year",
}


def _alternatives(words) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_S = r"\s+"
_NUMBER = r"(?P<number>\d{1,3}|" + _alternatives(_NUMBER_WORDS) + r"|(?:a\s+)?couple(?:\s+of)?)"
_FEW = r"(?:a\s+few|few|several|some|a\s+number\s+of)"
_UNIT = r"(?P<unit>" + _alternatives(_UNIT_WORDS) + r")"
# "48 hours", and after digits also "48hrs", "72h".
_AMOUNT = _NUMBER + r"(?:\s+|(?<=\d))" + _UNIT
# "10 days out from my session", "72h after treatment": said at a clause's start or after
# "I'm", "now", "it's" ("a presentation 2 days after my appointment" is another event's time).
_SAID_OF_NOW = (
    r"(?:(?<=^)|(?<=[,.;:!?(-])|(?<=[,.;:!?(-]\s)"
    r"|(?<=\bi'm\s)|(?<=\bim\s)|(?<=\bam\s)|(?<=\bnow\s)|(?<=\bits\s)|(?<=\bit's\s)|(?<=\bit\sis\s))"
)
_AFTER_THE_TREATMENT = (
    r"(?:after|out\s+from|out\s+of|following|from)\s+(?:(?:my|the|our|this)\s+)?(?:last\s+|first\s+)?"
    r"(?:treatment|session|procedure|microneedling|micro-needling|appointment|appt|needling|cit)s?\b"
)
_ABOUT = r"(?:(?:about|around|roughly|approx(?:imately)?|nearly|almost|over|just\s+over|like)\s+)?"
_ORDINAL = r"(?:st|nd|rd|th)?"
# "may" is a month only when no verb follows ("3 may be enough", "may I ask").
_MAY_AS_VERB = r"(?!\s+(?:be|i|we|you|it|they|have|need|help|take|get|not|also|cause|work|hurt|feel|look|seem|want)\b)"
_MONTH = r"(?P<month>" + _alternatives(_MONTH_NAMES).replace("|may|", "|may" + _MAY_AS_VERB + "|") + r")\.?"
# "may 2 sessions": a count of something, not a day.
_NOT_A_QUANTITY = r"(?!\s+(?:sessions?|treatments?|times?|days?|weeks?|hours?|months?|mm|x)\b)"
_YEAR = r"(?:,?\s*(?P<year>\d{4}))?"
_WEEKDAY = r"(?P<weekday>" + _alternatives(list(_WEEKDAY_NAMES) + list(_WEEKDAY_SHORT)) + r")"
_WEEKDAY_AFTER_QUALIFIER = r"(?P<weekday>" + _alternatives(list(_WEEKDAY_NAMES) + list(_WEEKDAY_SHORT)) + r")"
_SHORT_WEEKDAY_AFTER_QUALIFIER = r"(?P<weekday>" + _alternatives(_WEEKDAY_SHORT_QUALIFIED) + r")"
_PART_OF_DAY = r"(?:morning|afternoon|evening|night)"
# "the 2nd session" counts sessions, not days.
_NOT_A_COUNT = (
    r"(?!\s+(?:session|treatment|time|one|appointment|round|visit|course|go|try|day|week|night|hour)s?\b"
    r"|\s+\d|\s+of\s+\d)"
)

# Words of the message that say the treatment is still to come, or already had.
_AHEAD_WORDS = re.compile(
    r"\b(?:booked|booking|book(?:ed)?\s+in|will|i'll|we'll|shall|going\s+to|gonna|scheduled|"
    r"upcoming|coming|planned|planning|(?:having|getting)\s+it(?:\s+done)?|"
    r"(?:am|i'm|i\s+am)\s+(?:having|getting)(?:\s+\w+)?(?:\s+done)?|"
    r"(?:i've|i\s+have|i)\s+got\s+(?:my|an|the)\s+(?:appointment|treatment|session|booking)|"
    r"if\s+i\s+(?:have|get|do)\s+(?:it|microneedling|this\s+(?:done|treatment|procedure))(?:\s+done)?|due|next|before\s+my)\b",
    re.IGNORECASE,
)
_BEHIND_WORDS = re.compile(
    r"\b(?:had|did|done|got|was|were|went|ago|since|post|been|after\s+my|last|past)\b",
    re.IGNORECASE,
)
# Up to four words before a time, these make it the time of the visitor's question, not of
# the treatment ("can I exfoliate in a few days", "will I be red tomorrow").
_QUESTION_BEFORE = re.compile(
    r"\b(?:(?:can|could|should|shall|may|must|will|would)\s+(?:i|we|you)|when\s+can|when\s+should|"
    r"how\s+(?:long|soon)|is\s+it\s+(?:ok|okay|safe|fine|alright)|ok\s+to|okay\s+to|safe\s+to)"
    r"(?:\s+[\w'-]+){0,4}\s*$",
    re.IGNORECASE,
)
# What says a clause is about the treatment itself.
_TREATMENT_WORDS = re.compile(
    r"\b(?:had|got|did|done|booked|booking|treatment|session|microneedling|micro-needling|appointment|"
    r"needling|procedure|ago|since|post)\b",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[,.;!?]|\b(?:and|but|so|then)\b", re.IGNORECASE)
# An event named right before a time to come owns that time, in a clause that says nothing
# of the treatment ("wedding in 4 months, how many sessions?", "my holiday is next week");
# not a time past ("a pre-wedding treat last friday", "before my holiday 3 days ago").
_OTHER_EVENT_BEFORE = re.compile(
    r"\b(?:wedding|party|holiday|vacation|birthday|photo ?shoot|interview|graduation|prom|honeymoon)s?"
    r"(?:'s|\s+is|\s+was)?(?:\s+(?:on|in|this|next|coming\s+up))?\s*$",
    re.IGNORECASE,
)
_PAST_TIME = re.compile(r"\b(?:ago|last|yesterday|earlier|since)\b", re.IGNORECASE)
# Right before the date: a treatment that "is on Thursday" is still to come ("was on" is past).
_IS_ON = re.compile(r"(?:\bis|'s)(?:\s+on)?\s+$", re.IGNORECASE)


# --- reading one phrase ----------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    now: datetime
    ahead: Optional[bool]  # from the message's words; None = they do not say

    @property
    def today(self) -> date:
        return self.now.date()


# A reader returns (day, ahead): the day it names, or None for no exact day.
_Reader = Callable[[re.Match, _Context], Tuple[Optional[date], bool]]


def _number(match: re.Match) -> int:
    word = " ".join(match["number"].lower().split())
    if word.isdigit():
        return int(word)
    if "couple" in word:
        return 2
    return _NUMBER_WORDS[word]


def _shift(now: datetime, amount: int, unit: str) -> date:
    """The local day `amount` units from now (negative = back)."""
    if unit == "hour":
        return (now + timedelta(hours=amount)).date()
    if unit in _UNIT_DAYS:
        return now.date() + timedelta(days=amount * _UNIT_DAYS[unit])
    months = amount * (12 if unit == "year" else 1)
    year, month = divmod(now.month - 1 + months, 12)
    year += now.year
    month += 1
    return date(year, month, min(now.day, calendar.monthrange(year, month)[1]))


def _amount_back(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return _shift(context.now, -_number(match), _UNIT_WORDS[match["unit"].lower()]), False


def _amount_ahead(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return _shift(context.now, _number(match), _UNIT_WORDS[match["unit"].lower()]), True


def _amount_back_in_days(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return _shift(context.now, -_number(match), "day"), False


def _vague_back(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return None, False


def _vague_ahead(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return None, True


def _vague_either_way(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    """No exact day, ahead or behind as the message's words say ("at the weekend")."""
    return None, bool(context.ahead)


def _days_from_today(offset: int) -> _Reader:
    def read(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
        return context.today + timedelta(days=offset), offset > 0

    return read


def _today(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return context.today, bool(context.ahead)


def _pick_year(day: int, month: int, year: Optional[str], context: _Context) -> Optional[date]:
    """The given year; else the next such date ahead (on or after today) or the most recent."""
    if year:
        try:
            return date(int(year), month, day)
        except ValueError:
            return None
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    candidates = []
    for candidate_year in (context.today.year - 1, context.today.year, context.today.year + 1):
        try:
            candidates.append(date(candidate_year, month, day))
        except ValueError:  # 29 February in a common year
            continue
    if context.ahead:
        ahead = [found for found in candidates if found >= context.today]
        return min(ahead) if ahead else None
    behind = [found for found in candidates if found <= context.today]
    return max(behind) if behind else None


def _with_direction(found: Optional[date], context: _Context) -> Tuple[Optional[date], bool]:
    return found, found is not None and found > context.today


def _iso_date(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    return _with_direction(_pick_year(int(match["day"]), int(match["month"]), match["year"], context), context)


def _day_slash_month(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    year = match["year"]
    if year and len(year) == 2:
        year = f"20{year}"
    return _with_direction(_pick_year(int(match["day"]), int(match["month"]), year, context), context)


def _day_and_month_name(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    month = _MONTH_NAMES[match["month"].lower()]
    return _with_direction(_pick_year(int(match["day"]), month, match["year"], context), context)


def _day_of_month(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    """ "the 20th": this month's or a neighbouring month's, ahead or behind as the message says."""
    day = int(match["day"])
    if not 1 <= day <= 31:
        return None, False
    today = context.today
    step = 1 if context.ahead else -1
    year, month = today.year, today.month
    for _ in range(3):  # a 31st is at most two months away
        if day <= calendar.monthrange(year, month)[1]:
            found = date(year, month, day)
            if (found >= today) if context.ahead else (found <= today):
                return _with_direction(found, context)
        year, month = divmod(year * 12 + month - 1 + step, 12)
        month += 1
    return None, False


def _weekday(match: re.Match, context: _Context) -> Tuple[Optional[date], bool]:
    """
    "last friday", "past friday": the most recent Friday before today.
    "next friday", "coming friday": the first Friday after today.
    "friday", "on friday", "this friday": ahead or behind as the message's words say
    (today counts); with no such words, "this" means the current Monday-to-Sunday
    week and a bare day the most recent one.
    """
    name = match["weekday"].lower()
    target = (
        _WEEKDAY_NAMES.index(name) if name in _WEEKDAY_NAMES else {**_WEEKDAY_SHORT, **_WEEKDAY_SHORT_QUALIFIED}[name]
    )
    qualifier = " ".join((match["qualifier"] or "").lower().split())
    today = context.today
    days_back = (today.weekday() - target) % 7
    days_ahead = (target - today.weekday()) % 7
    if qualifier in ("last", "past", "this past"):
        return today - timedelta(days=days_back or 7), False
    if qualifier in ("next", "coming", "this coming"):
        return today + timedelta(days=days_ahead or 7), True
    if context.ahead:
        return today + timedelta(days=days_ahead), True
    if context.ahead is None and qualifier == "this":
        return _with_direction(today + timedelta(days=target - today.weekday()), context)
    return today - timedelta(days=days_back), False


_Rule = Tuple[str, Pattern[str], _Reader]


def _rule(name: str, pattern: str, reader: _Reader) -> _Rule:
    return name, re.compile(r"(?<![\w/.-])(?:" + pattern + r")(?![\w/])", re.IGNORECASE), reader


# Most specific first: a full calendar date beats a relative phrase, and the bare
# "the 20th" comes last.
RULES: List[_Rule] = [
    _rule("iso_date", r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})", _iso_date),
    _rule("day_slash_month", r"(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?", _day_slash_month),
    _rule(
        "day_month_name",
        r"(?:the\s+)?(?P<day>\d{1,2})" + _ORDINAL + r"(?:\s+of)?\s+" + _MONTH + _YEAR,
        _day_and_month_name,
    ),
    _rule(
        "month_name_day",
        _MONTH + _S + r"(?:the\s+)?(?P<day>\d{1,2})" + _ORDINAL + _YEAR + _NOT_A_QUANTITY,
        _day_and_month_name,
    ),
    _rule(
        "amount_back",
        _ABOUT + _AMOUNT + r"(?:\s+or\s+so)?\s+(?:ago|since|post|back|before\s+now)",
        _amount_back,
    ),
    _rule("amount_after_treatment", _SAID_OF_NOW + _ABOUT + _AMOUNT + _S + _AFTER_THE_TREATMENT, _amount_back),
    _rule("been_amount", r"been\s+" + _ABOUT + _AMOUNT, _amount_back),
    # "it's day 3", "day 3 after my treatment": counted as the schedule counts, day 0 = the treatment day.
    _rule(
        "day_count",
        r"day\s+(?P<number>\d{1,2}|one|two|three|four|five|six|seven)"
        r"(?=\s+(?:after|post|since|of)\b|\s*(?:-(?!\s*\d)|[,.?!:;)])|\s*$)",
        _amount_back_in_days,
    ),
    _rule("few_back", _ABOUT + _FEW + _S + _UNIT + r"\s+(?:ago|since|post|back)", _vague_back),
    _rule("been_few", r"been\s+" + _FEW + _S + _UNIT, _vague_back),
    _rule(
        "while_back",
        r"(?:a\s+(?:little\s+|good\s+|long\s+)?while|some\s+time|ages)\s+(?:ago|back)"
        r"|(?:not\s+long\s+ago|recently|the\s+other\s+day|last\s+(?:week|month|year))",
        _vague_back,
    ),
    # Not "in a day or two": how long something lasts.
    _rule("amount_ahead", r"in\s+" + _ABOUT + _AMOUNT + r"(?:'?\s+time)?(?!\s+or\b)", _amount_ahead),
    _rule(
        "few_ahead",
        r"in\s+" + _FEW + _S + _UNIT + r"(?:'?\s+time)?"
        r"|(?:next|later\s+this|the\s+end\s+of\s+(?:the|this|next))\s+(?:week|month)",
        _vague_ahead,
    ),
    _rule("weekend", r"(?:last|this\s+past|past)\s+weekend", _vague_back),
    _rule("weekend_ahead", r"(?:next|this\s+coming|coming)\s+weekend", _vague_ahead),
    _rule("weekend_either_way", r"(?:this|at\s+the|over\s+the|on\s+the)\s+weekend", _vague_either_way),
    _rule("day_before_yesterday", r"(?:the\s+)?day\s+before\s+yesterday", _days_from_today(-2)),
    _rule("day_after_tomorrow", r"(?:the\s+)?day\s+after\s+tomorrow", _days_from_today(2)),
    _rule("yesterday", r"(?:yesterday|yday|yest)(?:\s+" + _PART_OF_DAY + r")?|last\s+night", _days_from_today(-1)),
    _rule("tomorrow", r"(?:tomorrow|tmrw|tmr)(?:\s+" + _PART_OF_DAY + r")?", _days_from_today(1)),
    _rule(
        "today",
        r"(?:earlier\s+)?today|this\s+(?:morning|afternoon|evening)|tonight"
        r"|just\s+(?:had|got|finished)(?=\s+(?:it|my|microneedling|micro-?needling|the\s+treatment"
        r"|a\s+(?:session|treatment)))"
        # "just got home from my appointment", "fresh out of my session", "10 mins out of my appointment"
        r"|(?:(?:only\s+)?just|fresh(?:ly)?|straight)\s+(?:got\s+|come\s+|came\s+)?(?:out\s+of|back\s+from"
        r"|home\s+from|left)\s+(?:my|the)\s+(?:appointment|session|treatment|clinic)"
        r"|\d+\s*(?:mins?|minutes)\s+out\s+of\s+(?:my|the)\s+(?:appointment|session|treatment)",
        _today,
    ),
    _rule(
        "weekday_qualified",
        r"(?P<qualifier>last|past|this\s+past|next|this\s+coming|coming|this|on)\s+" + _WEEKDAY_AFTER_QUALIFIER,
        _weekday,
    ),
    _rule("short_weekday_qualified", r"(?P<qualifier>on|next|last|this)\s+" + _SHORT_WEEKDAY_AFTER_QUALIFIER, _weekday),
    _rule("weekday", r"(?P<qualifier>)" + _WEEKDAY, _weekday),
    _rule("day_of_month", r"(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)" + _NOT_A_COUNT, _day_of_month),
]


def _normalise(text: str) -> str:
    # Same length as the text, so offsets found in it are offsets into the text.
    return text.replace("\u2019", "'").replace("\u2018", "'")


# A day/month without a year ("20/11") counts alone or after words like these: "pain 5/10"
# and "SPF 24/7" are not dates.
_BEFORE_SLASH_DATE = re.compile(
    r"(?:\b(?:on|since|from|for|had|booked|done|it|was|is|around|about|date|of|till|until)|'s)\s*$", re.IGNORECASE
)


def _clause_start(text: str, position: int) -> int:
    starts = [found.end() for found in _CLAUSE_START.finditer(text, 0, position)]
    return starts[-1] if starts else 0


def _clause_end(text: str, position: int) -> int:
    found = _CLAUSE_START.search(text, position)
    return found.start() if found else len(text)


def _is_treatment_time(normalised: str, name: str, match: re.Match) -> bool:
    before = normalised[_clause_start(normalised, match.start()) : match.start()]
    if name == "day_slash_month" and not match["year"] and before.strip() and not _BEFORE_SLASH_DATE.search(before):
        return False
    question = _QUESTION_BEFORE.search(before)
    return not (question and not _TREATMENT_WORDS.search(question.group(0)))


def _chosen_match(normalised: str) -> Optional[Tuple[str, re.Match, _Reader]]:
    """The time phrase of the message said of the treatment: of the phrases found (earlier
    rules first, no overlaps), the first in a clause about the treatment, else the first."""
    found: List[Tuple[str, re.Match, _Reader]] = []
    for name, pattern, reader in RULES:
        for match in pattern.finditer(normalised):
            overlaps = any(match.start() < other.end() and other.start() < match.end() for _, other, _ in found)
            if not overlaps and _is_treatment_time(normalised, name, match):
                found.append((name, match, reader))
    if not found:
        return None
    found.sort(key=lambda item: item[1].start())

    def clause_of(match: re.Match) -> Tuple[str, str]:
        """The clause's words before the time, and the clause without the time."""
        start, end = _clause_start(normalised, match.start()), _clause_end(normalised, match.end())
        return normalised[start : match.start()], normalised[start:end].replace(match.group(0), " ")

    def about_the_treatment(item: Tuple[str, re.Match, _Reader]) -> bool:
        return bool(_TREATMENT_WORDS.search(clause_of(item[1])[1]))

    def of_another_event(item: Tuple[str, re.Match, _Reader]) -> bool:
        before, clause = clause_of(item[1])
        return (
            bool(_OTHER_EVENT_BEFORE.search(before))
            and not _PAST_TIME.search(item[1].group(0))
            and not _TREATMENT_WORDS.search(clause)
        )

    found = [item for item in found if not of_another_event(item)]
    if not found:
        return None
    return next((item for item in found if about_the_treatment(item)), found[0])


def _phrase(message: str, match: re.Match, name: str) -> TimePhrase:
    return TimePhrase(text=message[match.start() : match.end()], start=match.start(), end=match.end(), rule=name)


def find_time_phrase(text: str) -> Optional[TimePhrase]:
    """The phrase of the message that says when the treatment is."""
    chosen = _chosen_match(_normalise(text or ""))
    return _phrase(text, chosen[1], chosen[0]) if chosen else None


def _ahead_from_words(text: str, phrase_start: int) -> Optional[bool]:
    """Whether the message's words put the treatment ahead (True), behind (False) or say nothing.

    With words of both kinds, the ones nearest the time phrase decide."""
    if _IS_ON.search(text[:phrase_start]):
        return True
    distances = []
    for word in _AHEAD_WORDS.finditer(text):
        distances.append((abs(word.start() - phrase_start), True))
        # "having it done": "done" is part of the look ahead
        text = text[: word.start()] + " " * (word.end() - word.start()) + text[word.end() :]
    for word in _BEHIND_WORDS.finditer(text):
        distances.append((abs(word.start() - phrase_start), False))
    return min(distances)[1] if distances else None


def read_treatment_time(message: str, now: datetime, earlier_message: str = "") -> TimeReading:
    """What the message says about when the treatment is, read with all its words.

    earlier_message: what the visitor said before (e.g. the question the assistant is
    asking a date for); its words decide ahead or behind when the message's do not.
    """
    message = message or ""
    normalised = _normalise(message)
    chosen = _chosen_match(normalised)
    if chosen is None:
        return NOTHING_SAID
    name, match, reader = chosen
    phrase = _phrase(message, match, name)
    # The phrase's own words ("next", "ago") were read by its rule; the rest of the message decides the others.
    rest = normalised[: match.start()] + " " * (match.end() - match.start()) + normalised[match.end() :]
    ahead = _ahead_from_words(rest, match.start())
    if ahead is None and earlier_message:
        ahead = _ahead_from_words(_normalise(earlier_message), len(earlier_message))
    day, is_ahead = reader(match, _Context(now=now, ahead=ahead))
    if day is None and name not in _NO_DAY_RULES:
        return TimeReading(phrase=phrase, day=None, ahead=False)  # "the 31st" of no month, "30/02": ask
    return TimeReading(phrase=phrase, day=day, ahead=is_ahead)


# Rules whose phrases name no exact day by design.
_NO_DAY_RULES = frozenset(
    {"few_back", "been_few", "while_back", "few_ahead", "weekend", "weekend_ahead", "weekend_either_way"}
)


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
