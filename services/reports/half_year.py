"""The bank profile's half-year statistics (docs/rules.md §8.9): six months' totals, summed
from the monthly summaries so they agree with them. services.documents prints them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services import settings
from services.errors import ValidationError
from services.i18n import N_
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
    summaries = [monthly_summary(actor=actor, month=m) for m in months]
    rules, names = {}, {}
    for summary in summaries:
        for r in summary.on_time:
            names.setdefault(r.code, r.name)
            slot = rules.setdefault(r.code, [0, 0])
            slot[0] += r.on_time
            slot[1] += r.due
    on_time = tuple((code, names[code], n, due, percent(n, due))
                    for code, (n, due) in rules.items())
    return HalfYear(year, half, months,
                    date(year, 7, 30) if half == 1 else date(year + 1, 1, 30),
                    sum(x.received.current or 0 for x in summaries),
                    sum(x.closed.current or 0 for x in summaries), on_time,
                    _sum_rows(summaries, "by_category"), _sum_rows(summaries, "by_channel"))
