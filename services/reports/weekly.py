"""The weekly classification statistics (每周分类统计, docs/rules.md §8.8; company rulebook 5.1.3,
5.2.6): the complaints received in one ISO week (Monday to Sunday), counted by category, with
the week before for comparison. The same grouped SQL as the monthly summary
(``figures.received``), over a week instead of a month.

Like the monthly summary, only managers and the owner may run it, and it counts only the
complaints the actor may see (docs/rules.md §2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import services.reports.figures as sql
from models.entities import Category, User
from services import clock
from services.errors import ValidationError
from services.firm import KIND_NAMES
from services.i18n import N_, BilingualName, _
from services.people import require_role, visible_filter

_WEEK = re.compile(r"(\d{4})-?W(\d{1,2})", re.IGNORECASE)
WEEKLY_COLUMNS = (N_("Code"), N_("Category"), N_("Kind"), N_("This week"),
                  N_("Previous week"), N_("Change"))


@dataclass(frozen=True)
class WeeklyRow(BilingualName):
    """One category: complaints received in the week and in the week before."""

    code: str
    name_zh: str
    name_en: str
    kind: str  # the category's kind: customer | employee | any
    count: int
    previous: int
    change: int


@dataclass(frozen=True)
class WeeklyStatistics:
    week: str  # ISO week, "2026-W05"
    first_day: date  # Monday
    last_day: date  # Sunday
    previous_week: str
    made_at: datetime
    received: int
    previous_received: int
    by_category: tuple[WeeklyRow, ...]  # every active category, then any other counted

    def table(self) -> tuple[tuple[str, ...], list[list]]:
        """(headers, rows) in the current language: what the screen and the CLI show, with
        a total line last."""
        rows = [[r.code, r.name, _(KIND_NAMES.get(r.kind, N_("Any"))), r.count, r.previous,
                 r.change] for r in self.by_category]
        rows.append(["", _("Total"), "", self.received, self.previous_received,
                     self.received - self.previous_received])
        return tuple(_(h) for h in WEEKLY_COLUMNS), rows


def week_label(day: date) -> str:
    """The ISO week holding ``day``: "2026-W05"."""
    year, week, _weekday = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def clean_week(value) -> date:
    """The Monday of a week given as "2026-W05" (ISO), or as any day in it (a date or
    "2026-01-28")."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value - timedelta(days=value.weekday())
    text = str(value or "").strip()
    m = _WEEK.fullmatch(text)
    try:
        if m:
            return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not 2000 <= day.year <= 2100:
        raise ValidationError(N_("The week must look like 2026-W05, or be a date in it such "
                                 "as 2026-01-28."), field="week", value=text)
    return day - timedelta(days=day.weekday())


def recent_weeks(today: date, n: int = 12) -> list[str]:
    """``n`` weeks, newest first, starting with the one before ``today``'s (the last one
    complete)."""
    monday = today - timedelta(days=today.weekday())
    return [week_label(monday - timedelta(weeks=i)) for i in range(1, n + 1)]


def weekly_statistics(*, actor: User, week) -> WeeklyStatistics:
    """The complaints received in ``week`` (see clean_week) by category, against the week
    before. Owner and manager only; only the complaints ``actor`` may see."""
    require_role(actor, "owner", "manager")
    monday = clean_week(week)
    start = datetime.combine(monday, datetime.min.time())
    w = sql.Window(start - timedelta(weeks=1), start, start + timedelta(weeks=1))
    counts: dict[int, dict[int, int]] = {0: {}, 1: {}}
    for period, category, _channel, _kind, _dept, _state, n in sql.received(
            w, visible_filter(actor)):
        slot = counts[period]
        slot[category] = slot.get(category, 0) + n
    cur, prev = counts[1], counts[0]
    rows = []
    for c in Category.select().order_by(Category.sort, Category.id):
        if not (c.active or c.id in cur or c.id in prev):
            continue
        n, before = cur.get(c.id, 0), prev.get(c.id, 0)
        rows.append(WeeklyRow(c.code, c.name_zh, c.name_en, c.kind, n, before, n - before))
    total, total_before = sum(cur.values()), sum(prev.values())
    return WeeklyStatistics(week_label(monday), monday, monday + timedelta(days=6),
                            week_label(monday - timedelta(weeks=1)), clock.now(), total,
                            total_before, tuple(rows))
