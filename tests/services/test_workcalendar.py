"""The working-day calendar: package data, provisional years, the calendar table (rules.md §5)."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from peewee import SqliteDatabase

from models.db import database
from models.entities import CalendarDay, CalendarYear, Setting
from services.errors import ValidationError
from services.i18n import language
from services.timelimits import (
    WorkCalendar,
    export_calendar,
    import_calendar,
    mark_year,
    parse_calendar,
    seed_from_package,
    set_day,
    statutory_holidays,
    year_days,
)
from services.timelimits.workcalendar import _CHUNK, _qingming_formula, lunar_to_solar

NOW = datetime(2025, 11, 20, 9, 0)


class _Admin:
    """Stands in for an owner: calendar edits are for owners and managers (rules.md §2)."""

    roles = "owner"
PACKAGE_YEARS = set(range(2004, 2027))


@pytest.fixture
def calendar_db():
    """A fresh in-memory database with the two calendar tables (to be replaced by conftest)."""
    previous = database.obj
    db = SqliteDatabase(":memory:")
    database.initialize(db)
    db.connect()
    db.create_tables([CalendarDay, CalendarYear, Setting])
    yield db
    db.close()
    database.initialize(previous)


def _table() -> dict[date, tuple[str, str, str]]:
    return {row.day: (row.kind, row.name, row.source) for row in CalendarDay.select()}


# --- the built-in calendar -------------------------------------------------------------------

def test_builtin_knows_the_package_years():
    cal = WorkCalendar.builtin()
    assert cal.known_years() == PACKAGE_YEARS
    assert cal.is_official(2026) and not cal.is_official(2027)


def test_builtin_make_up_days_and_holidays_2025():
    cal = WorkCalendar.builtin()
    assert cal.is_workday(date(2025, 9, 28))  # Sunday, make-up day (调休) for National Day
    assert cal.is_workday(date(2025, 10, 11))  # Saturday, make-up day
    assert not cal.is_workday(date(2025, 10, 1))
    assert not cal.is_workday(date(2025, 10, 8))  # Wednesday, still the holiday
    assert not cal.is_workday(date(2025, 9, 27))  # an ordinary Saturday
    assert cal.is_workday(date(2025, 9, 26))  # an ordinary Friday
    with language("en"):
        assert cal.holiday_name(date(2025, 10, 6)) == "Mid-autumn Festival"
        assert cal.holiday_name(date(2025, 9, 26)) == ""


def test_builtin_2026_spring_festival():
    cal = WorkCalendar.builtin()
    off = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 15–23 Feb
    assert not any(cal.is_workday(d) for d in off)
    assert cal.is_workday(date(2026, 2, 14)) and cal.is_workday(date(2026, 2, 28))  # Saturdays


# --- provisional years -----------------------------------------------------------------------

def test_statutory_holidays_2027():
    days = {d: n for d, n in statutory_holidays(2027) if n != "Day off in lieu"}
    assert len(days) == 13  # 2025 revision: 13 days off a year
    assert lunar_to_solar(2027, 1, 1) == date(2027, 2, 6)
    assert days[date(2027, 2, 5)] == "Spring Festival Eve"  # 除夕
    for d in (date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)):
        assert days[d] == "Spring Festival"
    assert days[date(2027, 1, 1)] == "New Year's Day"
    assert days[date(2027, 4, 5)] == "Tomb-sweeping Day"
    assert days[date(2027, 5, 2)] == "Labour Day"
    assert days[date(2027, 6, 9)] == "Dragon Boat Festival"
    assert days[date(2027, 9, 15)] == "Mid-autumn Festival"
    assert {d for d, n in days.items() if n == "National Day"} == {
        date(2027, 10, 1), date(2027, 10, 2), date(2027, 10, 3)}


def test_new_years_eve_after_a_29_day_twelfth_month():
    # Lunar 2025's twelfth month has 29 days: 除夕 2026 is 腊月廿九, 16 Feb.
    assert lunar_to_solar(2025, 12, 29) == date(2026, 2, 16)
    assert lunar_to_solar(2026, 1, 1) == date(2026, 2, 17)
    assert (date(2026, 2, 16), "Spring Festival Eve") in statutory_holidays(2026)


# Spring Festival, Dragon Boat and Mid-Autumn as published in public calendars (the
# Gregorian dates, not computed): the lunar conversion must agree for the provisional years.
KNOWN_LUNAR_HOLIDAYS = {
    2027: ("2027-02-06", "2027-06-09", "2027-09-15"),
    2028: ("2028-01-26", "2028-05-28", "2028-10-03"),
    2029: ("2029-02-13", "2029-06-16", "2029-09-22"),
    2030: ("2030-02-03", "2030-06-05", "2030-09-12"),
    2031: ("2031-01-23", "2031-06-24", "2031-10-01"),
    2032: ("2032-02-11", "2032-06-12", "2032-09-19"),
    2033: ("2033-01-31", "2033-06-01", "2033-09-08"),
    2034: ("2034-02-19", "2034-06-20", "2034-09-27"),
    2035: ("2035-02-08", "2035-06-10", "2035-09-16"),
}


@pytest.mark.parametrize("year", sorted(KNOWN_LUNAR_HOLIDAYS))
def test_lunar_holidays_match_the_published_dates(year):
    spring, dragon, autumn = (date.fromisoformat(d) for d in KNOWN_LUNAR_HOLIDAYS[year])
    assert lunar_to_solar(year, 1, 1) == spring
    assert lunar_to_solar(year, 5, 5) == dragon
    assert lunar_to_solar(year, 8, 15) == autumn
    days = dict(statutory_holidays(year))
    assert days[spring] == "Spring Festival"
    assert days[spring - timedelta(days=1)] == "Spring Festival Eve"
    assert days[dragon] in ("Dragon Boat Festival", "Day off in lieu")
    assert days[autumn] in ("Mid-autumn Festival", "National Day")


def test_lunar_conversion_agrees_with_the_package_years():
    # chinese_calendar's published years: its 春节 holiday contains lunar new year's day.
    for year in range(2008, 2027):
        spring = lunar_to_solar(year, 1, 1)
        assert chinese_calendar.get_holiday_detail(spring)[1] == "Spring Festival", year


def test_statutory_holidays_are_days_off_in_every_published_year():
    cal = WorkCalendar.builtin()
    for year in range(2008, 2027):  # the 2008 rules added 清明, 端午 and 中秋
        for day, name in statutory_holidays(year):
            if year < 2025 and (name in ("Spring Festival Eve", "Day off in lieu")
                                or (day.month, day.day) == (5, 2)):
                continue  # only days off since the 2025 revision (in lieu: of those days)
            assert not cal.is_workday(day), (day, name)


def test_qingming_formula_agrees_with_the_package():
    for year in range(1901, 2101):
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
        assert _qingming_formula(year) == terms[0][0], year


def test_provisional_year_uses_weekends_and_statutory_holidays():
    cal = WorkCalendar.builtin()
    assert not cal.is_workday(date(2027, 1, 1))  # Friday, New Year
    assert not cal.is_workday(date(2027, 2, 5))  # Friday, 除夕
    assert not cal.is_workday(date(2027, 2, 8))  # Monday, 初三
    assert not cal.is_workday(date(2027, 2, 9))  # in lieu of 初一, a Saturday (补假)
    assert cal.is_workday(date(2027, 2, 11))  # no make-up working days are guessed
    assert not cal.is_workday(date(2027, 2, 13))  # Saturday
    with language("en"):
        assert cal.holiday_name(date(2027, 2, 6)) == "Spring Festival"


def test_provisional_year_gives_a_day_off_in_lieu_of_each_weekend_holiday():
    # 全国年节及纪念日放假办法 第六条 (补假), for 2027, which has no calendar data: 初一 Sat 6 and
    # 初二 Sun 7 Feb (初三 Mon 8 is a holiday itself) → Tue 9, Wed 10; 1–2 May Sat–Sun →
    # Mon 3, Tue 4 May; 2–3 Oct Sat–Sun → Mon 4, Tue 5 Oct
    cal = WorkCalendar.builtin()
    assert not cal.is_official(2027)
    in_lieu = [d for d, name in statutory_holidays(2027) if name == "Day off in lieu"]
    assert in_lieu == [date(2027, 2, 9), date(2027, 2, 10), date(2027, 5, 3), date(2027, 5, 4),
                       date(2027, 10, 4), date(2027, 10, 5)]
    assert not any(cal.is_workday(d) for d in in_lieu)
    assert cal.is_workday(date(2027, 10, 6)) and cal.is_workday(date(2027, 5, 5))
    with language("en"):
        assert cal.holiday_name(date(2027, 5, 3)) == "Day off in lieu"
    with language("zh_CN"):
        assert cal.holiday_name(date(2027, 5, 3)) == "补假"
    # a holiday on a weekday gives nothing: New Year 2027 is a Friday, Mon 4 Jan is worked
    assert cal.is_workday(date(2027, 1, 4))
    # 2031: Qingming on Saturday 5 Apr → Mon 7 Apr; 初三 Sat 25 Jan → Mon 27 Jan
    assert {(date(2031, 4, 7), "Day off in lieu"), (date(2031, 1, 27), "Day off in lieu")} <= \
        set(statutory_holidays(2031))
    assert not cal.is_workday(date(2031, 4, 7))


def test_exception_in_provisional_year_wins():
    cal = WorkCalendar(holidays={date(2027, 2, 9): "extra"},
                       workdays={date(2027, 2, 20): "make-up"}, official_years={2026})
    assert not cal.is_workday(date(2027, 2, 9))
    assert cal.is_workday(date(2027, 2, 20))
    assert not cal.is_workday(date(2027, 2, 5))
    assert cal.holiday_name(date(2027, 2, 9)) == "extra"


def test_official_year_ignores_statutory_rule():
    cal = WorkCalendar(official_years={2027})  # an (odd) official year without exceptions
    assert cal.is_workday(date(2027, 2, 5))


def test_conflicting_exceptions_refused():
    with pytest.raises(ValueError):
        WorkCalendar(holidays={date(2025, 1, 1): "a"}, workdays={date(2025, 1, 1): "b"})


# --- the calendar table ----------------------------------------------------------------------

def test_seed_fills_every_package_year_in_a_few_statements(calendar_db, monkeypatch):
    # Quick because the days go in by the chunk, not one statement a day: counted, not timed.
    statements = []
    execute_sql = calendar_db.execute_sql

    def counted(sql, *args, **kwargs):
        statements.append(sql)
        return execute_sql(sql, *args, **kwargs)

    monkeypatch.setattr(calendar_db, "execute_sql", counted)
    written = seed_from_package(now=NOW)
    assert written == len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    day_inserts = [sql for sql in statements
                   if sql.startswith(f'INSERT INTO "{CalendarDay._meta.table_name}"')]
    assert len(day_inserts) == math.ceil(written / _CHUNK) > 1
    assert len(statements) < written / 10  # one a year and one a chunk, never one a day
    assert {y.year for y in CalendarYear.select()} == PACKAGE_YEARS
    assert {y.source for y in CalendarYear.select()} == {"package"}
    cal = WorkCalendar.from_database()
    builtin = WorkCalendar.builtin()
    assert cal.known_years() == PACKAGE_YEARS
    day = date(2004, 1, 1)
    while day < date(2028, 1, 1):
        assert cal.is_workday(day) == builtin.is_workday(day), day
        day += timedelta(days=1)


def test_seed_twice_is_idempotent_and_keeps_imported_years(calendar_db):
    seed_from_package(now=NOW)
    import_calendar("2025-01-01,holiday,New Year\n", now=NOW, actor=_Admin)
    again = seed_from_package(now=NOW)
    assert again == len([d for d in {**chinese_calendar.holidays, **chinese_calendar.workdays}
                         if d.year != 2025])
    assert [(r.day, r.source) for r in year_days(2025)] == [(date(2025, 1, 1), "import")]
    assert CalendarYear.get_by_id(2025).source == "import"


GOOD_FILE = """\ufeff# 2027 — a made-up arrangement for the test
date,kind,name

2027-01-01,holiday,元旦
2027-02-05,休,春节
2027-02-06,holiday,"Spring Festival, day 1"
2027-02-20,班,春节
2028-01-01,holiday
"""


def test_import_good_file(calendar_db):
    seed_from_package(now=NOW)
    result = import_calendar(GOOD_FILE, now=NOW, actor=_Admin)
    assert result.years == (2027, 2028) and result.days == 5
    table = _table()
    assert table[date(2027, 2, 5)] == ("holiday", "春节", "import")
    assert table[date(2027, 2, 6)][1] == "Spring Festival, day 1"
    assert table[date(2027, 2, 20)] == ("workday", "春节", "import")
    assert table[date(2028, 1, 1)] == ("holiday", "", "import")
    cal = WorkCalendar.from_database()
    assert cal.is_official(2027) and cal.is_official(2028)
    assert cal.is_workday(date(2027, 2, 20))
    assert cal.is_workday(date(2027, 2, 8))  # no longer a statutory guess: the file rules


def test_import_replaces_the_years_in_the_file_only(calendar_db):
    seed_from_package(now=NOW)
    import_calendar("2026-01-02,holiday,New Year\n", now=NOW, actor=_Admin)
    assert [r.day for r in year_days(2026)] == [date(2026, 1, 2)]
    assert len(year_days(2025)) == len([d for d in chinese_calendar.holidays if d.year == 2025]
                                       + [d for d in chinese_calendar.workdays if d.year == 2025])
    assert CalendarYear.get_by_id(2026).source == "import"
    assert CalendarYear.get_by_id(2025).source == "package"


@pytest.mark.parametrize(("line", "wrong"), [
    ("2027-13-01,holiday,x", "not a date"),
    ("27-01-01,holiday,x", "not a date"),
    ("2027-01-01,off,x", "kind must be"),
    ("2027-01-04,workday,x", "weekday"),  # a Monday cannot be a make-up day
    ("2027-01-01,holiday,x,y", "expected"),
    ("2027-01-01", "expected"),
    ("1999-01-01,holiday,x", "outside"),
    ("2027-01-01,holiday," + "x" * 61, "longer"),
    ("2027-01-01,holiday,again", "listed twice"),
])
def test_import_bad_line_writes_nothing(calendar_db, line, wrong):
    seed_from_package(now=NOW)
    before = _table()
    text = "# comment\n2027-01-01,holiday,元旦\n" + line + "\n2027-02-05,holiday,除夕\n"
    with pytest.raises(ValidationError) as caught:
        import_calendar(text, now=NOW, actor=_Admin)
    assert caught.value.params["line"] == 3
    with language("en"):
        assert caught.value.message().startswith("Line 3:")
        assert wrong in caught.value.message()
    assert _table() == before
    assert not CalendarYear.select().where(CalendarYear.year == 2027).exists()


def test_import_empty_file_refused(calendar_db):
    with pytest.raises(ValidationError):
        import_calendar("# nothing here\n\ndate,kind,name\n", now=NOW, actor=_Admin)


def test_export_round_trips(calendar_db):
    seed_from_package(now=NOW)
    set_day(date(2025, 12, 31), "holiday", name='Firm day, "ours"', now=NOW, actor=_Admin)
    before = [(r.day, r.kind, r.name) for r in year_days(2025)]
    text = export_calendar(2025)
    assert text.startswith("date,kind,name\n")
    assert parse_calendar(text) == {d: (k, n) for d, k, n in before}
    import_calendar(text, now=NOW, actor=_Admin)
    assert [(r.day, r.kind, r.name) for r in year_days(2025)] == before
    assert {r.source for r in year_days(2025)} == {"import"}


def test_set_day_adds_and_removes_an_exception(calendar_db):
    seed_from_package(now=NOW)
    monday = date(2025, 12, 29)
    row = set_day(monday, "holiday", name=" Firm outing ", now=NOW, actor=_Admin)
    assert (row.kind, row.name, row.source) == ("holiday", "Firm outing", "user")
    assert not WorkCalendar.from_database().is_workday(monday)
    # the year is now the user's: a new seed keeps the edit
    assert CalendarYear.get_by_id(2025).source == "user"
    seed_from_package(now=NOW)
    assert _table()[monday] == ("holiday", "Firm outing", "user")
    assert set_day(monday, None, now=NOW, actor=_Admin) is None
    assert WorkCalendar.from_database().is_workday(monday)
    assert monday not in _table()


def test_set_day_make_up_saturday_in_provisional_year(calendar_db):
    seed_from_package(now=NOW)
    saturday = date(2027, 2, 20)
    set_day(saturday, "workday", name="春节调休", now=NOW, actor=_Admin)
    cal = WorkCalendar.from_database()
    assert cal.is_workday(saturday)
    assert not cal.is_official(2027)  # one day does not make the year official


def test_set_day_refuses_nonsense(calendar_db):
    with pytest.raises(ValidationError):
        set_day(date(2025, 12, 29), "workday", now=NOW, actor=_Admin)  # a Monday
    with pytest.raises(ValidationError):
        set_day(date(2025, 12, 27), "party", now=NOW, actor=_Admin)
    assert _table() == {}


def test_mark_year(calendar_db):
    mark_year(2027, official=True, now=NOW, actor=_Admin)
    assert WorkCalendar.from_database().is_official(2027)
    mark_year(2027, official=False, now=NOW, actor=_Admin)
    assert not WorkCalendar.from_database().is_official(2027)


def test_calendar_edits_need_an_owner_or_manager(calendar_db):
    from services.errors import PermissionDenied

    class Receiver:
        roles = "receiver"

    with pytest.raises(PermissionDenied):
        set_day(date(2025, 12, 31), "holiday", now=NOW, actor=Receiver)
    with pytest.raises(PermissionDenied):
        import_calendar("2025-01-01,holiday,New Year\n", now=NOW, actor=Receiver)
    assert CalendarDay.select().count() == 0


def test_every_write_changes_the_revision(calendar_db):
    from services.timelimits import revision

    first = revision()
    set_day(date(2025, 12, 31), "holiday", now=NOW, actor=_Admin)
    second = revision()
    set_day(date(2025, 12, 31), None, now=NOW, actor=_Admin)
    assert first < second < revision()
