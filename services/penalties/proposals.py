"""The penalty ledger (奖惩台账, rules.md §7): proposals, approval, reversal, month totals.

The program *proposes* an entry when a time limit a rule covers is missed (and, where the
rule says "…complained again", a repeat or skip-level complaint was linked to it), or when a
complaint is linked as the repeat of one still open; nobody is fined automatically. Managers
and the owner propose; only the owner approves, rejects or reverses (经总经理审批后执行), never
about themselves (recusal); the owner or a manager records the deduction. Entries and their
status changes are append-only rows (models.penalties); a correction is a reversing entry. An
entry's status is its latest status event; balances are sums, never stored.

Months: an entry counts in the month of its latest status event — the month it was approved
in, or the payroll month it was deducted in. A reversal counts in the month it is recorded,
so a month already paid out is never changed afterwards.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from peewee import IntegrityError, fn

from models.db import database, is_postgres
from models.entities import (
    Clock,
    Complaint,
    ComplaintLink,
    DeadlineRule,
    Event,
    Firm,
    User,
)
from models.penalties import PenaltyEntry, PenaltyEntryEvent, PenaltyRule
from services import clock as wallclock
from services.changes import Changes
from services.complaints import OPEN_STATES, find
from services.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    StateError,
    ValidationError,
)
from services.i18n import N_, _, language, localized
from services.penalties.ledger import (
    COUNTED,
    OWNER_DECIDES,
    STATUS_NAMES,
    clean_ids,
    clean_month,
    latest_id,
    may_decide,
    may_deduct,
    month_of,
)
from services.penalties.rules import (
    CONDITION_KINDS,
    UNIT_TARGETS,
    check_amount,
    check_loss,
    codes,
    default_amount,
    ensure_rules,
    get_rule,
    link_kinds,
)
from services.people import has_role, require_role
from services.validation import ZERO, clean_text, money


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _firm_language() -> str:
    firm = Firm.select(Firm.language).first()
    return firm.language if firm else "zh_CN"


# --- writing entries -----------------------------------------------------------------------


def _create(*, rule: PenaltyRule, user_id: int | None, unit: str, department_id: int | None,
            amount: Decimal, loss: Decimal, reason: str, complaint_id: int | None,
            event_id: int | None, clock_id: int | None, proposed_by: int | None,
            at: datetime, reverses: int | None = None) -> PenaltyEntry | None:
    """One entry and its "proposed" event; None if the same miss was proposed meanwhile
    (the unique index on clock and rule, rules.md §7: never twice)."""
    try:
        with database.atomic():  # a savepoint: a clash undoes only this entry
            entry = PenaltyEntry.create(
                rule=rule.id, user=user_id, unit_name=unit, department=department_id,
                amount=amount, loss=loss, reason=reason, complaint=complaint_id,
                event=event_id, clock=clock_id, proposed_by=proposed_by, proposed_at=at,
                reverses=reverses)
            _status(entry.id, "proposed", actor_id=proposed_by, at=at, amount=amount,
                    loss=loss, month=month_of(at), note="")
    except IntegrityError:
        if clock_id is None and reverses is None:
            raise
        return None
    return entry


def _status(entry_id: int, status: str, *, actor_id: int | None, at: datetime,
            amount: Decimal, loss: Decimal, month: str, note: str) -> PenaltyEntryEvent:
    return PenaltyEntryEvent.create(entry=entry_id, status=status, actor=actor_id, at=at,
                                    amount=amount, loss=loss, month=month, note=note)


# --- proposals from the complaint path -----------------------------------------------------


def on_event(complaint: Complaint, event: Event) -> list[int]:
    """Called through the ``event_recorded`` hook (docs/design.md, Hooks) inside the step's
    transaction, right after the timeline event is written: propose entries for the clocks
    this step met late (or closed late by an extension), and, when the step links this
    complaint to an earlier one as its repeat or skip-level complaint, for the earlier one's
    misses that waited for such a link and for its open limit (the repeat-complaint rules).
    Returns the new entries' ids."""
    ensure_rules()
    made = []
    if event.action == "link":
        made += _on_link(complaint, event)
    # Most steps meet nothing late: one narrow query, the full rows only when needed. Any
    # status: a clock met late, or closed by an extension recorded after it was due.
    late = [i for (i,) in Clock.select(Clock.id).where(
        (Clock.complaint == complaint.id) & (Clock.late == True)).tuples()]  # noqa: E712
    if late:
        clocks = list(Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                      .where(Clock.id.in_(late)))
        made += _propose_missed(clocks, event=event, now=wallclock.now())
    return made


def _on_link(complaint: Complaint, event: Event) -> list[int]:
    """The "link" step on the later complaint (its data names the earlier one and the kind,
    and the ComplaintLink row is written in the same transaction): the earlier complaint's
    limits already missed — met or closed late, or running past due — now meet the
    "complained again" condition of their rules; a repeat also proposes under the
    repeat-complaint rules."""
    data = event.data or {}
    earlier_id, kind = data.get("earlier_id"), data.get("kind")
    if earlier_id is None:
        return []
    earlier = Complaint.get_or_none(Complaint.id == earlier_id)
    if earlier is None:
        return []
    now = wallclock.now()
    clocks = list(Clock.select(Clock, DeadlineRule).join(DeadlineRule).where(
        (Clock.complaint == earlier.id)
        & ((Clock.late == True) | ((Clock.status == "running")  # noqa: E712
                                   & (Clock.due_at < now))))
        .order_by(Clock.due_at, Clock.id))
    made = _propose_missed(clocks, event=event, now=now, conditioned_only=True)
    made += _propose_repeat(complaint, earlier, kind, event=event, now=now)
    return made


def _missed_clock_rules() -> dict[str, list[PenaltyRule]]:
    by_code: dict[str, list[PenaltyRule]] = {}
    q = PenaltyRule.select().where((PenaltyRule.active == True)  # noqa: E712
                                   & (PenaltyRule.trigger == "missed_clock"))
    for rule in q.order_by(PenaltyRule.sort, PenaltyRule.id):
        for code in codes(rule.clock_rules):
            by_code.setdefault(code, []).append(rule)
    return by_code


@dataclass(frozen=True)
class _Link:
    kind: str
    ticket: str  # the later complaint's
    linked_at: datetime


def _links_to(complaint_ids) -> dict[int, list[_Link]]:
    """The links naming each of these complaints as the earlier one, oldest first."""
    found: dict[int, list[_Link]] = {}
    wanted = sorted(set(complaint_ids))
    later = Complaint.alias("later")
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        q = (ComplaintLink.select(ComplaintLink.earlier, ComplaintLink.kind, later.ticket,
                                  ComplaintLink.linked_at)
             .join(later, on=(ComplaintLink.complaint == later.id))
             .where(ComplaintLink.earlier.in_(chunk))
             .order_by(ComplaintLink.linked_at, ComplaintLink.id))
        for earlier_id, kind, ticket, linked_at in q.tuples():
            found.setdefault(earlier_id, []).append(_Link(kind, ticket, linked_at))
    return found


def _fitting(rule: PenaltyRule, links: list[_Link]) -> _Link | None:
    kinds = CONDITION_KINDS.get(rule.condition or "", ())
    return next((link for link in links if link.kind in kinds), None)


def _person(rule: PenaltyRule, clk: Clock, complaint: Complaint, users: dict[int, User]
            ) -> int | None:
    """Who the entry is about: the person responsible for the clock when it was missed
    (rules.md §7 "that person"); for a receiver's rule, the receiver who took the complaint if
    the clock's person is not a receiver."""
    person = clk.responsible_id
    if rule.applies_to == "receiver":
        user = users.get(person) if person else None
        if user is None or not has_role(user, "receiver"):
            person = complaint.registered_by_id
    return person or complaint.handler_id or complaint.registered_by_id


def _propose_missed(clocks: list[Clock], *, event: Event | None, now: datetime,
                    dated_at_miss: bool = False, conditioned_only: bool = False) -> list[int]:
    """Entries for missed clocks under the rules covering them, once per clock and rule. A
    rule with a condition (rules.md §7 "…complained again") proposes only once a fitting link
    names the clock's complaint as the earlier one; ``conditioned_only``: only such rules (a
    link was just recorded; the rest were proposed when the miss was noticed)."""
    if not clocks:
        return []
    by_code = _missed_clock_rules()
    pairs = [(clk, rule) for clk in clocks for rule in by_code.get(clk.rule.code, ())
             if (rule.effective_from is None or clk.due_at.date() >= rule.effective_from)
             and (rule.condition or not conditioned_only)]
    if not pairs:
        return []
    links = _links_to({clk.complaint_id for clk, rule in pairs if rule.condition})
    fitting: dict[tuple[int, int], _Link | None] = {}
    kept = []
    for clk, rule in pairs:
        link = None
        if rule.condition:
            link = _fitting(rule, links.get(clk.complaint_id, []))
            if link is None:
                continue  # the condition is not met (yet): a later link proposes it
        fitting[(clk.id, rule.id)] = link
        kept.append((clk, rule))
    pairs = kept
    done: set[tuple[int, int]] = set()
    clock_ids = sorted({clk.id for clk, _rule in pairs})
    for start in range(0, len(clock_ids), 500):
        chunk = clock_ids[start:start + 500]
        done |= set(PenaltyEntry.select(PenaltyEntry.clock, PenaltyEntry.rule)
                    .where(PenaltyEntry.clock.in_(chunk)).tuples())
    pairs = [(clk, rule) for clk, rule in pairs if (clk.id, rule.id) not in done]
    complaints = {}
    complaint_ids = sorted({clk.complaint_id for clk, _rule in pairs})
    for start in range(0, len(complaint_ids), 500):
        chunk = complaint_ids[start:start + 500]
        complaints.update((c.id, c) for c in Complaint.select(
            Complaint.id, Complaint.ticket, Complaint.handler, Complaint.registered_by)
            .where(Complaint.id.in_(chunk)))
    users = {u.id: u for u in User.select()} if pairs else {}
    made = []
    with language(_firm_language()):  # the reason is written once, in the firm's language
        for clk, rule in pairs:
            complaint = complaints[clk.complaint_id]
            person = _person(rule, clk, complaint, users)
            link = fitting[(clk.id, rule.id)]
            reason = _missed_reason(clk, complaint, now)
            if link is not None:
                reason += " " + (_LINKED[link.kind] if link.kind in _LINKED
                                 else _LINKED["repeat"])().format(later=link.ticket)
            known = _known_at(clk) if link is None else max(_known_at(clk), link.linked_at)
            # the step that made the proposal: the late step, or the link just recorded (an
            # event of the later complaint)
            by_step = event is not None and (event.action == "link"
                                             or clk.stopped_at == event.at)
            entry = _create(
                rule=rule, user_id=person, unit="",
                department_id=users[person].department_id if person in users else None,
                amount=default_amount(rule), loss=ZERO, reason=reason,
                complaint_id=complaint.id, event_id=event.id if by_step else None,
                clock_id=clk.id, proposed_by=None,
                at=min(now, known) if dated_at_miss else now)
            if entry is not None:
                made.append(entry.id)
    return made


# The sentence a conditioned proposal adds to its reason, per link kind (callables: the text
# is translated when the reason is written, in the firm's language).
_LINKED = {
    "repeat": lambda: _("Complaint {later} was linked to it as a repeat complaint."),
    "skip_level": lambda: _("Complaint {later} was linked to it as a skip-level complaint."),
}


def _missed_reason(clk: Clock, complaint: Complaint, now: datetime) -> str:
    limit = localized(clk.rule.name_zh, clk.rule.name_en)
    if clk.status == "met" and clk.stopped_at is not None:
        return _("Time limit “{limit}” on complaint {ticket} was missed: due {due}, "
                 "done {done}.").format(limit=limit, ticket=complaint.ticket,
                                        due=_stamp(clk.due_at), done=_stamp(clk.stopped_at))
    if clk.status == "extended" and clk.stopped_at is not None:
        return _("Time limit “{limit}” on complaint {ticket} was missed: due {due}, "
                 "extended only at {done}.").format(
            limit=limit, ticket=complaint.ticket, due=_stamp(clk.due_at),
            done=_stamp(clk.stopped_at))
    return _("Time limit “{limit}” on complaint {ticket} was missed: due {due}, "
             "still not done at {now}.").format(limit=limit, ticket=complaint.ticket,
                                                 due=_stamp(clk.due_at), now=_stamp(now))


def _known_at(clk: Clock) -> datetime:
    """When a miss became known: the late step (met, or closed by a late extension), or
    (still not done) the due moment."""
    if clk.status != "running" and clk.stopped_at is not None:
        return clk.stopped_at
    return clk.due_at.replace(microsecond=0) + timedelta(seconds=1)


def _propose_repeat(complaint: Complaint, earlier: Complaint, kind: str | None, *,
                    event: Event, now: datetime) -> list[int]:
    """rules.md §7: the customer complained again before the first complaint was answered —
    the receiver linked ``complaint`` to ``earlier`` as its repeat (the program never matches
    them by itself) — the person responsible for the earlier one's open time limit, under the
    repeat-complaint rules whose condition the link's kind fits."""
    rules = [r for r in PenaltyRule.select().where(
        (PenaltyRule.active == True)  # noqa: E712
        & (PenaltyRule.trigger == "repeat_complaint"))
        .order_by(PenaltyRule.sort, PenaltyRule.id) if kind in link_kinds(r)]
    if not rules or earlier.state not in OPEN_STATES:
        return []
    open_clocks = list(Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                       .where((Clock.complaint == earlier.id)
                              & Clock.status.in_(("running", "paused")))
                       .order_by(Clock.due_at, Clock.id))
    if not open_clocks:
        return []
    users = {u.id: u for u in User.select()}
    made = []
    with language(_firm_language()):
        for rule in rules:
            if rule.effective_from is not None and complaint.received_at.date() < \
                    rule.effective_from:
                continue
            wanted = codes(rule.clock_rules)
            clk = next((c for c in open_clocks if not wanted or c.rule.code in wanted), None)
            if clk is None:
                continue
            person = _person(rule, clk, earlier, users)
            limit = localized(clk.rule.name_zh, clk.rule.name_en)
            reason = _("{name} complained again (complaint {ticket}) before complaint "
                       "{earlier} was answered; its time limit “{limit}” was still open.").format(
                name=complaint.complainant_name, ticket=complaint.ticket,
                earlier=earlier.ticket, limit=limit)
            entry = _create(rule=rule, user_id=person, unit="",
                            department_id=users[person].department_id if person in users
                            else None, amount=default_amount(rule), loss=ZERO, reason=reason,
                            complaint_id=earlier.id, event_id=event.id, clock_id=clk.id,
                            proposed_by=None, at=now)
            if entry is not None:
                made.append(entry.id)
    return made


@dataclass(frozen=True)
class ScanResult:
    proposed: int
    entry_ids: tuple[int, ...]

    @property
    def changes(self) -> Changes:
        return Changes(ledger=bool(self.proposed))


def scan_overdue(now: datetime | None = None, *, dated_at_miss: bool = False) -> ScanResult:
    """Propose entries for every covered time limit already missed: running past due, or met
    late before a proposal could be made (a database from before the ledger, sample data).
    Idempotent: a miss that has an entry is skipped. Called when the ledger opens and by
    ``main.py penalties scan``. ``dated_at_miss`` dates each proposal when its miss became
    known (the late step, or the due moment) instead of now: for data filled in afterwards."""
    ensure_rules()
    now = now or wallclock.now()
    by_code = _missed_clock_rules()
    if not by_code:
        return ScanResult(0, ())
    # Missed: running past due, or stopped late whatever the status (met late, or closed by
    # an extension recorded after it was due).
    missed = ((Clock.status == "running") & (Clock.due_at < now)) | (
        Clock.late == True)  # noqa: E712
    starts = [r.effective_from for rules in by_code.values() for r in rules]
    if None not in starts:  # a firm that had no ledger before: old misses are not looked at
        missed &= Clock.due_at >= datetime.combine(min(starts), datetime.min.time())
    proposed = PenaltyEntry.select(PenaltyEntry.clock).where(PenaltyEntry.clock.is_null(False))
    with database.atomic():
        clocks = list(Clock.select(Clock, DeadlineRule).join(DeadlineRule)
                      .where(missed & _covered(by_code) & Clock.id.not_in(proposed))
                      .order_by(Clock.due_at, Clock.id))
        made = _propose_missed(clocks, event=None, now=now, dated_at_miss=dated_at_miss)
    return ScanResult(len(made), tuple(made))


def _covered(by_code: dict[str, list[PenaltyRule]]):
    """The clocks some rule may propose for now, in SQL: a limit one rule without a condition
    covers, or one whose complaint already has a link of a kind a covering rule waits for (the
    misses still waiting for their link are not read again on every scan)."""
    free = sorted(code for code, rules in by_code.items()
                  if any(not r.condition for r in rules))
    waiting: dict[tuple[str, ...], list[str]] = {}
    for code, rules in by_code.items():
        if code not in free:
            kinds = tuple(sorted({k for r in rules for k in CONDITION_KINDS.get(r.condition, ())}))
            waiting.setdefault(kinds, []).append(code)
    covered = DeadlineRule.code.in_(free) if free else None
    for kinds, group in sorted(waiting.items()):
        linked = fn.EXISTS(ComplaintLink.select(ComplaintLink.id).where(
            (ComplaintLink.earlier == Clock.complaint) & ComplaintLink.kind.in_(list(kinds))))
        part = DeadlineRule.code.in_(sorted(group)) & linked
        covered = part if covered is None else (covered | part)
    return covered


# --- manual entries, approval, deduction, reversal -----------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    """What an operation changed, for the window to refresh (docs/design.md)."""

    status: str
    entry_ids: tuple[int, ...]
    changes = Changes(ledger=True)


def propose(*, actor: User, rule_code: str, person: str = "", unit: str = "", amount=None,
            loss=None, reason: str = "", complaint=None) -> ChangeResult:
    """An entry by hand (a fine the program cannot see, or a reward): a manager or the owner
    proposes (rules.md §2), for someone else (recusal); it waits for approval like any other."""
    require_role(actor, "manager", "owner")
    rule = get_rule(rule_code)
    if not rule.active:
        raise ValidationError(N_("The rule {code} is no longer in use."), field="rule",
                              code=rule.code)
    person, unit = (person or "").strip(), (unit or "").strip()
    user = None
    if rule.applies_to in UNIT_TARGETS:
        unit = clean_text(unit, field="unit", label=N_("Dealer or store"), max_length=100)
        if person:
            raise ValidationError(N_("This rule is about a dealer or a store, not a person."),
                                  field="person")
    else:
        if unit:
            raise ValidationError(N_("This rule is about a person, not a dealer or a store."),
                                  field="unit")
        if not person:
            raise ValidationError(N_("Choose a person."), field="person")
        user = User.get_or_none(User.login == person)
        if user is None:
            raise ValidationError(N_("No user with the login {login}."), field="person",
                                  login=person)
        if user.id == actor.id:
            raise PermissionDenied(N_("Nobody proposes, approves or rejects an entry about "
                                      "themselves (recusal)."), field="person")
    value = check_amount(rule, default_amount(rule) if amount in (None, "") else amount)
    extra = check_loss(rule, loss)
    reason = clean_text(reason, field="reason", label=N_("Reason"), max_length=2000)
    complaint_id = None
    if complaint not in (None, ""):
        try:
            complaint_id = find(complaint, actor=actor).id
        except DomainError as err:  # no such ticket, or one the actor may not open (§2)
            err.field = err.field or "complaint"
            raise
    now = wallclock.now()
    with database.atomic():
        entry = _create(rule=rule, user_id=user.id if user else None, unit=unit,
                        department_id=user.department_id if user else None, amount=value,
                        loss=extra, reason=reason, complaint_id=complaint_id, event_id=None,
                        clock_id=None, proposed_by=actor.id, at=now)
    return ChangeResult("proposed", (entry.id,))


@dataclass
class _Current:
    entry: PenaltyEntry
    status: str
    amount: Decimal
    loss: Decimal
    month: str


def _current(entry_ids) -> list[_Current]:
    wanted = clean_ids(entry_ids)
    q = PenaltyEntry.select().where(PenaltyEntry.id.in_(wanted)).order_by(PenaltyEntry.id)
    if is_postgres():
        q = q.for_update()  # two managers deciding the same entry wait for each other
    entries = {e.id: e for e in q}
    missing = [i for i in wanted if i not in entries]
    if missing:
        raise NotFound(N_("No ledger entry {id}."), id=missing[0])
    latest = {}
    cur = PenaltyEntryEvent.alias("cur")
    for ev in cur.select().where(cur.entry.in_(wanted) & (cur.id == latest_id(cur.entry))):
        latest[ev.entry_id] = ev
    return [_Current(entries[i], latest[i].status, money(latest[i].amount),
                     money(latest[i].loss), latest[i].month) for i in wanted]


def _decider(actor: User, current: list[_Current], *, statuses: tuple[str, ...],
             refused: str, owner_only: bool = True) -> None:
    """rules.md §7: the owner approves, rejects and reverses (经总经理审批后执行); the owner or
    a manager records a deduction; nobody decides about themselves (回避)."""
    if owner_only and not may_decide(actor):
        raise PermissionDenied(OWNER_DECIDES, field="entries")
    if not may_deduct(actor):
        require_role(actor, "manager", "owner")
    for c in current:
        if c.entry.user_id == actor.id:
            raise PermissionDenied(N_("Entry {id} is about you: nobody proposes, approves or "
                                      "rejects an entry about themselves (recusal)."),
                                   field="entries", id=c.entry.id)
        if c.status not in statuses:
            raise StateError(refused, field="entries", id=c.entry.id,
                             status=_(STATUS_NAMES[c.status]))


def _decide(actor: User, entry_ids, *, to: str, statuses: tuple[str, ...], refused: str,
            note: str, values: Callable[[list[_Current], datetime], list[tuple]],
            owner_only: bool = True) -> ChangeResult:
    """Move entries that are in one of ``statuses`` on to ``to``, all or none (one
    transaction), once the actor may decide them; ``values(current, now)`` gives each its
    (amount, loss, month) as of the new status."""
    now = wallclock.now()
    with database.atomic():
        current = _current(entry_ids)
        _decider(actor, current, statuses=statuses, refused=refused, owner_only=owner_only)
        for c, (amount, loss, month) in zip(current, values(current, now), strict=True):
            _status(c.entry.id, to, actor_id=actor.id, at=now, amount=amount, loss=loss,
                    month=month, note=note)
    return ChangeResult(to, tuple(c.entry.id for c in current))


def approve(*, actor: User, entry_ids, amount=None, loss=None, note: str = "") -> ChangeResult:
    """Approve proposals, all or none (one transaction). ``amount``/``loss``, if given,
    replace the proposed ones for every entry, each inside its own rule's range."""
    note = clean_text(note, field="note", label=N_("Note"), max_length=2000, required=False)

    def values(current: list[_Current], now: datetime) -> list[tuple]:
        rules = {r.id: r for r in PenaltyRule.select().where(
            PenaltyRule.id.in_({c.entry.rule_id for c in current}))}
        out = []
        for c in current:
            rule = rules[c.entry.rule_id]
            out.append((c.amount if amount in (None, "") else check_amount(rule, amount),
                        c.loss if loss in (None, "") else check_loss(rule, loss), month_of(now)))
        return out

    return _decide(actor, entry_ids, to="approved", statuses=("proposed",), note=note,
                   refused=N_("Entry {id} is {status}; only a proposal can be approved."),
                   values=values)


def reject(*, actor: User, entry_ids, note: str = "") -> ChangeResult:
    """Reject proposals (with the reason), all or none."""
    note = clean_text(note, field="note", label=N_("Reason"), max_length=2000)
    return _decide(actor, entry_ids, to="rejected", statuses=("proposed",), note=note,
                   refused=N_("Entry {id} is {status}; only a proposal can be rejected."),
                   values=lambda current, _now: [(c.amount, c.loss, c.month) for c in current])


def mark_deducted(*, actor: User, entry_ids, payroll_month: str, note: str = ""
                  ) -> ChangeResult:
    """Record that approved entries were deducted (or paid, for rewards) in a payroll month;
    they count in that month from now on. The owner or a manager records it (it carries out
    the owner's approval), never about themselves."""
    month = clean_month(payroll_month, field="payroll_month")
    note = clean_text(note, field="note", label=N_("Note"), max_length=2000, required=False)
    return _decide(actor, entry_ids, to="deducted", statuses=("approved",), note=note,
                   refused=N_("Entry {id} is {status}; only an approved entry can be deducted."),
                   values=lambda current, _now: [(c.amount, c.loss, month) for c in current],
                   owner_only=False)


def reverse(*, actor: User, entry_id, reason: str) -> ChangeResult:
    """Correct an approved or deducted entry by a reversing entry of the opposite amount,
    approved by the same rules (the owner, never about themselves): it is recorded approved.
    It counts in the month it is recorded; the original is never touched (rules.md §7)."""
    reason = clean_text(reason, field="reason", label=N_("Reason"), max_length=2000)
    now = wallclock.now()
    with database.atomic():
        current = _current([entry_id])
        _decider(actor, current, statuses=COUNTED,
                 refused=N_("Entry {id} is {status}; only an approved or deducted entry is "
                            "reversed (a proposal is rejected instead)."))
        c = current[0]
        if c.entry.reverses_id is not None:
            raise StateError(N_("Entry {id} is itself a reversal; record a new entry "
                                "instead."), field="entries", id=c.entry.id)
        if PenaltyEntry.select().where(PenaltyEntry.reverses == c.entry.id).exists():
            raise StateError(N_("Entry {id} is already reversed."), field="entries",
                             id=c.entry.id)
        rule = PenaltyRule.get_by_id(c.entry.rule_id)
        entry = _create(rule=rule, user_id=c.entry.user_id, unit=c.entry.unit_name,
                        department_id=c.entry.department_id, amount=-c.amount, loss=-c.loss,
                        reason=reason, complaint_id=c.entry.complaint_id, event_id=None,
                        clock_id=None, proposed_by=actor.id, at=now, reverses=c.entry.id)
        if entry is None:
            raise StateError(N_("Entry {id} is already reversed."), field="entries",
                             id=c.entry.id)
        _status(entry.id, "approved", actor_id=actor.id, at=now, amount=-c.amount,
                loss=-c.loss, month=month_of(now), note=reason)
    return ChangeResult("approved", (entry.id,))


