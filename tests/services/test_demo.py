"""Demo data (services.demo): realistic, and consistent with the real rules (rules.md §2–§5).

Besides checking the generated rows directly, a sample of timelines is replayed through the
real services (``complaints.register`` and ``workflow.act``) in a fresh database and must give
the same events, fields, clocks and access rows.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from peewee import fn

import services.demo.content as demo_content
import services.demo.sample as demo_sample
from models.db import database
from models.entities import (
    Category,
    Clock,
    ClockPause,
    Complaint,
    ComplaintAccess,
    DeadlineRule,
    Department,
    Event,
    Firm,
    TicketCounter,
    User,
)
from services import clock, demo, integrity
from services.complaints import CLOSED_STATES, HOLDER, OPEN_STATES, TRANSITIONS, ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import ValidationError
from services.firm import FirmSetup, close_database, init_firm, open_database
from services.i18n import language
from services.people import roles_of, users
from services.timelimits import clocks as timelimits
from services.timelimits import compute_due

PROFILES = ("repair-shop", "law-firm", "company", "bank")
N = 300


@pytest.fixture(scope="module", params=PROFILES)
def generated(request, tmp_path_factory):
    """A database of N demo complaints for one profile, made once per module."""
    location = str(tmp_path_factory.mktemp("demo") / f"{request.param}.sqlite3")
    open_database(location)
    summary = demo.generate(profile=request.param, complaints=N)
    yield location, summary
    close_database()


@pytest.fixture
def demo_db(generated):
    """The profile's demo database, bound (again, if another test bound its own)."""
    location, summary = generated
    if database.obj is None or database.obj.is_closed() or database.obj.database != location:
        close_database()
        open_database(location)
    return summary


@pytest.fixture
def new_db(tmp_path):
    """``new_db(name)``: a new, migrated SQLite database in the test's folder, bound (not the
    shared ``fresh_db``, which is one location; these tests make several)."""

    def make(name="d.sqlite3"):
        close_database()
        location = str(tmp_path / name)
        open_database(location)
        return location

    yield make
    clock.freeze(None)
    close_database()


def _owner() -> User:
    return User.select().where(User.roles.contains("owner")).order_by(User.id).first()


_TIMELINES: dict[str, dict[int, list[Event]]] = {}


def _events_by_complaint() -> dict[int, list[Event]]:
    """Every complaint's events in order, read once per generated database."""
    location = database.obj.database
    if location not in _TIMELINES:
        out = defaultdict(list)
        for e in Event.select().order_by(Event.id):
            out[e.complaint_id].append(e)
        _TIMELINES[location] = out
    return _TIMELINES[location]


# --- counts and the state mix ------------------------------------------------------------------


def test_summary_counts_and_state_mix(demo_db):
    check_summary(demo_db)


def check_summary(s) -> None:
    assert s.complaints == N == sum(s.by_state.values())
    assert complaints.count(_owner()) == N
    stored = Counter(state for (state,) in Complaint.select(Complaint.state).tuples())
    assert stored == Counter({k: v for k, v in s.by_state.items() if v})
    assert len(stored) >= 6, stored  # several states present
    assert s.archived == stored["archived"] > N // 2  # old complaints mostly archived
    assert sum(stored[st] for st in OPEN_STATES) >= 5  # recent ones still being handled
    assert s.extended > 0 and s.overdue > 0
    extends = Event.select(Event.complaint).where(Event.action == "extend")
    assert s.extended == len({e.complaint_id for e in extends})
    overdue_open = (Complaint.select().where(Complaint.state.in_(OPEN_STATES)
                                             & (Complaint.next_due_at < clock.now())).count())
    assert overdue_open > 0
    assert s.firm_name == Firm.get().name == demo_content.FIRMS[s.profile].name
    assert s.password == demo_content.PASSWORD
    roles = Counter(r for _, _, rs in s.users for r in rs.split(","))
    assert {"receiver", "handler", "head", "manager", "owner"} <= set(roles)
    hr = {d.id for d in Department.select().where(Department.is_hr == True)}  # noqa: E712
    assert any(u.department_id in hr and "handler" in roles_of(u) for u in User.select())
    assert users.authenticate(s.users[1][0], s.password)  # one scrypt hash, shared


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_gets_rows_that_follow_the_same_rules(backend):
    """The PostgreSQL path (ids from the sequences, execute_values) writes the same rows."""
    location = backend.new_location()
    open_database(location)
    try:
        summary = demo.generate(profile="company", complaints=N)
        check_summary(summary)
        check_timelines()
        check_tickets()
        check_clocks()
        report = integrity.verify(full=True)  # COPY's text gives back what was sealed
        assert report.ok, [p.describe() for p in report.problems[:5]]
        owner = _owner()  # and the sequences still hand out fresh ids to the real services
        category = Category.select().where(Category.kind != "employee").first().code
        made = complaints.register(ComplaintInput(complainant_name="王伟", description="测试",
                                                  category=category), actor=owner)
        assert made.complaint_id > Complaint.select(fn.MAX(Complaint.id)).where(
            Complaint.id != made.complaint_id).scalar()
    finally:
        close_database()
        backend.drop(location)


def test_the_sample_is_sealed_and_verifies(demo_db):
    """The batches seal their timeline and access rows from the values they wrote: a full
    check, which reads every row back, finds each seal fits."""
    report = integrity.verify(full=True)
    assert report.ok, [p.describe() for p in report.problems[:5]]
    assert report.rows >= Event.select().count() + ComplaintAccess.select().count()


def test_closed_complaints_are_complete(demo_db):
    for c in Complaint.select().where(Complaint.state.in_(CLOSED_STATES)):
        assert c.closed_at is not None and c.closed_at >= c.received_at
        if c.state == "archived":
            assert c.root_cause, c.ticket  # rules.md §4 源头治理
    for c in Complaint.select().where(Complaint.state.in_(("replied", "visited"))):
        assert c.decision
    decided = Complaint.select().where(Complaint.decision_reasons != "")
    assert decided.count() > N // 3
    assert all(c.remedy for c in decided)
    assert Complaint.select().where(Complaint.satisfaction == "satisfied").count() > N // 3
    assert Complaint.select().where(Complaint.compensation.is_null(False)).count() > 0
    for c in Complaint.select().where(Complaint.state.in_(OPEN_STATES)):
        assert c.closed_at is None


def test_search_index_is_kept_in_step(demo_db):
    """The rows are copied into the full-text index per batch (services.demo): the index must
    match the table and the insert trigger must be back for the next registration."""
    database.execute_sql("INSERT INTO complaint_fts(complaint_fts) VALUES ('integrity-check')")
    triggers = {name for (name,) in database.execute_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'complaint'")}
    assert "complaint_fts_insert" in triggers
    owner = _owner()
    sample = Complaint.select().order_by(Complaint.id.desc()).first()
    for text in (sample.description[3:9], sample.complainant_phone[-6:], sample.ticket):
        scan = Complaint.select().where(
            Complaint.description.contains(text) | Complaint.ticket.contains(text)
            | Complaint.complainant_phone.contains(text) | Complaint.contract_no.contains(text)
            | Complaint.complainant_name.contains(text)).count()
        assert complaints.count(owner, complaints.ComplaintFilter(text=text)) == scan > 0


# --- timelines ---------------------------------------------------------------------------------


def test_every_timeline_follows_the_rules(demo_db):
    check_timelines()


def check_timelines() -> None:
    """Replay each timeline against TRANSITIONS, the roles, recusal and confidentiality."""
    now = clock.now()
    firm = Firm.get()
    people = {u.id: u for u in User.select()}
    logins = {u.login: u.id for u in people.values()}
    hr_depts = {d.id for d in Department.select().where(Department.is_hr == True)}  # noqa: E712
    simple = {c.id for c in Category.select().where(Category.simple == True)}  # noqa: E712
    access = defaultdict(set)
    for a in ComplaintAccess.select():
        access[a.complaint_id].add(a.user_id)
    timelines = _events_by_complaint()
    seen_actions = Counter()
    for c in Complaint.select():
        events = timelines[c.id]
        first = events[0]
        assert (first.action, first.from_state, first.to_state) == ("register", "", "registered")
        assert first.at == c.received_at and first.data["ticket"] == c.ticket
        involved = {first.actor_id}
        handler = None
        satisfaction = ""
        external = False
        review_level = 0
        previous = first
        for e in events[1:]:
            seen_actions[e.action] += 1
            t = TRANSITIONS[e.action]
            assert e.from_state in t.sources, (c.ticket, e.action, e.from_state)
            assert e.from_state == previous.to_state, (c.ticket, e.action)
            assert previous.at <= e.at <= now, (c.ticket, e.action)
            actor = people[e.actor_id]
            roles = roles_of(actor)
            # rules.md §2: the right role, or being the complaint's current handler
            assert roles & set(t.who) or (HOLDER in t.who and actor.id == handler), (
                c.ticket, e.action, actor.login)
            # recusal, and confidentiality: the actor could open it before acting
            assert actor.id != c.respondent_user_id, (c.ticket, e.action)
            assert (actor.id in involved or roles & {"manager", "owner"}
                    or (c.kind == "employee" and actor.department_id in hr_depts)), (
                c.ticket, e.action, actor.login)
            if e.action == "reply" and e.from_state == "decided":
                assert not firm.approval_required  # rules.md §4: no reply before approval
            if e.action == "answer_on_spot" and firm.approval_required:
                assert c.category_id in simple
            if e.action == "review":
                assert satisfaction == "dissatisfied" and review_level < 2
                review_level += 1
                assert "owner" in roles if review_level == 2 else roles & {"manager", "owner"}
            if e.action == "archive" and e.from_state == "replied":
                assert satisfaction == "satisfied" or external
            if e.action in ("transfer", "escalate"):
                handler = logins[e.data["to"]]
                involved.add(handler)
                assert handler != c.respondent_user_id
            if e.action == "review":
                handler = actor.id
            if e.action == "record_satisfaction":
                satisfaction = "satisfied" if e.data["satisfied"] else "dissatisfied"
            if e.action in ("reply", "review", "reopen", "answer_on_spot"):
                satisfaction = ""
            if e.action == "external_route":
                external = True
            involved.add(actor.id)
            previous = e
        assert previous.to_state == c.state, c.ticket
        assert previous.at == c.updated_at
        assert (handler or None) == c.handler_id
        assert access[c.id] == involved, c.ticket
        assert c.respondent_user_id is None or "owner" not in roles_of(
            people[c.respondent_user_id])
    for action in ("acknowledge", "transfer", "start_investigation", "record_findings",
                   "decide", "reply", "record_satisfaction", "visit", "archive"):
        assert seen_actions[action] > 0, action


def test_tickets_are_numbered_per_year_without_gaps(demo_db):
    check_tickets()


def check_tickets() -> None:
    rows = list(Complaint.select(Complaint.ticket, Complaint.year, Complaint.seq,
                                 Complaint.received_at).order_by(Complaint.id).tuples())
    assert len({r[0] for r in rows}) == len(rows)
    by_year = defaultdict(list)
    for ticket, year, seq, received in rows:
        assert re.fullmatch(r"\d{9,}", ticket)
        assert ticket == f"{received:%y%m%d}{seq:03d}" and year == received.year
        by_year[year].append(seq)
    counters = {t.year: t.last for t in TicketCounter.select()}
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))  # rules.md §3: from 001, gap-free
        assert counters[year] == len(seqs)
    # in order of receipt within the year
    ordered = sorted(rows, key=lambda r: r[3])
    for year in by_year:
        assert [r[2] for r in ordered if r[1] == year] == sorted(by_year[year])


def test_clocks_are_those_the_rules_start(demo_db):
    check_clocks()


def check_clocks() -> None:
    """Each clock started by a rule on a step that starts it, due when compute_due says, met
    by a step that stops it; the complaint's next due is its soonest running clock."""
    cal = timelimits.calendar()
    office = timelimits.office_hours()
    rules = {r.id: r for r in DeadlineRule.select()}
    pauses = defaultdict(list)
    for p in ClockPause.select().order_by(ClockPause.id):
        pauses[p.clock_id].append(p)
    timelines = _events_by_complaint()
    clocks = defaultdict(list)
    for k in Clock.select().order_by(Clock.id):
        clocks[k.complaint_id].append(k)
    statuses = Counter()
    for c in Complaint.select():
        triggered = defaultdict(set)
        for e in timelines[c.id]:
            triggered[e.at].add(e.action)
            if e.action == "escalate":
                triggered[e.at].add(f"escalate:{e.data['level']}")
            if e.action == "reply" and c.channel == "authority":
                triggered[e.at].add("reply:authority")
        extended = {e.data["rule"] for e in timelines[c.id] if e.action == "extend"}
        running = []
        for k in clocks[c.id]:
            rule = rules[k.rule_id]
            statuses[k.status] += 1
            assert rule.kind in ("any", c.kind) and rule.severity in ("any", c.severity)
            assert set(rule.start_on.split(",")) & triggered[k.started_at], (c.ticket, rule.code)
            assert k.length == rule.length or (rule.code in extended and k.length > rule.length)
            closed = [(p.started_at, p.ended_at) for p in pauses[k.id] if p.ended_at]
            due = compute_due(k.started_at, k.length, k.unit, cal, closed, office=office,
                              roll_to_workday=rule.roll_to_workday)
            assert (k.due_at, k.provisional) == (due.due, due.provisional), (c.ticket, rule.code)
            if k.status == "met":
                assert k.late == (k.stopped_at > k.due_at)
                assert set(rule.stop_on.split(",")) & triggered[k.stopped_at]
            elif k.status == "cancelled":
                assert k.late is None and k.stopped_at is not None
            else:
                assert k.stopped_at is None and k.late is None
                assert c.state not in ("archived", "withdrawn")
            if k.status == "paused":
                assert pauses[k.id][-1].ended_at is None
                assert k.paused_since == pauses[k.id][-1].started_at
            if k.status == "running":
                running.append(k)
        soonest = min(running, key=lambda k: k.due_at) if running else None
        assert c.next_due_at == (soonest.due_at if soonest else None)
        assert c.next_due_rule == (rules[soonest.rule_id].code if soonest else "")
    assert statuses["met"] and statuses["running"]
    assert statuses["met"] > statuses["cancelled"]


def test_texts_look_real(demo_db):
    profile = demo_db.profile
    rows = list(Complaint.select())
    assert all(re.fullmatch(r"1[3-9]\d{9}", c.complainant_phone) for c in rows)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", c.complainant_name) for c in rows)
    assert all(re.search(r"[\u4e00-\u9fff]", c.description) for c in rows)
    assert all("{" not in c.description + c.request + c.decision + c.decision_reasons
               for c in rows)
    employees = [c for c in rows if c.kind == "employee"]
    assert 0.04 * N <= len(employees) <= 0.18 * N  # about 10%
    assert all(c.complainant.department_id for c in employees)
    assert any(c.severity == "major" for c in rows)
    forwarded = [c for c in rows if c.channel == "authority"]
    assert forwarded and all(c.channel_detail in demo_content.AUTHORITIES[profile]
                             for c in forwarded)
    assert len({c.channel for c in rows}) >= 5
    assert any(c.respondent_user_id for c in rows)
    assert any(c.respondent_department_id for c in rows)
    assert sum(bool(c.contract_no) for c in rows) > N // 2
    assert len({c.complainant_name for c in rows}) > N * 0.8


# Words of the office, not of the complainant: a receipt or a reply quoting the record must
# never carry them.
_STAFF_REMARKS = ("投诉人情绪", "已留存照片", "投诉人表示", "投诉人希望")
_INTERNAL_MEASURES = ("纳入", "考核分", "处分", "通报批评", "停岗", "扣罚", "索赔", "诫勉")


def test_print_facing_texts_hold_no_office_remarks(demo_db):
    """What a receipt or the reply letter may quote is the complainant's own account and what
    they were told: the receiver's remarks go to the registration note, and the decision's
    internal measures stay out of the recorded reply."""
    rows = list(Complaint.select(Complaint.description))
    assert not [c.description for c in rows if any(w in c.description for w in _STAFF_REMARKS)]
    noted = Event.select().where((Event.action == "register") & (Event.note != ""))
    assert noted.count() > 0  # the remarks are kept, as internal notes
    replies = [e.data["text"] for e in Event.select().where(Event.action == "reply")]
    assert replies
    assert not [t for t in replies if any(w in t for w in _INTERNAL_MEASURES)]


def test_staff_phones_and_incident_times_are_believable(demo_db):
    """Staff answer on the firm's own exchange, and what is complained about happened in
    office hours, before it was reported."""
    firm_phone = Firm.get().phone
    staff = [u for u in User.select() if u.login != demo_content.OWNER_LOGIN and u.phone]
    assert staff and all(u.phone[:-2] == firm_phone[:-2] for u in staff)
    rows = list(Complaint.select(Complaint.occurred_at, Complaint.received_at)
                .where(Complaint.occurred_at.is_null(False)))
    assert rows and all(8 <= c.occurred_at.hour < 20 for c in rows)
    assert all(c.occurred_at < c.received_at for c in rows)


# --- the real services agree ---------------------------------------------------------------------

_RARE = {"review", "reopen", "send_back", "hold_meeting", "escalate", "extend", "pause",
         "resume", "withdraw", "external_route", "answer_on_spot", "note", "transfer"}


def _covering_sample(timelines, size: int = 10) -> list[Complaint]:
    """A few complaints that between them take every rare step, are left in every open state
    (their clocks still running) and show the other variations."""
    wanted = (_RARE | {f"state:{st}" for st in OPEN_STATES} | {"state:archived"}
              | {"kind:employee", "severity:major", "met_late", "paused"})
    late = {k.complaint_id for k in Clock.select().where(Clock.late == True)}  # noqa: E712
    paused = {k.complaint_id for k in Clock.select().where(Clock.status == "paused")}
    candidates = []
    for c in Complaint.select().order_by(Complaint.id):
        features = {e.action for e in timelines[c.id]} | {
            f"state:{c.state}", f"kind:{c.kind}", f"severity:{c.severity}"}
        features |= {"met_late"} if c.id in late else set()
        features |= {"paused"} if c.id in paused else set()
        candidates.append((c, features & wanted))
    chosen, covered = [], set()
    while len(chosen) < size:
        c, features = max(candidates, key=lambda item: len(item[1] - covered))
        if not features - covered:
            break
        chosen.append(c)
        covered |= features
    return chosen


def _params(e: Event) -> dict:
    """What workflow.act needs to take the step an event recorded."""
    d = e.data or {}
    a = e.action
    if a == "acknowledge":
        return {"contact": d["contact"]}
    if a == "answer_on_spot":
        return {"answer": d["answer"]}
    if a == "transfer":
        return {"to": d["to"]}
    if a == "record_findings":
        return {"findings": d["findings"], "responsibility": d["responsibility"]}
    if a == "escalate":
        return {"to": d["to"], "level": d["level"]}
    if a in ("decide", "hold_meeting"):
        keys = ("decision", "reasons", "remedy", "amount", "responsibility", "firm_share")
        extra = ("attendees", "meeting") if a == "hold_meeting" else ()
        return {k: d[k] for k in keys + extra}
    if a == "reply":
        return {"text": d["text"], "method": d["method"]}
    if a == "record_satisfaction":
        return {"satisfied": d["satisfied"]}
    if a == "external_route":
        return {"route": d["route"], "outcome": d["outcome"]}
    if a == "review":
        return {"outcome": d["outcome"]}
    if a == "visit":
        return {k: d[k] for k in ("result", "satisfied") if k in d}
    if a == "extend":
        return {"limit": f"{d['new_length']} {d['unit']}", "rule": d["rule"]}
    if a == "archive":
        return {"root_cause": d["root_cause"]}
    return {}


_FIELDS = ("kind", "severity", "state", "level", "review_level", "decision", "decision_reasons",
           "remedy", "compensation", "responsibility", "satisfaction", "external_route",
           "root_cause", "closed_at", "next_due_at", "next_due_rule", "received_at")


def _snapshot(c: Complaint, login: dict) -> dict:
    """A complaint as the database holds it, with users as logins."""
    rules = {r.id: r.code for r in DeadlineRule.select()}
    clocks = []
    for k in Clock.select().where(Clock.complaint == c.id).order_by(Clock.id):
        spans = [(p.started_at, p.ended_at, p.reason) for p in
                 ClockPause.select().where(ClockPause.clock == k.id).order_by(ClockPause.id)]
        clocks.append((rules[k.rule_id], k.started_at, k.length, k.unit, k.due_at, k.provisional,
                       k.status, k.paused_since, k.stopped_at, k.late,
                       login.get(k.responsible_id), spans))
    events = [(e.action, e.from_state, e.to_state, login[e.actor_id], e.at, e.note,
               None if e.action == "register" else e.data)
              for e in Event.select().where(Event.complaint == c.id).order_by(Event.id)]
    return {
        "fields": {f: getattr(c, f) for f in _FIELDS},
        "handler": login.get(c.handler_id),
        "events": events,
        "clocks": clocks,
        "access": {(login[a.user_id], a.reason)
                   for a in ComplaintAccess.select().where(ComplaintAccess.complaint == c.id)},
    }


def _input(c: Complaint, login: dict, dept_code: dict) -> ComplaintInput:
    person = c.complainant
    return ComplaintInput(
        kind=c.kind, channel=c.channel, channel_detail=c.channel_detail,
        complainant_name=c.complainant_name, complainant_phone=c.complainant_phone,
        complainant_address=person.address, complainant_email=person.email,
        contract_no=c.contract_no, complainant_department=dept_code.get(person.department_id, ""),
        respondent_user=login.get(c.respondent_user_id, ""),
        respondent_department=dept_code.get(c.respondent_department_id, ""),
        respondent_text=c.respondent_text, received_at=c.received_at, occurred_at=c.occurred_at,
        location=c.location, description=c.description, request=c.request,
        category=c.category.code, severity=c.severity)


def test_sample_replays_identically_through_the_real_workflow(demo_db, tmp_path):
    """Register each sampled complaint and act each of its steps with the real services, in
    a new database of the same firm: every event, field, clock and access row must agree."""
    profile = demo_db.profile
    login = {u.id: u.login for u in User.select()}
    dept_code = {d.id: d.code for d in Department.select()}
    timelines = _events_by_complaint()
    sample = _covering_sample(timelines)
    expected = [(_input(c, login, dept_code), _snapshot(c, login),
                 [(e.action, login[e.actor_id], e.note, e.at, _params(e))
                  for e in timelines[c.id][1:]])
                for c in sample]
    close_database()
    open_database(str(tmp_path / "replay.sqlite3"))
    database.execute_sql("PRAGMA synchronous=OFF")  # speed only, test data
    demo.generate(profile=profile, complaints=0)  # the same firm, staff and presets
    people = {u.login: u for u in User.select()}
    login = {u.id: u.login for u in people.values()}
    with language(Firm.get().language):
        for data, want, steps in expected:
            cid = complaints.register(data, actor=people[want["events"][0][3]],
                                      note=want["events"][0][5]).complaint_id
            for action, actor, note, at, params in steps:
                workflow.act(cid, action, actor=people[actor], note=note, at=at, **params)
            got = _snapshot(Complaint.get_by_id(cid), login)
            assert got["events"] == want["events"]
            assert got["fields"] == want["fields"]
            assert got["handler"] == want["handler"]
            assert got["clocks"] == want["clocks"]
            assert got["access"] == want["access"]


# --- runs, cancel, today -----------------------------------------------------------------------


def test_second_run_adds_to_the_same_firm_with_continuing_numbers(new_db):
    new_db()
    first = demo.generate(profile="company", complaints=120, seed=3)
    owner = _owner()
    assert complaints.count(owner) == 120
    people = User.select().count()
    counters = {t.year: t.last for t in TicketCounter.select()}
    second = demo.generate(profile="company", complaints=80, seed=4)
    assert second.complaints == 80 and complaints.count(owner) == 200
    assert User.select().count() == people and Firm.select().count() == 1
    assert second.users == first.users
    rows = list(Complaint.select(Complaint.ticket, Complaint.year, Complaint.seq,
                                 Complaint.id).order_by(Complaint.id).tuples())
    assert len({r[0] for r in rows}) == 200
    for year in {r[1] for r in rows}:
        seqs = [r[2] for r in rows if r[1] == year]
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
        assert TicketCounter.get_by_id(year).last == len(seqs)
        later = [r[2] for r in rows[120:] if r[1] == year]
        assert all(s > counters.get(year, 0) for s in later)  # continue after the first run
    assert Event.select().where(Event.action == "register").count() == 200


def test_existing_firm_keeps_its_profile_and_its_own_users(new_db):
    new_db()
    init_firm(FirmSetup(profile="law-firm", firm_name="自建律所", owner_login="admin",
                        owner_password="secret1", owner_name="管理员"))
    summary = demo.generate(profile="repair-shop", complaints=60)
    assert summary.profile == "law-firm" and summary.firm_name == "自建律所"
    assert "admin" not in {u[0] for u in summary.users}
    assert {u[0] for u in summary.users} == {s[0] for s in demo_content.STAFF["law-firm"]}
    codes = {c.category.code for c in Complaint.select()}
    assert codes <= {c.code for c in Category.select()} and "repair_quality" not in codes
    assert complaints.count(users.get_user("admin")) == 60


def test_progress_and_cancel_keep_committed_batches(new_db, monkeypatch):
    new_db()
    monkeypatch.setattr(demo_sample, "BATCH", 40)
    seen = []
    summary = demo.generate(profile="bank", complaints=200, progress=seen.append,
                            cancelled=lambda: len(seen) >= 2)
    assert seen == [0.2, 0.4]
    assert summary.complaints == 80 == Complaint.select().count()
    assert sum(t.last for t in TicketCounter.select()) == 80
    seen.clear()
    demo.generate(profile="bank", complaints=100, progress=seen.append)
    assert seen == [0.4, 0.8, 1.0] and Complaint.select().count() == 180


def test_a_write_between_batches_is_not_overwritten(new_db, monkeypatch):
    """Each batch is built ahead with the ids and ticket counts it should get; when somebody
    registers a complaint meanwhile, the batch is built again with those it does get."""
    new_db()
    monkeypatch.setattr(demo_sample, "BATCH", 40)
    made, rebuilt = [], []
    rebuild = demo_sample._Writer.rebuild
    monkeypatch.setattr(demo_sample._Writer, "rebuild",
                        lambda self, batch: rebuilt.append(batch) or rebuild(self, batch))

    def meanwhile(_fraction):
        if len(made) < 2:
            category = Category.select().where(Category.kind != "employee").first().code
            made.append(complaints.register(ComplaintInput(
                complainant_name="王伟", description="测试", category=category), actor=_owner()))

    summary = demo.generate(profile="bank", complaints=160, progress=meanwhile)
    assert summary.complaints == 160 and Complaint.select().count() == 162 and len(rebuilt) == 2
    assert {m.complaint_id for m in made} <= {c.id for c in Complaint.select(Complaint.id)}
    rows = list(Complaint.select(Complaint.ticket, Complaint.year, Complaint.seq,
                                 Complaint.received_at).tuples())
    assert len({r[0] for r in rows}) == len(rows)
    by_year = defaultdict(list)
    for ticket, year, seq, received in rows:
        assert ticket == f"{received:%y%m%d}{seq:03d}" and year == received.year
        by_year[year].append(seq)
    counters = {t.year: t.last for t in TicketCounter.select()}
    for year, seqs in by_year.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)) == list(range(1, counters[year] + 1))
    assert not Event.select().where(Event.complaint.not_in(Complaint.select(Complaint.id))).count()
    report = integrity.verify(full=True)
    assert report.ok, [p.describe() for p in report.problems[:5]]


def test_a_failure_leaves_the_process_and_connection_settings_as_they_were(new_db, monkeypatch):
    import gc
    import sys

    new_db()
    before = (sys.getswitchinterval(), gc.isenabled(),
              database.execute_sql("PRAGMA synchronous").fetchone()[0],
              database.execute_sql("PRAGMA cache_size").fetchone()[0])

    def broken(batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_sample, "_reserve", broken)
    with pytest.raises(RuntimeError):
        demo.generate(profile="bank", complaints=10)
    assert before == (sys.getswitchinterval(), gc.isenabled(),
                      database.execute_sql("PRAGMA synchronous").fetchone()[0],
                      database.execute_sql("PRAGMA cache_size").fetchone()[0])
    assert Complaint.select().count() == 0


def test_today_bounds_every_event(new_db):
    new_db()
    day = date.today() - timedelta(days=90)
    summary = demo.generate(profile="repair-shop", complaints=80, today=day)
    assert summary.complaints == 80
    latest = Event.select(Event.at).order_by(Event.at.desc()).scalar()
    first = Complaint.select(Complaint.received_at).order_by(Complaint.received_at).scalar()
    midnight = datetime.combine(day, datetime.min.time())
    assert latest <= midnight + timedelta(hours=18)
    assert first >= midnight - timedelta(days=demo.SPAN_DAYS + 1)
    with pytest.raises(ValidationError):
        demo.generate(profile="repair-shop", complaints=1, today=date.today() + timedelta(days=2))
    with pytest.raises(ValidationError):
        demo.generate(profile="shipyard", complaints=1)


def test_same_seed_same_complaints(new_db):
    moment = clock.now().replace(second=0) - timedelta(days=3)
    new_db("a.sqlite3")
    demo.generate(profile="law-firm", complaints=50, seed=7, today=moment)
    a = list(Complaint.select(Complaint.ticket, Complaint.description, Complaint.state).tuples())
    new_db("b.sqlite3")
    demo.generate(profile="law-firm", complaints=50, seed=7, today=moment)
    b = list(Complaint.select(Complaint.ticket, Complaint.description, Complaint.state).tuples())
    assert a == b


@pytest.mark.slow
def test_hundred_thousand_complaints(new_db):
    """The size rules.md §10 plans for. How long it takes is reported by tests/bench_speed.py
    beside its limit, not asserted here (timed unit tests flake on a shared machine)."""
    new_db()
    summary = demo.generate(profile="repair-shop", complaints=100_000)
    assert summary.complaints == 100_000 == Complaint.select().count()
    years = {}
    for year, seq in Complaint.select(Complaint.year, Complaint.seq).tuples():
        years.setdefault(year, []).append(seq)
    assert all(sorted(seqs) == list(range(1, len(seqs) + 1)) for seqs in years.values())
