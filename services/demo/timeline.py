"""One demo complaint's life: who takes which step and when, and what each step changes.

Mirrors the real rules without going through them (``services.demo`` needs 100,000 complaints
in seconds): the steps are those ``services.complaints.TRANSITIONS`` allows, taken by users with
a role that may take them, never by the respondent (rules.md §2); each step changes the fields
and records the event data that ``complaints.actions`` would; time limits start, stop, pause
and extend as in ``services.timelimits``, with due moments from ``compute_due`` (rules.md §5).
``tests/services/test_demo.py`` replays generated timelines through the path to keep it so.
"""
from __future__ import annotations

import math
import random
import string
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import services.demo.content as text
from models.entities import Category, DeadlineRule, Department, Firm, User
from services.complaints import CLOSED_STATES, OPEN_STATES, TRANSITIONS, actions
from services.errors import DeadlineRuleError, ValidationError
from services.i18n import N_
from services.people import roles_of
from services.timelimits import (
    DAYS,
    WORKING_DAYS,
    WorkCalendar,
    check_limit,
    compute_due,
    describe_limit,
)
from services.validation import money

# Minutes between a step and the one before it (log-uniform between the bounds), at a repair
# shop's pace; PACE scales these working steps for the other profiles (rules.md §5 presets: the
# company answers within minutes, the law firm and the bank within weeks).
_GAPS = {
    "acknowledge": (2, 30), "answer_on_spot": (1, 15), "transfer": (5, 60),
    "start_investigation": (10, 240), "record_findings": (30, 600), "escalate": (30, 480),
    "decide": (30, 600), "hold_meeting": (240, 2880), "send_back": (30, 360),
    "approve": (10, 240), "reply": (10, 360), "record_satisfaction": (1, 60),
    "extend": (30, 240), "pause": (10, 240), "resume": (240, 4320), "note": (10, 1440),
    "withdraw": (60, 4320),
}
# Steps that wait on the complainant or the calendar, not on the office's pace.
_SLOW_GAPS = {
    "review": (60, 2880), "external_route": (1440, 14400), "visit": (1440, 10080),
    "archive": (1440, 43200), "reopen": (1440, 28800),
}
_LOG_GAPS = {a: (math.log(lo), math.log(hi) - math.log(lo), a in _SLOW_GAPS)
             for a, (lo, hi) in {**_GAPS, **_SLOW_GAPS}.items()}
PACE = {"repair-shop": 1.0, "company": 0.15, "law-firm": 12.0, "bank": 6.0}
# How long, in days, a complaint typically stays open (drives the state mix by age).
_OPEN_DAYS = {"repair-shop": 8.0, "company": 5.0, "law-firm": 30.0, "bank": 20.0}
_OPEN_SECOND, _CLOSE_SECOND = 8 * 3600 + 1800, 18 * 3600  # office hours, 08:30–18:00
_PLAIN = frozenset(("start_investigation", "approve", "send_back", "withdraw", "note"))
_EXTEND_STEP = {"minutes": 30, "hours": 48, "office_hours": 16, "days": 7, "working_days": 15}


class Weighted:
    """A weighted choice drawn with one random number (random.choices costs several µs)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, items, weights):
        pairs = [(i, w) for i, w in zip(items, weights, strict=True) if w > 0]
        self.items = tuple(i for i, _ in pairs)
        self.cum, total = [], 0
        for _, w in pairs:
            total += w
            self.cum.append(total)
        self.total = total

    def __call__(self, rand: Callable[[], float]):
        return self.items[bisect_right(self.cum, rand() * self.total)]


_CLOSED_RECENT = Weighted(("replied", "visited", "archived", "withdrawn"), (30, 30, 35, 4))
_CLOSED_OLD = Weighted(("replied", "visited", "archived", "withdrawn"), (0.5, 6, 90.5, 3))
_WITHDRAWN_FROM = Weighted(OPEN_STATES, (30, 25, 15, 20, 6, 4))
_EMPLOYEE_CHANNELS = Weighted(("walk_in", "letter", "online", "phone"), (40, 25, 20, 15))


class Rule:
    """An active DeadlineRule, read once."""

    __slots__ = ("id", "code", "starts", "stops", "length", "unit", "kind", "severity",
                 "max_total", "senior_above", "roll", "category", "valid")

    def __init__(self, r: DeadlineRule):
        self.id, self.code = r.id, r.code
        self.starts = frozenset(r.start_on.split(","))
        self.stops = frozenset(r.stop_on.split(","))
        self.length, self.unit = r.length, r.unit
        self.kind, self.severity, self.max_total = r.kind, r.severity, r.max_total
        self.senior_above, self.roll, self.category = r.senior_above, r.roll_to_workday, r.category
        try:
            check_limit(r.length, r.unit)
            self.valid = True
        except DeadlineRuleError:
            self.valid = False


class SimClock:
    """A Clock row in the making."""

    __slots__ = ("rule", "started", "length", "unit", "due", "provisional", "status",
                 "paused_since", "stopped", "late", "responsible", "pauses")

    def __init__(self, rule: Rule, started: datetime, due: datetime, provisional: bool,
                 responsible: int | None):
        self.rule, self.started = rule, started
        self.length, self.unit = rule.length, rule.unit
        self.due, self.provisional = due, provisional
        self.status, self.paused_since, self.stopped, self.late = "running", None, None, None
        self.responsible = responsible
        self.pauses: list[list] = []  # [started, ended or None, reason]


class Case:
    """A complaint's fields as its steps change them (the columns of Complaint and more)."""

    __slots__ = ("cid", "kind", "severity", "category", "topic", "slots", "channel", "detail",
                 "registrar", "recv", "respondent", "resp_dept", "handler_dept",
                 "complainant_dept", "final", "state", "handler", "level", "review_level",
                 "decision", "reasons", "remedy", "compensation", "responsibility",
                 "satisfaction", "external_route", "root_cause", "closed_at", "last", "access",
                 "events", "clocks", "extended", "deciders")

    def __init__(self):
        self.state = "registered"
        self.handler = self.respondent = self.resp_dept = None
        self.handler_dept = self.complainant_dept = None
        self.level = self.review_level = 0
        self.decision = self.reasons = self.remedy = self.responsibility = ""
        self.satisfaction = self.external_route = self.root_cause = ""
        self.compensation = self.closed_at = None
        self.access: dict[int, str] = {}  # user id → reason, first grant wins (as grant())
        self.events: list[tuple] = []  # Event rows, ready to insert
        self.clocks: list[SimClock] = []
        self.extended = False
        self.deciders: set[int] = set()  # who took, approved or reviewed the standing decision


class Staff:
    """The firm's active users sorted into the pools each step draws from (rules.md §2)."""

    def __init__(self, staff: list[User]):
        depts = {d.id: d for d in Department.select()}
        self.depts = depts
        self.dept_by_code = {d.code: d for d in depts.values()}
        hr_ids = {d.id for d in depts.values() if d.is_hr}
        self.hr_dept = next((d for d in depts.values() if d.is_hr), None)
        self.work_depts = [d for d in depts.values() if not d.is_hr and d.active]
        self.user = {u.id: u for u in staff}
        self.roles = {u.id: roles_of(u) for u in staff}
        self.name = {u.id: u.name for u in staff}
        self.login = {u.id: u.login for u in staff}
        self.dept_of = {u.id: u.department_id for u in staff}
        self._staff, self._hr_ids, self._cache = staff, hr_ids, {}
        self.owners = self.having("owner")
        self.managers = [u for u in self.having("manager") if "owner" not in self.roles[u]]
        self.seniors = self.having("manager", "owner")
        if not self.seniors:
            raise ValidationError(N_("The demo firm has no manager or owner."), field="users")
        self.receivers = (self.having("receiver", hr=False) or self.having("receiver")
                          or self.seniors)
        self.hr_registrars = (self.having("receiver", hr=True)
                              or self.having("manager", hr=True) or self.seniors)
        self.hr_handlers = (self.having("handler", hr=True) or self.having("manager", hr=True)
                            or self.seniors)
        self.hr_managers = self.having("manager", hr=True)
        self.heads = self.having("head")
        # Whom a complaint may be about: staff who serve customers, never a manager or the
        # owner (rules.md §2 recusal would leave nobody to approve and review).
        self.respondents = [u for u in self.having("receiver", "handler", "head", hr=False)
                            if not self.roles[u] & {"manager", "owner"}]
        self.serving_depts = ([d for d in self.work_depts if self.having("handler", dept=d.id)]
                              or self.work_depts)

    def having(self, *roles: str, hr: bool | None = None, dept: int | None = None) -> list[int]:
        key = (roles, hr, dept)
        found = self._cache.get(key)
        if found is None:
            found = [u.id for u in self._staff
                     if self.roles[u.id] & set(roles)
                     and (hr is None or (u.department_id in self._hr_ids) == hr)
                     and (dept is None or u.department_id == dept)]
            self._cache[key] = found
        return found


class TimelineBuilder:
    """Builds one Case at a time: parties, the path to its final state, the moments of its
    steps, and their effects."""

    def __init__(self, *, profile: str, approval_required: bool, staff: Staff,
                 rng: random.Random, end: datetime, calendar: WorkCalendar, office,
                 stamp: Callable, encode: Callable[[dict], str]):
        """``stamp`` turns a non-null datetime into the value the database driver is given,
        ``encode`` an event's data into JSONField's text."""
        self.profile, self.approval, self.staff = profile, approval_required, staff
        self.stamp, self.encode = stamp, encode
        self.open_states = Weighted(OPEN_STATES, (12, 13, 16, 30, 13, 10 if approval_required
                                                  else 4))
        self.channels = Weighted(("phone", "walk_in", "letter", "online", "authority", "media"),
                                 (34, 26, 6, 18, 14 if profile == "law-firm" else 8, 4))
        self.rng, self.end = rng, end
        self.rand = rng.random
        self.calendar, self.office = calendar, office
        self.pace = PACE.get(profile, 1.0)
        self.tau = _OPEN_DAYS.get(profile, 8.0)
        self.weekend_work = profile == "repair-shop"
        self.handling = text.HANDLING_DEPARTMENT.get(profile, {})
        self.due_cache: dict = {}
        self._fields_cache: dict = {}
        # the language of what an extension tells the complainant (actions.extension_told),
        # read once: build() reads nothing from the database, so it may run on another thread
        self.document_language = Firm.select(Firm.document_language).scalar() or "zh_CN"
        self._load_categories()
        self._load_rules()

    def _load_categories(self) -> None:
        weights = text.CATEGORY_WEIGHTS.get(self.profile, {})
        self.customer_cats = []
        self.employee_cats = []
        for c in Category.select().where(Category.active == True).order_by(Category.sort):  # noqa: E712
            if c.kind == "employee":
                self.employee_cats.append(c)
            elif weights.get(c.code, 1) > 0:
                self.customer_cats.append(c)
        if not self.customer_cats:
            raise ValidationError(N_("The firm has no complaint categories."), field="category")
        self.customer_weighted = Weighted(self.customer_cats, [
            weights.get(c.code, 1) for c in self.customer_cats])

    def _load_rules(self) -> None:
        rules = [Rule(r) for r in DeadlineRule.select().where(DeadlineRule.active == True)  # noqa: E712
                 .order_by(DeadlineRule.id)]
        self.rules = {}
        categories = [c.code for c in Category.select(Category.code)]
        for kind in ("customer", "employee"):
            for severity in ("normal", "major"):
                for category in categories:
                    # as timelimits.on_triggers: a category's own limit replaces the general
                    # one between the same steps (rules.md §5)
                    fits = [r for r in rules if r.kind in ("any", kind)
                            and r.severity in ("any", severity) and r.category in ("", category)]
                    specific = {(r.starts, r.stops) for r in fits if r.category}
                    self.rules[kind, severity, category] = [
                        r for r in fits if r.category or (r.starts, r.stops) not in specific]
        # every trigger that starts or stops some rule's clock
        self.watched = frozenset().union(*(r.starts | r.stops for r in rules))

    def pick(self, seq):
        return seq[int(self.rand() * len(seq))]

    # -- the case --

    def build(self, received: datetime, cid: int, ticket: str) -> Case:
        rand, pick = self.rand, self.pick
        c = Case()
        c.cid = cid
        if self.employee_cats and rand() < 0.10:
            c.kind = "employee"
            c.category = pick(self.employee_cats)
            topics = text.EMPLOYEE_TOPICS.get(c.category.code, text.EMPLOYEE_GENERIC)
        else:
            c.kind = "customer"
            c.category = self.customer_weighted(rand)
            topics = (text.TOPICS.get((self.profile, c.category.code))
                      or text.GENERAL_TOPICS.get(c.category.code) or text.GENERIC_TOPICS)
        c.topic = pick(topics)
        c.severity = "major" if rand() < (0.35 if c.topic.major else 0.03) else "normal"
        self._parties(c)
        self._channel(c)
        c.final = self._final_state((self.end - received).total_seconds() / 86400)
        c.slots = self._slots(c, received)
        steps = self._plan(c)
        self._run(c, received, ticket, steps, self._times(received, steps))
        return c

    def _channel(self, c: Case) -> None:
        pick = self.pick
        c.detail = ""
        if c.kind == "employee":
            c.channel = _EMPLOYEE_CHANNELS(self.rand)
            if c.channel == "online":
                c.detail = pick(text.EMPLOYEE_ONLINE)
            return
        c.channel = self.channels(self.rand)
        if c.channel == "authority":  # rules.md §3: forwarded by 司法局 / 律师协会 / 运管所 …
            c.detail = pick(text.AUTHORITIES.get(self.profile, ("消费者协会",)))
        elif c.channel == "media":
            c.detail = pick(text.MEDIA)
        elif c.channel == "online":
            c.detail = pick(text.ONLINE)

    def _final_state(self, age: float) -> str:
        rand = self.rand
        # Recent complaints are mostly still open; a very few old ones were forgotten
        # (overdue) — an office with thousands of forgotten complaints is not a fair sample.
        if rand() < 0.003 + 0.9 * math.exp(-age / self.tau):
            return self.open_states(rand)
        return (_CLOSED_RECENT if age < 40 else _CLOSED_OLD)(rand)

    def _parties(self, c: Case) -> None:
        """Respondent, registrar, and the department that handles it (rules.md §2 recusal: the
        respondent never registers, handles or acts on it)."""
        rand, pick, s = self.rand, self.pick, self.staff
        if c.kind == "employee":
            dept = pick(s.work_depts) if s.work_depts else s.hr_dept
            c.complainant_dept = dept.id if dept else None
            c.handler_dept = s.hr_dept.id if s.hr_dept else None
            if s.respondents and rand() < 0.45:
                c.respondent = pick(s.respondents)
                c.resp_dept = s.dept_of[c.respondent] if rand() < 0.5 else None
            elif s.work_depts and rand() < 0.4:
                c.resp_dept = pick(s.work_depts).id
            pool = s.hr_registrars
        else:
            codes = self.handling.get(c.category.code, ())
            dept = s.dept_by_code.get(codes if isinstance(codes, str) else pick(codes)) \
                if codes else None
            if dept is None and s.serving_depts:
                dept = pick(s.serving_depts)
            c.handler_dept = dept.id if dept else None
            if s.respondents and rand() < 0.35:
                in_dept = [u for u in s.respondents if s.dept_of[u] == c.handler_dept]
                c.respondent = pick(in_dept or s.respondents)
                if rand() < 0.6:
                    c.resp_dept = s.dept_of[c.respondent]
            elif dept is not None and rand() < 0.3:
                c.resp_dept = dept.id
            pool = s.receivers if rand() < 0.92 else s.seniors
        c.registrar = self._pick(pool, c) or self._pick(s.seniors, c)
        # rules.md §2: receiver work (acknowledge, reply, visits) stays with whoever registered it.
        c.recv = c.registrar if s.roles[c.registrar] & {"receiver", "manager", "owner"} \
            else self._pick(s.managers or s.seniors, c)

    def _pick(self, pool, c: Case, *, avoid: Iterable = ()):
        choices = [u for u in pool if u != c.respondent and u not in avoid]
        return choices[int(self.rand() * len(choices))] if choices else None

    def _handler_for(self, c: Case, avoid=()):
        s = self.staff
        if c.kind == "employee":
            pool = s.hr_handlers
        else:
            pool = (s.having("handler", dept=c.handler_dept)
                    or s.having("head", dept=c.handler_dept) or s.having("handler", hr=False))
        return (self._pick(pool, c, avoid=avoid) or self._pick(s.managers, c, avoid=avoid)
                or self._pick(s.seniors, c, avoid=avoid))

    def _escalation_target(self, c: Case, level: int, holder):
        s = self.staff
        if level == 1:  # rules.md §4: to the department head …
            pool = (s.hr_managers or s.managers) if c.kind == "employee" else (
                (s.having("head", dept=c.handler_dept) or s.heads) + s.managers)
        else:  # … then to the top
            pool = s.owners if c.severity == "major" else s.seniors
        return self._pick(pool, c, avoid=(holder,)) or self._pick(s.seniors, c, avoid=(holder,))

    def _senior(self, c: Case, *, avoid=(), owner=False):
        s = self.staff
        pool = s.owners if owner else (s.hr_managers if c.kind == "employee" else []) + s.managers
        return (self._pick(pool, c, avoid=avoid) or self._pick(s.seniors, c, avoid=avoid)
                or self._pick(s.seniors, c))

    def _starts_ok(self, c: Case, trigger: str) -> bool:
        """Whether every rule this trigger would start has a usable limit: a rule that cannot
        be computed makes the real step fail, so the demo never takes that step."""
        return all(r.valid for r in self.rules[c.kind, c.severity, c.category.code]
                   if trigger in r.starts)

    # -- the path (rules.md §4) --

    def _plan(self, c: Case) -> list[tuple]:
        """(action, actor id, params) from register to c.final, each legal after the last."""
        rand, pick = self.rand, self.pick
        steps: list[tuple] = []
        final = c.final
        withdraw = final == "withdrawn" or (final == "archived" and rand() < 0.04)
        if withdraw:
            cut = _WITHDRAWN_FROM(rand)
        else:
            cut = final if final in OPEN_STATES else None
        holder = [None]  # the complaint's current handler

        def add(action, actor, **params):
            # rules.md §4: the path's table says who may review (never who decided)
            if action in ("decide", "hold_meeting"):
                c.deciders = {actor}
            elif action in ("approve", "review"):
                c.deciders.add(actor)
            steps.append((action, actor, params))

        def holder_or_recv():
            return holder[0] if holder[0] and rand() < 0.6 else c.recv

        def maybe_pause(keep_paused: bool):
            if rand() < 0.06:
                add("pause", holder_or_recv(), note=pick(self._reasons(text.PAUSE_REASONS, c)))
                if not keep_paused or rand() < 0.5:
                    add("resume", holder_or_recv())

        def maybe_extend(p: float):
            if rand() < p:
                add("extend", holder_or_recv(), note=pick(self._reasons(text.EXTEND_REASONS, c)))

        def finish():
            if withdraw:
                add("withdraw", c.recv, note=pick(text.WITHDRAW_NOTES))
                if final == "archived":
                    add("archive", c.recv, root_cause=pick(text.WITHDRAWN_CAUSES))
            return steps

        if cut == "registered":
            maybe_pause(True)
            return finish()
        if cut is None and c.category.simple and c.topic.answer and rand() < 0.75:
            add("answer_on_spot", c.recv)
            self._closure(c, add, holder, spot=True)
            return steps
        add("acknowledge", c.recv, note=pick(text.ACK_NOTES) if rand() < 0.3 else "")
        if cut == "acknowledged":
            maybe_pause(True)
            return finish()
        holder[0] = self._handler_for(c)
        add("transfer", c.registrar, to=holder[0], note=pick(text.TRANSFER_NOTES))
        if rand() < 0.05:  # handed on to a colleague before work started
            holder[0] = self._handler_for(c, avoid=(holder[0],))
            add("transfer", c.registrar, to=holder[0])
        maybe_extend(0.03)
        if cut == "assigned":
            maybe_pause(True)
            return finish()
        add("start_investigation", holder[0])
        maybe_pause(cut == "investigating")
        if rand() < 0.12:
            add("note", holder_or_recv(), note=pick(text.NOTES))
        if cut != "investigating" or rand() < 0.5:
            add("record_findings", holder[0])
        maybe_extend(0.09 if cut else 0.05)
        major = c.severity == "major"
        if rand() < (0.5 if major else 0.08) and self._starts_ok(c, "escalate:1"):
            target = self._escalation_target(c, 1, holder[0])
            add("escalate", holder[0], to=target, level=1)
            holder[0] = target
            if rand() < (0.5 if major else 0.2) and self._starts_ok(c, "escalate:2"):
                target = self._escalation_target(c, 2, holder[0])
                add("escalate", holder[0], to=target, level=2)
                holder[0] = target
        if cut == "investigating":
            return finish()
        # rules.md §4: major complaints go to a meeting whose decision is recorded.
        self._decide(c, add, holder)
        if cut != "decided" and rand() < 0.04:
            add("send_back", self._senior(c), note=pick(text.SEND_BACK_NOTES))
            self._decide(c, add, holder)
        if cut == "decided":
            return finish()
        if self.approval or major or rand() < 0.3:
            add("approve", self._senior(c, avoid=(holder[0],), owner=major))
            if cut:
                maybe_extend(0.02)
        if cut == "approved":
            return finish()
        add("reply", c.recv, method=self._reply_method())
        self._closure(c, add, holder, spot=False)
        return steps

    def _closure(self, c: Case, add, holder, *, spot: bool) -> None:
        """After the reply: satisfaction, reviews, follow-up visits and archiving (rules.md §4)."""
        rand, pick = self.rand, self.pick
        final = c.final
        if final == "replied" and rand() < 0.4:
            return
        satisfied = True
        if not spot and rand() < 0.09:
            satisfied = self._reviews(c, add, holder)
        if satisfied:
            add("record_satisfaction", c.recv, satisfied=True)
        if final == "replied":
            return
        if final == "visited" or (c.kind == "customer" and rand() < 0.8):
            add("visit", c.recv, result=pick(text.VISIT_RESULTS))
            if not spot and rand() < 0.012:  # the problem came back
                add("reopen", self._senior(c), note=pick(text.REOPEN_NOTES))
                self._decide(c, add, holder)
                if self.approval or c.severity == "major":
                    add("approve", self._senior(c, avoid=(holder[0],)))
                add("reply", c.recv, method=self._reply_method())
                add("record_satisfaction", c.recv, satisfied=True)
                add("visit", c.recv, result=pick(text.VISIT_RESULTS))
        if final == "archived":
            # rules.md §4 源头治理: every archived complaint gets a root-cause tag.
            add("archive", c.recv,
                root_cause=pick(text.SPOT_CAUSES) if spot else pick(c.topic.causes))

    def _decide(self, c: Case, add, holder) -> None:
        """A decision: by the handler, or for a major complaint by a meeting (rules.md §4)."""
        if c.severity == "major":
            add("hold_meeting", self._senior(c, owner=True),
                attendees=self._attendees(c, holder))
        else:
            add("decide", holder[0])

    def _reviewer(self, c: Case, level: int):
        """Review by the next level up (rules.md §4): a manager, then the owner; never
        someone who took, approved or reviewed the standing decision."""
        s = self.staff
        pool = s.managers if level == 1 else s.owners
        if level == 1 and c.kind == "employee":
            pool = [u for u in s.hr_managers if u in s.managers] + pool
        return self._pick(pool, c, avoid=c.deciders)

    def _reviews(self, c: Case, add, holder) -> bool:
        """Dissatisfied: the manager's review (复审), then maybe the owner's final one (终审),
        each changing the decision. Returns whether the complainant ends satisfied; if not,
        the external route they took is recorded (which is what lets the complaint be
        archived)."""
        rand = self.rand
        for level in (1, 2):
            add("record_satisfaction", c.recv, satisfied=False)
            reviewer = self._reviewer(c, level) if not (level == 1 and rand() < 0.15) else None
            if reviewer is None:
                break  # straight to an outside route
            add("review", reviewer, outcome="change")
            holder[0] = reviewer
            if rand() < 0.5:
                add("record_findings", reviewer)
            if c.severity == "major":
                add("hold_meeting", reviewer, attendees=self._attendees(c, holder))
            else:
                add("decide", reviewer)
            if self.approval or c.severity == "major" or rand() < 0.3:
                add("approve", self._senior(c, avoid=(reviewer,)))
            add("reply", c.recv, method="written")
            if rand() < 0.65:
                return True
            if "owner" in self.staff.roles[reviewer]:
                add("record_satisfaction", c.recv, satisfied=False)
                break  # the owner's review was final
        else:
            add("record_satisfaction", c.recv, satisfied=False)
        route, outcome = self.pick(text.EXTERNAL_ROUTES.get(self.profile, (("court", ""),)))
        add("external_route", c.recv, route=route, outcome=outcome)
        return False

    def _attendees(self, c: Case, holder) -> list[str]:
        s = self.staff
        people = list(dict.fromkeys(s.owners[:1] + s.managers[:1]
                                    + [u for u in (holder[0], c.recv) if u]))
        people = [u for u in people if u != c.respondent]
        if len(people) < 2:
            people += [u for u in s.seniors if u not in people][:2 - len(people)]
        return [s.name[u] for u in people]

    def _reply_method(self) -> str:
        r = self.rand()
        return "written" if r < 0.6 else "phone" if r < 0.85 else "in_person" if r < 0.95 \
            else "email"

    def _reasons(self, table: dict, c: Case):
        return table.get("employee" if c.kind == "employee" else self.profile) \
            or table["employee"]

    # -- when --

    def _times(self, received: datetime, steps: list[tuple]) -> list[datetime]:
        """Increasing moments in office hours after ``received``; when they would run past
        the end (recent complaints), squeezed into [received, end] keeping their order."""
        rand, exp = self.rand, math.exp
        factor = self.pace * self.rng.lognormvariate(0, 0.45)
        weekend_work = self.weekend_work
        # Seconds from midnight of the day received; weekday of day d is (first + d) % 7.
        start = received.hour * 3600 + received.minute * 60 + received.second
        first = received.weekday()
        gaps, offsets, t = [], [], start
        for action, _actor, _params in steps:
            low, span, slow = _LOG_GAPS[action]
            gap = exp(low + span * rand()) * (1.0 if slow else factor)
            gaps.append(gap)
            t += int(gap * 60) + 1
            day, second = divmod(t, 86400)
            if not _OPEN_SECOND <= second < _CLOSE_SECOND or (
                    not weekend_work and (first + day) % 7 >= 5):
                if second >= _OPEN_SECOND:
                    day += 1  # after closing (or a weekend day): the next opening
                if not weekend_work and (first + day) % 7 >= 5:
                    day += 7 - (first + day) % 7
                t = day * 86400 + _OPEN_SECOND + int(rand() * 5400)
            offsets.append(t - start)
        room = (self.end - received).total_seconds()
        if not offsets or offsets[-1] <= room:
            return [received + timedelta(seconds=o) for o in offsets]
        room *= 0.97
        total, acc, out = sum(gaps), 0.0, []
        for gap in gaps:
            acc += gap
            out.append(received + timedelta(seconds=int(room * acc / total)))
        return out

    # -- what each step does (services.complaints.actions + path.act) --

    def _run(self, c: Case, received: datetime, ticket: str, steps, times) -> None:
        s, topic = self.staff, c.topic
        stamp, encode, watched = self.stamp, self.encode, self.watched
        c.access[c.registrar] = "registered"
        self._triggers(c, ("register",), received, c.registrar)
        at = self.stamp(received)
        c.last = received
        c.events.append((c.cid, "register", "", "registered", c.registrar, at, at, "",
                         # as complaints.register records it
                         f'{{"channel": "{c.channel}", "ticket": "{ticket}"}}'))
        for (action, actor, params), at in zip(steps, times, strict=True):
            note = params.get("note", "")
            data = target = responsible = None
            extra = ()
            if action in _PLAIN:
                pass
            elif action == "acknowledge":
                data = {"contact": s.user[actor].phone or s.name[actor]}
            elif action == "transfer":
                to = params["to"]
                data = {"to": s.login[to], "to_name": s.name[to], "from_handler": c.handler}
                c.handler = responsible = to
                c.access.setdefault(to, "handler")
                target = "assigned" if c.state in ("acknowledged", "assigned") else None
            elif action == "record_findings":
                if topic.responsibility:
                    c.responsibility = topic.responsibility
                data = {"findings": self.fill(topic.findings, c),
                        "responsibility": topic.responsibility}
            elif action == "escalate":
                to, level = params["to"], params["level"]
                c.level, c.handler, responsible = level, to, to
                c.access.setdefault(to, "escalated")
                extra = (f"escalate:{level}",)
                data = {"to": s.login[to], "to_name": s.name[to], "level": level}
            elif action == "decide":
                data = self._decision(c)
            elif action == "hold_meeting":
                data = self._decision(c)
                data["attendees"] = params["attendees"]
                data["meeting"] = self.pick(text.MEETINGS.get(self.profile, ("投诉处理小组会议",)))
            elif action == "reply":
                c.satisfaction = ""
                if c.channel == "authority":  # the path's extra trigger (rules.md §5)
                    extra = ("reply:authority",)
                # The letter adds the firm's routes of appeal itself (Settings › Firm).
                told = self.fill(topic.reply, c) if topic.reply else c.decision
                data = {"text": "关于您反映的问题，经调查核实，处理意见如下：" + told,
                        "method": params["method"]}
            elif action == "record_satisfaction":
                c.satisfaction = "satisfied" if params["satisfied"] else "dissatisfied"
                data = {"satisfied": params["satisfied"]}
            elif action == "visit":
                data = {"result": params["result"]}
                if self.rand() < 0.6:
                    data["satisfied"] = True
            elif action == "archive":
                c.root_cause = params["root_cause"]
                data = {"root_cause": c.root_cause, "year": received.year}
            elif action == "answer_on_spot":
                c.decision, c.satisfaction = topic.answer, ""
                data = {"answer": topic.answer}
            elif action == "review":  # the outcome "change": back to deciding
                c.review_level = 2 if "owner" in s.roles[actor] else 1
                c.handler = responsible = actor
                c.satisfaction = ""
                target = "investigating"
                data = {"review_level": c.review_level,
                        "kind": "final" if c.review_level == 2 else "review",
                        "outcome": "change"}
            elif action == "external_route":
                c.external_route = params["route"]
                data = {"route": params["route"], "outcome": params["outcome"]}
            elif action == "extend":
                data = self._extend(c, at)
                if data is None:
                    continue  # no running limit left to extend: the office would not
            elif action == "pause":
                running = [k for k in c.clocks if k.status == "running"]
                if not running:
                    continue
                for k in running:
                    k.pauses.append([at, None, note])
                    k.status, k.paused_since = "paused", at
                data = {"clocks": len(running)}
            elif action == "resume":
                paused = [k for k in c.clocks if k.status == "paused"]
                if not paused:
                    continue
                for k in paused:
                    k.pauses[-1][1] = at
                    k.status, k.paused_since = "running", None
                    k.due, k.provisional = self._due(k.started, k.length, k.unit, k.pauses,
                                                     at, k.rule.roll)
                data = {"clocks": len(paused)}
            elif action == "reopen":
                c.satisfaction = ""
                target = "acknowledged" if c.state == "withdrawn" or c.handler is None \
                    else "investigating"
            # What workflow.act does around every action: state, closed_at, clocks, access.
            from_state = c.state
            t = TRANSITIONS[action]
            if from_state not in t.sources:  # a bug in _plan, never bad data
                raise AssertionError(f"demo plan: {action} from {from_state}")
            target = target or t.target or from_state
            c.state = target
            if target in CLOSED_STATES:
                if c.closed_at is None:
                    c.closed_at = at
            else:
                c.closed_at = None
            if target == "archived" or target == "withdrawn":
                for k in c.clocks:
                    if k.status == "running" or k.status == "paused":
                        self._stop(k, at, "cancelled")
            triggers = (action, *extra) if extra else (action,)
            if not watched.isdisjoint(triggers):  # most steps neither start nor stop a limit
                self._triggers(c, triggers, at, responsible or c.handler or c.registrar)
            if actor not in c.access:
                c.access[actor] = "acted"
            c.last = at
            at = stamp(at)  # recorded as it happened: at and recorded_at are the same
            c.events.append((c.cid, action, from_state, target, actor, at, at, note,
                             encode(data) if data else None))

    def _triggers(self, c: Case, triggers: tuple, at: datetime, responsible) -> None:
        """timelimits.on_triggers: meet or restart the running clocks, then start new ones."""
        for k in c.clocks:
            if k.status == "running" or k.status == "paused":
                if not k.rule.stops.isdisjoint(triggers):
                    self._stop(k, at, "met")
                elif not k.rule.starts.isdisjoint(triggers):
                    self._stop(k, at, "cancelled")  # the same step again: counts anew
        for rule in self.rules[c.kind, c.severity, c.category.code]:
            if not rule.starts.isdisjoint(triggers):
                due, provisional = self._due(at, rule.length, rule.unit, (), at, rule.roll)
                c.clocks.append(SimClock(rule, at, due, provisional, responsible))

    def _stop(self, k: SimClock, at: datetime, status: str) -> None:
        if k.status == "paused":
            k.pauses[-1][1] = at
            k.due, k.provisional = self._due(k.started, k.length, k.unit, k.pauses, at, k.rule.roll)
        k.status, k.stopped, k.paused_since = status, at, None
        k.late = at > k.due if status == "met" else None

    def _due(self, start: datetime, length: int, unit: str, pauses, now: datetime,
             roll: bool = True):
        if not pauses and (unit == DAYS or unit == WORKING_DAYS):
            # whole days: the due moment depends only on the start's date
            key = (start.date(), length, unit, roll)
            found = self.due_cache.get(key)
            if found is None:
                due = compute_due(start, length, unit, self.calendar, office=self.office,
                                  roll_to_workday=roll)
                found = self.due_cache[key] = (due.due, due.provisional)
            return found
        due = compute_due(start, length, unit, self.calendar, [(p[0], p[1]) for p in pauses],
                          office=self.office, now=now, roll_to_workday=roll)
        return due.due, due.provisional

    def _extend(self, c: Case, at: datetime) -> dict | None:
        """timelimits.extend on the soonest running clock, to a longer limit (rules.md §4 延期)."""
        running = [k for k in c.clocks if k.status == "running"]
        if not running:
            return None
        k = min(running, key=lambda k: k.due)
        if at > k.due:
            return None  # the office extends before a limit is missed (rules.md §5)
        length = k.length + _EXTEND_STEP.get(k.unit, k.length)
        if k.rule.max_total is not None:
            length = min(length, k.rule.max_total)
        if k.rule.senior_above is not None:  # further only with a senior's approval
            length = min(length, max(k.rule.senior_above, k.length))
        if length <= k.length:
            return None
        old_due, old_length = k.due, k.length
        k.length = length
        k.due, k.provisional = self._due(k.started, k.length, k.unit, k.pauses, at, k.rule.roll)
        c.extended = True
        return {"rule": k.rule.code, "unit": k.unit, "old_length": old_length,
                "new_length": length, "old_limit": describe_limit(old_length, k.unit),
                "new_limit": describe_limit(length, k.unit), "old_due": old_due.isoformat(),
                "new_due": k.due.isoformat(), "provisional": k.provisional,
                # what the complainant is told: actions._extend's default (rules.md §8.4)
                "told": actions.extension_told(length, k.unit, self.document_language)}

    def _decision(self, c: Case) -> dict:
        """actions._decision_fields: decision, reasons, remedy, money, responsibility."""
        topic = c.topic
        amount = None
        if topic.amount:
            lo, hi = topic.amount
            step = 10 if hi >= 100 else 1
            amount = money(self.rng.randrange(lo // step, hi // step + 1) * step)
            c.slots["amount"] = f"{amount:.0f}"
        c.decision = self.fill(topic.decision or topic.answer or "向投诉人作出解释说明。", c)
        c.reasons = self.fill(topic.reasons, c)
        c.remedy = topic.remedy
        c.compensation = amount
        c.responsibility = topic.responsibility or c.responsibility
        return {"decision": c.decision, "reasons": c.reasons, "remedy": c.remedy,
                "remedies": None,  # one remedy: as actions._decision_fields records it
                "amount": str(amount) if amount is not None else None,
                "responsibility": c.responsibility, "firm_share": topic.firm_share}

    # -- texts --

    def _slots(self, c: Case, received: datetime) -> dict:
        """Values for the topic's {slots}; only the ones its templates use."""
        rng, pick = self.rng, self.pick
        topic = c.topic
        fields = self._fields_cache.get(topic)
        if fields is None:
            fields = self._fields_cache[topic] = {
                name for template in (topic.description, topic.request, topic.findings,
                                      topic.decision, topic.reasons)
                for _, name, _, _ in string.Formatter().parse(template) if name}
        slots = {"amount": ""}
        for name in fields:
            if name == "who":
                if c.respondent is not None:
                    who = self.staff.name[c.respondent]
                    if c.kind == "customer":
                        who = text.WHO_NAMED.get(self.profile, "{name}").format(name=who)
                else:
                    who = topic.who or text.WHO_GENERIC.get(self.profile, "工作人员")
                slots["who"] = who
            elif name == "dept":
                dept = self.staff.depts.get(c.complainant_dept)
                slots["dept"] = dept.name if dept else "部门里"
            elif name == "car":
                slots["car"] = pick(text.CARS)
            elif name == "plate":
                slots["plate"] = text.plate(rng)
            elif name == "days":
                slots["days"] = rng.randint(2, 20)
            elif name == "hours":
                slots["hours"] = rng.randint(2, 5)
            elif name == "fee":
                slots["fee"] = rng.randrange(50, 3000, 10)
            elif name == "km":
                slots["km"] = rng.randrange(500, 5000, 100)
            elif name == "trip":
                slots["trip"] = rng.randint(12, 60)
            elif name == "product":
                slots["product"] = pick(text.PRODUCTS)
            elif name == "case":
                slots["case"] = pick(text.CASES)
            elif name == "month":
                slots["month"] = (received.month - 2) % 12 + 1
        return slots

    def fill(self, template: str, c: Case) -> str:
        return template.format(**c.slots) if "{" in template else template
