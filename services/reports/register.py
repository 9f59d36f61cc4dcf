"""The yearly register (台账, docs/rules.md §8.9): every complaint the actor may see received
in a year, oldest first — what it was about, the result, the satisfaction, who handled it and
when it was closed — and its totals. services.documents prints it.

The lines are read in chunks by keyset on (received_at, id), never as one list: a year can
be 100,000 complaints (docs/rules.md §10), and the document lays each chunk out as its own
small table.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from peewee import JOIN, Case, Tuple, fn

from models.entities import Category, Clock, Complaint, User
from services.complaints import STATES
from services.errors import Cancelled, ValidationError
from services.i18n import N_, localized
from services.people import require_role, visible_filter
from services.reports.summary import percent

REGISTER_PAGE = 1000  # complaints read per query
SUMMARY_CHARS = 60  # the content summary: the description's first sentence, at most this long


@dataclass(frozen=True)
class RegisterLine:
    ticket: str
    received: datetime
    kind: str  # code
    complainant: str
    category: str  # name, in the language current when read
    respondent: str
    handler: str
    state: str  # code
    closed_at: datetime | None
    summary: str = ""  # what it was about: the description, short
    result: str = ""  # the decision recorded, short ("" when none)
    satisfaction: str = ""  # satisfied | dissatisfied | ""


@dataclass(frozen=True)
class RegisterTotals:
    """The register's last page: counts and rates of the same complaints."""

    count: int
    by_category: tuple[tuple[str, int], ...]  # name, complaints
    by_state: tuple[tuple[str, int], ...]  # state code, complaints
    satisfied: int
    dissatisfied: int
    satisfaction_rate: Decimal | None  # percent of those asked
    clocks_on_time: int  # time limits met on time
    clocks_due: int  # time limits due so far (met, missed or running past due)
    on_time_rate: Decimal | None  # percent


@dataclass(frozen=True)
class YearlyRegister:
    year: int
    lines: tuple[RegisterLine, ...]


def clean_year(year) -> int:
    """A register's or report's year, from what a user typed."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= 2100:
        raise ValidationError(N_("The year must be a number such as 2026."), field="year")
    return value


def short_text(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentence (or line) of ``text``, at most ``limit`` characters with "…"."""
    text = " ".join((text or "").split())
    for mark in ("。", "！", "？", "; ", ". "):
        cut = text.find(mark)
        if 0 < cut < limit:
            text = text[:cut + (1 if len(mark) == 1 else 1)]
            break
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _year_filter(actor: User, year: int):
    return ((Complaint.received_at >= datetime(year, 1, 1))
            & (Complaint.received_at < datetime(year + 1, 1, 1)) & visible_filter(actor))


def register_chunks(year, *, actor, size: int = REGISTER_PAGE, progress=None,
                    cancelled=None) -> Iterator[list[RegisterLine]]:
    """The register's lines, oldest first, ``size`` at a time, each chunk one keyset read.
    Owner and manager only. ``progress(f)`` (up to 0.8) and ``cancelled()`` let a window show
    a progress bar with Cancel; Cancel raises ``Cancelled``."""
    require_role(actor, "owner", "manager")
    year = clean_year(year)
    where = _year_filter(actor, year)
    total = Complaint.select().where(where).count() if progress else 0
    handler = User.alias("h")
    respondent = User.alias("r")
    columns = (Complaint.id, Complaint.ticket, Complaint.received_at, Complaint.kind,
               Complaint.complainant_name, Category.name_zh, Category.name_en,
               respondent.name, Complaint.respondent_text, handler.name, Complaint.state,
               Complaint.closed_at, fn.SUBSTR(Complaint.description, 1, SUMMARY_CHARS * 2),
               fn.SUBSTR(Complaint.decision, 1, SUMMARY_CHARS * 2), Complaint.satisfaction)
    base = (Complaint.select(*columns)
            .join(Category, on=(Complaint.category == Category.id))
            .join(handler, JOIN.LEFT_OUTER, on=(Complaint.handler == handler.id))
            .join(respondent, JOIN.LEFT_OUTER, on=(Complaint.respondent_user == respondent.id))
            .order_by(Complaint.received_at, Complaint.id))
    key, done = None, 0
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled(N_("Cancelled."))
        if progress and total:
            progress(0.8 * done / total)
        cond = where if key is None else where & (
            Tuple(Complaint.received_at, Complaint.id) > Tuple(*key))
        rows = list(base.where(cond).limit(size).tuples())
        if not rows:
            break
        yield [RegisterLine(ticket, received, kind, name, localized(zh, en),
                            " / ".join(x for x in (resp or "", resp_text) if x),
                            hname or "", state, closed, short_text(desc), short_text(decision),
                            satisfaction)
               for (_id, ticket, received, kind, name, zh, en, resp, resp_text, hname, state,
                    closed, desc, decision, satisfaction) in rows]
        done += len(rows)
        last = rows[-1]
        key = (Complaint.received_at.db_value(last[2]), last[0])
        if len(rows) < size:
            break


def register_totals(year, *, actor, now: datetime) -> RegisterTotals:
    """Counts by category and state, the satisfaction rate and the on-time rate of the year's
    register, in grouped SQL. A time limit counts as due when met, extended after it was
    due, or still running past ``now`` (docs/rules.md §5, as the monthly summary)."""
    require_role(actor, "owner", "manager")
    year = clean_year(year)
    where = _year_filter(actor, year)
    by_category: dict[str, int] = {}
    for zh, en, n in (Complaint.select(Category.name_zh, Category.name_en, fn.COUNT(Complaint.id))
                      .join(Category, on=(Complaint.category == Category.id)).where(where)
                      .group_by(Category.id, Category.name_zh, Category.name_en)
                      .order_by(Category.sort, Category.id).tuples()):
        name = localized(zh, en)
        by_category[name] = by_category.get(name, 0) + n
    by_state = dict(Complaint.select(Complaint.state, fn.COUNT(Complaint.id)).where(where)
                    .group_by(Complaint.state).tuples())
    sat = dict(Complaint.select(Complaint.satisfaction, fn.COUNT(Complaint.id))
               .where(where & Complaint.satisfaction.in_(("satisfied", "dissatisfied")))
               .group_by(Complaint.satisfaction).tuples())
    overdue = Case(None, ((Clock.due_at < now, 1),), 0)
    on_time = due = 0
    clocks = (Clock.select(Clock.status, Clock.late, overdue, fn.COUNT(Clock.id))
              .join(Complaint, on=(Clock.complaint == Complaint.id))
              .where(where).group_by(Clock.status, Clock.late, overdue))
    for status, late, past, n in clocks.tuples():
        if status == "met":
            due += n
            on_time += 0 if late else n
        elif status == "extended" or (status == "running" and past):
            due += n
    s, d = sat.get("satisfied", 0), sat.get("dissatisfied", 0)
    return RegisterTotals(
        count=sum(by_state.values()), by_category=tuple(by_category.items()),
        by_state=tuple((code, by_state[code]) for code in
                       [*[c for c in STATES if c in by_state],
                        *sorted(c for c in by_state if c not in STATES)]),
        satisfied=s, dissatisfied=d, satisfaction_rate=percent(s, s + d),
        clocks_on_time=on_time, clocks_due=due, on_time_rate=percent(on_time, due))


def yearly_register(year, *, actor, progress=None, cancelled=None) -> YearlyRegister:
    """The complaints received in ``year`` as one tuple (for a screen or a test; the printed
    register reads ``register_chunks``). Owner and manager only."""
    year = clean_year(year)
    lines: list[RegisterLine] = []
    for chunk in register_chunks(year, actor=actor, progress=progress, cancelled=cancelled):
        lines += chunk
    return YearlyRegister(year, tuple(lines))
