"""The bank profile's half-year statistics (docs/rules.md §8.9): six months' totals of customer
complaints, summed from the monthly summaries so they agree with them, and the reminder of the
report due next (30 January, 30 July). services.documents prints them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from models.db import database
from models.entities import Firm, Setting
from services import clock, settings
from services.errors import ValidationError
from services.i18n import N_, _, format_date, ngettext
from services.people import require_role
from services.reports.register import clean_year
from services.reports.summary import monthly_summary, percent


@dataclass(frozen=True)
class HalfYear:
    year: int
    half: int
    months: tuple[str, ...]
    due: date  # 30 July for the first half, 30 January of the next year for the second
    received: int
    closed: int
    # code, name, on time, due, on-time rate (%)
    on_time: tuple[tuple[str, str, int, int, Decimal | None], ...]
    by_category: tuple[tuple[str, str, int], ...]  # code, name, complaints received
    by_channel: tuple[tuple[str, str, int], ...]


def _sum_rows(summaries, attr: str) -> tuple[tuple[str, str, int], ...]:
    names, counts = {}, {}
    for summary in summaries:
        for r in getattr(summary, attr):
            names.setdefault(r.code, r.name)
            counts[r.code] = counts.get(r.code, 0) + r.count
    return tuple((code, names[code], counts[code]) for code in names)


def filing_date(year: int, half: int) -> date:
    """bank notice 第十六条: the first half is filed by 30 July, the second by 30 January."""
    return date(year, 7, 30) if half == 1 else date(year + 1, 1, 30)


def half_year_totals(year, half: int, *, actor) -> HalfYear:
    """The first (``half`` 1) or second half of ``year``; names in the current language.
    Bank branches only; owner and manager only."""
    year = clean_year(year)
    if half not in (1, 2):
        raise ValidationError(N_("The half must be 1 or 2."), field="half")
    if settings.firm_info().profile != "bank":
        raise ValidationError(N_("The half-year report is for bank branches only."),
                              field="profile")
    require_role(actor, "owner", "manager")
    months = tuple(f"{year:04d}-{m:02d}" for m in range(6 * half - 5, 6 * half + 1))
    # docs/rules.md §8.9 (bank notice 第十六条, 金融消费者投诉): customer complaints only, never
    # employee complaints.
    summaries = [monthly_summary(actor=actor, month=m, kind="customer") for m in months]
    rules, names = {}, {}
    for summary in summaries:
        for r in summary.on_time:
            names.setdefault(r.code, r.name)
            slot = rules.setdefault(r.code, [0, 0])
            slot[0] += r.on_time
            slot[1] += r.due
    on_time = tuple((code, names[code], n, due, percent(n, due))
                    for code, (n, due) in rules.items())
    return HalfYear(year, half, months, filing_date(year, half),
                    sum(x.received.current or 0 for x in summaries),
                    sum(x.closed.current or 0 for x in summaries), on_time,
                    _sum_rows(summaries, "by_category"), _sum_rows(summaries, "by_channel"))


# --- the reminder ------------------------------------------------------------------------------

FILED_KEY = "half_year_reports_filed"  # Setting: {"2026-H1": {"by": login, "at": iso}, …}
DUE_SOON_DAYS = 14  # the reminder warns this many days before the filing date


@dataclass(frozen=True)
class HalfYearDue:
    """The half-year report to be filed next (docs/rules.md §8.9)."""

    year: int
    half: int
    due: date
    days_left: int  # negative: that many days overdue
    overdue: bool
    due_soon: bool  # due within DUE_SOON_DAYS, not yet overdue
    ended: bool  # the half is over, so the report can be made and marked filed

    @property
    def period(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def status(self) -> str:
        return "overdue" if self.overdue else "due_soon" if self.due_soon else "upcoming"


def describe_due(d: HalfYearDue) -> str:
    """The reminder in a sentence, in the current language."""
    values = dict(period=d.period, due=format_date(d.due))
    if d.overdue:
        n = -d.days_left
        return ngettext("The half-year statistics report {period} was due on {due}: {n} day "
                        "overdue.", "The half-year statistics report {period} was due on {due}: "
                        "{n} days overdue.", n).format(n=n, **values)
    if d.due_soon:
        return ngettext("The half-year statistics report {period} is due on {due}: {n} day "
                        "left.", "The half-year statistics report {period} is due on {due}: "
                        "{n} days left.", d.days_left).format(n=d.days_left, **values)
    return _("Next half-year statistics report: {period}, due on {due}.").format(**values)


def _filed() -> dict:
    row = Setting.get_or_none(Setting.key == FILED_KEY)
    return dict(row.value or {}) if row else {}


def _half_of(day: date) -> tuple[int, int]:
    return day.year, 1 if day.month <= 6 else 2


def _previous_half(year: int, half: int) -> tuple[int, int]:
    return (year, 1) if half == 2 else (year - 1, 2)


def _half_end(year: int, half: int) -> date:
    return date(year, 6, 30) if half == 1 else date(year, 12, 31)


def half_year_due(*, actor, today: date | None = None) -> HalfYearDue | None:
    """The half-year report due next, and when; None for a firm that is not a bank branch.
    The half that ended last is due until it is marked filed (``mark_half_year_filed``),
    overdue after its filing date; once filed, the half running now is next. A half that
    ended before the firm was set up in the program is not asked for. Owner and manager
    only, as the report itself."""
    if settings.firm_info().profile != "bank":
        return None
    require_role(actor, "owner", "manager")
    today = today or clock.now().date()
    filed = _filed()
    current = _half_of(today)
    last = _previous_half(*current)
    set_up = Firm.select(Firm.created_at).first().created_at
    set_up_day = set_up.date() if isinstance(set_up, datetime) else set_up
    ours = set_up_day is None or _half_end(*last) >= set_up_day
    year, half = last if ours and f"{last[0]}-H{last[1]}" not in filed else current
    due = filing_date(year, half)
    days_left = (due - today).days
    return HalfYearDue(year, half, due, days_left, overdue=days_left < 0,
                       due_soon=0 <= days_left <= DUE_SOON_DAYS,
                       ended=_half_end(year, half) < today)


def mark_half_year_filed(year, half: int, *, actor, filed: bool = True) -> HalfYearDue | None:
    """Record that the half-year report of ``year``/``half`` was sent to the regulator (or,
    ``filed`` False, take that back); the reminder moves on. Owner and manager only."""
    year = clean_year(year)
    if half not in (1, 2):
        raise ValidationError(N_("The half must be 1 or 2."), field="half")
    if settings.firm_info().profile != "bank":
        raise ValidationError(N_("The half-year report is for bank branches only."),
                              field="profile")
    require_role(actor, "owner", "manager")
    today = clock.now().date()
    if filed and _half_end(year, half) >= today:
        raise ValidationError(N_("That half-year has not ended yet."), field="half")
    key = f"{year}-H{half}"
    with database.atomic():
        done = _filed()
        if filed:
            done[key] = {"by": actor.login, "at": clock.now().isoformat(sep=" ")}
        else:
            done.pop(key, None)
        (Setting.insert(key=FILED_KEY, value=done)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: done}).execute())
    return half_year_due(actor=actor, today=today)
