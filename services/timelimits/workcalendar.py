"""The Chinese working-day calendar (rules.md §5): official days off, provisional years, import."""
from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from models.db import database
from models.entities import CalendarDay, CalendarYear, Setting
from services.changes import ALL, Changes
from services.errors import ValidationError
from services.i18n import N_, _
from services.people import require_role

HOLIDAY = "holiday"
WORKDAY = "workday"
KINDS = (HOLIDAY, WORKDAY)
DAY_KIND_NAMES = {HOLIDAY: N_("Holiday"), WORKDAY: N_("Make-up working day")}
# Import files may use the words printed on Chinese wall calendars.
_KIND_WORDS = {"holiday": HOLIDAY, "workday": WORKDAY, "休": HOLIDAY, "班": WORKDAY}
_NAME_MAX = 60  # CalendarDay.name max_length
_YEAR_RANGE = (2000, 2100)
_CHUNK = 100  # rows per INSERT: 4 columns × 100 stays under SQLite's variable limit

# The holiday names the package and statutory_holidays() use; they are msgids, so
# holiday_name() shows them translated while names a user typed pass through unchanged.
NEW_YEAR = N_("New Year's Day")
SPRING_FESTIVAL = N_("Spring Festival")
NEW_YEARS_EVE = N_("Spring Festival Eve")
QINGMING = N_("Tomb-sweeping Day")
LABOUR_DAY = N_("Labour Day")
DRAGON_BOAT = N_("Dragon Boat Festival")
MID_AUTUMN = N_("Mid-autumn Festival")
NATIONAL_DAY = N_("National Day")
# 全国年节及纪念日放假办法 第六条: a holiday falling on a Saturday or Sunday gives a weekday off.
IN_LIEU = N_("Day off in lieu")
_PACKAGE_ONLY_NAMES = (N_("Anti-Fascist 70th Day"),)


def _qingming(year: int) -> date:
    """清明, the solar term day: from chinese_calendar, else the usual 寿星 formula."""
    try:
        import chinese_calendar

        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
        for day, name in terms:
            if name == "清明":
                return day
    except (ImportError, NotImplementedError, ValueError):
        pass
    return _qingming_formula(year)


def _qingming_formula(year: int) -> date:
    """寿星 formula [Y×D+C]−L (C=5.59 in the 1900s, 4.81 after); agrees with chinese_calendar
    for 1901–2100."""
    y = year % 100
    c = 5.59 if year < 2000 else 4.81
    return date(year, 4, int(y * 0.2422 + c) - y // 4)


def lunar_to_solar(year: int, month: int, day: int) -> date:
    """The Gregorian date of a day of the Chinese lunar calendar (month 1-12, not a leap
    month), from lunar-python (MIT: a closed-source bundle may ship it; lunardate is GPL)."""
    from lunar_python import Lunar  # only provisional years need it: not loaded at start-up

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


@functools.cache
def _statutory(year: int) -> tuple[tuple[date, str], ...]:
    days: list[tuple[date, str]] = [
        (date(year, 1, 1), NEW_YEAR),
        (_qingming(year), QINGMING),
        (date(year, 5, 1), LABOUR_DAY),
        (date(year, 5, 2), LABOUR_DAY),
        (date(year, 10, 1), NATIONAL_DAY),
        (date(year, 10, 2), NATIONAL_DAY),
        (date(year, 10, 3), NATIONAL_DAY),
    ]
    # 除夕 is the day before 正月初一, not 腊月三十: the twelfth month may have 29 days.
    new_year = lunar_to_solar(year, 1, 1)
    days.append((new_year - timedelta(days=1), NEW_YEARS_EVE))
    days += [(new_year + timedelta(days=i), SPRING_FESTIVAL) for i in range(3)]
    days.append((lunar_to_solar(year, 5, 5), DRAGON_BOAT))
    days.append((lunar_to_solar(year, 8, 15), MID_AUTUMN))
    return tuple(sorted(days + _in_lieu(days)))


def _in_lieu(days: list[tuple[date, str]]) -> list[tuple[date, str]]:
    """第六条 (补假): each holiday day on a Saturday or Sunday gives the next working day off —
    the first weekday that is neither a holiday nor already given in lieu of another."""
    off = {d for d, _name in days}
    given: list[tuple[date, str]] = []
    for day in sorted(off):  # a day that is two holidays at once (中秋 on 国庆) counts once
        if day.weekday() < 5:
            continue
        free = day + timedelta(days=1)
        while free.weekday() >= 5 or free in off:
            free += timedelta(days=1)
        off.add(free)
        given.append((free, IN_LIEU))
    return given


def statutory_holidays(year: int) -> list[tuple[date, str]]:
    """The days off of 全国年节及纪念日放假办法 (2025 revision) in a year, with the days off
    in lieu of those falling on a weekend (第六条, 补假), without 调休.

    rules.md §5: used for years the State Council has not published yet.
    """
    return list(_statutory(year))


class WorkCalendar:
    """An in-memory calendar: Monday–Friday work, Saturday/Sunday off, plus exceptions.

    For a year not known officially the statutory holidays are added (rules.md §5); any
    exception recorded for such a year (a user's own entry) still wins.
    """

    def __init__(self, *, holidays: Mapping[date, str] | None = None,
                 workdays: Mapping[date, str] | None = None, official_years: Iterable[int] = ()):
        holidays = holidays or {}
        workdays = workdays or {}
        both = holidays.keys() & workdays.keys()
        if both:
            raise ValueError(f"days both holiday and workday: {sorted(both)}")
        # date → (is a working day, name)
        self._exceptions: dict[date, tuple[bool, str]] = {
            **{d: (False, n) for d, n in holidays.items()},
            **{d: (True, n) for d, n in workdays.items()},
        }
        self._official = frozenset(official_years)
        self._provisional: dict[int, dict[date, str]] = {}

    @classmethod
    def builtin(cls) -> WorkCalendar:
        """The calendar shipped in the chinese_calendar package (immutable, shared)."""
        return _builtin()

    @classmethod
    def from_database(cls) -> WorkCalendar:
        """Everything in CalendarDay/CalendarYear (a few hundred rows per decade)."""
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        for day, kind, name in CalendarDay.select(
                CalendarDay.day, CalendarDay.kind, CalendarDay.name).tuples():
            (workdays if kind == WORKDAY else holidays)[_as_date(day)] = name
        years = [y for (y,) in CalendarYear.select(CalendarYear.year).tuples()]
        return cls(holidays=holidays, workdays=workdays, official_years=years)

    def known_years(self) -> set[int]:
        return set(self._official)

    def is_official(self, year: int) -> bool:
        return year in self._official

    def _statutory_map(self, year: int) -> dict[date, str]:
        found = self._provisional.get(year)
        if found is None:
            found = self._provisional[year] = dict(_statutory(year))
        return found

    def is_workday(self, d: date) -> bool:
        exception = self._exceptions.get(d)
        if exception is not None:
            return exception[0]
        if d.year not in self._official and d in self._statutory_map(d.year):
            return False
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str:
        """The (translated) name of the holiday or make-up day on d, or ""."""
        exception = self._exceptions.get(d)
        if exception is not None:
            name = exception[1]
        elif d.year not in self._official:
            name = self._statutory_map(d.year).get(d, "")
        else:
            name = ""
        return _(name) if name else ""


@functools.cache
def _builtin() -> WorkCalendar:
    import chinese_calendar

    years = {d.year for d in chinese_calendar.holidays}
    return WorkCalendar(holidays=chinese_calendar.holidays, workdays=chinese_calendar.workdays,
                        official_years=years)


def _as_date(value) -> date:
    # SQLite hands DateField values back as date, but be lenient with text.
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _replace_years(days: dict[date, tuple[str, str]], years: Iterable[int], *, source: str,
                   now: datetime) -> int:
    """Replace the exceptions of whole years and mark them official. Caller holds the txn."""
    years = sorted(set(years))
    for year in years:
        first, last = _year_bounds(year)
        CalendarDay.delete().where(CalendarDay.day.between(first, last)).execute()
    rows = [{"day": d, "kind": kind, "name": name, "source": source}
            for d, (kind, name) in sorted(days.items()) if d.year in years]
    for start in range(0, len(rows), _CHUNK):
        CalendarDay.insert_many(rows[start:start + _CHUNK]).execute()
    if years:
        CalendarYear.delete().where(CalendarYear.year.in_(years)).execute()
        CalendarYear.insert_many(
            [{"year": y, "source": source, "updated_at": now} for y in years]).execute()
    return len(rows)


REVISION_KEY = "calendar_revision"


def revision() -> int:
    """A number that changes with every calendar write, so caches know when to reload."""
    row = Setting.get_or_none(Setting.key == REVISION_KEY)
    return int(row.value) if row else 0


def _bump_revision() -> None:
    (Setting.insert(key=REVISION_KEY, value=revision() + 1)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: revision() + 1})
     .execute())


def _require_admin(actor) -> None:
    # rules.md §2: settings are for managers and owners, whichever screen or command asks.
    require_role(actor, "owner", "manager")


def seed_from_package(*, now: datetime) -> int:
    """Fill the calendar from the chinese_calendar package; return the days written.

    Years a user imported or edited are theirs and left alone; years seeded earlier
    are refreshed, so a newer package corrects them (rules.md §5: updatable).
    """
    import chinese_calendar

    days = {d: (HOLIDAY, n) for d, n in chinese_calendar.holidays.items()}
    days.update({d: (WORKDAY, n) for d, n in chinese_calendar.workdays.items()})
    with database.atomic():
        owned = {y for (y,) in CalendarYear.select(CalendarYear.year)
                 .where(CalendarYear.source != "package").tuples()}
        years = {d.year for d in chinese_calendar.holidays} - owned
        written = _replace_years(days, years, source="package", now=now)
        _bump_revision()
        return written


# Each check has a message for set_day and one naming the line of an import file.
_ERR_YEAR = (N_("The year {year} is outside 2000–2100."),
             N_("Line {line}: the year {year} is outside 2000–2100."))
_ERR_WEEKDAY = (
    N_("{day} is a weekday; only a Saturday or Sunday can be a make-up working day."),
    N_("Line {line}: {day} is a weekday; only a Saturday or Sunday can be a make-up "
       "working day."))
_ERR_NAME = (N_("The name is longer than {max} characters."),
             N_("Line {line}: the name is longer than {max} characters."))


def _check_day(day: date, kind: str | None, name: str, line: int | None = None) -> None:
    """Checks shared by set_day and import; with ``line`` the message names the line."""
    which = 0 if line is None else 1
    where = {} if line is None else {"line": line}
    if not _YEAR_RANGE[0] <= day.year <= _YEAR_RANGE[1]:
        raise ValidationError(_ERR_YEAR[which], field="day", year=day.year, **where)
    if kind == WORKDAY and day.weekday() < 5:
        # A weekday already is a working day: such a line is a mistake in the file.
        raise ValidationError(_ERR_WEEKDAY[which], field="kind", day=day.isoformat(), **where)
    if len(name) > _NAME_MAX:
        raise ValidationError(_ERR_NAME[which], field="name", max=_NAME_MAX, **where)


def set_day(day: date, kind: str | None, *, name: str = "",
            now: datetime, actor) -> CalendarDay | None:
    """Make one day a holiday or a make-up working day, or (kind None) an ordinary day.

    Returns the CalendarDay written, or None when the exception was removed. In an
    official year the year becomes the user's, so a later package seed keeps the edit.
    """
    if kind not in (*KINDS, None):
        raise ValidationError(N_("Unknown kind of day: {kind}."), field="kind", kind=str(kind))
    _require_admin(actor)
    name = name.strip()
    _check_day(day, kind, name)
    with database.atomic():
        _bump_revision()
        CalendarDay.delete().where(CalendarDay.day == day).execute()
        row = None
        if kind is not None:
            row = CalendarDay.create(day=day, kind=kind, name=name, source="user")
        CalendarYear.update(source="user", updated_at=now).where(
            CalendarYear.year == day.year).execute()
    return row


def mark_year(year: int, *, official: bool, now: datetime, actor) -> None:
    """Declare a year's calendar complete (official) or not, e.g. after typing it in by hand."""
    _require_admin(actor)
    with database.atomic():
        _bump_revision()
        CalendarYear.delete().where(CalendarYear.year == year).execute()
        if official:
            CalendarYear.create(year=year, source="user", updated_at=now)


@dataclass(frozen=True)
class ImportResult:
    """The years and days a calendar import wrote."""
    years: tuple[int, ...]
    days: int
    changes = Changes(calendar=True, complaints=ALL)  # every due date may move


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HEADER_WORDS = {"date", "day", "日期"}


def parse_calendar(text: str) -> dict[date, tuple[str, str]]:
    """Parse the calendar file format; raise ValidationError naming the first bad line."""
    days: dict[date, tuple[str, str]] = {}
    seen_content = False
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        try:
            fields = [f.strip() for f in next(csv.reader([stripped]))]
        except csv.Error:
            fields = []
        if not seen_content and fields and fields[0].lower() in _HEADER_WORDS:
            seen_content = True
            continue
        seen_content = True
        if len(fields) not in (2, 3):
            raise ValidationError(
                N_("Line {line}: expected \"date,holiday|workday,name\"."), line=number)
        if not _DATE.fullmatch(fields[0]):
            raise ValidationError(N_("Line {line}: \"{value}\" is not a date like 2026-01-01."),
                                  line=number, value=fields[0])
        try:
            day = date.fromisoformat(fields[0])
        except ValueError:
            raise ValidationError(N_("Line {line}: \"{value}\" is not a date like 2026-01-01."),
                                  line=number, value=fields[0]) from None
        kind = _KIND_WORDS.get(fields[1].lower())
        if kind is None:
            raise ValidationError(
                N_("Line {line}: the kind must be holiday, workday, 休 or 班, not \"{value}\"."),
                line=number, value=fields[1])
        name = fields[2] if len(fields) == 3 else ""
        _check_day(day, kind, name, line=number)
        if day in days:
            raise ValidationError(N_("Line {line}: {day} is listed twice."),
                                  line=number, day=day.isoformat())
        days[day] = (kind, name)
    if not days:
        raise ValidationError(N_("The file contains no calendar days."))
    return days


def import_calendar(text: str, *, now: datetime, actor) -> ImportResult:
    """Replace the calendar of every year in the file and mark those years official.

    rules.md §5: updatable without a new release. All or nothing: a bad line writes nothing.
    """
    _require_admin(actor)
    days = parse_calendar(text)
    years = sorted({d.year for d in days})
    with database.atomic():
        _bump_revision()
        count = _replace_years(days, years, source="import", now=now)
    return ImportResult(years=tuple(years), days=count)


def year_days(year: int) -> list[CalendarDay]:
    """The exceptions of one year, in date order (CalendarDay rows), for the settings screen."""
    first, last = _year_bounds(year)
    return list(CalendarDay.select().where(CalendarDay.day.between(first, last))
                .order_by(CalendarDay.day))


def export_calendar(year: int) -> str:
    """One year's exceptions in the import format, so export → import round-trips."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "kind", "name"])
    for row in year_days(year):
        writer.writerow([_as_date(row.day).isoformat(), row.kind, row.name])
    return out.getvalue()
