"""The penalty ledger's conditions and approval (rules.md §7): a rule that says "…complained
again" proposes only once a repeat (or skip-level) complaint is linked to the complaint whose
limit was missed, in either order and never twice; the repeat-complaint rule fires on a
recorded repeat link, not on a phone number; a limit closed by a late extension proposes like
one met late; the owner alone approves, rejects and reverses (经总经理审批后执行). On SQLite and
PostgreSQL (the ``firm`` fixture: a company firm)."""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

import services.penalties.rules as penalty_rules
from models.db import database
from models.entities import Clock, Complaint, ComplaintLink, Event
from models.penalties import PenaltyEntry, PenaltyRule
from services import clock, penalties
from services.changes import Changes
from services.complaints import TRANSITIONS
from services.complaints import path as workflow
from services.errors import PermissionDenied, ValidationError
from services.i18n import language
from services.penalties import LedgerFilter
from tests.helpers import head_misses_the_hour, register, walk_to

START = datetime(2026, 10, 12, 9, 0)  # a Monday
MONTH = "2026-10"


# --- helpers (imported by the other penalty tests) --------------------------------------------


def link(firm, later_id: int, earlier_id: int, kind: str = "repeat", *, by: str = "rec"
         ) -> Changes:
    """The receiver records ``later_id`` as the repeat (or skip-level) complaint of
    ``earlier_id``: the path's "link" step where the path has it, else what that step writes
    by contract — the ComplaintLink row, the "link" event on the later complaint and the
    ``event_recorded`` hook, in one transaction. Returns what the hook's subscribers
    changed."""
    actor = getattr(firm, by)
    earlier = Complaint.get_by_id(earlier_id)
    if "link" in TRANSITIONS:
        return workflow.act(later_id, "link", actor=actor, earlier=earlier.ticket,
                            kind=kind).reported
    with database.atomic():
        later = Complaint.get_by_id(later_id)
        now = clock.now()
        ComplaintLink.create(complaint=later_id, earlier=earlier_id, kind=kind,
                             linked_by=actor.id, linked_at=now)
        event = Event.create(complaint=later_id, action="link", from_state=later.state,
                             to_state=later.state, actor=actor.id, at=now, recorded_at=now,
                             data={"earlier_id": earlier_id, "earlier_ticket": earlier.ticket,
                                   "kind": kind})
        return workflow.fired_changes(later, event)


def complained_again(firm, earlier_id: int, kind: str = "repeat", *,
                     kind_of: str = "customer") -> int:
    """A new complaint (a customer's, or an employee's), registered now and linked to
    ``earlier_id`` as ``kind``; its id."""
    extra = {} if kind_of == "customer" else dict(
        kind="employee", category="pay_benefits", complainant_department="sales",
        complainant_name="员工甲")
    again = register(firm.rec, received_at=clock.now() - timedelta(minutes=1), **extra)
    # an employee complaint is HR's, a manager's or the owner's to handle (rules.md §2)
    link(firm, again.complaint_id, earlier_id, kind, by="rec" if kind_of == "customer" else "mgr")
    return again.complaint_id


def head_missed_and_complained_again(firm, start: datetime, *, head: str = "head"):
    """The head missed the one-hour limit (tests.helpers.head_misses_the_hour) and the customer
    then complained again, linked as a repeat: the 30-yuan rule proposes. Returns the first
    complaint's registration and its head_no_answer_1h entry."""
    r = head_misses_the_hour(firm, start, head=head)
    complained_again(firm, r.complaint_id)
    found = penalties.ledger(firm.owner, LedgerFilter(rule="head_no_answer_1h"))
    assert len(found) == 1, found
    return r, found[0]


def entries(actor, rule: str) -> list:
    return penalties.ledger(actor, LedgerFilter(rule=rule))


def escalated(firm, at: datetime, *, head: str = "head"):
    """A complaint escalated to ``head`` at ``at``: the head's one-hour limit runs."""
    clock.freeze(at)
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "escalate", actor=firm.han, to=head)
    return r


def decide(firm, complaint_id: int, *, by: str = "head"):
    return workflow.act(complaint_id, "decide", actor=getattr(firm, by), decision="换新",
                        reasons="来料缺陷", remedy="return")


def head_clock(complaint_id: int) -> Clock:
    return (Clock.select().join(Clock.rule.rel_model)
            .where((Clock.complaint == complaint_id)
                   & (Clock.rule.rel_model.code == "head_1h")).get())


# --- 1. the owner alone approves --------------------------------------------------------------


def test_fines_are_approved_by_the_owner_alone(firm):
    clock.freeze(START)
    a = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="han",
                          amount="30", reason="态度差").entry_ids[0]  # a manager still proposes
    b = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="han2",
                          amount="40", reason="违规").entry_ids[0]
    for attempt in (lambda: penalties.approve(actor=firm.mgr, entry_ids=[a]),
                    lambda: penalties.reject(actor=firm.mgr, entry_ids=[b], note="不认可")):
        with pytest.raises(PermissionDenied) as info:
            attempt()
        assert info.value.msgid == penalties.OWNER_DECIDES
        with language("en"):
            assert info.value.message() == ("Only the owner approves, rejects or reverses "
                                            "ledger entries; managers propose them.")
        with language("zh_CN"):
            assert "总经理" in info.value.message() or "负责人" in info.value.message()
    with pytest.raises(PermissionDenied) as info:  # nor anyone else who is not the owner
        penalties.approve(actor=firm.head, entry_ids=[a])
    assert info.value.msgid == penalties.OWNER_DECIDES
    assert {r.status for r in penalties.ledger(firm.owner)} == {"proposed"}
    assert not penalties.may_decide(firm.mgr) and penalties.may_decide(firm.owner)
    assert penalties.pending_count(firm.mgr) == 0 and penalties.pending_count(firm.owner) == 2
    detail = penalties.entry_detail(firm.mgr, a)
    assert not detail.may_decide and detail.refusal == penalties.OWNER_DECIDES
    assert penalties.entry_detail(firm.owner, a).may_decide
    assert penalties.entry_detail(firm.owner, a).refusal == ""
    penalties.approve(actor=firm.owner, entry_ids=[a])
    penalties.reject(actor=firm.owner, entry_ids=[b], note="证据不足")
    assert penalties.entry_detail(firm.owner, a).row.status == "approved"
    assert penalties.entry_detail(firm.owner, b).row.status == "rejected"


def test_the_owner_reverses_and_a_manager_records_the_deduction(firm):
    clock.freeze(START)
    entry = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="han",
                              amount="30", reason="态度差").entry_ids[0]
    penalties.approve(actor=firm.owner, entry_ids=[entry])
    detail = penalties.entry_detail(firm.mgr, entry)
    assert detail.may_deduct and not detail.may_reverse
    assert detail.refusal == penalties.OWNER_DECIDES
    # a reversal is recorded approved: the owner's, like any approval
    with pytest.raises(PermissionDenied) as info:
        penalties.reverse(actor=firm.mgr, entry_id=entry, reason="录入错误")
    assert info.value.msgid == penalties.OWNER_DECIDES
    # the deduction carries out the owner's approval: a manager (payroll) may record it
    assert penalties.may_deduct(firm.mgr) and not penalties.may_deduct(firm.han)
    with pytest.raises(PermissionDenied):
        penalties.mark_deducted(actor=firm.han, entry_ids=[entry], payroll_month="2026-11")
    penalties.mark_deducted(actor=firm.mgr, entry_ids=[entry], payroll_month="2026-11")
    assert penalties.month_totals(firm.owner, "2026-11").total == Decimal("30.00")
    reversal = penalties.reverse(actor=firm.owner, entry_id=entry, reason="录入错误")
    assert penalties.entry_detail(firm.owner, reversal.entry_ids[0]).row.status == "approved"


def test_nobody_approves_an_entry_about_themselves_not_even_the_owner(firm):
    clock.freeze(START)
    about_owner = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct",
                                    person="owner", amount="30", reason="迟到").entry_ids[0]
    with pytest.raises(PermissionDenied) as info:
        penalties.approve(actor=firm.owner, entry_ids=[about_owner])
    assert "recusal" in info.value.message() or "回避" in info.value.message()
    assert penalties.pending_count(firm.owner) == 0  # not waiting for the owner's decision
    assert not penalties.entry_detail(firm.owner, about_owner).may_decide


# --- 2. conditions: "…complained again" -------------------------------------------------------


def test_presets_name_their_conditions(firm):
    by_code = {r.code: r for r in penalty_rules.rules()}
    assert by_code["hr_no_reply_3d"].condition == "repeat_or_skip"
    assert by_code["head_no_answer_1h"].condition == "repeat"
    assert by_code["complex_overdue"].condition == "repeat"
    assert by_code["top_not_same_day"].condition == "repeat"
    assert by_code["receiver_late"].condition == ""
    assert {r.condition for r in by_code.values() if r.trigger == "manual"} == {""}
    for code in penalties.CONDITIONS:
        assert code in penalties.CONDITION_NAMES


def test_a_missed_limit_whose_rule_needs_a_repeat_proposes_nothing_without_one(firm):
    r = head_misses_the_hour(firm, START)
    assert entries(firm.owner, "head_no_answer_1h") == []
    penalties.scan_overdue(START + timedelta(hours=3))
    assert entries(firm.owner, "head_no_answer_1h") == []
    # a complaint linked as a skip-level complaint does not fit "the customer complained again"
    complained_again(firm, r.complaint_id, kind="skip_level")
    penalties.scan_overdue(START + timedelta(hours=3))
    assert entries(firm.owner, "head_no_answer_1h") == []


def test_a_repeat_linked_after_the_miss_proposes_the_missed_limit_s_fine(firm):
    r = head_misses_the_hour(firm, START)
    clock.freeze(START + timedelta(hours=5))
    again = register(firm.rec, received_at=clock.now() - timedelta(minutes=1))
    changed = link(firm, again.complaint_id, r.complaint_id)
    assert changed.ledger  # the link step's result names the ledger
    [entry] = entries(firm.owner, "head_no_answer_1h")
    assert entry.login == "head" and entry.complaint_id == r.complaint_id
    assert entry.amount == Decimal("30.00") and entry.status == "proposed"
    assert r.ticket in entry.reason and again.ticket in entry.reason
    assert entry.proposed_at == START + timedelta(hours=5)
    assert PenaltyEntry.get_by_id(entry.id).event.action == "link"
    detail = penalties.entry_detail(firm.owner, entry.id)
    assert detail.clock.rule_code == "head_1h" and detail.clock.ticket == r.ticket
    # never twice: another repeat, a scan
    complained_again(firm, r.complaint_id)
    penalties.scan_overdue(START + timedelta(hours=6))
    assert len(entries(firm.owner, "head_no_answer_1h")) == 1


def test_a_repeat_linked_before_the_late_step_proposes_at_the_late_step(firm):
    r = escalated(firm, START)
    clock.freeze(START + timedelta(minutes=40))  # the limit is not yet missed
    complained_again(firm, r.complaint_id)
    assert entries(firm.owner, "head_no_answer_1h") == []
    clock.freeze(START + timedelta(hours=2))
    late = decide(firm, r.complaint_id)
    assert late.reported.ledger
    [entry] = entries(firm.owner, "head_no_answer_1h")
    assert entry.login == "head" and "2026-10-12 11:00" in entry.reason
    assert PenaltyEntry.get_by_id(entry.id).event_id == late.event_id
    penalties.scan_overdue(START + timedelta(hours=3))
    assert len(entries(firm.owner, "head_no_answer_1h")) == 1


def test_a_repeat_linked_while_the_limit_runs_past_due_proposes_at_once_and_once(firm):
    r = escalated(firm, START)
    clock.freeze(START + timedelta(hours=1, minutes=30))
    assert penalties.scan_overdue().proposed == 0  # past due, but nobody complained again
    complained_again(firm, r.complaint_id)
    [entry] = entries(firm.owner, "head_no_answer_1h")
    assert "still not done" in entry.reason or "仍未完成" in entry.reason
    clock.freeze(START + timedelta(hours=2))
    decide(firm, r.complaint_id)
    assert len(entries(firm.owner, "head_no_answer_1h")) == 1


def test_a_scan_proposes_a_conditioned_miss_once_its_link_exists(firm):
    r = escalated(firm, START)
    clock.freeze(START + timedelta(minutes=30))
    # linked before the miss; the limit then runs past due with no step taken
    again = register(firm.rec, received_at=clock.now() - timedelta(minutes=1))
    ComplaintLink.create(complaint=again.complaint_id, earlier=r.complaint_id, kind="repeat",
                         linked_by=firm.rec.id, linked_at=clock.now())
    assert entries(firm.owner, "head_no_answer_1h") == []
    scanned = penalties.scan_overdue(START + timedelta(hours=1, minutes=5))
    assert len(entries(firm.owner, "head_no_answer_1h")) == 1
    assert scanned.proposed >= 1
    assert penalties.scan_overdue(START + timedelta(hours=2)).proposed == 0


def test_the_employee_rule_accepts_a_repeat_or_a_skip_level_complaint(firm):
    clock.freeze(START)
    r = register(firm.rec, kind="employee", category="pay_benefits",
                 complainant_department="sales", complainant_name="员工甲",
                 received_at=START - timedelta(minutes=5))
    clk = (Clock.select().join(Clock.rule.rel_model)
           .where((Clock.complaint == r.complaint_id)
                  & (Clock.rule.rel_model.code == "employee_reply_3d")).get())
    clock.freeze(clk.due_at + timedelta(hours=2))
    penalties.scan_overdue()
    assert entries(firm.owner, "hr_no_reply_3d") == []  # missed, nobody complained again
    complained_again(firm, r.complaint_id, kind="skip_level", kind_of="employee")
    [entry] = entries(firm.owner, "hr_no_reply_3d")
    assert entry.complaint_id == r.complaint_id and entry.amount == Decimal("50.00")
    assert "skip-level" in entry.reason or "越级" in entry.reason


def test_the_top_leader_rule_waits_for_a_repeat_and_the_receiver_rule_does_not(firm):
    clock.freeze(START)
    register(firm.rec, received_at=START - timedelta(minutes=5))  # transfer in 30 minutes
    clock.freeze(START + timedelta(hours=1))
    assert penalties.scan_overdue().proposed == 1  # receiver_late: no condition
    assert len(entries(firm.owner, "receiver_late")) == 1
    top = PenaltyRule.get(PenaltyRule.code == "top_not_same_day")
    assert top.condition == "repeat"


def test_rules_without_a_condition_still_propose_on_the_miss_alone(firm):
    penalty_rules.save_rule(actor=firm.owner, code="head_no_answer_1h",
                            name_zh="部门负责人1小时内未答复", name_en="Head late",
                            applies_to="head", min_amount="30", max_amount="30",
                            trigger="missed_clock", clock_rules="head_1h", condition="")
    head_misses_the_hour(firm, START)
    assert len(entries(firm.owner, "head_no_answer_1h")) == 1


def test_conditions_are_edited_by_the_owner_and_checked(firm):
    saved = penalty_rules.save_rule(
        actor=firm.owner, code="receiver_late", name_zh="受理人未及时答复",
        name_en="Receiver late", applies_to="receiver", min_amount="30", max_amount="50",
        trigger="missed_clock", clock_rules="transfer_30m", condition="repeat_or_skip")
    assert saved.condition == "repeat_or_skip"
    # not naming the condition keeps the rule's own
    kept = penalty_rules.save_rule(
        actor=firm.owner, code="receiver_late", name_zh="受理人未及时答复",
        name_en="Receiver late", applies_to="receiver", min_amount="30", max_amount="40",
        trigger="missed_clock", clock_rules="transfer_30m")
    assert kept.condition == "repeat_or_skip" and kept.max_amount == Decimal("40.00")
    with pytest.raises(ValidationError) as info:
        penalty_rules.save_rule(actor=firm.owner, code="receiver_late", name_zh="x",
                                name_en="x", applies_to="receiver", min_amount="30",
                                max_amount="", trigger="missed_clock", clock_rules="transfer_30m",
                                condition="sometimes")
    assert info.value.field == "condition"
    with pytest.raises(ValidationError) as info:  # a rule entered by hand has no condition
        penalty_rules.save_rule(actor=firm.owner, code="staff_misconduct", name_zh="x",
                                name_en="x", applies_to="person", min_amount="30",
                                max_amount="", trigger="manual", condition="repeat")
    assert info.value.field == "condition"
    with pytest.raises(PermissionDenied):
        penalty_rules.save_rule(actor=firm.mgr, code="receiver_late", name_zh="x",
                                name_en="x", applies_to="receiver", min_amount="30",
                                max_amount="", trigger="missed_clock", clock_rules="transfer_30m",
                                condition="")
    # now the receiver's miss waits for a link
    clock.freeze(START)
    r = register(firm.rec, received_at=START - timedelta(minutes=5))
    clock.freeze(START + timedelta(hours=1))
    assert penalties.scan_overdue().proposed == 0
    complained_again(firm, r.complaint_id, kind="skip_level")
    assert len(entries(firm.owner, "receiver_late")) == 1


# --- 3. the repeat-complaint rule fires on a recorded repeat ---------------------------------


def test_a_repeat_complaint_is_a_recorded_link_not_a_phone_match(firm):
    clock.freeze(START)
    first = walk_to(firm, "assigned", complainant_phone="13900001111")
    clock.freeze(START + timedelta(hours=3))
    again = register(firm.rec, complainant_phone="13900001111",
                     received_at=START + timedelta(hours=2, minutes=50))
    assert entries(firm.owner, "complex_overdue") == []  # the program only suggests
    # a skip-level link does not fit the repeat rule
    other = register(firm.rec, complainant_phone="13700000000")
    link(firm, other.complaint_id, first.complaint_id, "skip_level")
    assert entries(firm.owner, "complex_overdue") == []
    link(firm, again.complaint_id, first.complaint_id, "repeat")
    [entry] = entries(firm.owner, "complex_overdue")
    assert entry.login == "han"  # the handler holding the first one's open limit
    assert entry.complaint_id == first.complaint_id
    assert entry.amount == Decimal("50.00") and entry.status == "proposed"
    assert again.ticket in entry.reason and first.ticket in entry.reason
    detail = penalties.entry_detail(firm.owner, entry.id)
    assert detail.clock.rule_code == "handler_30m" and detail.clock.ticket == first.ticket
    # the same open limit is not proposed twice
    complained_again(firm, first.complaint_id)
    assert len(entries(firm.owner, "complex_overdue")) == 1


def test_a_repeat_of_a_closed_complaint_proposes_under_no_repeat_rule(firm):
    clock.freeze(START)
    first = walk_to(firm, "visited")
    complained_again(firm, first.complaint_id)
    assert entries(firm.owner, "complex_overdue") == []


# --- 4. a limit closed by a late extension ------------------------------------------------


def _close_extended(clk: Clock, at: datetime) -> None:
    """What the time limits do when an extension is recorded after the limit was due: the
    clock is closed "extended", late (models.entities.Clock)."""
    Clock.update(status="extended", stopped_at=at, late=True).where(Clock.id == clk.id).execute()


def test_a_limit_closed_by_a_late_extension_proposes_like_one_met_late(firm):
    r = escalated(firm, START)
    clk = head_clock(r.complaint_id)
    clock.freeze(START + timedelta(minutes=30))
    complained_again(firm, r.complaint_id)  # in time: nothing to propose yet
    assert entries(firm.owner, "head_no_answer_1h") == []
    # the extension is recorded after the limit was due: the step closes the clock late
    clock.freeze(START + timedelta(hours=1, minutes=10))
    _close_extended(clk, clock.now())
    step = workflow.act(r.complaint_id, "note", actor=firm.head, note="申请延期")
    assert step.reported.ledger
    [entry] = entries(firm.owner, "head_no_answer_1h")
    assert entry.login == "head" and entry.complaint_id == r.complaint_id
    assert PenaltyEntry.get_by_id(entry.id).event_id == step.event_id
    with language("en"):
        assert penalties.entry_detail(firm.owner, entry.id).clock.status == "extended"


def test_scan_and_steps_read_late_clocks_of_any_status(firm):
    r = escalated(firm, START)
    clk = head_clock(r.complaint_id)
    # linked in time; then the clock is closed by an extension recorded after it was due
    clock.freeze(START + timedelta(minutes=30))
    again = register(firm.rec, received_at=clock.now() - timedelta(minutes=1))
    ComplaintLink.create(complaint=again.complaint_id, earlier=r.complaint_id, kind="repeat",
                         linked_by=firm.rec.id, linked_at=clock.now())
    _close_extended(clk, START + timedelta(hours=1, minutes=10))
    clock.freeze(START + timedelta(hours=2))
    assert penalties.scan_overdue().proposed >= 1
    [entry] = entries(firm.owner, "head_no_answer_1h")
    assert "extended only at 2026-10-12 10:10" in entry.reason or "10:10" in entry.reason
    assert penalties.scan_overdue().proposed == 0
    # and a step on the complaint sees it too (a second, unconditioned rule on the limit)
    penalty_rules.save_rule(actor=firm.owner, code="head_late_plain", name_zh="负责人迟复",
                            name_en="Head late (plain)", applies_to="head", min_amount="10",
                            max_amount="", trigger="missed_clock", clock_rules="head_1h")
    workflow.act(r.complaint_id, "note", actor=firm.head, note="已联系客户")
    [plain] = entries(firm.owner, "head_late_plain")
    assert plain.complaint_id == r.complaint_id


# --- 5. existing databases: the migration sets the presets' conditions -----------------------


def test_migration_6_gives_unchanged_presets_their_condition(tmp_path, monkeypatch):
    import models.migrations as migrations
    from models.db import make_database

    db = make_database(str(tmp_path / "old.sqlite3"))
    db.connect()
    listed = migrations._migrations()
    monkeypatch.setattr(migrations, "_migrations",
                        lambda: [entry for entry in listed if entry[0] < 6])
    migrations.migrate(db, app_version="test")
    presets = {p.code: p for p in penalty_rules.PRESETS}
    for sort, code in enumerate(("hr_no_reply_3d", "head_no_answer_1h", "complex_overdue",
                                 "top_not_same_day", "receiver_late")):
        p = presets[code]
        name_en = p.name_en if code != "top_not_same_day" else "Top leader, same day (ours)"
        db.execute_sql(
            'INSERT INTO "penalty_rule" ("code", "name_zh", "name_en", "applies_to", '
            '"min_amount", "max_amount", "plus_loss", "reward", "clock_rules", "trigger", '
            '"active", "sort") VALUES '

            "(?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 1, ?)",
            (code, p.name_zh, name_en, p.applies_to, p.min_amount, p.max_amount,
             p.clock_rules, p.trigger, sort))
    monkeypatch.undo()
    migrations.migrate(db, app_version="test")
    got = dict(db.execute_sql('SELECT code, "condition" FROM "penalty_rule"').fetchall())
    db.close()
    assert got == {"hr_no_reply_3d": "repeat_or_skip", "head_no_answer_1h": "repeat",
                   "complex_overdue": "repeat", "receiver_late": "",
                   "top_not_same_day": ""}  # renamed by the firm: left as it is
