"""The path of a complaint as an explicit state machine (rules.md §4).

``TRANSITIONS`` is the whole diagram: for each action, the states it may start from and the
state it leads to. ``act()`` is the only way a complaint's state changes; it checks the state,
the acting user's role, recusal and confidentiality, then writes the change and exactly one
timeline event in one transaction.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass, field
from datetime import datetime
from functools import reduce

import services.complaints.actions as actions
from models.db import database, is_postgres
from models.entities import Category, Clock, Complaint, Event, Firm, User
from models.warranty import WarrantyClaim
from services import clock, hooks
from services.changes import Changes
from services.errors import NotFound, PermissionDenied, StateError, ValidationError, tr_param
from services.i18n import N_
from services.people import grant, has_role, is_senior, require_role, require_visible, roles_of
from services.timelimits import clocks as timelimits
from services.validation import clean_past_moment, clean_text

STATES = ("registered", "acknowledged", "assigned", "investigating", "decided", "approved",
          "replied", "visited", "archived", "withdrawn")
STATE_NAMES = {
    "registered": N_("Registered"), "acknowledged": N_("Acknowledged"),
    "assigned": N_("Assigned"), "investigating": N_("Investigating"),
    "decided": N_("Decided"), "approved": N_("Approved"), "replied": N_("Replied"),
    "visited": N_("Visited"), "archived": N_("Archived"), "withdrawn": N_("Withdrawn"),
}
OPEN_STATES = ("registered", "acknowledged", "assigned", "investigating", "decided", "approved")
CLOSED_STATES = ("replied", "visited", "archived", "withdrawn")
_ANY_LIVE = OPEN_STATES + ("replied", "visited", "withdrawn")

RECEIVER, HOLDER, SENIOR = "receiver", "holder", "senior"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    who: tuple[str, ...]  # roles, plus "holder" = the complaint's current handler
    label: str


TRANSITIONS: dict[str, Transition] = {
    "register": Transition((), "registered", ("receiver", "head", "manager", "owner"),
                           N_("Register")),
    "acknowledge": Transition(("registered",), "acknowledged", ("receiver", "manager", "owner"),
                              N_("Acknowledge")),
    "answer_on_spot": Transition(("registered",), "replied", ("receiver", "manager", "owner"),
                                 N_("Answer on the spot")),
    "transfer": Transition(("acknowledged", "assigned", "investigating"), None,
                           ("receiver", "head", "manager", "owner"), N_("Transfer")),
    "start_investigation": Transition(("assigned",), "investigating", (HOLDER, "manager", "owner"),
                                      N_("Start investigation")),
    "record_findings": Transition(("investigating",), None, (HOLDER, "manager", "owner"),
                                  N_("Record findings")),
    "escalate": Transition(("assigned", "investigating", "decided"), "investigating",
                           (HOLDER, "receiver", "head", "manager", "owner"), N_("Escalate")),
    "hold_meeting": Transition(("investigating", "decided"), "decided", ("manager", "owner"),
                               N_("Record meeting decision")),
    "decide": Transition(("investigating",), "decided", (HOLDER, "manager", "owner"),
                         N_("Decide")),
    "send_back": Transition(("decided",), "investigating", ("manager", "owner"),
                            N_("Send back")),
    "approve": Transition(("decided",), "approved", ("manager", "owner"), N_("Approve")),
    "reply": Transition(("approved", "decided"), "replied", ("receiver", "manager", "owner"),
                        N_("Reply")),
    "record_satisfaction": Transition(("replied",), None, ("receiver", "manager", "owner"),
                                      N_("Record satisfaction")),
    "review": Transition(("replied",), "investigating", ("manager", "owner"), N_("Review")),
    "external_route": Transition(("replied", "visited"), None, ("receiver", "manager", "owner"),
                                 N_("Record external route")),
    "visit": Transition(("replied", "visited"), "visited", ("receiver", "manager", "owner"),
                        N_("Record follow-up visit")),
    "extend": Transition(("assigned", "investigating", "decided", "approved"), None,
                         (HOLDER, "receiver", "manager", "owner"), N_("Extend time limit")),
    "pause": Transition(OPEN_STATES, None, (HOLDER, "receiver", "manager", "owner"),
                        N_("Stop the clock")),
    "resume": Transition(OPEN_STATES, None, (HOLDER, "receiver", "manager", "owner"),
                         N_("Restart the clock")),
    "archive": Transition(("replied", "visited", "withdrawn"), "archived",
                          ("receiver", "manager", "owner"), N_("Archive")),
    "withdraw": Transition(OPEN_STATES, "withdrawn", ("receiver", "manager", "owner"),
                           N_("Withdraw")),
    "reopen": Transition(("withdrawn", "replied", "visited"), None, ("manager", "owner"),
                         N_("Reopen")),
    "amend": Transition(_ANY_LIVE, None, ("receiver", "manager", "owner"), N_("Correct details")),
    "note": Transition(_ANY_LIVE, None, (HOLDER, "receiver", "head", "manager", "owner"),
                       N_("Add note")),
    "attach": Transition(_ANY_LIVE, None, (HOLDER, "receiver", "head", "manager", "owner"),
                         N_("Add attachment")),
    "document": Transition(_ANY_LIVE + ("archived",), None,
                           (HOLDER, "receiver", "head", "manager", "owner"),
                           N_("Produce document")),
    # rules.md §6, §8.5: the quality memo on a warranty claim; it meets the memo time limit.
    "quality_memo": Transition(OPEN_STATES, None, (HOLDER, "receiver", "manager", "owner"),
                               N_("Record quality memo")),
}
ACTIONS = tuple(a for a in TRANSITIONS if a != "register")
ACTION_NAMES = {a: t.label for a, t in TRANSITIONS.items()}


@dataclass(frozen=True)
class ActionResult:
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


def _is_holder(user: User, complaint: Complaint) -> bool:
    return complaint.handler_id is not None and complaint.handler_id == user.id


def may(user: User, complaint: Complaint, action: str) -> bool:
    """Whether ``user`` may take ``action`` now (for enabling buttons); never raises."""
    try:
        check(user, complaint, action)
    except (PermissionDenied, StateError, ValidationError):
        return False
    return True


def allowed_actions(user: User, complaint: Complaint) -> list[str]:
    return [a for a in ACTIONS if may(user, complaint, a)]


def check(user: User, complaint: Complaint, action: str) -> Transition:
    """Raise unless ``user`` may take ``action`` on ``complaint`` in its current state."""
    if action not in TRANSITIONS or action == "register":
        raise ValidationError(N_("Unknown action: {action}."), field="action", action=action)
    t = TRANSITIONS[action]
    require_visible(user, complaint)
    if complaint.state not in t.sources:
        raise StateError(N_("'{action}' is not possible while the complaint is {state}."),
                         action=tr_param(t.label), state=tr_param(STATE_NAMES[complaint.state]))
    roles = set(t.who) - {HOLDER}
    if not (roles & roles_of(user)) and not (HOLDER in t.who and _is_holder(user, complaint)):
        raise PermissionDenied(N_("You may not '{action}' this complaint."),
                               action=tr_param(t.label))
    _check_state_rules(user, complaint, action)
    return t


def _check_state_rules(user: User, complaint: Complaint, action: str) -> None:
    """Rules that depend on more than the state: rules.md §4 approval, review levels."""
    f = firm()
    if action == "reply" and complaint.state == "decided" and f.approval_required:
        raise StateError(N_("The decision must be approved before the reply goes out "
                            "(no promise before a decision is approved)."))
    if action == "answer_on_spot" and f.approval_required:
        if not Category.get_by_id(complaint.category_id).simple:
            raise StateError(N_("Only grumbles and simple questions may be answered on the spot; "
                                "this one needs an approved decision."))
    if action == "review":
        if complaint.satisfaction != "dissatisfied":
            raise StateError(N_("A review follows only a reply the complainant is dissatisfied "
                                "with."))
        if complaint.review_level >= 2:
            raise StateError(N_("The owner's review was final; record the external route "
                                "instead."))
        needed = "manager" if complaint.review_level == 0 else "owner"
        if not has_role(user, needed, "owner"):
            require_role(user, needed)
    if action == "record_satisfaction" and complaint.satisfaction:
        raise StateError(N_("Satisfaction with this reply is already recorded."))
    if action == "archive" and complaint.state == "replied" and not (
            complaint.satisfaction == "satisfied" or complaint.external_route):
        raise StateError(N_("Record the complainant's satisfaction (or the external route) "
                            "before archiving."))
    if action == "resume" and not any(c.status == "paused" for c in _clocks(complaint)):
        raise StateError(N_("No clock is stopped."))
    if action == "pause" and not timelimits.running_clocks(complaint):
        raise StateError(N_("No clock is running."))
    if action == "extend" and not timelimits.running_clocks(complaint):
        raise StateError(N_("There is no running time limit to extend."))
    if action == "quality_memo":
        if not WarrantyClaim.select().where(WarrantyClaim.complaint == complaint.id).exists():
            raise StateError(N_("A quality memo belongs to a warranty claim; this complaint "
                                "has none."))
    if action == "reopen" and complaint.state in ("replied", "visited") and not is_senior(user):
        require_role(user, "manager", "owner")


def _clocks(complaint: Complaint):
    return Clock.select(Clock.status).where(Clock.complaint == complaint.id)


def act(complaint_id: int, action: str, *, actor: User, note: str = "",
        at: datetime | None = None, **params) -> ActionResult:
    """Take one step on a complaint: one transaction, one timeline event."""
    with database.atomic():
        complaint = _load_for_update(complaint_id)
        if complaint.state == "archived" and action != "document":
            raise StateError(N_("Archived complaints are read-only."))
        t = check(actor, complaint, action)
        moment = clean_past_moment(at or clock.now(), field="at", label=N_("Time"),
                                   not_before=complaint.received_at)
        note = clean_text(note, field="note", label=N_("Note"), max_length=4000, required=False)
        from_state = complaint.state
        outcome = actions.apply(action, complaint, actor=actor, at=moment, note=note, **params)
        target = outcome.target or t.target or from_state
        complaint.state = target
        complaint.updated_at = clock.now()
        if target in CLOSED_STATES and complaint.closed_at is None:
            complaint.closed_at = moment
        elif target in OPEN_STATES:
            complaint.closed_at = None
        triggers = [action] + outcome.extra_triggers
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
                            outcome.data,
                            reported=reported)


def _responsible(complaint: Complaint) -> User | None:
    if complaint.handler_id is None:
        return User.get_by_id(complaint.registered_by_id)
    return User.get_by_id(complaint.handler_id)
