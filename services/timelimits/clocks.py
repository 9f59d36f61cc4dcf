"""Running time limits on complaints: start, stop, pause, extend, and what is due (rules.md §5)."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from peewee import JOIN

import services.timelimits.workcalendar as workcalendar
from models.base import compiled
from models.db import generation
from models.entities import (
    Category,
    Clock,
    ClockPause,
    Complaint,
    DeadlineRule,
    Firm,
    User,
)
from services import clock as wallclock
from services.errors import DeadlineRuleError, PermissionDenied, ValidationError
from services.i18n import N_, _, format_duration, localized
from services.timelimits.arithmetic import compute_due, describe_limit, parse_limit
from services.timelimits.workcalendar import WorkCalendar

# "extended": extended after its due time had passed — closed as missed (late), and a new
# clock carries the longer limit (rules.md §5: a missed limit stays missed).
CLOCK_STATUS_NAMES = {"running": N_("running"), "paused": N_("paused"), "met": N_("met"),
                      "cancelled": N_("cancelled"), "extended": N_("missed, then extended")}
OPEN_STATUSES = ("running", "paused")
# What stands for the due time while a clock is paused (the due time moves on resuming).
CLOCK_PAUSED = N_("clock paused")

_cache_lock = threading.Lock()
_cache: dict = {}


def calendar() -> WorkCalendar:
    """The database's calendar, reloaded only when it changed (cheap check per call)."""
    stamp = (database_identity(), workcalendar.revision())
    with _cache_lock:
        if _cache.get("stamp") != stamp:
            _cache["calendar"] = WorkCalendar.from_database()
            _cache["stamp"] = stamp
        return _cache["calendar"]


def database_identity() -> int:
    return generation()


def office_hours() -> tuple[time, time]:
    firm = Firm.select().first()
    if firm is None:
        return time(9), time(17, 30)
    return time.fromisoformat(firm.office_start), time.fromisoformat(firm.office_end)


def rule_name(rule: DeadlineRule) -> str:
    return localized(rule.name_zh, rule.name_en)


def _applies(rule: DeadlineRule, complaint: Complaint, category: str) -> bool:
    return (rule.kind in ("any", complaint.kind)
            and rule.severity in ("any", complaint.severity)
            and rule.category in ("", category))


def _steps(rule: DeadlineRule) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(rule.start_on.split(",")), frozenset(rule.stop_on.split(","))


def _starting(rules, complaint: Complaint, triggers: list[str]) -> list[DeadlineRule]:
    """The rules these triggers start on this complaint (rules.md §5). A rule for one category
    applies to that category only and, for it, replaces the general rule between the same
    steps."""
    category = (Category.select(Category.code).where(Category.id == complaint.category_id)
                .scalar() or "")
    wanted = set(triggers)
    found = [r for r in rules
             if set(r.start_on.split(",")) & wanted and _applies(r, complaint, category)]
    specific = {_steps(r) for r in found if r.category}
    return [r for r in found if r.category or _steps(r) not in specific]


def _pauses(clk: Clock) -> list[tuple[datetime, datetime | None]]:
    return [(p.started_at, p.ended_at)
            for p in ClockPause.select().where(ClockPause.clock == clk.id).order_by(ClockPause.id)]


def _recompute(clk: Clock, *, now: datetime | None = None) -> None:
    due = compute_due(clk.started_at, clk.length, clk.unit, calendar(), _pauses(clk),
                      office=office_hours(), now=now or wallclock.now(),
                      roll_to_workday=clk.rule.roll_to_workday)
    clk.due_at = due.due
    clk.provisional = due.provisional


def on_triggers(complaint: Complaint, triggers: list[str], *, at: datetime,
                responsible: User | None) -> None:
    """Stop the clocks these triggers meet, then start the ones they begin. Inside the
    action's transaction."""
    running = list(Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                   .where((Clock.complaint == complaint.id)
                          & (Clock.status.in_(OPEN_STATUSES))))
    for clk in running:
        stops = set(clk.rule.stop_on.split(","))
        starts = set(clk.rule.start_on.split(","))
        if stops & set(triggers):
            _stop(clk, at=at, status="met")
        elif starts & set(triggers):
            # the same step again (a second escalation): the limit counts from the new one
            _stop(clk, at=at, status="cancelled")
    rules = DeadlineRule.select().where(DeadlineRule.active == True)  # noqa: E712
    for rule in _starting(rules, complaint, triggers):
        clk = Clock(complaint=complaint.id, rule=rule, started_at=at, length=rule.length,
                    unit=rule.unit, responsible=responsible)
        _recompute(clk)
        clk.save()
    refresh_next_due(complaint)


def _stop(clk: Clock, *, at: datetime, status: str) -> None:
    if clk.status == "paused":
        (ClockPause.update(ended_at=at)
         .where((ClockPause.clock == clk.id) & ClockPause.ended_at.is_null()).execute())
        _recompute(clk, now=at)
    clk.status = status
    clk.stopped_at = at
    clk.paused_since = None
    clk.late = at > clk.due_at if status == "met" else None
    clk.save()


def stop_all(complaint: Complaint, *, at: datetime) -> None:
    for clk in (Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                .where((Clock.complaint == complaint.id) & Clock.status.in_(OPEN_STATUSES))):
        _stop(clk, at=at, status="cancelled")
    refresh_next_due(complaint)


def pause_all(complaint: Complaint, *, at: datetime, reason: str) -> int:
    # The whole note (up to 4000 characters) is on the timeline event; the pause keeps its
    # first 200 (the column), cut with "…", the same on SQLite and PostgreSQL.
    size = ClockPause.reason.max_length
    reason = reason if len(reason) <= size else reason[:size - 1] + "…"
    count = 0
    for clk in Clock.select().where((Clock.complaint == complaint.id)
                                    & (Clock.status == "running")):
        ClockPause.create(clock=clk.id, started_at=at, reason=reason)
        clk.status = "paused"
        clk.paused_since = at
        clk.save()
        count += 1
    refresh_next_due(complaint)
    return count


def resume_all(complaint: Complaint, *, at: datetime) -> int:
    count = 0
    for clk in (Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                .where((Clock.complaint == complaint.id) & (Clock.status == "paused"))):
        (ClockPause.update(ended_at=at)
         .where((ClockPause.clock == clk.id) & ClockPause.ended_at.is_null()).execute())
        clk.status = "running"
        clk.paused_since = None
        _recompute(clk, now=at)
        clk.save()
        count += 1
    refresh_next_due(complaint)
    return count


def running_clocks(complaint: Complaint) -> list[Clock]:
    return list(Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                .where((Clock.complaint == complaint.id) & (Clock.status == "running"))
                .order_by(Clock.due_at))


def extend(complaint: Complaint, *, limit: str, rule_code: str | None, at: datetime,
           senior: bool = False) -> dict:
    """Give a running clock a longer total limit (rules.md §5 延期). Returns what changed.

    Past the rule's ``senior_above`` only a senior (a manager or the owner: ``senior``) may
    extend, never past its ``max_total``. A limit already missed stays missed: the clock is
    closed as "extended" and late, and a new clock from the same start carries the new limit.
    """
    clocks = running_clocks(complaint)
    if rule_code:
        clocks = [c for c in clocks if c.rule.code == rule_code]
    if not clocks:
        raise ValidationError(N_("There is no running time limit to extend."), field="limit")
    clk = clocks[0]
    rule = clk.rule
    length, unit = parse_limit(limit)
    if unit != clk.unit:
        raise DeadlineRuleError(N_("An extension must be in the same unit as the current limit "
                                   "({limit})."), field="limit",
                                limit=describe_limit(clk.length, clk.unit))
    if length <= clk.length:
        raise ValidationError(N_("The new limit must be longer than the current one ({current})."),
                              field="limit", current=describe_limit(clk.length, clk.unit))
    if rule.max_total is not None and length > rule.max_total:
        raise ValidationError(N_("The limit may be extended to {max} at most."), field="limit",
                              max=describe_limit(rule.max_total, clk.unit))
    if rule.senior_above is not None and length > rule.senior_above and not senior:
        raise PermissionDenied(N_("Extending “{limit}” past {cap} needs a manager or the owner."),
                               field="limit", limit=rule_name(rule),
                               cap=describe_limit(rule.senior_above, clk.unit))
    old_due, old_length = clk.due_at, clk.length
    late = at > clk.due_at
    result = {"rule": rule.code, "unit": unit, "old_length": old_length, "new_length": length}
    if late:
        missed = clk
        clk = _carry_on(missed, length=length, at=at)
        result.update(late=True, missed_clock=missed.id)
    else:
        clk.length = length
        _recompute(clk, now=at)
        clk.save()
    refresh_next_due(complaint)
    # Numbers and the unit, not words: the timeline is read in either language later.
    return {**result, "old_limit": describe_limit(old_length, unit),
            "new_limit": describe_limit(length, unit), "old_due": old_due.isoformat(),
            "new_due": clk.due_at.isoformat(), "provisional": clk.provisional}


def _carry_on(missed: Clock, *, length: int, at: datetime) -> Clock:
    """Close a missed clock as "extended" (late) and start its successor with the new length:
    the same start, rule and responsible person, and copies of its pauses, so the new due is
    counted exactly as the old one was."""
    (ClockPause.update(ended_at=at)
     .where((ClockPause.clock == missed.id) & ClockPause.ended_at.is_null()).execute())
    pauses = list(ClockPause.select().where(ClockPause.clock == missed.id)
                  .order_by(ClockPause.id))
    missed.status, missed.late = "extended", True
    missed.stopped_at, missed.paused_since = at, None
    missed.save()
    clk = Clock(complaint=missed.complaint_id, rule=missed.rule, started_at=missed.started_at,
                length=length, unit=missed.unit, responsible=missed.responsible_id,
                due_at=missed.due_at)
    clk.save()
    for pause in pauses:
        ClockPause.create(clock=clk.id, started_at=pause.started_at, ended_at=pause.ended_at,
                          reason=pause.reason)
    _recompute(clk, now=at)
    clk.save()
    return clk


def refresh_next_due(complaint: Complaint) -> None:
    """Keep the complaint's copy of its soonest due moment, for SQL sorting (rules.md §10)."""
    first = (Clock.select(Clock.due_at, DeadlineRule.code).join(DeadlineRule)
             .where((Clock.complaint == complaint.id) & (Clock.status == "running"))
             .order_by(Clock.due_at).first())
    complaint.next_due_at = first.due_at if first else None
    complaint.next_due_rule = first.rule.code if first else ""


@dataclass(frozen=True)
class ClockView:
    """One time limit of a complaint as the screens show it: its rule, its due moment and its
    state."""
    id: int
    complaint_id: int
    ticket: str
    rule_code: str
    rule_name: str
    limit: str
    started_at: datetime
    due_at: datetime
    status: str  # running | paused | met | cancelled | extended (missed, then extended)
    provisional: bool
    overdue: bool
    due_soon: bool
    late: bool | None
    remaining: timedelta | None
    responsible: str


def _view(clk: Clock, ticket: str, now: datetime, soon: timedelta) -> ClockView:
    active = clk.status in OPEN_STATUSES
    overdue = active and clk.status == "running" and clk.due_at < now
    due_soon = active and clk.status == "running" and not overdue and clk.due_at - now <= soon
    return ClockView(
        id=clk.id, complaint_id=clk.complaint_id, ticket=ticket, rule_code=clk.rule.code,
        rule_name=rule_name(clk.rule), limit=describe_limit(clk.length, clk.unit),
        started_at=clk.started_at, due_at=clk.due_at, status=clk.status,
        provisional=clk.provisional, overdue=overdue, due_soon=due_soon, late=clk.late,
        remaining=(clk.due_at - now) if clk.status == "running" else None,
        responsible=clk.responsible.name if clk.responsible_id else "")


# What a clock's marks say besides its status, in the order they are shown: paused; overdue or
# due soon (a running clock); late (done after its due time, or extended only after it: a
# missed limit stays missed); provisional (docs/rules.md §5: counted through a year without an
# official calendar).
CLOCK_FLAGS = ("paused", "overdue", "due_soon", "late", "provisional")


def clock_flags(clk: ClockView) -> tuple[str, ...]:
    """The CLOCK_FLAGS a clock carries, for the window and the command line alike."""
    carried = {"paused": clk.status == "paused", "overdue": clk.overdue,
               "due_soon": clk.due_soon,
               "late": clk.status in ("met", "extended") and bool(clk.late),
               "provisional": clk.provisional}
    return tuple(flag for flag in CLOCK_FLAGS if carried[flag])


def time_left_text(remaining: timedelta | None) -> str:
    """What is left before a due time (``ClockView.remaining``); a negative span is how long
    it is overdue; "—" when no clock runs."""
    if remaining is None:
        return "—"
    if remaining < timedelta(0):
        return _("overdue {time}").format(time=format_duration(remaining))
    return format_duration(remaining)


def due_soon_window() -> timedelta:
    firm = Firm.select().first()
    return timedelta(minutes=firm.due_soon_minutes if firm else 240)


def clocks_of(complaint: Complaint, *, now: datetime | None = None,
              soon: timedelta | None = None) -> list[ClockView]:
    """A complaint's clocks; ``soon`` is the firm's due-soon window when the caller has it."""
    now = now or wallclock.now()
    soon = due_soon_window() if soon is None else soon
    q = compiled(("clocks_of",), lambda cid: (
        Clock.select(Clock, DeadlineRule, User).join(DeadlineRule)
        .switch(Clock).join(User, join_type=JOIN.LEFT_OUTER, on=(Clock.responsible == User.id))
        .where(Clock.complaint == cid).order_by(Clock.started_at, Clock.id)), complaint.id)
    return [_view(c, complaint.ticket, now, soon) for c in q]


def open_clocks(visible, *, now: datetime | None = None, limit: int | None = None,
                offset: int = 0) -> list[ClockView]:
    """Every running or paused clock of the complaints ``visible`` selects, soonest first."""
    now = now or wallclock.now()
    soon = due_soon_window()
    q = (Clock.select(Clock, DeadlineRule, Complaint.id, Complaint.ticket, User)
         .join(DeadlineRule).switch(Clock).join(Complaint)
         .switch(Clock).join(User, join_type=JOIN.LEFT_OUTER, on=(Clock.responsible == User.id))
         .where(Clock.status.in_(OPEN_STATUSES) & visible)
         .order_by(Clock.due_at, Clock.id))
    if limit:
        q = q.limit(limit).offset(offset)
    return [_view(c, c.complaint.ticket, now, soon) for c in q]


def due_at_from(start: datetime, limit: str) -> tuple[datetime, bool]:
    """For the deadline CLI: the due moment of a limit text from a start."""
    length, unit = parse_limit(limit)
    due = compute_due(start, length, unit, calendar(), office=office_hours(),
                      now=wallclock.now())
    return due.due, due.provisional

