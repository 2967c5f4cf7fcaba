from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from actions.settings import AFTERCARE_SCHEDULE_FILE, load_aftercare_schedule
from actions.timing import (
    current_time,
    days_since,
    is_plausible,
    parse_treatment_date,
    phase_for_day,
)

LONDON = ZoneInfo("Europe/London")
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
        ("last week", date(2026, 11, 21)),
        ("I had it yesterday, my 2nd session", date(2026, 11, 27)),
        ("6 hours ago", date(2026, 11, 28)),
        ("it's been 48 hours since my session", date(2026, 11, 26)),
        ("a fortnight ago", date(2026, 11, 14)),
        ("two fortnights ago", date(2026, 10, 31)),
        ("5 days post treatment", date(2026, 11, 23)),
        ("a month ago", date(2026, 10, 28)),
    ],
)
def test_parses_phrasings(text, expected):
    assert parse_treatment_date(text, NOW) == expected


@pytest.mark.parametrize(
    "word, number", [("one", 1), ("three", 3), ("five", 5), ("ten", 10), ("twelve", 12)]
)
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
