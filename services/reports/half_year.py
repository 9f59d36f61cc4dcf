"""The bank profile's half-year statistics (docs/rules.md §8.9): six months' totals of customer
complaints, summed from the monthly summaries so they agree with them, and the reminder of the
report due next (30 January, 30 July). services.documents prints them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import fn

import services.reports.figures as sql
from models.db import database
from models.entities import Category, Complaint, Department, Event, Firm, Setting
from services import clock, settings
from services.errors import ValidationError
from services.i18n import N_, _, format_date, localized, ngettext
from services.people import NO_DEPARTMENT, require_role, visible_filter
from services.reports.register import clean_year, short_text
from services.reports.summary import monthly_summary, percent

HOT_SPOTS = 3  # the causes and business lines named as hot spots
MEASURES = 8  # the corrective measures listed, most often recorded first
FORWARDED_CHANNELS = ("authority",)  # forwarded by the regulator, 12378 and the like


@dataclass(frozen=True)
class Breakdown:
    """One line of a half-year breakdown: this half, the half before and the change."""

    name: str
    count: int
    previous: int
    change: int


@dataclass(frozen=True)
class Forwarded:
    """A complaint forwarded by an authority (the regulator, 12378…) and what came of it."""

    ticket: str
    received: datetime
    source: str  # who forwarded it, as recorded ("" when not said)
    state: str  # code
    result: str  # the decision, short
    satisfaction: str  # satisfied | dissatisfied | ""
    closed_at: datetime | None


@dataclass(frozen=True)
class ForwardedBy:
    """The complaints one authority forwarded in the half, and how they ended."""

    source: str  # "" when not recorded
    received: int
    closed: int
    satisfied: int
    dissatisfied: int


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
    # the regulator's layout (docs/rules.md §8.9): customer complaints only
    by_line: tuple[Breakdown, ...] = ()  # business line: the department complained about
    by_cause: tuple[Breakdown, ...] = ()  # complaint category, by name
    forwarded: tuple[Forwarded, ...] = ()  # oldest first
    forwarded_by: tuple[ForwardedBy, ...] = ()  # per authority, most complaints first
    hot_spots: tuple[Breakdown, ...] = ()  # the top causes and lines
    measures: tuple[tuple[str, int], ...] = ()  # corrective measure (short), times recorded
    ended: bool = True  # False: the half has not ended, the report is provisional
    contact: str = ""  # who made it (the contact person)
    contact_phone: str = ""


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
    start = datetime(year, 6 * half - 5, 1)
    end = datetime(year + half - 1, 1 if half == 2 else 7, 1)
    previous = datetime(year - 1, 7, 1) if half == 1 else datetime(year, 1, 1)
    w = sql.Window(previous, start, end)
    visible = visible_filter(actor) & (Complaint.kind == "customer")
    by_line, by_cause = _breakdowns(w, visible)
    forwarded = _forwarded(w, visible)
    firm = settings.firm_info()
    hot = sorted(by_cause, key=lambda b: -b.count)[:HOT_SPOTS] + \
        sorted(by_line, key=lambda b: -b.count)[:HOT_SPOTS]
    return HalfYear(year, half, months, filing_date(year, half),
                    sum(x.received.current or 0 for x in summaries),
                    sum(x.closed.current or 0 for x in summaries), on_time,
                    _sum_rows(summaries, "by_category"), _sum_rows(summaries, "by_channel"),
                    by_line=by_line, by_cause=by_cause, forwarded=forwarded,
                    forwarded_by=_forwarded_by(forwarded),
                    hot_spots=tuple(b for b in hot if b.count),
                    measures=_measures(w, visible),
                    ended=_half_end(year, half) < clock.now().date(),
                    contact=actor.name, contact_phone=actor.phone or firm.phone)


def _breakdowns(w: sql.Window, visible) -> tuple[tuple[Breakdown, ...], tuple[Breakdown, ...]]:
    """Customer complaints received in the half and the half before, by business line (the
    department complained about) and by cause (category), by name."""
    lines: dict[str, list[int]] = {}
    causes: dict[str, list[int]] = {}
    cats = {c.id: localized(c.name_zh, c.name_en) for c in Category.select()}
    depts = {d.id: d.name for d in Department.select()}
    for period, category, _channel, _kind, department, _state, n in sql.received(w, visible):
        lines.setdefault(depts.get(department, _(NO_DEPARTMENT)), [0, 0])[period] += n
        causes.setdefault(cats.get(category, str(category)), [0, 0])[period] += n

    def rows(counts):
        return tuple(Breakdown(name, now, before, now - before)
                     for name, (before, now) in sorted(counts.items(),
                                                       key=lambda kv: (-kv[1][1], kv[0]))
                     if now or before)
    return rows(lines), rows(causes)


def _forwarded(w: sql.Window, visible) -> tuple[Forwarded, ...]:
    q = (Complaint.select(Complaint.ticket, Complaint.received_at, Complaint.channel_detail,
                          Complaint.state, Complaint.decision, Complaint.satisfaction,
                          Complaint.closed_at)
         .where((Complaint.received_at >= w.start) & (Complaint.received_at < w.end)
                & Complaint.channel.in_(FORWARDED_CHANNELS) & visible)
         .order_by(Complaint.received_at, Complaint.id))
    return tuple(Forwarded(t, at, detail, state, short_text(decision), sat, closed)
                 for t, at, detail, state, decision, sat, closed in q.tuples())


def _forwarded_by(forwarded: tuple[Forwarded, ...]) -> tuple[ForwardedBy, ...]:
    tally: dict[str, list[int]] = {}
    for f in forwarded:
        slot = tally.setdefault(f.source, [0, 0, 0, 0])
        slot[0] += 1
        slot[1] += f.closed_at is not None
        slot[2] += f.satisfaction == "satisfied"
        slot[3] += f.satisfaction == "dissatisfied"
    return tuple(ForwardedBy(source, *counts) for source, counts in
                 sorted(tally.items(), key=lambda kv: (-kv[1][0], kv[0])))


def _measures(w: sql.Window, visible) -> tuple[tuple[str, int], ...]:
    """The corrective measures recorded on the half's complaints — the measures of quality
    memos and the decisions taken (which hold the internal measures: an internal report) —
    the same wording counted together, most frequent first."""
    in_half = (Complaint.received_at >= w.start) & (Complaint.received_at < w.end) & visible
    measures = sql._json(Event.data, "measures")
    counts: dict[str, int] = {}
    memo = (Event.select(measures, fn.COUNT(Event.id))
            .join(Complaint, on=(Event.complaint == Complaint.id))
            .where(in_half & (Event.action == "quality_memo") & measures.is_null(False))
            .group_by(measures))
    decided = (Complaint.select(Complaint.decision, fn.COUNT(Complaint.id))
               .where(in_half & (Complaint.decision != "")).group_by(Complaint.decision))
    for text, n in [*memo.tuples(), *decided.tuples()]:
        key = short_text(str(text or ""), 80)
        if key:
            counts[key] = counts.get(key, 0) + n
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MEASURES]
    return tuple(top)


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
