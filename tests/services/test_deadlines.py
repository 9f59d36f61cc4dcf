"""Time-limit arithmetic: units, pauses, calendar and provisional years (rules.md §5, §6)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.errors import DeadlineRuleError
from services.i18n import language
from services.timelimits import Due, WorkCalendar, compute_due, describe_limit, parse_limit

CAL = WorkCalendar.builtin()


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


# --- working days and calendar days ----------------------------------------------------------

def test_spec_example_national_day_2025():
    # make-up Sunday 28 Sep and Saturday 11 Oct count; 1–8 Oct do not
    due = compute_due(datetime(2025, 9, 25, 10), 15, "working_days", CAL)
    assert due == Due(end_of(date(2025, 10, 22)), False)


def test_calendar_days_start_the_day_after():
    # rules.md §6: a 10-day period from 1 Nov covers claims up to and including 11 Nov
    due = compute_due(datetime(2025, 11, 1, 15, 30), 10, "days", CAL)
    assert due == Due(end_of(date(2025, 11, 11)), False)


def test_calendar_days_into_unpublished_year_are_not_provisional():
    assert not compute_due(datetime(2026, 12, 30), 10, "days", CAL).provisional


def test_spring_festival_2026_with_make_up_saturdays():
    start = datetime(2026, 2, 12, 10)  # Thursday
    # Fri 13 (1), Sat 14 make-up (2), 15–23 off, Tue 24 (3)
    assert compute_due(start, 3, "working_days", CAL).due == end_of(date(2026, 2, 24))
    # … Wed 25–Fri 27 (6), Sat 28 make-up (7)
    assert compute_due(start, 7, "working_days", CAL) == Due(end_of(date(2026, 2, 28)), False)


def test_new_year_2026():
    # Wed 31 Dec (1), 1–3 Jan off, Sun 4 Jan make-up (2), Mon 5 (3)
    due = compute_due(datetime(2025, 12, 30, 16), 3, "working_days", CAL)
    assert due.due == end_of(date(2026, 1, 5))


def test_limit_ending_in_unpublished_year_is_provisional():
    # 2027 is not published: weekends plus statutory holidays (1 Jan 2027 is a Friday)
    due = compute_due(datetime(2026, 12, 20, 10), 15, "working_days", CAL)
    assert due == Due(end_of(date(2027, 1, 11)), True)
    assert not compute_due(datetime(2026, 12, 1), 5, "working_days", CAL).provisional


def test_provisional_spring_festival_2027():
    # 除夕 Fri 5 Feb, 初一–初三 Sat 6–Mon 8 Feb: Tue 9 (1), Wed 10 (2)
    due = compute_due(datetime(2027, 2, 4, 9), 2, "working_days", CAL)
    assert due == Due(end_of(date(2027, 2, 10)), True)


def test_pause_skips_the_days_it_touches():
    start = datetime(2025, 3, 3, 10)  # Monday
    assert compute_due(start, 3, "working_days", CAL).due == end_of(date(2025, 3, 6))
    pause = [(datetime(2025, 3, 4, 16), datetime(2025, 3, 5, 10))]  # Tue 16:00–Wed 10:00
    assert compute_due(start, 3, "working_days", CAL, pause).due == end_of(date(2025, 3, 10))
    until_midnight = [(datetime(2025, 3, 4, 10), datetime(2025, 3, 5, 0, 0))]
    assert compute_due(start, 3, "working_days", CAL, until_midnight).due == \
        end_of(date(2025, 3, 7))
    weekend = [(datetime(2025, 3, 8, 10), datetime(2025, 3, 9, 10))]
    assert compute_due(start, 5, "working_days", CAL, weekend).due == end_of(date(2025, 3, 10))
    assert compute_due(start, 3, "days", CAL, pause).due == end_of(date(2025, 3, 8))


def test_open_pause_lasts_until_now():
    start = datetime(2025, 3, 3, 10)
    pauses = [(datetime(2025, 3, 4, 9), None)]
    due = compute_due(start, 3, "working_days", CAL, pauses, now=datetime(2025, 3, 5, 12))
    assert due.due == end_of(date(2025, 3, 10))
    hours = compute_due(start, 24, "hours", CAL, pauses, now=datetime(2025, 3, 4, 11))
    assert hours.due == datetime(2025, 3, 4, 12)


# --- clock time and office hours -------------------------------------------------------------

def test_clock_hours_move_by_the_pause():
    start = datetime(2025, 3, 3, 9)
    assert compute_due(start, 24, "hours", CAL).due == datetime(2025, 3, 4, 9)
    pause = [(datetime(2025, 3, 3, 12), datetime(2025, 3, 3, 15))]
    assert compute_due(start, 24, "hours", CAL, pause).due == datetime(2025, 3, 4, 12)
    # a pause pushed into the counted span by an earlier one counts too (iterate until stable)
    later = pause + [(datetime(2025, 3, 4, 10), datetime(2025, 3, 4, 11))]
    assert compute_due(start, 24, "hours", CAL, later).due == datetime(2025, 3, 4, 13)
    after = [(datetime(2025, 3, 5), datetime(2025, 3, 6))]
    assert compute_due(start, 24, "hours", CAL, after).due == datetime(2025, 3, 4, 9)
    before = [(datetime(2025, 3, 1), datetime(2025, 3, 3, 10))]  # only the hour after start
    assert compute_due(start, 24, "hours", CAL, before).due == datetime(2025, 3, 4, 10)
    overlapping = [(datetime(2025, 3, 3, 12), datetime(2025, 3, 3, 14)),
                   (datetime(2025, 3, 3, 13), datetime(2025, 3, 3, 15))]
    assert compute_due(start, 24, "hours", CAL, overlapping).due == datetime(2025, 3, 4, 12)


def test_minutes_ignore_the_calendar():
    due = compute_due(datetime(2025, 10, 1, 23, 50), 30, "minutes", CAL)
    assert due == Due(datetime(2025, 10, 2, 0, 20), False)


def test_office_hours_across_a_weekend():
    # Fri 16:00–17:30 is 1.5 h; the rest, 6.5 h, from Monday 09:00
    due = compute_due(datetime(2025, 3, 7, 16), 8, "office_hours", CAL)
    assert due == Due(datetime(2025, 3, 10, 15, 30), False)
    saturday = compute_due(datetime(2025, 3, 8, 11), 2, "office_hours", CAL)
    assert saturday.due == datetime(2025, 3, 10, 11)
    evening = compute_due(datetime(2025, 3, 7, 20), 1, "office_hours", CAL)
    assert evening.due == datetime(2025, 3, 10, 10)


def test_office_hours_end_exactly_at_closing_time():
    due = compute_due(datetime(2025, 3, 7, 9), 17, "office_hours", CAL,
                      office=(time(9), time(17, 30)))
    assert due.due == datetime(2025, 3, 10, 17, 30)  # 2 × 8.5 h, not Tuesday morning


def test_office_hours_skip_holidays_and_pauses():
    # Tue 30 Sep 16:00 → 1.5 h, 1–8 Oct off, Thu 9 Oct 09:00 + 2.5 h
    due = compute_due(datetime(2025, 9, 30, 16), 4, "office_hours", CAL)
    assert due.due == datetime(2025, 10, 9, 11, 30)
    pause = [(datetime(2025, 10, 9, 10), datetime(2025, 10, 9, 14))]
    assert compute_due(datetime(2025, 9, 30, 16), 4, "office_hours", CAL, pause).due == \
        datetime(2025, 10, 9, 15, 30)


def test_office_hours_custom_day_and_provisional():
    due = compute_due(datetime(2027, 2, 4, 17), 3, "office_hours", CAL,
                      office=(time(8), time(18)))
    assert due == Due(datetime(2027, 2, 9, 10), True)  # 5–8 Feb 2027 are statutory days off


# --- parsing and describing ------------------------------------------------------------------

@pytest.mark.parametrize(("expected", "texts"), [
    ((30, "minutes"), ("30 minutes", "30分钟")),
    ((1, "minutes"), ("1 minute",)),
    ((24, "hours"), ("24 hours", "24小时")),
    ((8, "office_hours"), ("8 office hours",)),
    ((3, "days"), ("3 days", "3天")),
    ((15, "working_days"), ("15 working days", "15 workdays", "  15  Working Days ", "15个工作日",
                            "15工作日", "１５个工作日")),  # full-width digits from a Chinese IME
    ((3650, "days"), ("3650 days",)),
])
def test_parse_limit_good(expected, texts):
    """Every way of writing the same limit reads as that limit."""
    assert {text: parse_limit(text) for text in texts} == dict.fromkeys(texts, expected)


@pytest.mark.parametrize("text", [
    "", "15", "days", "0 minutes", "0 hours", "-3 days", "1.5 hours", "3651 days", "87601 hours",
    "2608 working days", "15 fortnights", "十五个工作日", "15 working days please",
])
def test_parse_limit_bad(text):
    with pytest.raises(DeadlineRuleError) as caught:
        parse_limit(text)
    with language("en"):
        assert caught.value.message()


def test_compute_due_rejects_bad_input():
    start = datetime(2025, 3, 3, 9)
    with pytest.raises(DeadlineRuleError):
        compute_due(start, 3, "weeks", CAL)
    with pytest.raises(DeadlineRuleError):
        compute_due(start, 0, "hours", CAL)
    with pytest.raises(DeadlineRuleError):
        compute_due(start, 3, "hours", CAL, [(datetime(2025, 3, 3, 12), datetime(2025, 3, 3, 11))])
    with pytest.raises(DeadlineRuleError):
        compute_due(start, 3, "office_hours", CAL, office=(time(17), time(9)))


def test_describe_limit_in_english():
    with language("en"):
        assert describe_limit(15, "working_days") == "15 working days"
        assert describe_limit(1, "working_days") == "1 working day"
        assert describe_limit(1, "minutes") == "1 minute"
        assert describe_limit(8, "office_hours") == "8 office hours"
        assert describe_limit(3, "days") == "3 days"
    with pytest.raises(DeadlineRuleError):
        describe_limit(3, "weeks")


# --- speed, layering and properties ----------------------------------------------------------

def _working_days_counted(start: datetime, due: datetime, paused: set[date]) -> int:
    day, count = start.date() + timedelta(days=1), 0
    while day <= due.date():
        count += CAL.is_workday(day) and day not in paused
        day += timedelta(days=1)
    return count


starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 12, 31))
pause_lists = st.lists(st.tuples(st.integers(0, 200 * 24), st.integers(1, 72)), max_size=3)


@settings(max_examples=300, deadline=None)
@given(start=starts, length=st.integers(1, 120), pauses=pause_lists)
def test_working_days_property(start, length, pauses):
    spans = [(start + timedelta(hours=h), start + timedelta(hours=h + d)) for h, d in pauses]
    due = compute_due(start, length, "working_days", CAL, spans)
    paused = set()
    for begin, end in spans:
        day = begin.date()
        while day <= (end - timedelta(microseconds=1)).date():
            paused.add(day)
            day += timedelta(days=1)
    assert due.due.time() == time(23, 59, 59)
    assert CAL.is_workday(due.due.date()) and due.due.date() not in paused
    assert _working_days_counted(start, due.due, paused) == length
    assert due.provisional == (due.due.year > 2026)


@settings(max_examples=300, deadline=None)
@given(start=starts, minutes=st.integers(1, 10_000), pauses=pause_lists)
def test_clock_property(start, minutes, pauses):
    spans = [(start + timedelta(minutes=h), start + timedelta(minutes=h + d)) for h, d in pauses]
    due = compute_due(start, minutes, "minutes", CAL, spans).due
    covered = set()  # paused minutes inside [start, due)
    for begin, end in spans:
        covered.update(range(int((max(begin, start) - start).total_seconds() // 60),
                             int((min(end, due) - start).total_seconds() // 60)))
    assert (due - start) - timedelta(minutes=len(covered)) == timedelta(minutes=minutes)


@settings(max_examples=150, deadline=None)
@given(start=starts.map(lambda d: d.replace(second=0, microsecond=0)),
       hours=st.integers(1, 10), pauses=pause_lists)
def test_office_hours_property(start, hours, pauses):
    # brute force, minute by minute: office minutes on working days, outside every pause
    spans = [(start + timedelta(minutes=5 * h), start + timedelta(minutes=5 * h + 7 * d))
             for h, d in pauses]
    due = compute_due(start, hours, "office_hours", CAL, spans).due
    at, left = start, hours * 60
    while left:
        if (CAL.is_workday(at.date()) and time(9) <= at.time() < time(17, 30)
                and not any(begin <= at < end for begin, end in spans)):
            left -= 1
        at += timedelta(minutes=1)
    assert due == at


def test_same_day_limit_ends_at_the_end_of_the_start_day():
    # rules.md §5: "top management: same day"
    assert parse_limit("当日") == (0, "days") == parse_limit("same day")
    due = compute_due(datetime(2026, 11, 24, 15, 30), 0, "days", WorkCalendar.builtin())
    assert due.due == datetime(2026, 11, 24, 23, 59, 59)
