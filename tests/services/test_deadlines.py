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


def test_calendar_days_into_unpublished_year_are_provisional_only_when_they_may_roll():
    # 10 days from 30 Dec 2026 end on Saturday 9 Jan 2027; whether that rolls on depends on the
    # 2027 calendar, not yet published (rules.md §5)
    rolled = compute_due(datetime(2026, 12, 30), 10, "days", CAL)
    assert rolled == Due(end_of(date(2027, 1, 11)), True)
    fixed = compute_due(datetime(2026, 12, 30), 10, "days", CAL, roll_to_workday=False)
    assert fixed == Due(end_of(date(2027, 1, 9)), False)


def test_calendar_days_ending_on_a_rest_day_end_on_the_next_working_day():
    # 民法典 第二百零三条
    saturday = compute_due(datetime(2025, 3, 3, 10), 5, "days", CAL)  # Mon + 5 = Sat 8 Mar
    assert saturday == Due(end_of(date(2025, 3, 10)), False)
    assert compute_due(datetime(2025, 3, 3, 10), 5, "days", CAL, roll_to_workday=False) == \
        Due(end_of(date(2025, 3, 8)), False)
    # Fri 26 Sep + 5 = Wed 1 Oct 2025: 1–8 Oct off, Thu 9 Oct is the next working day
    holiday = compute_due(datetime(2025, 9, 26, 10), 5, "days", CAL)
    assert holiday.due == end_of(date(2025, 10, 9))
    # Sun 28 Sep 2025 is a make-up working day: nothing rolls
    make_up = compute_due(datetime(2025, 9, 22, 10), 6, "days", CAL)
    assert make_up.due == end_of(date(2025, 9, 28))
    # a weekday stays; "the same day" is that day, a Saturday too
    assert compute_due(datetime(2025, 3, 3, 10), 3, "days", CAL).due == end_of(date(2025, 3, 6))
    assert compute_due(datetime(2025, 3, 8, 10), 0, "days", CAL).due == end_of(date(2025, 3, 8))


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
    # 除夕 Fri 5 Feb, 初一–初三 Sat 6–Mon 8 Feb; 初一 and 初二 fell on the weekend, so Tue 9 and
    # Wed 10 are days off in lieu (补假): Thu 11 (1), Fri 12 (2)
    due = compute_due(datetime(2027, 2, 4, 9), 2, "working_days", CAL)
    assert due == Due(end_of(date(2027, 2, 12)), True)


def test_pause_moves_due_by_exactly_the_paused_working_time():
    start = datetime(2025, 3, 3, 10)  # Monday; 3 working days: the end of Thu 6 Mar
    assert compute_due(start, 3, "working_days", CAL).due == end_of(date(2025, 3, 6))
    # one minute of office time paused: one minute of the next working day's office time
    minute = [(datetime(2025, 3, 4, 10), datetime(2025, 3, 4, 10, 1))]
    assert compute_due(start, 3, "working_days", CAL, minute).due == datetime(2025, 3, 7, 9, 1)
    # Tue 16:00–Wed 10:00: 1.5 + 1 office hours paused, the night does not count
    overnight = [(datetime(2025, 3, 4, 16), datetime(2025, 3, 5, 10))]
    assert compute_due(start, 3, "working_days", CAL, overnight).due == \
        datetime(2025, 3, 7, 11, 30)
    # outside office hours (an evening, a weekend) nothing is paused; the start day not counted
    evening = [(datetime(2025, 3, 4, 18), datetime(2025, 3, 4, 23))]
    weekend = [(datetime(2025, 3, 8, 10), datetime(2025, 3, 9, 10))]
    start_day = [(datetime(2025, 3, 3, 11), datetime(2025, 3, 3, 15))]
    for pauses in (evening, weekend, start_day):
        assert compute_due(start, 3, "working_days", CAL, pauses).due == end_of(date(2025, 3, 6))


def test_pause_of_two_whole_working_days_moves_due_by_exactly_two_working_days():
    start = datetime(2025, 2, 28, 15)  # Friday; 3 working days: the end of Wed 5 Mar
    assert compute_due(start, 3, "working_days", CAL).due == end_of(date(2025, 3, 5))
    monday_to_wednesday = [(datetime(2025, 3, 3, 9), datetime(2025, 3, 5, 9))]
    assert compute_due(start, 3, "working_days", CAL, monday_to_wednesday).due == \
        end_of(date(2025, 3, 7))
    # across a weekend: Thu 09:00 to Tue 09:00 is three working days (Thu, Fri, Mon)
    across = [(datetime(2025, 3, 6, 9), datetime(2025, 3, 11, 9))]
    assert compute_due(datetime(2025, 3, 3, 10), 3, "working_days", CAL, across).due == \
        end_of(date(2025, 3, 11))


def test_pause_moves_calendar_days_by_exactly_the_paused_time():
    start = datetime(2025, 3, 3, 10)  # Monday; 3 days: the end (24:00) of Thu 6 Mar
    minute = [(datetime(2025, 3, 4, 10), datetime(2025, 3, 4, 10, 1))]
    assert compute_due(start, 3, "days", CAL, minute) == Due(datetime(2025, 3, 7, 0, 1), False)
    whole_day = [(datetime(2025, 3, 4, 16), datetime(2025, 3, 5, 16))]
    assert compute_due(start, 3, "days", CAL, whole_day).due == end_of(date(2025, 3, 7))
    # the start day is not counted, so a pause on it moves nothing
    start_day = [(datetime(2025, 3, 3, 11), datetime(2025, 3, 3, 15))]
    assert compute_due(start, 3, "days", CAL, start_day).due == end_of(date(2025, 3, 6))
    # moved onto a rest day, the limit rolls on to the next working day unless told not to
    friday = datetime(2025, 3, 4, 10)  # + 3 days: the end of Fri 7 Mar
    later = [(datetime(2025, 3, 5, 10), datetime(2025, 3, 5, 10, 1))]
    assert compute_due(friday, 3, "days", CAL, later).due == end_of(date(2025, 3, 10))
    assert compute_due(friday, 3, "days", CAL, later, roll_to_workday=False).due == \
        datetime(2025, 3, 8, 0, 1)


def test_pause_on_a_same_day_limit_moves_it_by_the_paused_time():
    start = datetime(2025, 3, 4, 10)  # Tuesday
    pause = [(datetime(2025, 3, 4, 11), datetime(2025, 3, 4, 12))]
    assert compute_due(start, 0, "days", CAL, pause).due == datetime(2025, 3, 5, 1)
    # 当日 in working days: the office time left of the day, moved by an office hour
    assert compute_due(start, 0, "working_days", CAL, pause).due == datetime(2025, 3, 5, 10)
    evening = [(datetime(2025, 3, 4, 18), datetime(2025, 3, 4, 19))]
    assert compute_due(start, 0, "working_days", CAL, evening).due == end_of(date(2025, 3, 4))


def test_open_pause_lasts_until_now():
    start = datetime(2025, 3, 3, 10)
    pauses = [(datetime(2025, 3, 4, 9), None)]
    # Tue 09:00–17:30 and Wed 09:00–12:00 paused: 11.5 office hours past the end of Thu 6 Mar
    due = compute_due(start, 3, "working_days", CAL, pauses, now=datetime(2025, 3, 5, 12))
    assert due.due == datetime(2025, 3, 10, 12)
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
    # 5–8 Feb 2027 are statutory days off, 9–10 Feb days off in lieu of 6–7 Feb (补假)
    assert due == Due(datetime(2027, 2, 11, 10), True)


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

starts = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2027, 12, 31))
pause_lists = st.lists(st.tuples(st.integers(0, 200 * 24), st.integers(1, 72)), max_size=3)


@settings(max_examples=300, deadline=None)
@given(start=starts, length=st.integers(1, 120))
def test_working_days_property(start, length):
    due = compute_due(start, length, "working_days", CAL)
    day, counted = start.date() + timedelta(days=1), 0
    while day <= due.due.date():
        counted += CAL.is_workday(day)
        day += timedelta(days=1)
    assert due.due.time() == time(23, 59, 59) and CAL.is_workday(due.due.date())
    assert counted == length
    assert due.provisional == (due.due.year > 2026)


@settings(max_examples=100, deadline=None)
@given(start=starts.map(lambda d: d.replace(second=0, microsecond=0)),
       length=st.integers(1, 5), pauses=pause_lists)
def test_working_days_pause_property(start, length, pauses):
    # brute force, minute by minute: office minutes on working days from the day after the
    # start, outside every pause, until the limit's working days have passed
    spans = [(start + timedelta(hours=h), start + timedelta(hours=h + d)) for h, d in pauses]
    due = compute_due(start, length, "working_days", CAL, spans).due
    at, left = datetime.combine(start.date() + timedelta(days=1), time(0)), length * 510
    while left:
        if (CAL.is_workday(at.date()) and time(9) <= at.time() < time(17, 30)
                and not any(begin <= at < end for begin, end in spans)):
            left -= 1
        at += timedelta(minutes=1)
    assert due == (end_of(at.date()) if at.time() == time(17, 30) else at)


@settings(max_examples=200, deadline=None)
@given(start=starts.map(lambda d: d.replace(second=0, microsecond=0)),
       length=st.integers(0, 60), pauses=pause_lists)
def test_calendar_days_pause_property(start, length, pauses):
    spans = [(start + timedelta(hours=h), start + timedelta(hours=h + d)) for h, d in pauses]
    due = compute_due(start, length, "days", CAL, spans, roll_to_workday=False).due
    counted_from = start if length == 0 else datetime.combine(start.date(), time(0)) + \
        timedelta(days=1)
    end = due + timedelta(seconds=1) if due.time() == time(23, 59, 59) else due
    paused = set()  # paused minutes inside [counted_from, end)
    for begin, stop in spans:
        first = max(begin, counted_from)
        while first < min(stop, end):
            paused.add(first)
            first += timedelta(minutes=1)
    whole = datetime.combine(start.date(), time(0)) + timedelta(days=length + 1)
    assert end - counted_from - timedelta(minutes=len(paused)) == whole - counted_from


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
