"""The monthly summary for owners (docs/rules.md §8.8): every figure of the Reports screen and of
the printed summary comes from ``monthly_summary``, so screen and paper never disagree.

Only managers and the owner may run it, and it counts only the complaints the actor may see
(docs/rules.md §2: an owner complained about does not count that complaint; the manager does).
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import services.reports.figures as sql
from models.db import database
from models.entities import Category, Complaint, DeadlineRule, Department, User
from models.warranty import WarrantyClaim
from services import clock, settings
from services.cells import xlsx_as_text
from services.complaints import STATE_NAMES
from services.firm import CHANNEL_NAMES, EXTERNAL_ROUTE_NAMES, KIND_NAMES, KINDS
from services.i18n import N_, BilingualName, _, language
from services.i18n import language as in_language
from services.penalties import clean_month, month_of
from services.people import NO_DEPARTMENT, require_role, visible_filter
from services.validation import clean_choice, money
from services.warranty import OUTCOME_NAMES

TENTH = Decimal("0.1")
TOP_ROOT_CAUSES = 5
REVIEW_KINDS = {"review": "reviews", "final": "final_reviews"}  # 复审 / 终审 (event data.kind)
UNDECIDED = "undecided"
# What only a repair shop has (docs/rules.md §8.8: a report leaves out what does not apply to
# the firm's profile): the warranty figures and the road transport authority's mediation.
WARRANTY_PROFILES = ("repair-shop",)
WARRANTY_FIELDS = ("warranty_claims", "warranty_in", "warranty_out")
REPAIR_ONLY_ROUTES = ("mediation",)
WARRANTY_OUTCOME_NAMES = {**OUTCOME_NAMES, UNDECIDED: N_("Not yet decided")}


@dataclass(frozen=True)
class Figure:
    """One number for the chosen month, the month before, and the change (None: no data)."""

    current: int | Decimal | None
    previous: int | Decimal | None
    change: int | Decimal | None


@dataclass(frozen=True)
class CountRow(BilingualName):
    """One line of a breakdown: a category, a channel, a state…, counted in both months."""

    code: str
    name_zh: str
    name_en: str
    count: int
    previous: int
    change: int


@dataclass(frozen=True)
class RuleOnTime(BilingualName):
    """One time-limit rule (docs/rules.md §5): its clocks due in the month met on time, met late, or
    still running past due; the on-time rate in percent (None when nothing was due)."""

    code: str
    name_zh: str
    name_en: str
    on_time: int
    late: int
    overdue: int
    due: int
    rate: Decimal | None
    previous_rate: Decimal | None
    change: Decimal | None


@dataclass(frozen=True)
class DayCount:
    day: date
    count: int


@dataclass(frozen=True)
class MonthlySummary:
    month: str  # YYYY-MM
    previous_month: str
    made_at: datetime
    profile: str  # the firm's profile: which figures apply (docs/rules.md §8.8)
    received: Figure  # complaints received in the month
    closed: Figure  # closed in the month (replied, visited, archived or withdrawn)
    open_at_end: Figure  # received by the month's end and not closed then
    by_category: tuple[CountRow, ...]  # of the complaints received in the month
    by_channel: tuple[CountRow, ...]
    by_kind: tuple[CountRow, ...]
    by_department: tuple[CountRow, ...]  # respondent department; code "" = none
    by_state: tuple[CountRow, ...]  # their state now
    on_time: tuple[RuleOnTime, ...]
    handling_average_hours: Figure  # receipt → closing, of those closed in the month
    handling_longest_hours: Figure
    # the same in days to one decimal: what the screen, workbook and document show (292.9
    # hours reads as 12.2 days)
    handling_average_days: Figure
    handling_longest_days: Figure
    satisfied: Figure  # satisfaction recorded in the month
    dissatisfied: Figure
    satisfaction_rate: Figure  # percent
    repeats: Figure  # same phone complained within 90 days before
    reviews: Figure  # 复审
    final_reviews: Figure  # 终审
    external_routes: tuple[CountRow, ...]
    # False: not a repair shop (or no warranty tables): the warranty figures are left out
    warranty_available: bool
    warranty_claims: Figure  # claimed in the month (the claim's own date)
    warranty_in: Figure
    warranty_out: Figure
    warranty_outcomes: tuple[CountRow, ...]  # rework / quote / disputed / undecided
    fines_proposed: Figure  # fines (not rewards) proposed in the month; reversals left out
    fines_approved: Figure
    fines_approved_total: Figure  # yuan, Decimal; a reversal recorded in the month subtracts
    root_causes: tuple[CountRow, ...]  # the top 5 of those closed in the month
    daily_intake: tuple[DayCount, ...]  # every day of the month

    def headline(self) -> list[tuple[str, str, Figure]]:
        """(field, translated label, figure) for every single-number figure, in order."""
        return [(f.name, _(HEADLINE_LABELS[f.name]), getattr(self, f.name))
                for f in fields(self) if f.name in HEADLINE_LABELS
                and (self.warranty_available or f.name not in WARRANTY_FIELDS)]

    def count_tables(self) -> list[tuple[str, str]]:
        """(attribute, title msgid) of the breakdowns that apply to this firm."""
        return [(attr, title) for attr, title in COUNT_TABLES
                if self.warranty_available or attr != "warranty_outcomes"]


MONEY_FIELDS = {"fines_approved_total"}  # headline figures in yuan
HEADLINE_LABELS = {
    "received": N_("Received in the month"), "closed": N_("Closed in the month"),
    "open_at_end": N_("Open at the month's end"),
    "handling_average_days": N_("Average handling time (days)"),
    "handling_longest_days": N_("Longest handling time (days)"),
    "satisfied": N_("Satisfied"), "dissatisfied": N_("Dissatisfied"),
    "satisfaction_rate": N_("Satisfaction rate (%)"), "repeats": N_("Repeat complaints"),
    "reviews": N_("Reviews by the next level up"),
    "final_reviews": N_("Final reviews by the owner"),
    "warranty_claims": N_("Warranty claims"), "warranty_in": N_("Claims in warranty"),
    "warranty_out": N_("Claims out of warranty"), "fines_proposed": N_("Fines proposed"),
    "fines_approved": N_("Fines approved"),
    "fines_approved_total": N_("Approved fines, total (yuan)"),
}


def _tenth(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)


def _days(hours: Decimal | None) -> Decimal | None:
    return None if hours is None else _tenth(Decimal(hours) / 24)


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in percent, to one decimal (None: nothing to count)."""
    return None if not whole else (Decimal(part * 100) / Decimal(whole)).quantize(
        TENTH, ROUND_HALF_UP)


def _figure(current, previous) -> Figure:
    change = None if current is None or previous is None else current - previous
    return Figure(current, previous, change)


def _both(msgid: str) -> tuple[str, str]:
    with language("zh_CN"):
        zh = _(msgid)
    with language("en"):
        return zh, _(msgid)


def _both_names(names: dict[str, str]) -> dict[str, tuple[str, str]]:
    """A table of names (code → msgid, in the codes' order) in Chinese and in English."""
    return {code: _both(msgid) for code, msgid in names.items()}


def _rows(counts: dict[int, dict], names: dict[str, tuple[str, str]], *,
          keep_all: bool = True) -> tuple[CountRow, ...]:
    """Rows in the order of ``names`` (only those counted when not ``keep_all``), then any
    code counted that has no name (shown as the code)."""
    cur, prev = counts.get(1, {}), counts.get(0, {})
    codes = [c for c in names if keep_all or cur.get(c) or prev.get(c)]
    codes += sorted(c for c in set(cur) | set(prev) if c not in names)
    return tuple(CountRow(code, *names.get(code, (code, code)), cur.get(code, 0),
                          prev.get(code, 0), cur.get(code, 0) - prev.get(code, 0))
                 for code in codes)


def _add(counts: dict, period: int, code, n: int) -> None:
    slot = counts.setdefault(period, {})
    slot[code] = slot.get(code, 0) + n


def _window(month: str) -> sql.Window:
    start = datetime.strptime(month, "%Y-%m")
    end = (start + timedelta(days=32)).replace(day=1)
    return sql.Window((start - timedelta(days=1)).replace(day=1), start, end)


def monthly_summary(*, actor: User, month: str, kind: str | None = None) -> MonthlySummary:
    """Every figure of the owner's monthly summary (docs/rules.md §8.8) for ``month`` ("YYYY-MM")
    and the month before, from grouped SQL counts. ``kind`` ("customer" or "employee") counts
    only complaints of that kind (the bank's half-year report: customers only, §8.9); the
    fines are the ledger's and stay whole."""
    require_role(actor, "owner", "manager")
    month = clean_month(month)
    w = _window(month)
    visible = visible_filter(actor)  # docs/rules.md §2: recusal and confidentiality
    # A manager or the owner (the only readers) sees every complaint but those about them
    # (docs/rules.md §2): excluding those few by id spares the clock and event counts a look
    # at each one's complaint (docs/rules.md §10).
    hidden = Complaint.select(Complaint.id).where(Complaint.respondent_user == actor.id)
    if kind is not None:
        visible &= Complaint.kind == clean_choice(kind, KINDS, field="kind", label=N_("Kind"))
        hidden = None
    now = clock.now()
    profile = settings.firm_info().profile
    received = _received(w, visible)
    closed, causes = _closed(w, visible)
    open_before, open_now = sql.open_at_end(w, visible)
    repeats = sql.repeats(w, visible)
    daily = sql.daily(w.start, w.end, visible)
    ev = _events(w, visible, profile, hidden)
    warranty = _warranty(w, visible, profile)
    fines = _fines((month_of(w.previous), month))
    return MonthlySummary(
        month=month, previous_month=month_of(w.previous), made_at=now, profile=profile,
        received=_figure(received["total"].get(1, 0), received["total"].get(0, 0)),
        closed=_figure(closed[1][0], closed[0][0]),
        open_at_end=_figure(open_now, open_before),
        by_category=received["category"], by_channel=received["channel"],
        by_kind=received["kind"], by_department=received["department"],
        by_state=received["state"], on_time=_on_time(w, visible, now, hidden),
        handling_average_hours=_figure(closed[1][1], closed[0][1]),
        handling_longest_hours=_figure(closed[1][2], closed[0][2]),
        handling_average_days=_figure(_days(closed[1][1]), _days(closed[0][1])),
        handling_longest_days=_figure(_days(closed[1][2]), _days(closed[0][2])),
        satisfied=ev["satisfied"], dissatisfied=ev["dissatisfied"],
        satisfaction_rate=ev["satisfaction_rate"],
        repeats=_figure(repeats.get(1, 0), repeats.get(0, 0)),
        reviews=ev["reviews"], final_reviews=ev["final_reviews"],
        external_routes=ev["routes"], warranty_available=warranty["available"],
        warranty_claims=warranty["claims"], warranty_in=warranty["in"],
        warranty_out=warranty["out"], warranty_outcomes=warranty["outcomes"],
        fines_proposed=fines["proposed"], fines_approved=fines["approved"],
        fines_approved_total=fines["total"], root_causes=causes,
        daily_intake=tuple(DayCount(w.start.date() + timedelta(days=i),
                                    daily.get(w.start.date() + timedelta(days=i), 0))
                           for i in range((w.end - w.start).days)),
    )


def _received(w: sql.Window, visible) -> dict:
    by: dict[str, dict] = {k: {} for k in ("total", "category", "channel", "kind",
                                           "department", "state")}
    for period, category, channel, kind, department, state, n in sql.received(w, visible):
        by["total"][period] = by["total"].get(period, 0) + n
        for key, code in (("category", category), ("channel", channel), ("kind", kind),
                          ("department", department), ("state", state)):
            _add(by[key], period, code, n)
    cats = {c.id: c for c in Category.select().order_by(Category.sort, Category.id)}
    counted = set(by["category"].get(1, {})) | set(by["category"].get(0, {}))
    category_names = {cats[i].code: (cats[i].name_zh, cats[i].name_en) for i in cats
                      if cats[i].active or i in counted}
    by["category"] = {p: {cats[i].code: n for i, n in counts.items()}
                      for p, counts in by["category"].items()}
    depts = {d.id: d for d in Department.select().order_by(Department.code)}
    dept_names = {depts[i].code: (depts[i].name, depts[i].name) for i in depts}
    dept_names[""] = _both(NO_DEPARTMENT)
    by["department"] = {p: {(depts[i].code if i in depts else ""): n for i, n in c.items()}
                        for p, c in by["department"].items()}
    return {
        "total": by["total"],
        "category": _rows(by["category"], category_names),
        "channel": _rows(by["channel"], _both_names(CHANNEL_NAMES)),
        "kind": _rows(by["kind"], _both_names(KIND_NAMES)),
        "department": _rows(by["department"], dept_names, keep_all=False),
        "state": _rows(by["state"], _both_names(STATE_NAMES)),
    }


def _on_time(w: sql.Window, visible, now: datetime, hidden=None) -> tuple[RuleOnTime, ...]:
    tally: dict[tuple[int, int], list[int]] = {}  # (period, rule id) → on time, late, overdue
    for period, rule_id, status, late, overdue, n in sql.clocks(w, visible, now, hidden):
        slot = tally.setdefault((period, rule_id), [0, 0, 0])
        if status == "met":
            slot[1 if late else 0] += n
        elif status == "extended":  # extended only after it was due: missed (rules.md §5)
            slot[1] += n
        elif status == "running" and overdue:
            slot[2] += n
    used = {rule_id for _period, rule_id in tally}
    out = []
    for rule in DeadlineRule.select().order_by(DeadlineRule.sort, DeadlineRule.id):
        if not (rule.active or rule.id in used):
            continue
        on_time, late, overdue = tally.get((1, rule.id), [0, 0, 0])
        before = tally.get((0, rule.id), [0, 0, 0])
        rate, previous = percent(on_time, on_time + late + overdue), percent(before[0], sum(before))
        out.append(RuleOnTime(rule.code, rule.name_zh, rule.name_en, on_time, late, overdue,
                              on_time + late + overdue, rate, previous,
                              _figure(rate, previous).change))
    return tuple(out)


def _route_names(profile: str) -> dict[str, tuple[str, str]]:
    return _both_names({code: name for code, name in EXTERNAL_ROUTE_NAMES.items()
                        if profile in WARRANTY_PROFILES or code not in REPAIR_ONLY_ROUTES})


def _events(w: sql.Window, visible, profile: str, hidden=None) -> dict:
    counts: dict[str, list[int]] = {k: [0, 0] for k in ("satisfied", "dissatisfied",
                                                        "reviews", "final_reviews")}
    routes: dict[int, dict] = {}
    for period, action, satisfied, kind, route, n in sql.events(w, visible, hidden):
        if action == "record_satisfaction":
            counts["satisfied" if sql.truthy(satisfied) else "dissatisfied"][period] += n
        elif action == "review" and kind in REVIEW_KINDS:
            counts[REVIEW_KINDS[kind]][period] += n
        elif action == "external_route" and route:
            _add(routes, period, route, n)
    out = {k: _figure(v[1], v[0]) for k, v in counts.items()}
    s, d = counts["satisfied"], counts["dissatisfied"]
    out["satisfaction_rate"] = _figure(percent(s[1], s[1] + d[1]), percent(s[0], s[0] + d[0]))
    out["routes"] = _rows(routes, _route_names(profile))
    return out


def _warranty(w: sql.Window, visible, profile: str) -> dict:
    counts = {k: [0, 0] for k in ("claims", "in", "out")}
    outcomes: dict[int, dict] = {}
    available = (profile in WARRANTY_PROFILES
                 and database.table_exists(WarrantyClaim._meta.table_name))
    for period, in_warranty, outcome, n in (sql.warranty_claims(w, visible) if available
                                            else ()):
        counts["claims"][period] += n
        counts["in" if in_warranty else "out"][period] += n
        _add(outcomes, period, outcome or UNDECIDED, n)
    out = {k: _figure(v[1], v[0]) for k, v in counts.items()}
    out["outcomes"] = _rows(outcomes, _both_names(WARRANTY_OUTCOME_NAMES))
    out["available"] = available
    return out


def _fines(months: tuple[str, str]) -> dict:
    # Not filtered by complaint: managers and the owner see the whole ledger (docs/rules.md
    # §2, §7), and these are the ledger's own figures for the month.
    counts = {m: {"proposed": 0, "approved": 0, "total": money(0)} for m in months}
    for m, status, reversal, n, total in sql.fines(months):
        if not reversal:
            counts[m][status] += n
        if status == "approved":
            counts[m]["total"] += money(total)
    previous, current = months
    return {k: _figure(counts[current][k], counts[previous][k])
            for k in ("proposed", "approved", "total")}


def _closed(w: sql.Window, visible) -> tuple[dict, tuple[CountRow, ...]]:
    """period → (closed, average hours, longest hours), and the top root causes."""
    tally = {p: [0, 0.0, None] for p in (0, 1)}
    causes: dict[int, dict] = {}
    for period, cause, n, hours, longest in sql.closed(w, visible):
        slot = tally[period]
        slot[0] += n
        slot[1] += float(hours or 0)
        if longest is not None:
            slot[2] = max(slot[2] or 0.0, float(longest))
        if cause:
            _add(causes, period, cause, n)
    figures = {p: (n, _tenth(total / n) if n else None, _tenth(longest))
               for p, (n, total, longest) in tally.items()}
    cur, prev = causes.get(1, {}), causes.get(0, {})
    top = sorted(cur, key=lambda c: (-cur[c], c))[:TOP_ROOT_CAUSES]
    return figures, tuple(CountRow(c, c, c, cur[c], prev.get(c, 0), cur[c] - prev.get(c, 0))
                          for c in top)


# --- the spreadsheet -----------------------------------------------------------------------

FIGURE_COLUMNS = (N_("Figure"), N_("This month"), N_("Previous month"), N_("Change"))
COUNT_COLUMNS = (N_("Code"), N_("Name"), N_("This month"), N_("Previous month"), N_("Change"))
RULE_COLUMNS = (N_("Code"), N_("Time limit"), N_("On time"), N_("Late"),
                N_("Overdue, still open"), N_("Due in the month"), N_("On-time rate (%)"),
                N_("Previous month (%)"), N_("Change"))
DAY_COLUMNS = (N_("Date"), N_("Complaints received"))
COUNT_TABLES = (
    ("by_category", N_("Categories")), ("by_channel", N_("Channels")),
    ("by_kind", N_("Kinds")), ("by_department", N_("Departments")),
    ("by_state", N_("States")), ("external_routes", N_("External routes")),
    ("warranty_outcomes", N_("Warranty outcomes")), ("root_causes", N_("Root causes")),
)


def sheet_tables(summary: MonthlySummary) -> list[tuple[str, tuple[str, ...], list[list]]]:
    """(sheet title, headers, rows) of every table, translated in the current language:
    what the spreadsheet holds, and what a screen or document may lay out."""
    tables = [(_("Summary"), FIGURE_COLUMNS,
               [[label, f.current, f.previous, f.change]
                for _key, label, f in summary.headline()])]
    for attr, title in summary.count_tables():
        tables.append((_(title), COUNT_COLUMNS,
                       [[r.code, r.name, r.count, r.previous, r.change]
                        for r in getattr(summary, attr)]))
    tables.append((_("Time limits"), RULE_COLUMNS,
                   [[r.code, r.name, r.on_time, r.late, r.overdue, r.due, r.rate,
                     r.previous_rate, r.change] for r in summary.on_time]))
    tables.append((_("Daily intake"), DAY_COLUMNS,
                   [[d.day, d.count] for d in summary.daily_intake]))
    return [(title, tuple(_(h) for h in headers), rows) for title, headers, rows in tables]


def export_xlsx(summary: MonthlySummary, path: str | Path, *, language: str) -> Path:
    """The summary's tables as an .xlsx workbook, one sheet per table, headers in
    ``language``. openpyxl is imported on first use (docs/rules.md §10)."""
    # openpyxl loads on first use (docstring).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    target = Path(path)
    book = Workbook()
    book.remove(book.active)
    with in_language(language):
        for title, headers, rows in sheet_tables(summary):
            sheet = book.create_sheet(title[:31])
            sheet.append(list(headers))
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            for values in rows:
                sheet.append(values)
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, Decimal):
                        cell.number_format = "0.0" if cell.value.as_tuple().exponent == -1 \
                            else "#,##0.00"
                    elif isinstance(cell.value, date | datetime):
                        cell.number_format = "yyyy-mm-dd"
            xlsx_as_text(sheet)  # docs/rules.md §10: typed names stay text, never formulas
            sheet.column_dimensions["A"].width = 28
            sheet.column_dimensions["B"].width = 24
            sheet.freeze_panes = "A2"
        book.properties.title = _("Monthly summary {month}").format(month=summary.month)
    book.save(target)
    return target
