"""The path of a complaint as one table of steps (rules.md §4).

``TRANSITIONS`` is the whole path. For each step it says the states it leaves from and goes
to, who may take it (roles, or the complaint's current handler), to whom it may hand the
complaint, and its guards: the written rules that must hold, each a pure function over a
``PathContext`` loaded once (the complaint, its firm and category, its clocks, its timeline,
the firm's people). Its effects are data too: the step's name (and the extra triggers it
reports) starts and meets the time limits the firm configured (DeadlineRule rows), and the
``event_recorded`` hook lets the penalty ledger propose entries.

The window, the command line and the tests all ask this table: ``allowed_actions`` for the
buttons, ``refusal`` for why one is off, ``candidates`` for whom a step may go to, and ``act``
to take a step. A refusal names the rule it enforces, in the same sentence everywhere.
"""
from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce

from peewee import JOIN, SQL, fn

import services.complaints.actions as actions
from models.base import compiled
from models.db import database, is_postgres
from models.entities import (
    Category,
    Complainant,
    Complaint,
    ComplaintLink,
    Department,
    Event,
    Firm,
    User,
)
from models.warranty import WarrantyClaim
from services import clock, hooks
from services.changes import Changes
from services.errors import (
    DomainError,
    NotFound,
    NotYours,
    PermissionDenied,
    StaleError,
    StateError,
    ValidationError,
    tr_join,
    tr_param,
)
from services.i18n import N_, _
from services.people import (
    ROLE_NAMES,
    grant,
    is_respondent,
    parse_roles,
    roles_of,
    visible_filter,
)
from services.timelimits import clocks as timelimits
from services.validation import check_characters, clean_past_moment, clean_text

STATES = ("registered", "acknowledged", "assigned", "investigating", "decided", "approved",
          "replied", "visited", "archived", "withdrawn", "merged")
STATE_NAMES = {
    "registered": N_("Registered"), "acknowledged": N_("Acknowledged"),
    "assigned": N_("Assigned"), "investigating": N_("Investigating"),
    "decided": N_("Decided"), "approved": N_("Approved"), "replied": N_("Replied"),
    "visited": N_("Visited"), "archived": N_("Archived"), "withdrawn": N_("Withdrawn"),
    "merged": N_("Merged"),  # a duplicate merged into its original (services/complaints/merging.py)
}
OPEN_STATES = ("registered", "acknowledged", "assigned", "investigating", "decided", "approved")
CLOSED_STATES = ("replied", "visited", "archived", "withdrawn", "merged")
_ANY_LIVE = OPEN_STATES + ("replied", "visited", "withdrawn")
_AFTER_DECISION = ("decided", "approved", "replied", "visited")

RECEIVER, HOLDER, SENIOR = "receiver", "holder", "senior"
_SENIORS = frozenset({"manager", "owner"})

# Decisions and their approvals, as recorded on the timeline.
_DECISION_ACTIONS = ("decide", "hold_meeting")
# Categories whose complaints are about a product's quality (rules.md §5, §8.5).
QUALITY_CATEGORY = "product_quality"
# How far back the program looks for an earlier complaint by the same complainant when it
# suggests a repeat-complaint link (rules.md §7).
REPEAT_WINDOW = timedelta(days=30)


# --- the context a step is judged in ---------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """What the path needs to know of one user."""

    id: int
    login: str
    name: str
    roles: frozenset
    department_id: int | None
    department: str
    is_hr: bool
    active: bool

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


@dataclass
class PathContext:
    """Everything the guards read, loaded in a few queries (see ``load``)."""

    complaint: Complaint
    firm: Firm
    category_code: str
    category_simple: bool
    has_claim: bool
    visible: bool
    people: dict[int, Person]
    events: list[Event]  # oldest first
    clocks: list  # timelimits.ClockView, in start order
    respondent_department: str = ""

    # facts derived from the timeline ----------------------------------------------------
    def last(self, *names: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.action in names), None)

    def decision_event(self) -> Event | None:
        """The event that made the decision now standing (decide or a meeting)."""
        return self.last(*_DECISION_ACTIONS)

    def deciders(self) -> set[int]:
        """Who made or approved the standing decision, and who reviewed it already."""
        out = set()
        decision = self.decision_event()
        if decision is not None:
            out.add(decision.actor_id)
            out |= {e.actor_id for e in self.events
                    if e.id > decision.id and e.action in ("approve", "review")}
        return out

    def meeting_decided(self) -> bool:
        decision = self.decision_event()
        return decision is not None and decision.action == "hold_meeting"

    def closed_by_review(self) -> bool:
        review = self.last("review", "reply", "reopen")
        return (review is not None and review.action == "review"
                and (review.data or {}).get("outcome") == "keep_close")

    def clock_statuses(self) -> set[str]:
        return {c.status for c in self.clocks}

    def person(self, user_id: int | None) -> Person | None:
        return self.people.get(user_id) if user_id is not None else None

    def sees_only_receipt(self, user: User) -> bool:
        """rules.md §2: a receiver outside HR who registered an employee complaint sees only
        its acknowledgement (and may hand it to HR the same day), nothing of its handling."""
        c = self.complaint
        if c.kind != "employee" or c.registered_by_id != user.id:
            return False
        me = self.person(user.id)
        return not (me and (me.is_hr or me.roles & _SENIORS))


def load_people() -> dict[int, Person]:
    rows = compiled(("path.people",), lambda: (
        User.select(User.id, User.login, User.name, User.roles, User.department,
                    User.active, Department.name, Department.is_hr)
        .join(Department, JOIN.LEFT_OUTER, on=(User.department == Department.id))
        .order_by(User.name).tuples()))  # plain rows: every user, at each complaint opened
    return {uid: Person(uid, login, name, frozenset(parse_roles(roles)), department,
                        (dept_name or "") if department else "", bool(department and is_hr),
                        bool(active))
            for uid, login, name, roles, department, active, dept_name, is_hr in rows}


def _key_filter(key):
    """How ``key`` (an id, or a ticket number as text) finds its complaint: the shape of the
    condition and its values (for ``compiled``)."""
    if isinstance(key, int):
        return "id", (key,)
    text = str(key).strip()
    if text.isdigit() and len(text) < 9:  # an id, never a ticket (tickets have 9+ digits)
        return "ticket-or-id", (text, int(text))
    return "ticket", (text,)


def _key_condition(how: str, *values):
    if how == "id":
        return Complaint.id == values[0]
    if how == "ticket-or-id":
        return (Complaint.ticket == values[0]) | (Complaint.id == values[1])
    return Complaint.ticket == values[0]


def load(key, actor: User, *, locked: Complaint | None = None) -> PathContext:
    """The context of one complaint (an id, or a ticket number as text) as ``actor`` sees it:
    four queries (the complaint with its category, complainant, respondent department, firm
    and whether ``actor`` may see it; the people; the timeline; the clocks), each compiled
    once per shape (models.base.compiled). ``locked`` is the row already read for update."""
    how, values = _key_filter(key)

    def query(*values):
        claim = WarrantyClaim.select(SQL("1")).where(WarrantyClaim.complaint == Complaint.id)
        responding = Department.alias()
        return (Complaint.select(Complaint, Category, Complainant, Firm, responding.name,
                                 fn.EXISTS(claim).alias("has_claim"),
                                 visible_filter(actor).alias("is_visible"))
                .join(Category, on=(Complaint.category == Category.id))
                .switch(Complaint).join(Complainant, on=(Complaint.complainant == Complainant.id))
                .switch(Complaint).join(responding, JOIN.LEFT_OUTER,
                                        on=(Complaint.respondent_department == responding.id),
                                        attr="responding")
                .switch(Complaint).join(Firm, on=SQL("1 = 1"), attr="the_firm")
                .where(_key_condition(how, *values)).limit(1))

    # the SQL depends on the key's form and on who asks (visible_filter): compiled once each
    found = compiled(("path.load", how, actor.id, actor.roles, actor.department_id), query,
                     *values)
    row = found[0] if found else None
    if row is None:
        raise NotYours(str(key), rule="missing")
    complaint = row
    if locked is not None:
        locked.category = row.category
        locked.complainant = row.complainant
        complaint = locked
    people = load_people()
    events = compiled(("path.events",), lambda cid: Event.select().where(
        Event.complaint == cid).order_by(Event.id), row.id)
    soon = timedelta(minutes=row.the_firm.due_soon_minutes)
    responding_row = getattr(row, "responding", None)
    return PathContext(
        complaint=complaint, firm=row.the_firm, category_code=row.category.code,
        category_simple=row.category.simple, has_claim=bool(row.has_claim),
        visible=bool(row.is_visible), people=people, events=events,
        clocks=timelimits.clocks_of(complaint, soon=soon),
        respondent_department=(responding_row.name if responding_row is not None
                               and row.respondent_department_id else ""))


# --- guards: the written rules, one function each ----------------------------------------------

Guard = Callable[[PathContext, User], DomainError | None]


def _approval_before_reply(ctx: PathContext, user: User):
    if ctx.complaint.state == "decided" and ctx.firm.approval_required:
        return StateError(N_("No promise before approval: the decision must be approved "
                             "before the reply goes out."), rule="approval_before_reply")
    return None


def _simple_on_the_spot(ctx: PathContext, user: User):
    if ctx.firm.approval_required and not ctx.category_simple:
        return StateError(N_("Answers on the spot are for grumbles and simple questions: this "
                             "one needs an approved decision."), rule="simple_on_the_spot")
    return None


def _major_goes_to_meeting(ctx: PathContext, user: User):
    if ctx.complaint.severity == "major":
        return StateError(N_("Major complaints go to a meeting: record the meeting's decision, "
                             "with its attendees, instead."), rule="major_meeting")
    return None


def _major_approved_after_meeting(ctx: PathContext, user: User):
    if ctx.complaint.severity == "major" and not ctx.meeting_decided():
        return StateError(N_("Major complaints go to a meeting: approve only a decision the "
                             "meeting took."), rule="major_meeting")
    return None


def _review_follows_dissatisfaction(ctx: PathContext, user: User):
    c = ctx.complaint
    if c.review_level >= 2:
        return StateError(N_("The owner's final review ends the internal path: record the "
                             "complainant's external route instead."), rule="final_review")
    if c.satisfaction != "dissatisfied":
        return StateError(N_("A review follows only a reply the complainant is dissatisfied "
                             "with."), rule="review_after_dissatisfaction")
    return None


def _review_next_level_up(ctx: PathContext, user: User):
    c = ctx.complaint
    if c.review_level == 1 and not roles_of(user) & {"owner"}:
        return PermissionDenied(N_("Review by the next level up: after a manager's review, "
                                   "only the owner's final review remains."),
                                rule="review_next_level_up")
    if user.id in ctx.deciders():
        return PermissionDenied(N_("Review by the next level up: you took, approved or "
                                   "reviewed this decision, so someone above you reviews "
                                   "it."), rule="review_next_level_up")
    return None


def _satisfaction_once(ctx: PathContext, user: User):
    if ctx.complaint.satisfaction:
        return StateError(N_("Satisfaction with this reply is already recorded."),
                          rule="satisfaction_once")
    return None


def _archive_when_settled(ctx: PathContext, user: User):
    c = ctx.complaint
    if c.state == "replied" and not (c.satisfaction == "satisfied" or c.external_route
                                     or ctx.closed_by_review()):
        return StateError(N_("Record the complainant's satisfaction (or the external route) "
                             "before archiving."), rule="archive_when_settled")
    return None


def _a_clock_runs(ctx: PathContext, user: User):
    if "running" not in ctx.clock_statuses():
        return StateError(N_("No clock is running."), rule="clock_running")
    return None


def _a_limit_runs(ctx: PathContext, user: User):
    if "running" not in ctx.clock_statuses():
        return StateError(N_("There is no running time limit to extend."), rule="clock_running")
    return None


def _a_clock_is_stopped(ctx: PathContext, user: User):
    if "paused" not in ctx.clock_statuses():
        return StateError(N_("No clock is stopped."), rule="clock_paused")
    return None


def _quality_complaint(ctx: PathContext, user: User):
    if not (ctx.has_claim or ctx.category_code == QUALITY_CATEGORY):
        return StateError(N_("A quality memo and internal handling belong to a product-quality "
                             "complaint or a warranty claim; this complaint is neither."),
                          rule="quality_complaint")
    return None


def _regulator_concerned(ctx: PathContext, user: User):
    c = ctx.complaint
    if c.channel != "authority" and c.severity != "major":
        return StateError(N_("Reports to a regulator are for complaints an authority "
                             "forwarded and for major complaints."), rule="regulator_report")
    return None


def _receipt_only(action: str) -> Guard:
    """rules.md §2: who sees only an employee complaint's receipt may take no other step."""
    def guard(ctx: PathContext, user: User):
        handed_on = action == "transfer" and ctx.complaint.handler_id is not None
        if ctx.sees_only_receipt(user) and (handed_on or action not in (
                "acknowledge", "transfer", "document")):
            return PermissionDenied(N_("Employee complaints are handled by HR, a manager or "
                                       "the owner: you registered this one and see only its "
                                       "acknowledgement."), rule="employee_confidential")
        return None
    return guard


# --- to whom a step may hand the complaint -----------------------------------------------------

HandsTo = Callable[[PathContext], frozenset]


def _transfer_roles(ctx: PathContext) -> frozenset:
    return frozenset({"handler", "head", "manager", "owner"})


def _escalate_roles(ctx: PathContext) -> frozenset:
    return frozenset({"head", "manager", "owner"} if ctx.complaint.level == 0
                     else {"manager", "owner"})


def eligible(ctx: PathContext, action: str, person: Person) -> DomainError | None:
    """Why ``person`` may not be given the complaint by ``action``, or None."""
    c = ctx.complaint
    step = TRANSITIONS[action]
    if not person.active:
        return ValidationError(N_("{name} is no longer active."), field="to", name=person.name)
    if c.respondent_user_id == person.id:
        return PermissionDenied(N_("Recusal: {name} is the person complained about and cannot "
                                   "handle, approve or review this complaint."), field="to",
                                name=person.name, rule="recusal")
    roles = step.hands_to(ctx) if step.hands_to else frozenset()
    if not person.roles & roles:
        return ValidationError(N_("{name} does not have a role that can take this on."),
                               field="to", name=person.name, rule="hands_to")
    if c.kind == "employee" and not (person.is_hr or person.roles & _SENIORS):
        return PermissionDenied(N_("Employee complaints go only to HR, a manager or the owner; "
                                   "{name} is none of these."), field="to", name=person.name,
                                rule="employee_confidential")
    return None


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One step of the path: the states it leaves, where it goes, who may take it and the rules
    that guard it."""
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (or the step's outcome says)
    who: tuple[str, ...]  # roles, plus "holder" = the complaint's current handler
    label: str
    guards: tuple[Guard, ...] = ()
    hands_to: HandsTo | None = None  # the step gives the complaint to someone ("to")
    triggers: Callable[[Complaint], list[str]] | None = None  # extra time-limit triggers


def _reply_triggers(c: Complaint) -> list[str]:
    # rules.md §5 (bank): the result of a forwarded complaint is reported back to the authority
    return ["reply:authority"] if c.channel == "authority" else []


_STAFF = (HOLDER, "receiver", "head", "manager", "owner")
_FRONT = ("receiver", "manager", "owner")

TRANSITIONS: dict[str, Transition] = {
    "register": Transition((), "registered", ("receiver", "head", "manager", "owner"),
                           N_("Register")),
    "acknowledge": Transition(("registered",), "acknowledged", _FRONT, N_("Acknowledge")),
    "answer_on_spot": Transition(("registered",), "replied", _FRONT, N_("Answer on the spot"),
                                 guards=(_simple_on_the_spot,)),
    "transfer": Transition(("registered", "acknowledged", "assigned", "investigating"), None,
                           ("receiver", "head", "manager", "owner"), N_("Transfer"),
                           hands_to=_transfer_roles),
    "start_investigation": Transition(("assigned",), "investigating", (HOLDER, "manager", "owner"),
                                      N_("Start investigation")),
    "record_findings": Transition(("investigating",), None, (HOLDER, "manager", "owner"),
                                  N_("Record findings")),
    "escalate": Transition(("assigned", "investigating", "decided"), "investigating",
                           (HOLDER, "receiver", "head", "manager", "owner"), N_("Escalate"),
                           hands_to=_escalate_roles),
    "hold_meeting": Transition(("investigating", "decided"), "decided", ("manager", "owner"),
                               N_("Record meeting decision")),
    "decide": Transition(("investigating",), "decided", (HOLDER, "manager", "owner"),
                         N_("Decide"), guards=(_major_goes_to_meeting,)),
    "send_back": Transition(("decided",), "investigating", ("manager", "owner"),
                            N_("Send back")),
    "approve": Transition(("decided",), "approved", ("manager", "owner"), N_("Approve"),
                          guards=(_major_approved_after_meeting,)),
    "reply": Transition(("approved", "decided"), "replied", _FRONT, N_("Reply"),
                        guards=(_approval_before_reply,), triggers=_reply_triggers),
    "record_satisfaction": Transition(("replied",), None, _FRONT, N_("Record satisfaction"),
                                      guards=(_satisfaction_once,)),
    "review": Transition(("replied",), None, ("manager", "owner"), N_("Review"),
                         guards=(_review_follows_dissatisfaction, _review_next_level_up)),
    "external_route": Transition(("replied", "visited"), None, _FRONT,
                                 N_("Record external route")),
    "visit": Transition(("replied", "visited"), "visited", _FRONT,
                        N_("Record follow-up visit")),
    "deliver": Transition(_AFTER_DECISION, None, _FRONT + (HOLDER,),
                          N_("Record delivery of repaired goods")),
    "internal_handling": Transition(("investigating",) + _AFTER_DECISION, None,
                                    (HOLDER, "head", "manager", "owner"),
                                    N_("Record internal handling"),
                                    guards=(_quality_complaint,)),
    "report_regulator": Transition(_ANY_LIVE, None, _FRONT, N_("Record report to regulator"),
                                   guards=(_regulator_concerned,)),
    "link": Transition(_ANY_LIVE, None, _FRONT, N_("Link to an earlier complaint")),
    "extend": Transition(("assigned", "investigating", "decided", "approved"), None,
                         (HOLDER, "receiver", "manager", "owner"), N_("Extend time limit"),
                         guards=(_a_limit_runs,)),
    "pause": Transition(OPEN_STATES, None, (HOLDER, "receiver", "manager", "owner"),
                        N_("Stop the clock"), guards=(_a_clock_runs,)),
    "resume": Transition(OPEN_STATES, None, (HOLDER, "receiver", "manager", "owner"),
                         N_("Restart the clock"), guards=(_a_clock_is_stopped,)),
    "archive": Transition(("replied", "visited", "withdrawn"), "archived", _FRONT,
                          N_("Archive"), guards=(_archive_when_settled,)),
    "withdraw": Transition(OPEN_STATES, "withdrawn", _FRONT, N_("Withdraw")),
    # a duplicate closed into its original; taken only through merging.merge, which names
    # the original (docs/rules.md, Merging duplicates)
    "merge": Transition(OPEN_STATES, "merged", ("manager", "owner"),
                        N_("Merge into another complaint")),
    "reopen": Transition(("withdrawn", "replied", "visited"), None, ("manager", "owner"),
                         N_("Reopen")),
    "amend": Transition(_ANY_LIVE, None, _FRONT, N_("Correct details")),
    "note": Transition(_ANY_LIVE, None, _STAFF, N_("Add note")),
    "attach": Transition(_ANY_LIVE, None, _STAFF, N_("Add attachment")),
    "document": Transition(_ANY_LIVE + ("archived",), None, _STAFF, N_("Produce document")),
    # rules.md §5, §6, §8.5: the quality memo meets the memo time limit in any live state,
    # so a reply sent first never leaves the limit open for good.
    "quality_memo": Transition(_ANY_LIVE, None, (HOLDER, "receiver", "head", "manager", "owner"),
                               N_("Record quality memo"), guards=(_quality_complaint,)),
}
ACTIONS = tuple(a for a in TRANSITIONS if a != "register")
ACTION_NAMES = {a: t.label for a, t in TRANSITIONS.items()}


# --- asking the table ----------------------------------------------------------------------


def refusal(ctx: PathContext, user: User, action: str) -> DomainError | None:
    """Why ``user`` may not take ``action`` now, as the error a step would raise; None if
    they may. Pure: reads only ``ctx``."""
    if action not in TRANSITIONS or action == "register":
        return ValidationError(N_("Unknown action: {action}."), field="action", action=action)
    t = TRANSITIONS[action]
    c = ctx.complaint
    if is_respondent(user, c):  # rules.md §2: told no more than of a missing complaint
        return NotYours(c.ticket, rule="recusal")
    if not ctx.visible:
        return NotYours(c.ticket, rule="confidential")
    if c.state == "archived" and action != "document":
        return StateError(N_("Archived complaints are read-only."), rule="archived")
    if c.state not in t.sources:
        return StateError(N_("'{action}' is not possible while the complaint is {state}."),
                          action=tr_param(t.label), state=tr_param(STATE_NAMES[c.state]),
                          rule="state")
    roles = set(t.who) - {HOLDER}
    holder = HOLDER in t.who and c.handler_id is not None and c.handler_id == user.id
    if not (roles & roles_of(user)) and not holder:
        return PermissionDenied(N_("You may not '{action}' this complaint (it needs: {roles})."),
                                action=tr_param(t.label),
                                roles=tr_join(" / ", [N_("its handler") if r == HOLDER
                                                      else ROLE_NAMES[r] for r in t.who]),
                                rule="roles")
    for guard in (_receipt_only(action),) + t.guards:
        err = guard(ctx, user)
        if err is not None:
            return err
    return None


def allowed_in(ctx: PathContext, user: User) -> list[str]:
    return [a for a in ACTIONS if refusal(ctx, user, a) is None]


def candidates_in(ctx: PathContext, action: str) -> list[Person]:
    """Whom ``action`` may give the complaint to (active, a fitting role, never its
    respondent, employee complaints only to HR or seniors)."""
    if action not in TRANSITIONS or TRANSITIONS[action].hands_to is None:
        return []
    return [p for p in ctx.people.values() if eligible(ctx, action, p) is None]


def check(user: User, complaint: Complaint, action: str,
          ctx: PathContext | None = None) -> Transition:
    """Raise unless ``user`` may take ``action`` on ``complaint`` now."""
    ctx = ctx or load(complaint.id, user)
    err = refusal(ctx, user, action)
    if err is not None:
        raise err
    return TRANSITIONS[action]


def may(user: User, complaint: Complaint, action: str) -> bool:
    """Whether ``user`` may take ``action`` now (for enabling buttons); never raises."""
    return refusal(load(complaint.id, user), user, action) is None


def allowed_actions(user: User, complaint: Complaint) -> list[str]:
    return allowed_in(load(complaint.id, user), user)


def candidates(complaint_id: int, action: str, *, actor: User) -> list[Person]:
    ctx = load(complaint_id, actor)
    err = refusal(ctx, actor, action) if ctx.complaint.state != "archived" else None
    if err is not None and isinstance(err, PermissionDenied) and err.params.get("rule") in (
            "recusal", "confidential"):
        raise err
    return candidates_in(ctx, action)


def repeat_suggestions(complaint_id: int, *, actor: User) -> list[Complaint]:
    """Earlier complaints from the same complainant (phone, or name and contract number)
    still open or received within ``REPEAT_WINDOW``: the program suggests linking them as
    repeats (rules.md §7); the receiver decides."""
    ctx = load(complaint_id, actor)
    if not ctx.visible or is_respondent(actor, ctx.complaint):
        return []
    c = ctx.complaint
    same = None
    if c.complainant_phone:
        same = Complaint.complainant_phone == c.complainant_phone
    if c.contract_no:
        by_contract = ((Complaint.contract_no == c.contract_no)
                       & (Complaint.complainant_name == c.complainant_name))
        same = by_contract if same is None else same | by_contract
    if same is None:
        return []
    linked = ComplaintLink.select(ComplaintLink.earlier).where(ComplaintLink.complaint == c.id)
    recent = (Complaint.state.in_(OPEN_STATES)
              | (Complaint.received_at >= c.received_at - REPEAT_WINDOW))
    return list(Complaint.select(Complaint.id, Complaint.ticket, Complaint.received_at,
                                 Complaint.state, Complaint.description)
                .where(same & recent & (Complaint.id != c.id)
                       & (Complaint.received_at <= c.received_at)
                       & Complaint.id.not_in(linked) & visible_filter(actor))
                .order_by(Complaint.received_at.desc()).limit(10))


# --- taking a step -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionResult:
    """A step taken: the event recorded and the state the complaint left and reached."""
    complaint_id: int
    ticket: str
    action: str
    event_id: int
    from_state: str
    state: str
    data: dict = field(default_factory=dict)
    reported: Changes = field(default_factory=Changes)  # what the hooks' subscribers changed

    @property
    def changes(self) -> Changes:
        return Changes.of_complaint(self.complaint_id) | self.reported


def fired_changes(complaint: Complaint, event: Event) -> Changes:
    """Tell the subscribers of ``event_recorded`` (docs/design.md, Hooks); what they changed."""
    return reduce(operator.or_, (c for c in hooks.event_recorded.fire(complaint, event) if c),
                  Changes())


def firm() -> Firm:
    f = Firm.select().first()
    if f is None:
        raise NotFound(N_("This database has no firm yet: run 'init' or the first-start wizard."))
    return f


def _load_for_update(complaint_id: int) -> Complaint:
    q = Complaint.select().where(Complaint.id == complaint_id)
    if is_postgres():
        q = q.for_update()  # serialize two PCs acting on the same complaint
    c = q.first()
    if c is None:
        raise NotFound(N_("No such complaint."))
    return c


def _resolve_target(ctx: PathContext, action: str, params: dict) -> None:
    """Turn the ``to`` login into the user, checked against the table (rules.md §2)."""
    value = params.get("to")
    if isinstance(value, User):
        person = ctx.person(value.id)
    else:
        if not value:
            raise ValidationError(N_("Choose a person."), field="to")
        login = str(value).strip()
        person = next((p for p in ctx.people.values() if p.login == login), None)
        if person is None:
            raise ValidationError(N_("No user with the login {login}."), field="to",
                                  login=login)
    err = eligible(ctx, action, person)
    if err is not None:
        raise err
    params["to"] = User.get_by_id(person.id)


# Steps that only add to the timeline: they never make another PC's view stale.
_ADDING_ONLY = ("note", "attach", "document", "link")


def _stale(ctx: PathContext) -> StaleError:
    """What changed since the user looked: the last step, by whom and when."""
    last = next((e for e in reversed(ctx.events) if e.action not in _ADDING_ONLY), None)
    who = ctx.person(last.actor_id) if last is not None else None
    return StaleError(
        N_("Someone else changed this complaint meanwhile (last step: {action} by {name} at "
           "{time}; it is now {state}). Your input is kept: look at the complaint again, then "
           "save once more to apply it."),
        action=tr_param(ACTION_NAMES.get(last.action, last.action) if last else N_("Register")),
        name=who.name if who else "?", time=last.at.strftime("%Y-%m-%d %H:%M") if last else "",
        state=tr_param(STATE_NAMES[ctx.complaint.state]), version=ctx.complaint.version,
        rule="stale")


def _check_strings(params: dict) -> None:
    """Broken text (NUL, control characters, lone surrogates) in any input of a step is
    refused before it reaches a lookup or the driver; each step's own cleaning does the rest."""
    def walk(name, value):
        if isinstance(value, str):
            check_characters(value, field=name, label=name, multiline=True)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(name, k)
                walk(name, v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(name, v)
    for name, value in params.items():
        walk(name, value)


def act(complaint_id: int, action: str, *, actor: User, note: str = "",
        at: datetime | None = None, expected_version: int | None = None,
        **params) -> ActionResult:
    """Take one step on a complaint: one transaction, one timeline event.

    ``expected_version`` is the complaint's ``version`` as the user saw it (the window and the
    CLI's ``--expect-version`` give it): if another PC changed the complaint since, the step is
    refused with what changed (docs/design.md, Two PCs at once)."""
    _check_strings(params)
    with database.atomic():
        complaint = _load_for_update(complaint_id)
        ctx = load(complaint_id, actor, locked=complaint)
        if expected_version is not None and int(expected_version) != complaint.version:
            # visibility first: a stale view of a hidden complaint says nothing of it
            err = refusal(ctx, actor, "document")
            if err is not None and err.params.get("rule") in ("recusal", "confidential"):
                raise err
            raise _stale(ctx)
        t = check(actor, complaint, action, ctx)
        moment = clean_past_moment(at or clock.now(), field="at", label=N_("Time"),
                                   not_before=complaint.received_at)
        note = clean_text(note, field="note", label=N_("Note"), max_length=4000, required=False)
        if t.hands_to is not None:
            _resolve_target(ctx, action, params)
        from_state = complaint.state
        outcome = actions.apply(action, complaint, actor=actor, at=moment, note=note,
                                ctx=ctx, **params)
        target = outcome.target or t.target or from_state
        complaint.state = target
        complaint.updated_at = clock.now()
        if action not in _ADDING_ONLY:
            complaint.version += 1
        if target in CLOSED_STATES and complaint.closed_at is None:
            complaint.closed_at = moment
        elif target in OPEN_STATES:
            complaint.closed_at = None
        triggers = [action] + outcome.extra_triggers + (t.triggers(complaint) if t.triggers
                                                        else [])
        if target in ("archived", "withdrawn"):
            timelimits.stop_all(complaint, at=moment)
        timelimits.on_triggers(complaint, triggers, at=moment,
                               responsible=outcome.responsible or _responsible(complaint))
        complaint.save()
        grant(complaint, actor, "acted")
        event = Event.create(complaint=complaint.id, action=action, from_state=from_state,
                             to_state=target, actor=actor.id, at=moment,
                             recorded_at=clock.now(), note=note, data=outcome.data or None)
        reported = fired_changes(complaint, event)  # penalties may propose entries
        return ActionResult(complaint.id, complaint.ticket, action, event.id, from_state, target,
                            outcome.data, reported=reported)


def _responsible(complaint: Complaint) -> User | None:
    if complaint.handler_id is None:
        return User.get_by_id(complaint.registered_by_id)
    return User.get_by_id(complaint.handler_id)


# --- where the complaint stands on the path (the window's step bar) ---------------------------

# The main path, in order (rules.md §4); the other states are branches off it.
MAIN_PATH = ("registered", "acknowledged", "assigned", "investigating", "decided", "approved",
             "replied", "visited", "archived")
# Steps that leave the main path, noted on the state they were taken from.
BRANCH_ACTIONS = ("answer_on_spot", "escalate", "send_back", "review", "reopen", "withdraw",
                  "merge")
# The steps that move a complaint on along the main path from each state, most usual first;
# the window offers the first one or two the user may take as its primary buttons.
NEXT_STEPS = {
    "registered": ("acknowledge", "transfer"),
    "acknowledged": ("transfer",),
    "assigned": ("start_investigation",),
    "investigating": ("decide", "hold_meeting"),
    "decided": ("approve", "reply"),
    "approved": ("reply",),
    "replied": ("record_satisfaction", "review", "visit", "archive"),
    "visited": ("archive",),
    "withdrawn": ("archive",),
}


@dataclass(frozen=True)
class PathStep:
    """A state on the path drawn for one complaint: done, current or ahead."""
    state: str
    status: str  # done | current | ahead
    branches: tuple[str, ...] = ()  # branch steps taken from this state (BRANCH_ACTIONS)


@dataclass(frozen=True)
class Waiting:
    """Why the path is waiting, as a sentence made in the current language by ``text()``."""

    msgid: str
    params: dict = field(default_factory=dict)

    def text(self) -> str:
        return _(self.msgid).format(**self.params)


@dataclass(frozen=True)
class Outlook:
    """Where a complaint stands for one reader: the states taken and ahead, the next steps
    along the main path they may take, the running limit due first, and what the path waits
    for."""

    steps: tuple[PathStep, ...]
    next_steps: tuple[str, ...]
    limit: object | None  # timelimits.ClockView: the running limit due first
    waiting: Waiting


def path_steps(ctx: PathContext) -> tuple[PathStep, ...]:
    """The states the complaint went through (first arrival, in order; a branch such as
    answering on the spot or withdrawing shows as the state it led to), the current one, and
    the main-path states still ahead of it. Read from the timeline."""
    seen: list[str] = []
    branches: dict[str, list[str]] = {}
    for e in ctx.events:
        state = "registered" if e.action == "register" else e.to_state
        if state and state not in seen:
            seen.append(state)
        if e.action in BRANCH_ACTIONS and e.from_state:
            taken = branches.setdefault(e.from_state, [])
            if e.action not in taken:
                taken.append(e.action)
    current = ctx.complaint.state
    if current not in seen:
        seen.append(current)
    before = seen[:seen.index(current)]
    if current == "withdrawn":
        ahead = ["archived"]
    elif current in MAIN_PATH:
        skip = set() if (ctx.firm.approval_required or "approved" in seen) else {"approved"}
        ahead = [s for s in MAIN_PATH[MAIN_PATH.index(current) + 1:]
                 if s not in skip and s not in before]
    else:
        ahead = []

    def step(state: str, status: str) -> PathStep:
        return PathStep(state, status, tuple(branches.get(state, ())))

    return tuple([step(s, "done") for s in before] + [step(current, "current")]
                 + [step(s, "ahead") for s in ahead])


def next_steps_in(ctx: PathContext, user: User, allowed: list[str] | None = None,
                  *, at_most: int = 2) -> tuple[str, ...]:
    """The one or two steps along the main path ``user`` may take now (NEXT_STEPS)."""
    allowed = allowed_in(ctx, user) if allowed is None else allowed
    return tuple([a for a in NEXT_STEPS.get(ctx.complaint.state, ()) if a in allowed][:at_most])


def running_limit(ctx: PathContext):
    """The running time limit due first (a ClockView), or None."""
    running = [c for c in ctx.clocks if c.status == "running"]
    return min(running, key=lambda c: c.due_at) if running else None


def _name(ctx: PathContext, user_id: int | None, fallback: str) -> dict:
    person = ctx.person(user_id)
    return {"name": person.name if person else fallback}


def waiting_for(ctx: PathContext) -> Waiting:
    """What the path waits for now, in a sentence (the step bar's tooltip): who is to take
    the next step along the main path, or why nothing moves (rules.md §4, §5)."""
    c = ctx.complaint
    state = c.state
    if "paused" in ctx.clock_statuses() and "running" not in ctx.clock_statuses():
        return Waiting(N_("The clock is stopped: waiting for what it was stopped for "
                          "(the customer, an inspection …), then for it to be restarted."))
    if state == "registered":
        return Waiting(N_("Waiting for the front desk to acknowledge it or hand it to a "
                          "handler."))
    if state == "acknowledged":
        return Waiting(N_("Waiting to be handed to a handler."))
    if state == "assigned":
        return Waiting(N_("Waiting for {name} to start the investigation."),
                       _name(ctx, c.handler_id, "?"))
    if state == "investigating":
        if c.severity == "major":
            return Waiting(N_("Waiting for the meeting's decision (a major complaint)."))
        return Waiting(N_("Waiting for {name}'s decision."), _name(ctx, c.handler_id, "?"))
    if state == "decided":
        if c.severity == "major" and not ctx.meeting_decided():
            return Waiting(N_("Waiting for the meeting's decision (a major complaint)."))
        if ctx.firm.approval_required:
            return Waiting(N_("Waiting for the approval of a manager or the owner."))
        return Waiting(N_("Waiting for the reply to the complainant."))
    if state == "approved":
        return Waiting(N_("Waiting for the reply to the complainant."))
    if state in ("replied", "visited"):
        if c.satisfaction == "dissatisfied" and c.review_level < 2 and not (
                c.external_route or ctx.closed_by_review()):
            return Waiting(N_("The complainant is dissatisfied: waiting for a review by the "
                              "next level up, or the external route."))
        if state == "replied" and not (c.satisfaction or c.external_route
                                       or ctx.closed_by_review()):
            return Waiting(N_("Waiting for the complainant's satisfaction to be recorded."))
        return Waiting(N_("Waiting for the follow-up visit, then archiving."))
    if state == "withdrawn":
        return Waiting(N_("Withdrawn: waiting to be archived."))
    if state == "merged":
        return Waiting(N_("Merged into another complaint: it is handled there."))
    return Waiting(N_("Archived: the path is complete."))


def outlook_in(ctx: PathContext, user: User, allowed: list[str] | None = None) -> Outlook:
    """The step bar's content for ``user``: pure, reads only ``ctx``."""
    return Outlook(path_steps(ctx), next_steps_in(ctx, user, allowed), running_limit(ctx),
                   waiting_for(ctx))


def outlook(complaint_id: int, *, actor: User) -> Outlook:
    """As ``outlook_in``, loading the complaint's context (four queries)."""
    ctx = load(complaint_id, actor)
    err = refusal(ctx, actor, "document")
    if err is not None and err.params.get("rule") in ("recusal", "confidential"):
        raise err
    return outlook_in(ctx, actor)
