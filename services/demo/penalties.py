"""Sample penalty ledger for the demo firm (rules.md §7): proposals from its missed time limits,
then a manager's and the owner's decisions spread over the months, deductions in payroll,
a reward and a reversal — all through services.penalties, so every rule holds.

The demo's complaints are written without ``workflow.act`` (services.demo), so no proposal
exists yet; ``generate_penalties`` scans for them, each dated when its miss became known.
Only the last few months are proposed: two years of back-dated fines would bury the ledger.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from models.db import database
from models.entities import Clock, DeadlineRule, Firm, User
from models.penalties import PenaltyRule
from services import clock as wallclock
from services import penalties
from services.errors import DomainError, NotFound
from services.i18n import N_, language
from services.penalties import codes, ensure_rules
from services.people import has_role

MONTHS = 5  # proposals for misses in this many months before the current one, and this one
MAX_MISSES = 1200
PENDING_DAYS = 6  # proposals this recent are left waiting for a decision
NOTES_REJECT = ("客户已同意延期，不属违规", "系统时间记录有误，实际已按时回复",
                "因外部检测等待，非本人原因")
NOTES_APPROVE = ("", "", "经核实属实", "按制度执行")


@dataclass(frozen=True)
class PenaltySummary:
    proposed: int
    approved: int
    rejected: int
    deducted: int
    pending: int
    rewards: int
    reversals: int


@contextmanager
def _at(moment: datetime):
    """Run a service as if at ``moment`` (services.clock.freeze), then put the time back."""
    previous = wallclock._frozen  # the demo may itself run at a frozen moment
    wallclock.freeze(moment)
    try:
        yield
    finally:
        wallclock.freeze(previous)


def _first_of_month(day: date, back: int) -> date:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return date(year, month, 1)


def _window(end: datetime) -> date:
    """The first day proposals are made for: MONTHS back, fewer for a very large demo so the
    ledger stays readable and generation quick (about MAX_MISSES misses at most)."""
    covered = {c for r in PenaltyRule.select().where(PenaltyRule.active == True)  # noqa: E712
               for c in codes(r.clock_rules)}
    missed = (((Clock.status == "met") & (Clock.late == True))  # noqa: E712
              | ((Clock.status == "running") & (Clock.due_at < end))) & Clock.rule.in_(
        DeadlineRule.select(DeadlineRule.id).where(DeadlineRule.code.in_(list(covered))))
    choices = [_first_of_month(end.date(), back) for back in range(MONTHS, -1, -1)]
    choices += [end.date() - timedelta(days=days) for days in (14, 7, 3)]
    for since in choices:
        start = datetime.combine(since, time())
        if Clock.select().where(missed & (Clock.due_at >= start)).count() <= MAX_MISSES:
            return since
    return choices[-1]


def generate_penalties(*, seed: int = 1, progress: Callable[[float], None] | None = None
                       ) -> PenaltySummary:
    """Fill the bound demo database's penalty ledger. Run after ``services.demo.sample``."""
    rng = random.Random(seed)
    end = wallclock.now()
    ensure_rules()
    since = _window(end)
    # The demo firm's misses before ``since`` stay out of the ledger (see the docstring).
    PenaltyRule.update(effective_from=since).where(PenaltyRule.trigger != "manual").execute()
    staff = list(User.select().where(User.active == True).order_by(User.id))  # noqa: E712
    deciders = [u for u in staff if has_role(u, "manager", "owner")]
    if not deciders:
        raise NotFound(N_("The demo firm has no manager or owner."))
    firm_language = Firm.select(Firm.language).scalar() or "zh_CN"
    counts = dict(approved=0, rejected=0, deducted=0, rewards=0, reversals=0)
    with database.atomic(), language(firm_language):
        scan = penalties.scan_overdue(end, dated_at_miss=True)
        if progress is not None:
            progress(0.3)
        rows = sorted(penalties.rows(deciders[0], list(scan.entry_ids)),
                      key=lambda r: (r.proposed_at, r.id))
        approved = []
        for i, row in enumerate(rows):
            decided_at = row.proposed_at + timedelta(days=rng.randint(1, 5), hours=rng.randint(
                1, 6))
            if decided_at > end - timedelta(days=PENDING_DAYS):
                continue  # still waiting for the manager
            decider = _decider(rng, deciders, row.user_id)
            if decider is None:
                continue
            with _at(decided_at):
                if rng.random() < 0.18:
                    penalties.reject(actor=decider, entry_ids=[row.id],
                                     note=rng.choice(NOTES_REJECT))
                    counts["rejected"] += 1
                else:
                    amount = None
                    if row.max_amount > row.min_amount and rng.random() < 0.3:
                        amount = row.max_amount
                    penalties.approve(actor=decider, entry_ids=[row.id], amount=amount,
                                      note=rng.choice(NOTES_APPROVE))
                    approved.append((row, decided_at, decider))
                    counts["approved"] += 1
            if progress is not None and i % 50 == 0:
                progress(0.3 + 0.6 * i / max(1, len(rows)))
        counts["deducted"] = _deduct(approved, end, [u for u in deciders
                                                      if not has_role(u, "owner")])
        counts["reversals"] = _reverse_one(rng, approved, end)
        counts["rewards"] = _rewards(rng, staff, deciders, end, since)
    if progress is not None:
        progress(1.0)
    pending = penalties.count(deciders[0], penalties.LedgerFilter(status="proposed"))
    return PenaltySummary(proposed=scan.proposed, pending=pending, **counts)


def _decider(rng: random.Random, deciders: list[User], person_id: int | None) -> User | None:
    """An owner (rules.md §7: 经总经理审批后执行); never the person the entry is about."""
    owners = [u for u in deciders if u.id != person_id and has_role(u, "owner")]
    return rng.choice(owners) if owners else None


def _payroll_day(month_day: date) -> datetime:
    """Payroll is made on the 5th of the next month."""
    year, month = (month_day.year + 1, 1) if month_day.month == 12 else (
        month_day.year, month_day.month + 1)
    return datetime.combine(date(year, month, 5), time(10))


def _deduct(approved: list, end: datetime, payroll_clerks: list[User]) -> int:
    """Every approved entry of a month already paid out is marked deducted in that payroll."""
    by_payroll: dict[tuple[datetime, int], list[int]] = {}
    for row, decided_at, decider in approved:
        payday = _payroll_day(decided_at.date())
        if payday <= end:  # the payroll clerk is a manager where there is one (rules.md §7)
            clerk = next((u for u in payroll_clerks if u.id != row.user_id), decider)
            by_payroll.setdefault((payday, clerk.id), []).append(row.id)
    users = {u.id: u for u in User.select()}
    done = 0
    for (payday, decider_id), entry_ids in sorted(by_payroll.items()):
        with _at(payday):
            penalties.mark_deducted(actor=users[decider_id], entry_ids=entry_ids,
                                    payroll_month=penalties.month_of(payday))
        done += len(entry_ids)
    return done


def _reverse_one(rng: random.Random, approved: list, end: datetime) -> int:
    """One fine found to be a mistake afterwards: reversed, with the reason."""
    if not approved:
        return 0
    row, decided_at, decider = rng.choice(approved)
    moment = min(end, decided_at + timedelta(days=rng.randint(2, 20)))
    with _at(moment):
        penalties.reverse(actor=decider, entry_id=row.id,
                          reason="复核发现时限计算有误（客户同意延期），予以冲销")
    return 1


def _rewards(rng: random.Random, staff: list[User], deciders: list[User], end: datetime,
             since: date) -> int:
    """Written praise from customers (rules.md §7 rewards), one every month or so."""
    praised = [u for u in staff if has_role(u, "receiver", "handler")]
    made = 0
    day = datetime.combine(since, time(15))
    while praised and day < end - timedelta(days=2):
        person = rng.choice(praised)
        proposer = next((u for u in deciders if u.id != person.id), None)
        approver = next((u for u in deciders if u.id != person.id
                         and has_role(u, "owner")), None)
        if proposer is None or approver is None:
            break
        try:
            with _at(day):
                result = penalties.propose(
                    actor=proposer, rule_code="written_praise", person=person.login,
                    amount=rng.choice(("-50", "-100", "-200")),
                    reason=f"客户来信表扬{person.name}服务热情周到")
            with _at(day + timedelta(days=1)):
                penalties.approve(actor=approver, entry_ids=list(result.entry_ids))
            made += 1
        except DomainError:  # the profile has no reward rule, or it was switched off
            break
        day += timedelta(days=rng.randint(20, 40))
    return made
