"""Reading the penalty ledger (rules.md §7): the lazy list, one entry, month totals, export.

Everything here is derived from the append-only rows: an entry's status, amount and month
are those of its latest status event, and balances are sums made when asked, never stored.
Managers and the owner see the whole ledger; anyone else only the entries about them (§2).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from peewee import JOIN, SQL, fn

from models.base import id_page, key_page
from models.entities import Clock, Complaint, DeadlineRule, Department, User
from models.penalties import PenaltyEntry, PenaltyEntryEvent, PenaltyRule
from services import clock as wallclock
from services.errors import NotFound, PermissionDenied, ValidationError
from services.i18n import N_, localized
from services.penalties.rules import RuleInfo, ensure_rules, info
from services.people import can_see, has_role, is_senior
from services.validation import ZERO, money

STATUSES = ("proposed", "approved", "rejected", "deducted")
STATUS_NAMES = {
    "proposed": N_("Proposed"), "approved": N_("Approved"), "rejected": N_("Rejected"),
    "deducted": N_("Deducted"),
}
COUNTED = ("approved", "deducted")  # what month totals and the payroll export add up


def month_of(moment: date | datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def clean_month(value, *, field: str = "month") -> str:
    text = str(value or "").strip()
    try:
        parsed = datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise ValidationError(N_("Give the month as YYYY-MM, e.g. 2026-10."), field=field
                              ) from None
    if not 2000 <= parsed.year <= 2100:
        raise ValidationError(N_("Give the month as YYYY-MM, e.g. 2026-10."), field=field)
    return month_of(parsed)


def clean_ids(entry_ids) -> list[int]:
    if isinstance(entry_ids, int | str):
        entry_ids = [entry_ids]
    out = []
    for value in entry_ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValidationError(N_("{value} is not an entry number."), field="entries",
                                  value=value) from None
        if number not in out:
            out.append(number)
    if not out:
        raise ValidationError(N_("Choose at least one entry."), field="entries")
    return out


def latest_id(entry_field):
    last = PenaltyEntryEvent.alias("last_event")
    return last.select(fn.MAX(last.id)).where(last.entry == entry_field)



# --- reading -------------------------------------------------------------------------------


@dataclass
class LedgerFilter:
    person: str = ""  # login
    unit: str = ""  # a dealer's or store's name
    department: str = ""  # code
    month: str = ""  # YYYY-MM: the month of the entry's latest status
    status: str = ""  # a status, or "counted" (approved or deducted)
    rule: str = ""  # code
    complaint_id: int | None = None
    not_about: int | None = None  # a user id: leave out the entries about them




# rules.md §7 (经总经理审批后执行): the owner (总经理) approves; managers propose. The window shows
# the same sentence where it disables approval for a manager.
OWNER_DECIDES = N_("Only the owner approves, rejects or reverses ledger entries; managers "
                   "propose them.")


def may_decide(actor: User) -> bool:
    """May ``actor`` approve, reject or reverse entries at all (recusal aside)? The owner."""
    return has_role(actor, "owner")


def may_deduct(actor: User) -> bool:
    """May ``actor`` record deductions? Recording one carries out an approval already given:
    the owner or a manager (whoever runs the payroll), never about themselves."""
    return has_role(actor, "manager", "owner")


def _visible(actor: User):
    # rules.md §2: manager/owner see the whole ledger; everyone else only what is about them.
    if is_senior(actor):
        return PenaltyEntry.id.is_null(False)
    return PenaltyEntry.user == actor.id


def _base(actor: User, f: LedgerFilter, fields):
    cur = PenaltyEntryEvent.alias("cur")
    person = User.alias("person")
    dept = Department.alias("dept")
    q = (PenaltyEntry.select(*fields(cur, person, dept))
         .join(cur, on=((cur.entry == PenaltyEntry.id) & (cur.id == latest_id(PenaltyEntry.id))))
         .switch(PenaltyEntry).join(PenaltyRule, on=(PenaltyEntry.rule == PenaltyRule.id))
         .switch(PenaltyEntry).join(person, JOIN.LEFT_OUTER, on=(PenaltyEntry.user == person.id))
         .switch(PenaltyEntry)
         .join(dept, JOIN.LEFT_OUTER, on=(PenaltyEntry.department == dept.id)))
    cond = _visible(actor)
    if f.person:
        cond &= person.login == f.person
    if f.unit:
        cond &= PenaltyEntry.unit_name == f.unit
    if f.department:
        cond &= dept.code == f.department
    if f.month:
        cond &= cur.month == clean_month(f.month)
    if f.status == "counted":
        cond &= cur.status.in_(COUNTED)
    elif f.status:
        if f.status not in STATUSES:
            raise ValidationError(N_("Unknown status: {status}."), field="status",
                                  status=f.status)
        cond &= cur.status == f.status
    if f.rule:
        cond &= PenaltyRule.code == f.rule
    if f.complaint_id is not None:
        cond &= PenaltyEntry.complaint == f.complaint_id
    if f.not_about is not None:  # what a manager may decide: not about themselves (§7)
        cond &= PenaltyEntry.user.is_null() | (PenaltyEntry.user != f.not_about)
    return q.where(cond), cur, person, dept


def count(actor: User, f: LedgerFilter | None = None, *, at_most: int | None = None) -> int:
    """How many entries match; with ``at_most``, counting stops there (the lazy list shows
    "1,000+" until the exact count comes from the worker; rules.md §10)."""
    ensure_rules()
    if at_most is not None:
        q, *_aliases = _base(actor, f or LedgerFilter(), lambda c, p, d: [PenaltyEntry.id])
        return PenaltyEntry.select(fn.COUNT(SQL("1"))).from_(
            q.limit(at_most).alias("capped")).scalar() or 0
    q, *_aliases = _base(actor, f or LedgerFilter(), lambda c, p, d: [fn.COUNT(PenaltyEntry.id)])
    return q.scalar() or 0


def ids(actor: User, f: LedgerFilter | None = None, *, sort: str = "id",
        descending: bool = True, offset: int = 0, limit: int | None = None) -> list[int]:
    """Entry ids in ledger order; the ledger screen asks for pages of them (rules.md §10)."""
    ensure_rules()
    q, column = _paged(actor, f, sort)
    return id_page(q, column, PenaltyEntry.id, descending=descending, offset=offset, limit=limit)


# --- keyset paging (rules.md §10) ------------------------------------------------------------
# As the register's (services/complaints/register.py): a page is a list of ``(id, key)``, the
# key the row's ``(sort value, id)``, handed back to ask for the page after or before it.


def _paged(actor: User, f: LedgerFilter | None, sort: str):
    q, cur, person, dept = _base(actor, f or LedgerFilter(), lambda c, p, d: [PenaltyEntry.id])
    column = {"id": PenaltyEntry.id, "person": fn.COALESCE(person.name, PenaltyEntry.unit_name),
              # an entry about a unit has no department: an expression, so that both the
              # OFFSET and the keyset order treat the empty value as empty (last) on either
              # backend, which a NOT NULL column of the outer-joined table would not
              "department": fn.NULLIF(dept.name, ""), "rule": PenaltyRule.sort,
              "amount": cur.amount, "month": cur.month, "status": cur.status,
              }.get(sort, PenaltyEntry.id)
    return q, column


def _keyed(rows: list[tuple]) -> list[tuple[int, tuple]]:
    return [(i, (v, i)) for i, v in rows]


def page_after(actor: User, f: LedgerFilter | None = None, sort: str = "id",
               descending: bool = True, after_key: tuple | None = None,
               limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` entries just after the row whose key is ``after_key`` (None: the first
    page), in ledger order, without OFFSET."""
    ensure_rules()
    q, column = _paged(actor, f, sort)
    return _keyed(key_page(q, column, PenaltyEntry.id, descending=descending, key=after_key,
                           limit=limit))


def page_before(actor: User, f: LedgerFilter | None = None, sort: str = "id",
                descending: bool = True, before_key: tuple | None = None,
                limit: int = 200) -> list[tuple[int, tuple]]:
    """The ``limit`` entries just before ``before_key`` (None: the last page)."""
    ensure_rules()
    q, column = _paged(actor, f, sort)
    return _keyed(key_page(q, column, PenaltyEntry.id, descending=descending, key=before_key,
                           limit=limit, backwards=True))


def page_at(actor: User, f: LedgerFilter | None = None, sort: str = "id",
            descending: bool = True, offset: int = 0, limit: int = 200,
            total: int | None = None) -> list[tuple[int, tuple]]:
    """The page at row ``offset`` (a jump far from any page held), read from the nearer end
    when ``total`` is known."""
    ensure_rules()
    q, column = _paged(actor, f, sort)
    if total is not None and offset + limit / 2 > total / 2:
        wanted = min(limit, total - offset)
        if wanted <= 0:
            return []
        rows = id_page(q, column, PenaltyEntry.id, descending=descending,
                       offset=max(total - offset - limit, 0), limit=wanted, values=True,
                       reverse=True)
        return _keyed(rows[::-1])
    return _keyed(id_page(q, column, PenaltyEntry.id, descending=descending, offset=offset,
                          limit=limit, values=True))


@dataclass(frozen=True)
class LedgerRow:
    id: int
    proposed_at: datetime
    user_id: int | None
    login: str
    person: str  # the person's name, or the dealer's/store's
    unit: str
    department: str
    rule_code: str
    rule_name: str
    reward: bool
    min_amount: Decimal
    max_amount: Decimal
    plus_loss: bool
    amount: Decimal  # as of the latest status (an approver may have changed it)
    loss: Decimal
    status: str
    month: str
    status_at: datetime
    reason: str
    complaint_id: int | None
    ticket: str
    clock_id: int | None
    proposed_by: str  # "" = the program
    reverses: int | None
    reversed_by: int | None

    @property
    def total(self) -> Decimal:
        return self.amount + self.loss

    @property
    def counted(self) -> bool:
        return self.status in COUNTED


def rows(actor: User, entry_ids: list[int]) -> list[LedgerRow]:
    """Ledger rows for the given ids, in that order (only those the actor may see)."""
    if not entry_ids:
        return []
    proposer = User.alias("proposer")
    rev = PenaltyEntry.alias("rev")

    def fields(cur, person, dept):
        return [PenaltyEntry, cur.status.alias("cur_status"), cur.amount.alias("cur_amount"),
                cur.loss.alias("cur_loss"), cur.month.alias("cur_month"),
                cur.at.alias("cur_at"), PenaltyRule.code.alias("rule_code"),
                PenaltyRule.name_zh.alias("rule_zh"), PenaltyRule.name_en.alias("rule_en"),
                PenaltyRule.reward.alias("rule_reward"),
                PenaltyRule.min_amount.alias("rule_min"),
                PenaltyRule.max_amount.alias("rule_max"),
                PenaltyRule.plus_loss.alias("rule_plus_loss"),
                person.name.alias("person_name"), person.login.alias("person_login"),
                dept.name.alias("dept_name"), Complaint.ticket.alias("ticket"),
                proposer.name.alias("proposer_name"), rev.id.alias("reversed_by")]

    q, *_aliases = _base(actor, LedgerFilter(), fields)
    q = (q.switch(PenaltyEntry)
         .join(Complaint, JOIN.LEFT_OUTER, on=(PenaltyEntry.complaint == Complaint.id))
         .switch(PenaltyEntry)
         .join(proposer, JOIN.LEFT_OUTER, on=(PenaltyEntry.proposed_by == proposer.id))
         .switch(PenaltyEntry)
         .join(rev, JOIN.LEFT_OUTER, on=(rev.reverses == PenaltyEntry.id))
         .where(PenaltyEntry.id.in_(list(entry_ids))))
    out = {}
    for r in q.dicts():
        out[r["id"]] = LedgerRow(
            id=r["id"], proposed_at=r["proposed_at"], user_id=r["user"],
            login=r["person_login"] or "", person=r["person_name"] or r["unit_name"],
            unit=r["unit_name"], department=r["dept_name"] or "", rule_code=r["rule_code"],
            rule_name=localized(r["rule_zh"], r["rule_en"]), reward=bool(r["rule_reward"]),
            min_amount=money(r["rule_min"]), max_amount=money(r["rule_max"]),
            plus_loss=bool(r["rule_plus_loss"]), amount=money(r["cur_amount"]),
            loss=money(r["cur_loss"]), status=r["cur_status"], month=r["cur_month"],
            status_at=r["cur_at"], reason=r["reason"], complaint_id=r["complaint"],
            ticket=r["ticket"] or "", clock_id=r["clock"],
            proposed_by=r["proposer_name"] or "", reverses=r["reverses"],
            reversed_by=r["reversed_by"])
    return [out[i] for i in entry_ids if i in out]


def ledger(actor: User, f: LedgerFilter | None = None, *, offset: int = 0,
           limit: int | None = 100, sort: str = "id", descending: bool = True
           ) -> list[LedgerRow]:
    return rows(actor, ids(actor, f, sort=sort, descending=descending, offset=offset,
                           limit=limit))


@dataclass(frozen=True)
class StatusChange:
    status: str
    actor: str  # "" = the program
    at: datetime
    amount: Decimal
    loss: Decimal
    month: str
    note: str


@dataclass(frozen=True)
class ClockInfo:
    id: int
    complaint_id: int
    ticket: str
    rule_code: str
    rule_name: str
    started_at: datetime
    due_at: datetime
    stopped_at: datetime | None
    status: str
    late: bool | None


@dataclass
class EntryDetail:
    row: LedgerRow
    rule: RuleInfo
    history: list[StatusChange] = field(default_factory=list)  # oldest first
    clock: ClockInfo | None = None
    complaint_visible: bool = False  # may the actor open the linked complaint (rules.md §2)
    may_decide: bool = False  # approve or reject now
    may_deduct: bool = False
    may_reverse: bool = False
    # a msgid: why a manager may not approve, reject or reverse it (only the owner may), for
    # the window to show beside the disabled buttons; "" when that does not apply
    refusal: str = ""


def entry_detail(actor: User, entry_id) -> EntryDetail:
    """One entry with its status history, rule, complaint and the clock it names."""
    found = rows(actor, clean_ids([entry_id]))
    if not found:
        if PenaltyEntry.select().where(PenaltyEntry.id == int(entry_id)).exists():
            raise PermissionDenied(N_("Only managers, the owner and the person concerned may "
                                      "see this entry."))
        raise NotFound(N_("No ledger entry {id}."), id=entry_id)
    row = found[0]
    names = dict(User.select(User.id, User.name).tuples())
    history = [StatusChange(e.status, names.get(e.actor_id, "") if e.actor_id else "", e.at,
                            money(e.amount), money(e.loss), e.month, e.note)
               for e in PenaltyEntryEvent.select().where(PenaltyEntryEvent.entry == row.id)
               .order_by(PenaltyEntryEvent.id)]
    clock_info = None
    if row.clock_id is not None:
        clk = (Clock.select(Clock, DeadlineRule).join(DeadlineRule)
               .where(Clock.id == row.clock_id).first())
        if clk is not None:
            ticket = Complaint.select(Complaint.ticket).where(
                Complaint.id == clk.complaint_id).scalar()
            clock_info = ClockInfo(clk.id, clk.complaint_id, ticket, clk.rule.code,
                                   localized(clk.rule.name_zh, clk.rule.name_en), clk.started_at,
                                   clk.due_at, clk.stopped_at, clk.status, clk.late)
    visible = False
    if row.complaint_id is not None:
        complaint = Complaint.get_by_id(row.complaint_id)
        visible = (complaint.respondent_user_id != actor.id) and can_see(actor, complaint)
    not_mine = row.user_id != actor.id  # recusal (§2)
    senior = is_senior(actor) and not_mine
    owner = may_decide(actor) and not_mine
    reversible = row.counted and row.reverses is None and row.reversed_by is None
    refusal = OWNER_DECIDES if senior and not owner and (
        row.status == "proposed" or reversible) else ""
    return EntryDetail(
        row=row, rule=info(PenaltyRule.get_by_id(
            PenaltyEntry.select(PenaltyEntry.rule).where(PenaltyEntry.id == row.id).scalar())),
        history=history, clock=clock_info, complaint_visible=visible,
        may_decide=owner and row.status == "proposed",
        may_deduct=senior and row.status == "approved",
        may_reverse=owner and reversible, refusal=refusal)


# --- month totals and export ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonTotal:
    user_id: int | None
    login: str
    name: str  # the person's, or the dealer's/store's
    unit: bool
    department: str
    fines: Decimal
    rewards: Decimal  # negative
    total: Decimal
    entries: int


@dataclass(frozen=True)
class DepartmentTotal:
    department: str  # "" = none (a dealer, a store, or staff without a department)
    fines: Decimal
    rewards: Decimal
    total: Decimal
    entries: int
    people: int


@dataclass(frozen=True)
class MonthTotals:
    month: str
    per_person: list[PersonTotal]
    per_department: list[DepartmentTotal]
    fines: Decimal
    rewards: Decimal
    total: Decimal
    entries: int


def month_totals(actor: User, month: str) -> MonthTotals:
    """The month's approved and deducted entries summed per person and per department (the
    payroll figures; rules.md §7). Derived every time, never stored."""
    ensure_rules()
    month = clean_month(month)

    def fields(cur, person, dept):
        return [PenaltyEntry.user, PenaltyEntry.unit_name, person.login, person.name,
                dept.name, PenaltyRule.reward, fn.SUM(cur.amount + cur.loss),
                fn.COUNT(PenaltyEntry.id)]

    q, cur, person, dept = _base(actor, LedgerFilter(month=month, status="counted"), fields)
    q = q.group_by(PenaltyEntry.user, PenaltyEntry.unit_name, person.login, person.name,
                   dept.name, PenaltyRule.reward)
    people: dict[tuple, list] = {}
    for user_id, unit, login, name, dept_name, reward, total, n in q.tuples():
        key = (user_id, unit, dept_name or "")
        slot = people.setdefault(key, [login or "", name or unit, ZERO, ZERO, 0])
        slot[3 if reward else 2] += money(total)
        slot[4] += n
    per_person = [PersonTotal(key[0], login, name, key[0] is None, key[2], fines, rewards,
                              fines + rewards, n)
                  for key, (login, name, fines, rewards, n) in people.items()]
    per_person.sort(key=lambda p: (p.department == "", p.department, p.unit, p.name, p.login))
    departments: dict[str, list] = {}
    for p in per_person:
        slot = departments.setdefault(p.department, [ZERO, ZERO, 0, 0])
        slot[0] += p.fines
        slot[1] += p.rewards
        slot[2] += p.entries
        slot[3] += 1
    per_department = [DepartmentTotal(name, fines, rewards, fines + rewards, n, k)
                      for name, (fines, rewards, n, k) in departments.items()]
    per_department.sort(key=lambda d: (d.department == "", d.department))
    fines = sum((p.fines for p in per_person), ZERO)
    rewards = sum((p.rewards for p in per_person), ZERO)
    return MonthTotals(month, per_person, per_department, fines, rewards, fines + rewards,
                       sum(p.entries for p in per_person))


def month_entries(actor: User, month: str) -> list[LedgerRow]:
    """The entries a month's totals add up, oldest first."""
    f = LedgerFilter(month=clean_month(month), status="counted")
    return rows(actor, ids(actor, f, descending=False))


@dataclass(frozen=True)
class FilterChoices:
    people: list[tuple[str, str]]  # login, name
    units: list[str]
    departments: list[tuple[str, str]]  # code, name
    rules: list[tuple[str, str]]  # code, name
    months: list[str]  # newest first


def filter_choices(actor: User) -> FilterChoices:
    """What the ledger's filters offer: only people, units and months of visible entries."""
    ensure_rules()
    vis = _visible(actor)
    people = list(User.select(User.login, User.name)
                  .where(User.id.in_(PenaltyEntry.select(PenaltyEntry.user).where(vis)))
                  .order_by(User.name).tuples())
    units = [u for (u,) in PenaltyEntry.select(PenaltyEntry.unit_name).distinct()
             .where(vis & (PenaltyEntry.unit_name != "")).order_by(PenaltyEntry.unit_name)
             .tuples()]
    departments = list(Department.select(Department.code, Department.name)
                       .order_by(Department.code).tuples())
    rule_list = [(r.code, localized(r.name_zh, r.name_en))
                 for r in PenaltyRule.select().order_by(PenaltyRule.sort, PenaltyRule.id)]
    months = {m for (m,) in PenaltyEntryEvent.select(PenaltyEntryEvent.month).distinct()
              .where(PenaltyEntryEvent.entry.in_(PenaltyEntry.select(PenaltyEntry.id)
                                                 .where(vis))).tuples()}
    months.add(month_of(wallclock.now()))
    return FilterChoices(people, units, departments, rule_list, sorted(months, reverse=True))


def pending_count(actor: User) -> int:
    """Proposals waiting for this user's decision (0 for those who may not decide: everyone
    but the owner, rules.md §7)."""
    if not may_decide(actor):
        return 0
    return count(actor, LedgerFilter(status="proposed", not_about=actor.id))
