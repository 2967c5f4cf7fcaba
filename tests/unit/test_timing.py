from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.settings import AFTERCARE_SCHEDULE_FILE, load_aftercare_schedule
from actions.timing import (
    RULES,
    current_time,
    days_since,
    find_time_phrase,
    is_plausible,
    phase_for_day,
    read_treatment_time,
)

LONDON = ZoneInfo("Europe/London")


def parse_treatment_date(text, now):
    """The calendar day the text names, or None."""
    return read_treatment_time(text, now).day


# A Saturday.
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=LONDON)


@pytest.fixture(scope="module")
def schedule():
    # The shipped default file, not whatever AFTERCARE_SCHEDULE_FILE points at.
    return load_aftercare_schedule(AFTERCARE_SCHEDULE_FILE)


def test_fixed_now_is_a_saturday():
    assert NOW.strftime("%A") == "Saturday"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("today", date(2026, 11, 28)),
        ("I had it this morning", date(2026, 11, 28)),
        ("this afternoon", date(2026, 11, 28)),
        ("This Evening", date(2026, 11, 28)),
        ("I'm booked for tonight", date(2026, 11, 28)),
        ("earlier today", date(2026, 11, 28)),
        ("yesterday", date(2026, 11, 27)),
        ("last night", date(2026, 11, 27)),
        ("the day before yesterday", date(2026, 11, 26)),
        ("tomorrow", date(2026, 11, 29)),
        ("2 days ago", date(2026, 11, 26)),
        ("two days ago", date(2026, 11, 26)),
        ("a week ago", date(2026, 11, 21)),
        ("my treatment was about 3 weeks ago", date(2026, 11, 7)),
        ("a couple of days ago", date(2026, 11, 26)),
        ("last Friday", date(2026, 11, 27)),
        ("on Friday", date(2026, 11, 27)),
        ("friday", date(2026, 11, 27)),
        ("I'm booked for next Monday", date(2026, 11, 30)),
        ("this monday", date(2026, 11, 23)),
        ("this sunday", date(2026, 11, 29)),
        ("on the 20th", date(2026, 11, 20)),
        ("20 November", date(2026, 11, 20)),
        ("November 20", date(2026, 11, 20)),
        ("the 20th of November, 2026", date(2026, 11, 20)),
        ("around 20/11", date(2026, 11, 20)),
        ("20/11/2026", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("in 3 days", date(2026, 12, 1)),
        ("in a week", date(2026, 12, 5)),
        ("in two weeks", date(2026, 12, 12)),
        ("I had it yesterday, my 2nd session", date(2026, 11, 27)),
        ("6 hours ago", date(2026, 11, 28)),
        ("it's been 48 hours since my session", date(2026, 11, 26)),
        ("a fortnight ago", date(2026, 11, 14)),
        ("two fortnights ago", date(2026, 10, 31)),
        ("5 days post treatment", date(2026, 11, 23)),
        ("72h after treatment - what do i do", date(2026, 11, 25)),
        ("24h post CIT, what now", date(2026, 11, 27)),
        ("48hrs since my session", date(2026, 11, 26)),
        ("10 days out from my session, anything still off limits?", date(2026, 11, 18)),
        ("im 3 days after my treatment", date(2026, 11, 25)),
        ("so it is 5 days following the procedure", date(2026, 11, 23)),
        ("a month ago", date(2026, 10, 28)),
    ],
)
def test_parses_phrasings(text, expected):
    assert parse_treatment_date(text, NOW) == expected


@pytest.mark.parametrize("word, number", [("one", 1), ("three", 3), ("five", 5), ("ten", 10), ("twelve", 12)])
def test_number_words_count_like_digits(word, number):
    assert parse_treatment_date(f"{word} days ago", NOW) == NOW.date() - timedelta(days=number)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("saturday", date(2026, 11, 28)),  # today's weekday alone = today
        ("on saturday", date(2026, 11, 28)),
        ("last saturday", date(2026, 11, 21)),
        ("next saturday", date(2026, 12, 5)),
        ("this saturday", date(2026, 11, 28)),
        ("next sunday", date(2026, 11, 29)),
        ("sunday", date(2026, 11, 22)),
    ],
)
def test_weekday_when_today_is_that_weekday(text, expected):
    assert parse_treatment_date(text, NOW) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the 28th", date(2026, 11, 28)),  # today's day of month = today
        ("the 30th", date(2026, 10, 30)),  # not yet this month -> last month
        ("the 31st", date(2026, 10, 31)),
        ("30 november", date(2025, 11, 30)),  # a bare date is never in the future
    ],
)
def test_bare_dates_are_never_in_the_future(text, expected):
    assert parse_treatment_date(text, NOW) == expected


def test_the_31st_skips_months_without_one():
    first_of_december = datetime(2026, 12, 1, 9, 0, tzinfo=LONDON)
    assert parse_treatment_date("the 31st", first_of_december) == date(2026, 10, 31)


@pytest.mark.parametrize(
    "text",
    [
        "banana",
        "may i ask something",
        "second opinion",
        "march on",
        "",
        "   ",
        "asdf",
        "😀",
        "<script>alert(1)</script>",
        "x" * 5000,
        "a few days ago",  # vague on purpose: the assistant should ask for the date
        "last week",
        "a while back",
        "11/20",  # day-first: there is no month 20
        "the 45th",
        "2026-02-30",
    ],
)
def test_not_understood_gives_none(text):
    assert parse_treatment_date(text, NOW) is None


def test_midnight_changes_today_and_yesterday():
    before = datetime(2026, 11, 28, 23, 59, tzinfo=LONDON)
    after = datetime(2026, 11, 29, 0, 1, tzinfo=LONDON)
    assert parse_treatment_date("today", before) == date(2026, 11, 28)
    assert parse_treatment_date("today", after) == date(2026, 11, 29)
    assert parse_treatment_date("yesterday", before) == date(2026, 11, 27)
    assert parse_treatment_date("yesterday", after) == date(2026, 11, 28)


def test_local_date_is_used_not_utc_date(monkeypatch):
    # Noon UTC on the 28th is already 01:00 on the 29th in Auckland.
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", "2026-11-28T12:00:00+00:00")
    auckland_now = current_time("Pacific/Auckland")
    assert parse_treatment_date("today", auckland_now) == date(2026, 11, 29)
    assert parse_treatment_date("yesterday", auckland_now) == date(2026, 11, 28)
    assert days_since(date(2026, 11, 28), auckland_now) == 1


@pytest.mark.parametrize(
    "days, phase_name",
    [
        (0, "treatment_day"),
        (1, "first_two_days"),
        (2, "first_two_days"),
        (3, "rest_of_first_week"),
        (6, "rest_of_first_week"),
        (7, "second_week"),
        (13, "second_week"),
        (14, "weeks_three_and_four"),
        (27, "weeks_three_and_four"),
        (28, "four_weeks_onward"),
        (60, "four_weeks_onward"),
    ],
)
def test_phase_boundaries_of_shipped_schedule(schedule, days, phase_name):
    assert phase_for_day(days, schedule).name == phase_name


def test_parsed_date_to_phase(schedule):
    treatment = parse_treatment_date("I had it 2 days ago", NOW)
    assert phase_for_day(days_since(treatment, NOW), schedule).name == "first_two_days"


def test_future_treatment_has_no_phase(schedule):
    days = days_since(parse_treatment_date("next monday", NOW), NOW)
    assert days == -2
    assert is_plausible(days, schedule)
    with pytest.raises(ValueError):
        phase_for_day(days, schedule)


@pytest.mark.parametrize(
    "text, expected",
    [("100 years ago", date(1926, 11, 28)), ("in 5 years", date(2031, 11, 28))],
)
def test_implausible_dates_parse_but_are_not_plausible(schedule, text, expected):
    treatment = parse_treatment_date(text, NOW)
    assert treatment == expected
    assert not is_plausible(days_since(treatment, NOW), schedule)


@pytest.mark.parametrize("days, plausible", [(365, True), (366, False), (-365, True), (-366, False), (0, True)])
def test_plausibility_limits(schedule, days, plausible):
    assert is_plausible(days, schedule) is plausible


def test_current_time_without_fixed_now(monkeypatch):
    monkeypatch.delenv("ASSISTANT_FIXED_NOW", raising=False)
    result = current_time("Pacific/Auckland")
    assert result.tzinfo == ZoneInfo("Pacific/Auckland")
    assert abs(result - datetime.now(timezone.utc)) < timedelta(minutes=1)


@pytest.mark.parametrize("value", ["2026-11-28T10:00:00+00:00", "2026-11-28T10:00:00Z"])
def test_current_time_with_fixed_now(monkeypatch, value):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", value)
    result = current_time("Europe/London")
    assert result == datetime(2026, 11, 28, 10, 0, tzinfo=timezone.utc)
    assert result.tzinfo == LONDON


@pytest.mark.parametrize("value", ["not a date", "2026-11-28T10:00:00"])  # the second has no offset
def test_current_time_rejects_invalid_fixed_now(monkeypatch, value):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", value)
    with pytest.raises(ValueError, match="ASSISTANT_FIXED_NOW"):
        current_time("Europe/London")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("it's been 3 days", date(2026, 11, 25)),
        ("It\u2019s been two weeks since my treatment", date(2026, 11, 14)),
        ("5 days since my microneedling", date(2026, 11, 23)),
        ("been a week", date(2026, 11, 21)),
    ],
)
def test_elapsed_time_reads_as_ago(text, expected):
    assert parse_treatment_date(text, NOW) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Said on Saturday 28 November 2026: a booking means the next such date.
        ("I'm booked for 5 December", date(2026, 12, 5)),
        ("my appointment is on the 3rd", date(2026, 12, 3)),
        ("I will have it on Friday", date(2026, 12, 4)),
        ("booked in for 20/11", date(2027, 11, 20)),
        ("my microneedling is on thursday", date(2026, 12, 3)),
        ("it\u2019s on the 5th", date(2026, 12, 5)),
        # Without a booking word, the most recent one.
        ("I had it on 5 December", date(2025, 12, 5)),
        ("on the 3rd", date(2026, 11, 3)),
        ("it was on thursday", date(2026, 11, 26)),
        ("I had it on thursday, what is on the aftercare list", date(2026, 11, 26)),
        # An explicit year or qualifier is never moved.
        ("booked for 5 December 2025", date(2025, 12, 5)),
        ("I'm booked, it was last friday", date(2026, 11, 27)),
    ],
)
def test_bookings_refer_to_the_next_occurrence(text, expected):
    assert parse_treatment_date(text, NOW) == expected


# --- read from the whole message (said on Wednesday 2 December 2026) -----------------------

WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    "message, expected, ahead",
    [
        ("I'm booked for the 5th, what should I expect", date(2026, 12, 5), True),
        ("I'll have it on Friday", date(2026, 12, 4), True),
        ("I will have it on Friday, what aftercare do I need?", date(2026, 12, 4), True),
        ("it's this coming Monday", date(2026, 12, 7), True),
        ("the day after tomorrow", date(2026, 12, 4), True),
        ("the day before yesterday", date(2026, 11, 30), False),
        ("3 hours ago", date(2026, 12, 2), False),
        ("an hour ago", date(2026, 12, 2), False),
        ("this morning", date(2026, 12, 2), False),
        ("last night", date(2026, 12, 1), False),
        ("yesterday evening", date(2026, 12, 1), False),
        ("a fortnight ago", date(2026, 11, 18), False),
        ("a month ago", date(2026, 11, 2), False),
        ("6 weeks ago", date(2026, 10, 21), False),
        ("6 wks ago", date(2026, 10, 21), False),
        ("on the 20th", date(2026, 11, 20), False),
        ("20 November", date(2026, 11, 20), False),
        ("Nov 20", date(2026, 11, 20), False),
        ("20/11", date(2026, 11, 20), False),
        ("I had it on the 5th", date(2026, 11, 5), False),
        ("had it done last tues", date(2026, 12, 1), False),
        ("my appointment is on sat", date(2026, 12, 5), True),
        ("I'm having it today", date(2026, 12, 2), True),
        ("I had it today", date(2026, 12, 2), False),
        ("just had it done, what now?", date(2026, 12, 2), False),
        ("just got home from my appointment now what", date(2026, 12, 2), False),
        ("literally 10 mins out of my appointment sat in the car what do i do now", date(2026, 12, 2), False),
        ("fresh out of my session, any tips?", date(2026, 12, 2), False),
        ("straight back from the clinic after my treatment", date(2026, 12, 2), False),
        ("it's day 3 after my microneedling", date(2026, 11, 29), False),
        ("day two post treatment, can I wear makeup?", date(2026, 11, 30), False),
    ],
)
def test_the_whole_message_decides_the_date(message, expected, ahead):
    reading = read_treatment_time(message, WEDNESDAY)
    assert (reading.day, reading.ahead) == (expected, ahead)


@pytest.mark.parametrize(
    "message", ["my treatment is next week", "booked for next weekend", "I'm having it at the weekend"]
)
def test_upcoming_without_a_day(message):
    reading = read_treatment_time(message, WEDNESDAY)
    assert reading.day is None and reading.is_upcoming_without_day and reading.ahead


def test_a_day_or_two_is_not_a_date():
    assert find_time_phrase("the redness lasts a day or two") is None


@pytest.mark.parametrize(
    "message",
    [
        "a while back",
        "I had it a few days ago",
        "last week",
        "recently",
        "had it done last weekend",
        "it was at the weekend",
    ],
)
def test_vague_times_are_recognised_but_name_no_day(message):
    reading = read_treatment_time(message, WEDNESDAY)
    assert reading.phrase is not None and reading.day is None and not reading.ahead


def test_an_earlier_message_says_ahead_when_the_answer_does_not():
    question = "I'm booked in, what aftercare will I need?"
    assert read_treatment_time("friday", WEDNESDAY, earlier_message=question).day == date(2026, 12, 4)
    assert read_treatment_time("friday", WEDNESDAY).day == date(2026, 11, 27)
    # the answer's own words win
    assert read_treatment_time("I had it friday", WEDNESDAY, earlier_message=question).day == date(2026, 11, 27)


@pytest.mark.parametrize(
    "instant, yesterday",
    [
        # Sydney is 11 hours ahead of UTC in December: 12:59 UTC is 23:59 on the 2nd there,
        # 13:00 UTC is midnight, the 3rd.
        ("2026-12-02T12:59:00+00:00", date(2026, 12, 1)),
        ("2026-12-02T13:00:00+00:00", date(2026, 12, 2)),
    ],
)
def test_midnight_in_the_clinics_timezone(monkeypatch, instant, yesterday):
    monkeypatch.setenv("ASSISTANT_FIXED_NOW", instant)
    now = current_time("Australia/Sydney")
    assert read_treatment_time("I had it yesterday", now).day == yesterday
    assert read_treatment_time("2 hours ago", now).day == (now - timedelta(hours=2)).date()


def test_hours_ago_can_cross_midnight():
    just_after_midnight = datetime(2026, 12, 2, 0, 30, tzinfo=LONDON)
    assert read_treatment_time("3 hours ago", just_after_midnight).day == date(2026, 12, 1)


def test_the_entity_offsets_point_into_the_message_as_written():
    message = "Hi!  I had it  TWO   days ago\u2019 what now"
    phrase = find_time_phrase(message)
    assert message[phrase.start : phrase.end] == phrase.text == "TWO   days ago"


# --- every phrase the NLU marks is one the actions can read --------------------------------


def _one_of(*options):
    return st.sampled_from(options)


QUANTITY = _one_of("1", "2", "3", "10", "a", "an", "one", "two", "twelve", "a couple of", "couple")
UNIT = _one_of(
    "hour", "hours", "hrs", "day", "days", "week", "weeks", "wks", "fortnight", "month", "months", "year", "yr"
)
WEEKDAY = _one_of("monday", "Tuesday", "tues", "wed", "thurs", "fri", "saturday", "sunday")
MONTH = _one_of("january", "Feb", "march", "apr", "may", "june", "jul", "august", "sept", "oct", "Nov", "december")
DAY = st.integers(min_value=1, max_value=28).map(str)
ORDINAL = _one_of("st", "nd", "rd", "th", "")

# A generator of phrases for every rule of the grammar (a new rule needs its shapes here).
SHAPES = {
    "iso_date": st.builds(lambda d: f"2026-11-{int(d):02d}", DAY),
    "day_slash_month": st.builds(lambda d, m, y: f"{d}/{m}{y}", DAY, st.integers(1, 12), _one_of("", "/26", "/2026")),
    "day_month_name": st.builds(lambda d, o, of, m: f"{d}{o}{of} {m}", DAY, ORDINAL, _one_of("", " of"), MONTH),
    "month_name_day": st.builds(lambda m, d, o: f"{m} {d}{o}", MONTH, DAY, ORDINAL),
    "amount_back": st.builds(
        lambda a, q, u, s: f"{a}{q} {u} {s}",
        _one_of("", "about ", "over "),
        QUANTITY,
        UNIT,
        _one_of("ago", "since", "post", "back"),
    )
    | st.builds(
        lambda n, u, s: f"{n}{u} {s}",
        _one_of("2", "24", "48", "72"),
        _one_of("h", "hrs", "days"),
        _one_of("ago", "post"),
    ),
    "amount_after_treatment": st.builds(
        lambda lead, q, u, after: f"{lead}{q} {u} {after}",
        _one_of("now ", "i'm ", "it's "),
        QUANTITY,
        UNIT,
        _one_of("after my treatment", "out from my session", "following the procedure", "after CIT"),
    ),
    "been_amount": st.builds(lambda q, u: f"been {q} {u}", QUANTITY, UNIT),
    "day_count": st.builds(
        lambda n, e: f"day {n}{e}",
        _one_of("1", "3", "12", "two", "seven"),
        _one_of("", " after my treatment", " post", ",", "?"),
    ),
    "weekend": _one_of("last weekend", "this past weekend"),
    "weekend_ahead": _one_of("next weekend", "this coming weekend"),
    "weekend_either_way": _one_of("this weekend", "at the weekend", "over the weekend"),
    "few_back": st.builds(lambda f, u: f"{f} {u} ago", _one_of("a few", "few", "several", "some"), UNIT),
    "been_few": st.builds(lambda f, u: f"been {f} {u}", _one_of("a few", "several"), UNIT),
    "while_back": _one_of(
        "a while ago",
        "a while back",
        "a good while ago",
        "ages ago",
        "not long ago",
        "recently",
        "the other day",
        "last week",
        "last month",
    ),
    "amount_ahead": st.builds(lambda q, u, t: f"in {q} {u}{t}", QUANTITY, UNIT, _one_of("", " time")),
    "few_ahead": _one_of("in a few days", "in several weeks", "next week", "next month", "later this week"),
    "day_before_yesterday": _one_of("the day before yesterday", "day before yesterday"),
    "day_after_tomorrow": _one_of("the day after tomorrow", "day after tomorrow"),
    "yesterday": st.builds(
        lambda w, p: f"{w}{p}", _one_of("yesterday", "yday"), _one_of("", " morning", " evening", " night")
    )
    | _one_of("last night"),
    "tomorrow": st.builds(lambda w, p: f"{w}{p}", _one_of("tomorrow", "tmrw"), _one_of("", " morning")),
    "today": _one_of("today", "earlier today", "this morning", "this afternoon", "this evening", "tonight"),
    "weekday_qualified": st.builds(
        lambda q, w: f"{q} {w}", _one_of("last", "next", "this", "coming", "this coming", "past", "on"), WEEKDAY
    ),
    "short_weekday_qualified": st.builds(
        lambda q, w: f"{q} {w}", _one_of("on", "next", "last", "this"), _one_of("mon", "sat")
    ),
    "weekday": WEEKDAY,
    "day_of_month": st.builds(lambda o, d, s: f"{o}the {d}{s}", _one_of("", "on "), DAY, _one_of("st", "th")),
}
NO_DAY_BY_DESIGN = {"few_back", "been_few", "while_back", "few_ahead", "weekend", "weekend_ahead", "weekend_either_way"}
SENTENCES = _one_of(
    "{}",
    "I had it {}",
    "i'm booked for {}, what should i expect?",
    "{} - what now",
    "My treatment was {}. Can I wear makeup?",
    "it's {}",
)


def test_every_rule_has_shapes_here():
    assert set(SHAPES) == {name for name, _, _ in RULES}


@settings(max_examples=400, deadline=None)
@given(data=st.data(), rule=st.sampled_from(sorted(SHAPES)))
def test_every_phrase_recognised_is_read(data, rule):
    phrase = data.draw(SHAPES[rule])
    message = data.draw(SENTENCES).format(phrase)
    found = find_time_phrase(message)
    assert found is not None, message
    reading = read_treatment_time(message, WEDNESDAY)
    assert reading.phrase == found
    if found.rule in NO_DAY_BY_DESIGN:
        assert reading.day is None
    else:
        assert reading.day is not None, (message, found)


# --- times that are not the treatment's ------------------------------------------------------


@pytest.mark.parametrize(
    "message",
    [
        "just had a question about pores",
        "just got back from holiday, can I book?",
        "10 mins out of town, do you have parking?",
        "just got acne, will it help?",
        "will it go in a day or two",
        "can I exfoliate in a few days?",
        "will I be red tomorrow?",
        "pain 5/10",
        "SPF 24/7 after?",
        "needles 0.5/1mm",
        "3 may be enough",
        "may 2 sessions be enough",
        "may I ask something",
        "past sun damage",
        "this sun cream ok?",
        "on the 2nd day",
        "the 1st 48 hours",
        "the 2nd of 3 sessions",
        "in some daylight",
        "yesteryear",
        "how soon can I wear makeup today",
        # another event's time, counted from the treatment
        "got a big work presentation 2 days after my appt, will i still be red",
        "can i exfoliate 3 days after treatment",
        "how long after treatment can i wear makeup",
        # another event's own time
        "wedding in 4 months, how many treatments should i plan for",
        "my wedding is next saturday. how far apart are sessions?",
        "off on holiday on the 20th, is that enough time for results to show?",
    ],
)
def test_not_a_treatment_time(message):
    assert find_time_phrase(message) is None, find_time_phrase(message)


@pytest.mark.parametrize(
    "message, expected",
    [
        ("I had it yesterday, can I exfoliate next week?", date(2026, 12, 1)),
        ("I had it yesterday, can I exfoliate in 3 days?", date(2026, 12, 1)),
        ("Had it Monday, can I exfoliate today?", date(2026, 11, 30)),
        ("will I still be red tomorrow? I had it this morning", date(2026, 12, 2)),
        ("What aftercare do I need if I have it on Friday?", date(2026, 12, 4)),
        ("my sister's wedding is on saturday and i had it done yesterday", date(2026, 12, 1)),
        ("had it done the day of my birthday, on monday", date(2026, 11, 30)),
        # an event named beside the treatment's own past time
        ("the day before my holiday 3 days ago", date(2026, 11, 29)),
        ("it was a birthday present 4 days ago", date(2026, 11, 28)),
        ("a pre-wedding treat last friday", date(2026, 11, 27)),
        ("my trip to the clinic was on monday, is peeling normal?", date(2026, 11, 30)),
    ],
)
def test_the_time_said_of_the_treatment_wins(message, expected):
    assert read_treatment_time(message, WEDNESDAY).day == expected


@pytest.mark.parametrize(
    "message, expected",
    [
        ("I'm having it done today", date(2026, 12, 2)),
        ("I've got my appointment Friday", date(2026, 12, 4)),
        ("I'll be getting it done on the 5th", date(2026, 12, 5)),
        ("wedding on saturday, if i get it done on thursday will i still be red", date(2026, 12, 3)),
        ("if i have it done on friday can i wear makeup at the weekend", date(2026, 12, 4)),
        ("if i do microneedling on monday can i go to work on wednesday", date(2026, 12, 7)),
    ],
)
def test_future_phrasings_with_done_or_got_look_ahead(message, expected):
    reading = read_treatment_time(message, WEDNESDAY)
    assert (reading.day, reading.ahead) == (expected, True)


def test_a_symptom_had_is_not_a_treatment_ahead():
    # "if I have this" names the redness, not the treatment: Monday lies behind
    reading = read_treatment_time("session Monday, normal if I have this redness?", WEDNESDAY)
    assert (reading.day, reading.ahead) == (date(2026, 11, 30), False)


def test_a_range_of_days_is_not_day_3():
    assert find_time_phrase("it's day 3-5 of the healing") is None
