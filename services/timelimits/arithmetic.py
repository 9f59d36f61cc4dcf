"""Time-limit arithmetic (rules.md §5): read a limit, describe it, and compute when it is due."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from services.errors import DeadlineRuleError
from services.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from services.timelimits.workcalendar import WorkCalendar

MINUTES = "minutes"
HOURS = "hours"
OFFICE_HOURS = "office_hours"
DAYS = "days"
WORKING_DAYS = "working_days"
UNITS = (MINUTES, HOURS, OFFICE_HOURS, DAYS, WORKING_DAYS)
# The unit words, as a user picks them in a rule.
UNIT_NAMES = {
    "minutes": N_("Minutes"),
    "hours": N_("Hours (clock time)"),
    "office_hours": N_("Office hours"),
    "days": N_("Calendar days"),
    "working_days": N_("Working days"),
}

DEFAULT_OFFICE = (time(9), time(17, 30))
# rules.md §6 / 民法典 §203: a period counted in days ends at the end of its last day.
END_OF_DAY = time(23, 59, 59)
_ONE_DAY = timedelta(days=1)

# Anything longer than about ten years is a typing mistake, not a time limit.
MAX_DAYS = 3650
_MAX_WORKING_DAYS = MAX_DAYS * 5 // 7  # the weekdays in ten years
MAX_LENGTH = {
    MINUTES: MAX_DAYS * 24 * 60,
    HOURS: MAX_DAYS * 24,
    OFFICE_HOURS: _MAX_WORKING_DAYS * 8,  # 劳动法 §36: an 8-hour working day
    DAYS: MAX_DAYS,
    WORKING_DAYS: _MAX_WORKING_DAYS,
}

# Unit words after NFKC (full-width digits), lower case, "_", "-" and space runs as one space.
_UNIT_WORDS = {
    **dict.fromkeys(("minute", "minutes", "min", "mins", "分钟", "分鐘"), MINUTES),
    **dict.fromkeys(("hour", "hours", "小时", "个小时", "钟头", "个钟头"), HOURS),
    **dict.fromkeys(("office hour", "office hours", "办公小时", "个办公小时", "工作小时",
                     "个工作小时"), OFFICE_HOURS),
    **dict.fromkeys(("day", "days", "calendar day", "calendar days", "天", "自然日",
                     "个自然日"), DAYS),
    **dict.fromkeys(("working day", "working days", "workday", "workdays", "business day",
                     "business days", "工作日", "个工作日"), WORKING_DAYS),
}
_LIMIT = re.compile(r"([+-]?\d+)\s*(\S.*)")

_ERR_TEXT = N_('"{text}" is not a time limit; write for example "15 working days", '
               '"24 hours" or "15个工作日".')
_ERR_ZERO = N_("A time limit must be longer than zero.")
_ERR_LONG = N_("A time limit cannot be longer than ten years.")
_ERR_UNIT = N_("Unknown unit of time: {unit}.")
_ERR_OFFICE = N_("The office day must end after it starts.")
_ERR_PAUSE = N_("A pause cannot end before it starts.")


@dataclass(frozen=True)
class Due:
    """When a limit falls due; ``provisional`` if it relied on an unpublished calendar."""

    due: datetime
    provisional: bool


def check_limit(length: int, unit: str) -> None:
    """Raise DeadlineRuleError unless length and unit make a usable limit."""
    if unit not in UNITS:
        raise DeadlineRuleError(_ERR_UNIT, field="unit", unit=str(unit))
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        raise DeadlineRuleError(_ERR_ZERO, field="length")
    # rules.md §5 "top management: same day": 0 days ends at the end of the start day.
    if length == 0 and unit not in (DAYS, WORKING_DAYS):
        raise DeadlineRuleError(_ERR_ZERO, field="length")
    if length > MAX_LENGTH[unit]:
        raise DeadlineRuleError(_ERR_LONG, field="length")


def parse_limit(text: str) -> tuple[int, str]:
    """Read "15 working days", "24 hours", "15个工作日" … as (length, unit)."""
    if not isinstance(text, str):  # a bare number (a script's input) has no unit
        raise DeadlineRuleError(_ERR_TEXT, field="limit", text=str(text))
    normal = unicodedata.normalize("NFKC", text or "").strip().lower()
    if normal in ("same day", "当日", "当天"):
        return 0, DAYS
    match = _LIMIT.fullmatch(normal)
    unit = _UNIT_WORDS.get(re.sub(r"[\s_-]+", " ", match.group(2)).strip()) if match else None
    if unit is None:
        raise DeadlineRuleError(_ERR_TEXT, field="limit", text=(text or "").strip())
    length = int(match.group(1))
    check_limit(length, unit)
    return length, unit


def describe_limit(length: int, unit: str) -> str:
    """The limit in words for the current language: "15 working days" / "15个工作日"."""
    # Literal ngettext calls so that pybabel extracts the plural pairs.
    if unit == MINUTES:
        text = ngettext("{n} minute", "{n} minutes", length)
    elif unit == HOURS:
        text = ngettext("{n} hour", "{n} hours", length)
    elif unit == OFFICE_HOURS:
        text = ngettext("{n} office hour", "{n} office hours", length)
    elif unit == DAYS and length == 0:
        return _("the same day")
    elif unit == DAYS:
        text = ngettext("{n} day", "{n} days", length)
    elif unit == WORKING_DAYS:
        text = ngettext("{n} working day", "{n} working days", length)
    else:
        raise DeadlineRuleError(_ERR_UNIT, field="unit", unit=str(unit))
    return text.format(n=length)


def _spans(pauses: Sequence[tuple[datetime, datetime | None]], now: datetime | None
           ) -> list[tuple[datetime, datetime]]:
    """Pauses as sorted, merged, non-empty [start, end) spans; open ones end now."""
    spans = []
    for begin, end in pauses:
        if end is None:
            # rules.md §5: a stopped clock does not count — up to now, as far as anyone knows.
            end = now if now is not None else datetime.now()
        elif end < begin:
            raise DeadlineRuleError(_ERR_PAUSE, field="pause")
        if end > begin:
            spans.append((begin, end))
    spans.sort()
    merged: list[tuple[datetime, datetime]] = []
    for begin, end in spans:
        if merged and begin <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((begin, end))
    return merged


def _clock_due(start: datetime, span: timedelta, pauses: list[tuple[datetime, datetime]]
               ) -> datetime:
    """start + span, moved on by the paused time inside the counted stretch (rules.md §5)."""
    at, remaining = start, span
    for begin, end in pauses:
        if end <= at:
            continue
        if begin > at:
            if begin - at >= remaining:
                break  # due before this pause starts
            remaining -= begin - at
        at = end
    return at + remaining


def _whole_day_end(moment: datetime) -> datetime:
    """A count that runs to midnight ends at the end (23:59:59) of the day before it."""
    if moment.time() == time(0):
        return datetime.combine(moment.date() - _ONE_DAY, END_OF_DAY)
    return moment


def _calendar_days_due(start: datetime, length: int,
                       pauses: list[tuple[datetime, datetime]]) -> datetime:
    """Calendar days (rules.md §5): counting begins the day after the start (当日: at the
    start) and ends at the end of the last day; paused calendar time moves the end by
    exactly that time."""
    counted_from = start if length == 0 else datetime.combine(start.date() + _ONE_DAY, time(0))
    end = datetime.combine(start.date() + timedelta(days=length + 1), time(0))
    if not pauses:
        return _whole_day_end(end)
    return _whole_day_end(_clock_due(counted_from, end - counted_from, pauses))


def _roll_to_workday(due: datetime, calendar: WorkCalendar) -> Due:
    """民法典 第二百零三条: a last day that is a rest day gives way to the next working day."""
    day, provisional = due.date(), False
    if not calendar.is_official(day.year):
        provisional = True
    if calendar.is_workday(day):
        return Due(due, provisional)
    while True:
        day += _ONE_DAY
        if not calendar.is_official(day.year):
            provisional = True
        if calendar.is_workday(day):
            return Due(datetime.combine(day, END_OF_DAY), provisional)


def _working_days_due(start: datetime, length: int, calendar: WorkCalendar,
                      pauses: list[tuple[datetime, datetime]], office: tuple[time, time]) -> Due:
    """Working days (rules.md §5): the last of ``length`` working days after the start day,
    to its end; paused working time (office time on working days) moves the end by exactly
    that much working time."""
    first = start.date() + _ONE_DAY
    counted_from = start if length == 0 else datetime.combine(first, time(0))
    if not any(end > counted_from for _begin, end in pauses):
        day, counted, provisional = start.date(), 0, False
        is_workday, is_official = calendar.is_workday, calendar.is_official
        while counted < length:
            day += _ONE_DAY
            if not provisional and not is_official(day.year):
                provisional = True
            if is_workday(day):
                counted += 1
        return Due(datetime.combine(day, END_OF_DAY), provisional)
    if length == 0:
        # 当日 on a working day: the office time left of it; none left: the day's end.
        opens, closes = (datetime.combine(start.date(), t) for t in office)
        budget = (max(closes - max(opens, start), timedelta(0))
                  if calendar.is_workday(start.date()) else timedelta(0))
        if not budget:
            return Due(datetime.combine(start.date(), END_OF_DAY), False)
    else:
        day_length = datetime.combine(first, office[1]) - datetime.combine(first, office[0])
        budget = day_length * length
    due = _office_walk(counted_from, budget, calendar, pauses, office)
    if due.due == datetime.combine(due.due.date(), office[1]):
        # all of the last working day's office time counted: the limit ends with the day
        return Due(datetime.combine(due.due.date(), END_OF_DAY), due.provisional)
    return due


def _office_walk(start: datetime, budget: timedelta, calendar: WorkCalendar,
                 pauses: list[tuple[datetime, datetime]], office: tuple[time, time]) -> Due:
    """The first moment by which ``budget`` of office time on working days, outside pauses,
    has passed since ``start``."""
    remaining = budget
    day, index, provisional = start.date(), 0, False
    while True:
        if not provisional and not calendar.is_official(day.year):
            provisional = True
        if calendar.is_workday(day):
            at = max(datetime.combine(day, office[0]), start)
            close = datetime.combine(day, office[1])
            while at < close:
                while index < len(pauses) and pauses[index][1] <= at:
                    index += 1
                if index < len(pauses) and pauses[index][0] <= at:
                    at = pauses[index][1]  # inside a pause: jump to its end
                    continue
                free_until = min(close, pauses[index][0]) if index < len(pauses) else close
                if free_until - at >= remaining:
                    return Due(at + remaining, provisional)
                remaining -= free_until - at
                at = free_until
        day += _ONE_DAY


def _office_due(start: datetime, length: int, calendar: WorkCalendar,
                pauses: list[tuple[datetime, datetime]], office: tuple[time, time]) -> Due:
    """Count only office time on working days, outside pauses (rules.md §5 office hours)."""
    return _office_walk(start, timedelta(hours=length), calendar, pauses, office)


def compute_due(start: datetime, length: int, unit: str, calendar: WorkCalendar,
                pauses: Sequence[tuple[datetime, datetime | None]] = (),
                office: tuple[time, time] = DEFAULT_OFFICE,
                now: datetime | None = None, *, roll_to_workday: bool = True) -> Due:
    """When a limit of ``length`` ``unit`` started at ``start`` falls due (rules.md §5).

    Pure arithmetic on the in-memory calendar: no database access, so the register can
    recompute many clocks quickly. ``pauses`` are (from, to) spans, ``to`` None while open;
    the due moment moves by exactly the paused time, in the limit's own unit: clock time for
    minutes and hours, office time for office hours, working time (office time on working
    days) for working days, calendar time for days. ``roll_to_workday`` (calendar days only,
    民法典 第二百零三条): a limit of one day or more whose last day is a rest day ends at the end
    of the next working day.
    """
    check_limit(length, unit)
    spans = _spans(pauses, now)
    if unit in (MINUTES, HOURS):
        span = timedelta(minutes=length) if unit == MINUTES else timedelta(hours=length)
        return Due(_clock_due(start, span, spans), False)
    if unit in (OFFICE_HOURS, WORKING_DAYS) and office[1] <= office[0]:
        raise DeadlineRuleError(_ERR_OFFICE, field="office")
    if unit == OFFICE_HOURS:
        return _office_due(start, length, calendar, spans, office)
    if unit == WORKING_DAYS:
        return _working_days_due(start, length, calendar, spans, office)
    due = _calendar_days_due(start, length, spans)
    # Calendar days do not depend on holidays unless the last day may roll on; "the same day"
    # (0 days) is that day, not a period counted in days, and never rolls.
    if roll_to_workday and length > 0:
        return _roll_to_workday(due, calendar)
    return Due(due, False)
