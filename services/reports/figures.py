"""The SQL behind the monthly summary (docs/rules.md §8.8): one grouped query per table of figures.

Each query covers the chosen month and the one before it at once and groups by ``period``
(1 = the chosen month, 0 = the month before), so a summary reads each table once. Python only
folds the grouped rows (tens to hundreds), never the complaints themselves (docs/rules.md §10).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import SQL, Case, Cast, NodeList, fn
from peewee import Window as PWindow

from models.db import database, is_postgres
from models.entities import Clock, Complaint, Event
from models.penalties import PenaltyEntry, PenaltyEntryEvent, PenaltyRule
from models.warranty import WarrantyClaim
from services.complaints import CLOSED_STATES

REPEAT_DAYS = 90  # a complaint from the same phone within this many days is a repeat


@dataclass(frozen=True)
class Window:
    """The two months a summary compares: [previous, start) and [start, end)."""

    previous: datetime
    start: datetime
    end: datetime

    def period(self, column):
        return Case(None, ((column >= self.start, 1),), 0)

    def covers(self, column):
        return (column >= self.previous) & (column < self.end)


def _hours(start, end):
    """``end - start`` in hours, in SQL."""
    if is_postgres():
        return fn.date_part("epoch", end - start) / 3600.0
    return (fn.julianday(end) - fn.julianday(start)) * 24.0


def _json(field, key: str):
    """One key of a JSON text column: SQLite gives 1/0 for true/false, PostgreSQL 'true'."""
    if is_postgres():
        return NodeList((Cast(field, "json"), SQL("->>"), key), glue=" ", parens=True)
    return fn.json_extract(field, f"$.{key}")


def truthy(value) -> bool:
    return str(value).lower() in ("1", "true")


def received(w: Window, visible) -> list[tuple]:
    """(period, category id, channel, kind, department id, state, count) of complaints
    received in either month."""
    period = w.period(Complaint.received_at)
    q = (Complaint.select(period.alias("p"), Complaint.category, Complaint.channel,
                          Complaint.kind, Complaint.respondent_department, Complaint.state,
                          fn.COUNT(Complaint.id))
         .where(w.covers(Complaint.received_at) & visible)
         .group_by(period, Complaint.category, Complaint.channel, Complaint.kind,
                   Complaint.respondent_department, Complaint.state))
    return list(q.tuples())


def repeats(w: Window, visible) -> dict[int, int]:
    """Complaints received in each month whose phone had an earlier complaint within
    REPEAT_DAYS (any complaint: being a repeat is a fact about the new one).

    SQLite walks the phone index for each (40 ms on 100,000 complaints). PostgreSQL gets a
    window function instead (the latest strictly earlier receipt of the same phone): without
    fresh statistics, after a bulk load, it planned the correlated EXISTS as a nested loop
    over the received_at index and took over 20 s."""
    if is_postgres():
        return _repeats_by_window(w, visible)
    earlier = Complaint.alias("earlier")
    cutoff = fn.datetime(Complaint.received_at, f"-{REPEAT_DAYS} days")
    had_earlier = fn.EXISTS(
        earlier.select(SQL("1")).where(
            (earlier.complainant_phone == Complaint.complainant_phone)
            & (earlier.received_at < Complaint.received_at) & (earlier.received_at >= cutoff)))
    period = w.period(Complaint.received_at)
    q = (Complaint.select(period.alias("p"), fn.COUNT(Complaint.id))
         .where(w.covers(Complaint.received_at) & visible
                & (Complaint.complainant_phone != "") & had_earlier)
         .group_by(period))
    return dict(q.tuples())


def _repeats_by_window(w: Window, visible) -> dict[int, int]:
    rc = Complaint.alias("rc")
    latest_before = fn.MAX(rc.received_at).over(
        partition_by=[rc.complainant_phone], order_by=[rc.received_at],
        frame_type=PWindow.RANGE, start=PWindow.preceding(), end=PWindow.CURRENT_ROW,
        exclude=PWindow.GROUP)  # ties (the same second) are not earlier
    recent = (rc.select(rc.id.alias("cid"), rc.received_at.alias("at"),
                        latest_before.alias("before"))
              .where((rc.complainant_phone != "")
                     & (rc.received_at >= w.previous - timedelta(days=REPEAT_DAYS))
                     & (rc.received_at < w.end))
              .alias("recent"))
    period = w.period(Complaint.received_at)
    q = (Complaint.select(period.alias("p"), fn.COUNT(Complaint.id))
         .join(recent, on=(recent.c.cid == Complaint.id))
         .where(w.covers(Complaint.received_at) & recent.c.before.is_null(False)
                & (recent.c.before >= recent.c.at - SQL(f"interval '{REPEAT_DAYS} days'"))
                & visible)
         .group_by(period))
    return dict(q.tuples())


def daily(start: datetime, end: datetime, visible) -> dict[date, int]:
    day = fn.DATE(Complaint.received_at)
    q = (Complaint.select(day.alias("d"), fn.COUNT(Complaint.id))
         .where((Complaint.received_at >= start) & (Complaint.received_at < end) & visible)
         .group_by(day))
    return {_day(d): n for d, n in q.tuples()}


def _day(value) -> date:
    # SQLite gives text, PostgreSQL a date; peewee may have made either a datetime.
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def open_at_end(w: Window, visible) -> tuple[int, int]:
    """Complaints not closed at the end of each month (as their present closing time tells:
    one reopened later counts as open from its receipt on), as (previous, chosen month).

    Still open, plus closed after the month began: two index reads instead of one over
    every complaint received before the month's end."""
    def received_by(end):
        return Case(None, ((Complaint.received_at < end, 1),), 0)

    def closed_after(end):
        return Case(None, (((Complaint.received_at < end) & (Complaint.closed_at >= end), 1),),
                    0)

    still_open = (Complaint.select(fn.SUM(received_by(w.start)), fn.SUM(received_by(w.end)))
                  .where(Complaint.closed_at.is_null() & visible).tuples().first())
    closed_later = (Complaint.select(fn.SUM(closed_after(w.start)), fn.SUM(closed_after(w.end)))
                    .where((Complaint.closed_at >= w.start) & visible).tuples().first())
    return tuple(int(a or 0) + int(b or 0)
                 for a, b in zip(still_open or (0, 0), closed_later or (0, 0), strict=True))


def _closed_state():
    # Wrapped so the planner reads the month by closed_at, not every closed complaint by state.
    return Case(None, ((Complaint.state.in_(CLOSED_STATES), 1),), 0) == 1


def closed(w: Window, visible) -> list[tuple]:
    """(period, root cause, closed, total hours, longest hours) of complaints closed in either
    month, hours from receipt to closing: one read serves the counts, the handling times and
    the root causes."""
    period = w.period(Complaint.closed_at)
    hours = _hours(Complaint.received_at, Complaint.closed_at)
    q = (Complaint.select(period.alias("p"), Complaint.root_cause, fn.COUNT(Complaint.id),
                          fn.SUM(hours), fn.MAX(hours))
         .where(w.covers(Complaint.closed_at) & _closed_state() & visible)
         .group_by(period, Complaint.root_cause))
    return list(q.tuples())


def clocks(w: Window, visible, now: datetime, hidden=None) -> list[tuple]:
    """(period, rule id, status, late, overdue now, count) of clocks due in either month.

    ``hidden``: a query of the ids of the only complaints ``visible`` leaves out (a manager's
    or the owner's, docs/rules.md §2); then the clocks are counted without looking each one's
    complaint up (docs/rules.md §10)."""
    period = w.period(Clock.due_at)
    overdue = Case(None, ((Clock.due_at < now, 1),), 0)
    q = Clock.select(period.alias("p"), Clock.rule, Clock.status, Clock.late,
                     overdue.alias("o"), fn.COUNT(Clock.id))
    if hidden is None:
        q = (q.join(Complaint, on=(Clock.complaint == Complaint.id))
             .where(w.covers(Clock.due_at) & visible))
    else:
        q = q.where(w.covers(Clock.due_at) & Clock.complaint.not_in(hidden))
    return list(q.group_by(period, Clock.rule, Clock.status, Clock.late, overdue).tuples())


EVENT_ACTIONS = ("record_satisfaction", "review", "external_route")


def events(w: Window, visible, hidden=None) -> list[tuple]:
    """(period, action, satisfied, review kind, route, count) of the timeline events the
    summary counts, by when they happened (``Event.at``); ``hidden`` as for ``clocks``."""
    period = w.period(Event.at)
    sat, kind, route = _json(Event.data, "satisfied"), _json(Event.data, "kind"), \
        _json(Event.data, "route")
    q = Event.select(period.alias("p"), Event.action, sat.alias("s"), kind.alias("k"),
                     route.alias("r"), fn.COUNT(Event.id))
    counted = w.covers(Event.at) & Event.action.in_(EVENT_ACTIONS)
    if hidden is None:
        q = q.join(Complaint, on=(Event.complaint == Complaint.id)).where(counted & visible)
    else:
        q = q.where(counted & Event.complaint.not_in(hidden))
    return list(q.group_by(period, Event.action, sat, kind, route).tuples())


def warranty_claims(w: Window, visible) -> list[tuple]:
    """(period, in warranty, outcome, count) of claims made in either month, by the claim's own
    date (``claim_date``, not when the row was written); none when the database has no
    warranty tables."""
    if not database.table_exists(WarrantyClaim._meta.table_name):
        return []
    # A DateField against dates: SQLite compares the ISO text, and "2026-10-01" sorts before
    # "2026-10-01 00:00:00".
    start, end, previous = w.start.date(), w.end.date(), w.previous.date()
    period = Case(None, ((WarrantyClaim.claim_date >= start, 1),), 0)
    q = (WarrantyClaim.select(period.alias("p"), WarrantyClaim.in_warranty,
                              WarrantyClaim.outcome, fn.COUNT(WarrantyClaim.id))
         .join(Complaint, on=(WarrantyClaim.complaint == Complaint.id))
         .where((WarrantyClaim.claim_date >= previous) & (WarrantyClaim.claim_date < end)
                & visible)
         .group_by(period, WarrantyClaim.in_warranty, WarrantyClaim.outcome))
    return list(q.tuples())


def fines(months: tuple[str, str]) -> list[tuple]:
    """(month, status, is a reversal, count, sum of amount + loss) of the fine (not reward)
    status events proposed or approved in the two months. The months are those stored on
    the events (docs/rules.md §7: the month it was proposed in, then approved in)."""
    reversal = Case(None, ((PenaltyEntry.reverses.is_null(False), 1),), 0)
    q = (PenaltyEntryEvent.select(PenaltyEntryEvent.month, PenaltyEntryEvent.status,
                                  reversal.alias("rv"), fn.COUNT(PenaltyEntryEvent.id),
                                  fn.SUM(PenaltyEntryEvent.amount + PenaltyEntryEvent.loss))
         .join(PenaltyEntry, on=(PenaltyEntryEvent.entry == PenaltyEntry.id))
         .join(PenaltyRule, on=(PenaltyEntry.rule == PenaltyRule.id))
         .where(PenaltyEntryEvent.month.in_(months)
                & PenaltyEntryEvent.status.in_(("proposed", "approved"))
                & (PenaltyRule.reward == False))  # noqa: E712
         .group_by(PenaltyEntryEvent.month, PenaltyEntryEvent.status, reversal))
    return list(q.tuples())
