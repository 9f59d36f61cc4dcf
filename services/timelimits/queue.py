"""The work queue: the open time limits a user may see, most urgent first, read a page at a
time by key (docs/rules.md §5 and §10).

"Most urgent first" is three runs of rows, each one index range on the clock's due time:
the limits missed within the last year, the most recently missed first; then the running
limits, the one that falls due soonest first; then the paused ones. Limits missed a year ago
or more are a queue of their own (``QueueFilter.long_overdue``): old debts, not today's work,
so they never lead the list. A row's key is ``(run, due_at, clock id)``: the page after a
key continues in its run and then the runs after it, so any page is read without OFFSET.

Sorted by a column instead (due time, ticket no.) the queue is one run in that order. Who
sees what is decided here: the complaints the actor may see (services.people), narrowed to
the actor's own limits ("mine"), the actor's department ("team") or none ("all").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import JOIN, SQL, Case, fn

from models.base import id_page, key_page
from models.entities import Clock, Complaint, DeadlineRule, User
from services import clock as wallclock
from services.i18n import N_
from services.people import visible_filter
from services.timelimits.clocks import OPEN_STATUSES, ClockView, _view, due_soon_window, rule_name
from services.validation import clean_choice

SCOPES = ("mine", "team", "all")
SCOPE_NAMES = {"mine": N_("Mine"), "team": N_("My team"), "all": N_("All")}
STATES = ("overdue", "due_soon", "on_time", "paused")
STATE_NAMES = {"overdue": N_("Overdue"), "due_soon": N_("Due within 3 days"),
               "on_time": N_("Due later"), "paused": N_("Paused")}
SORTS = ("urgency", "due", "ticket")
DUE_WITHIN = timedelta(days=3)  # "due soon" in the queue's totals and its state filter
LONG_OVERDUE = timedelta(days=365)  # missed this long ago: the "long overdue" queue


@dataclass
class QueueFilter:
    scope: str = "mine"  # mine | team | all
    handler: str = ""  # login of the person responsible for the limit
    kind: str = ""  # customer | employee
    rule: str = ""  # a time-limit rule's code
    state: str = ""  # "" or one of STATES
    long_overdue: bool = False  # only the limits missed a year ago or more


@dataclass(frozen=True)
class QueueRow:
    clock: ClockView
    kind: str  # the complaint's kind
    complaint_state: str

    @property
    def id(self) -> int:
        return self.clock.id


@dataclass(frozen=True)
class QueueTotals:
    overdue: int  # missed within the last year
    due_soon: int  # falls due within DUE_WITHIN
    later: int  # running, due after that
    paused: int
    long_overdue: int  # missed a year ago or more

    @property
    def shown(self) -> int:
        """Everything in the queue but the long overdue."""
        return self.overdue + self.due_soon + self.later + self.paused


def _now() -> datetime:
    # one moment for a whole page: to the minute, so the runs don't move between two reads
    return wallclock.now().replace(second=0, microsecond=0)


def _clean(f: QueueFilter | None) -> QueueFilter:
    f = f or QueueFilter()
    clean_choice(f.scope, SCOPES, field="scope", label=N_("Show"))
    if f.state:
        clean_choice(f.state, STATES, field="state", label=N_("State"))
    if f.kind:
        clean_choice(f.kind, ("customer", "employee"), field="kind", label=N_("Kind"))
    return f


def _base(actor: User, f: QueueFilter):
    """The open clocks of the complaints ``actor`` may see, in the filter's scope."""
    cond = Clock.status.in_(OPEN_STATUSES) & visible_filter(actor)
    if f.scope == "mine":
        cond &= Clock.responsible == actor.id
    elif f.scope == "team":
        if actor.department_id is None:
            cond &= Clock.responsible == actor.id
        else:
            cond &= Clock.responsible.in_(User.select(User.id)
                                          .where(User.department == actor.department_id))
    if f.handler:
        cond &= Clock.responsible.in_(User.select(User.id).where(User.login == f.handler))
    if f.kind:
        cond &= Complaint.kind == f.kind
    if f.rule:
        cond &= Clock.rule.in_(DeadlineRule.select(DeadlineRule.id)
                               .where(DeadlineRule.code == f.rule))
    return (Clock.select(Clock.id)
            .join(Complaint, on=(Clock.complaint == Complaint.id)).where(cond))


def _runs(actor: User, f: QueueFilter, sort: str, descending: bool, now: datetime):
    """The queue as runs of ``(query, column, descending)``, in order."""
    f = _clean(f)
    base = _base(actor, f)
    running = Clock.status == "running"
    long_ago = now - LONG_OVERDUE
    if f.long_overdue:
        window = running & (Clock.due_at < long_ago)
    else:
        window = ~(running & (Clock.due_at < long_ago))
    if f.state == "overdue":
        window &= running & (Clock.due_at < now)
    elif f.state == "due_soon":
        window &= running & (Clock.due_at >= now) & (Clock.due_at < now + DUE_WITHIN)
    elif f.state == "on_time":
        window &= running & (Clock.due_at >= now + DUE_WITHIN)
    elif f.state == "paused":
        window &= Clock.status == "paused"
    if sort in ("due", "ticket"):
        column = Complaint.ticket if sort == "ticket" else Clock.due_at
        return [(base.where(window), column, descending)]
    if f.long_overdue:
        return [(base.where(window), Clock.due_at, True)]
    return [
        (base.where(window & running & (Clock.due_at < now)), Clock.due_at, True),
        (base.where(window & running & (Clock.due_at >= now)), Clock.due_at, False),
        (base.where(window & (Clock.status == "paused")), Clock.due_at, False),
    ]


def _keyed(run: int, rows: list[tuple]) -> list[tuple[int, tuple]]:
    return [(i, (run, v, i)) for i, v in rows]


def count(actor: User, f: QueueFilter | None = None, *, at_most: int | None = None) -> int:
    """How many limits the queue holds; with ``at_most``, counting stops there."""
    total = 0
    for q, _column, _down in _runs(actor, f, "urgency", False, _now()):
        if at_most is not None:
            left = at_most - total
            if left <= 0:
                break
            total += Clock.select(fn.COUNT(SQL("1"))).from_(q.limit(left).alias("c")).scalar()
        else:
            total += q.select(fn.COUNT(Clock.id)).scalar()
    return total


def page_after(actor: User, f: QueueFilter | None = None, sort: str = "urgency",
               descending: bool = False, after_key: tuple | None = None,
               limit: int = 200) -> list[tuple[int, tuple]]:
    """``(clock id, key)`` of the ``limit`` limits just after ``after_key`` (None: the
    first ones), in queue order."""
    runs = _runs(actor, f, sort, descending, _now())
    start = 0 if after_key is None else after_key[0]
    out: list[tuple[int, tuple]] = []
    for run in range(start, len(runs)):
        if len(out) >= limit:
            break
        q, column, down = runs[run]
        key = (after_key[1], after_key[2]) if after_key is not None and run == start else None
        out += _keyed(run, key_page(q, column, Clock.id, descending=down, key=key,
                                    limit=limit - len(out)))
    return out


def page_before(actor: User, f: QueueFilter | None = None, sort: str = "urgency",
                descending: bool = False, before_key: tuple | None = None,
                limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` limits just before ``before_key`` (None: the last ones), in queue
    order."""
    runs = _runs(actor, f, sort, descending, _now())
    start = len(runs) - 1 if before_key is None else before_key[0]
    out: list[tuple[int, tuple]] = []
    for run in range(start, -1, -1):
        if len(out) >= limit:
            break
        q, column, down = runs[run]
        key = (before_key[1], before_key[2]) if before_key is not None and run == start \
            else None
        out = _keyed(run, key_page(q, column, Clock.id, descending=down, key=key,
                                   limit=limit - len(out), backwards=True)) + out
    return out


def page_at(actor: User, f: QueueFilter | None = None, sort: str = "urgency",
            descending: bool = False, offset: int = 0, limit: int = 200,
            total: int | None = None) -> list[tuple[int, tuple]]:
    """The page at row ``offset`` (a jump far from any page held): the run it falls in is
    found by counting, then read from that run's nearer end."""
    runs = _runs(actor, f, sort, descending, _now())
    skip = offset
    for run, (q, column, down) in enumerate(runs):
        size = q.select(fn.COUNT(Clock.id)).scalar()
        if skip >= size:
            skip -= size
            continue
        wanted = min(limit, size - skip)
        if skip + wanted / 2 > size / 2:
            rows = id_page(q, column, Clock.id, descending=down,
                           offset=size - skip - wanted, limit=wanted, values=True,
                           reverse=True)[::-1]
        else:
            rows = id_page(q, column, Clock.id, descending=down, offset=skip, limit=wanted,
                           values=True)
        page = _keyed(run, rows)
        if page and len(page) < limit:
            page += page_after(actor, f, sort, descending, page[-1][1], limit - len(page))
        return page
    return []


def rows(actor: User, clock_ids: list[int]) -> list[QueueRow]:
    """The limits ``clock_ids`` as the queue shows them (only those the actor may see)."""
    if not clock_ids:
        return []
    now = wallclock.now()
    soon = due_soon_window()
    q = (Clock.select(Clock, DeadlineRule, Complaint.id, Complaint.ticket, Complaint.kind,
                      Complaint.state, User)
         .join(DeadlineRule).switch(Clock).join(Complaint)
         .switch(Clock).join(User, join_type=JOIN.LEFT_OUTER, on=(Clock.responsible == User.id))
         .where(Clock.id.in_(list(clock_ids)) & visible_filter(actor)))
    return [QueueRow(_view(c, c.complaint.ticket, now, soon), c.complaint.kind,
                     c.complaint.state) for c in q]


def totals(actor: User, f: QueueFilter | None = None) -> QueueTotals:
    """The queue's true totals in the filter's scope (its state and long-overdue choice
    aside), counted in one pass over the open limits in scope."""
    f = _clean(f)
    base = _base(actor, QueueFilter(scope=f.scope, handler=f.handler, kind=f.kind,
                                    rule=f.rule))
    now = _now()
    long_ago, soon = now - LONG_OVERDUE, now + DUE_WITHIN
    # one pass over the open limits in scope, each counted in its bucket
    running = Clock.status == "running"

    def bucket(cond):
        return fn.COALESCE(fn.SUM(Case(None, [(cond, 1)], 0)), 0)

    row = base.select(
        bucket(running & (Clock.due_at < now) & (Clock.due_at >= long_ago)),
        bucket(running & (Clock.due_at >= now) & (Clock.due_at < soon)),
        bucket(running & (Clock.due_at >= soon)),
        bucket(Clock.status == "paused"),
        bucket(running & (Clock.due_at < long_ago))).tuples().first()
    return QueueTotals(*(int(v or 0) for v in row))


@dataclass(frozen=True)
class QueueChoices:
    people: list[tuple[str, str]]  # (login, name) of those responsible for a visible limit
    rules: list[tuple[str, str]]  # (code, name) of the time-limit rules


def choices(actor: User) -> QueueChoices:
    """What the queue's person and limit filters offer."""
    people = [(u.login, u.name) for u in User.select(User.login, User.name)
              .where(User.active == True).order_by(User.name)]  # noqa: E712
    rules = [(r.code, rule_name(r)) for r in DeadlineRule.select().order_by(DeadlineRule.sort,
                                                                            DeadlineRule.id)]
    return QueueChoices(people, rules)
