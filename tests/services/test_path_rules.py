"""The written rules the path's one table enforces (docs/rules.md §2, §4), one test each,
named after the rule. Every test runs on SQLite and PostgreSQL (the ``firm`` fixture)."""
from __future__ import annotations

from datetime import datetime

import pytest

from models.db import database
from models.entities import Clock, Complaint, ComplaintLink, DeadlineRule
from services import clock, complaints
from services.complaints import path as workflow
from services.errors import PermissionDenied, StaleError, StateError, ValidationError
from services.i18n import language
from tests.conftest import firm_of
from tests.helpers import register, walk_to

MEETING = {"decision": "赔偿", "reasons": "会议决定", "attendees": "刘总,王经理"}


def _dissatisfied_after_reply(firm, approver="owner"):
    """Decided by han, approved by ``approver``, replied, and the complainant dissatisfied."""
    r = walk_to(firm, "decided")
    cid = r.complaint_id
    workflow.act(cid, "approve", actor=getattr(firm, approver))
    workflow.act(cid, "reply", actor=firm.rec, text="为您免费更换")
    workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=False)
    return cid


def _state(cid):
    return Complaint.get_by_id(cid).state


# --- review (复审/终审) --------------------------------------------------------------------


def test_review_keeps_the_decision_and_replies_again(firm):
    cid = _dissatisfied_after_reply(firm)
    workflow.act(cid, "review", actor=firm.mgr, outcome="keep_reply", note="决定正确")
    assert _state(cid) == "approved"  # no decide, approve again: the decision stands
    workflow.act(cid, "reply", actor=firm.rec, text="维持原决定并说明理由")
    assert _state(cid) == "replied"


def test_review_keeps_the_decision_and_closes_with_the_reviewers_note(firm):
    cid = _dissatisfied_after_reply(firm)
    with pytest.raises(ValidationError):  # the note is what closes it
        workflow.act(cid, "review", actor=firm.mgr, outcome="keep_close")
    workflow.act(cid, "review", actor=firm.mgr, outcome="keep_close", note="经复核维持")
    assert _state(cid) == "replied"
    workflow.act(cid, "archive", actor=firm.rec, root_cause="沟通")
    assert _state(cid) == "archived"


def test_review_changes_the_decision_back_to_deciding(firm):
    cid = _dissatisfied_after_reply(firm)
    workflow.act(cid, "review", actor=firm.mgr, outcome="change")
    c = Complaint.get_by_id(cid)
    assert (c.state, c.handler_id, c.review_level) == ("investigating", firm.mgr.id, 1)


def test_review_has_an_outcome(firm):
    cid = _dissatisfied_after_reply(firm)
    with pytest.raises(ValidationError) as info:
        workflow.act(cid, "review", actor=firm.mgr)
    assert info.value.field == "outcome"


def test_review_by_the_next_level_up_never_by_who_decided(firm):
    cid = _dissatisfied_after_reply(firm, approver="mgr")  # the manager approved it
    with pytest.raises(PermissionDenied) as info:
        workflow.act(cid, "review", actor=firm.mgr, outcome="change")
    assert info.value.params["rule"] == "review_next_level_up"
    c = Complaint.get_by_id(cid)
    assert "review" not in workflow.allowed_actions(firm.mgr, c)
    assert "review" in workflow.allowed_actions(firm.owner, c)


def test_final_review_is_the_owners_and_ends_the_internal_path(firm):
    cid = _dissatisfied_after_reply(firm, approver="mgr")
    workflow.act(cid, "review", actor=firm.owner, outcome="keep_reply")
    assert Complaint.get_by_id(cid).review_level == 2  # the owner's review is final
    workflow.act(cid, "reply", actor=firm.rec, text="终审维持")
    workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=False)
    with pytest.raises(StateError) as info:
        workflow.act(cid, "review", actor=firm.owner, outcome="change")
    assert info.value.params["rule"] == "final_review"
    assert workflow.may(firm.rec, Complaint.get_by_id(cid), "external_route")


# --- major complaints and the meeting -------------------------------------------------------


def test_major_complaint_is_decided_by_a_meeting(firm):
    r = walk_to(firm, "investigating", severity="major")
    with pytest.raises(StateError) as info:
        workflow.act(r.complaint_id, "decide", actor=firm.han, decision="换新", reasons="x")
    assert info.value.params["rule"] == "major_meeting"
    workflow.act(r.complaint_id, "hold_meeting", actor=firm.owner, **MEETING)
    workflow.act(r.complaint_id, "approve", actor=firm.mgr)
    assert _state(r.complaint_id) == "approved"


def test_major_complaint_is_approved_only_after_a_meeting(firm):
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision="换新", reasons="x")
    workflow.act(r.complaint_id, "amend", actor=firm.rec, severity="major", note="媒体已报道")
    with pytest.raises(StateError) as info:
        workflow.act(r.complaint_id, "approve", actor=firm.mgr)
    assert info.value.params["rule"] == "major_meeting"


def test_respondent_never_attends_the_meeting_on_his_case(firm):
    r = walk_to(firm, "investigating", severity="major", respondent_user="han2")
    for attendees in ("刘总,赵处理", "刘总,han2"):  # by name or by login
        with pytest.raises(PermissionDenied) as info:
            workflow.act(r.complaint_id, "hold_meeting", actor=firm.owner,
                         **{**MEETING, "attendees": attendees})
        assert info.value.params["rule"] == "recusal"


# --- employee complaints (confidentiality) ----------------------------------------------------


def _employee(firm, actor):
    return register(actor, kind="employee", category="pay_benefits",
                    complainant_department="sales", description="加班费未发")


def test_employee_complaint_goes_only_to_hr_or_seniors(firm):
    r = _employee(firm, firm.rec)
    with pytest.raises(PermissionDenied) as info:
        workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="han")  # not HR
    assert info.value.params["rule"] == "employee_confidential"
    people = {p.login for p in complaints.register.candidates(r.complaint_id, "transfer",
                                                              actor=firm.owner)}
    assert "hr1" in people and "han" not in people and "han2" not in people
    workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="hr1")  # the same-day report
    assert _state(r.complaint_id) == "assigned"


def test_receiver_outside_hr_sees_only_the_employee_complaints_acknowledgement(firm):
    r = _employee(firm, firm.rec)
    cid = r.complaint_id
    workflow.act(cid, "acknowledge", actor=firm.rec)
    workflow.act(cid, "transfer", actor=firm.rec, to="hr1")
    workflow.act(cid, "start_investigation", actor=firm.hr1)
    workflow.act(cid, "record_findings", actor=firm.hr1, findings="核实属实")
    mine = complaints.detail(cid, actor=firm.rec)
    assert [e.action for e in mine.events] == ["transfer", "acknowledge", "register"]
    assert mine.allowed == ["document"] and mine.clocks == []  # its receipt, nothing more
    full = complaints.detail(cid, actor=firm.hr1)
    assert "record_findings" in [e.action for e in full.events]


# --- the quality memo is never a dead end ----------------------------------------------------


def test_quality_memo_can_be_recorded_after_the_reply(firm):
    r = walk_to(firm, "replied")  # a product-quality complaint
    cid = r.complaint_id
    assert workflow.may(firm.rec, Complaint.get_by_id(cid), "quality_memo")
    workflow.act(cid, "quality_memo", actor=firm.rec, findings="外壳来料缺陷",
                 firm_percent=80, customer_percent=20)
    assert Complaint.get_by_id(cid).responsibility == "80/20"


def test_quality_memo_shares_add_up_to_100(firm):
    r = walk_to(firm, "investigating")
    with pytest.raises(ValidationError) as info:
        workflow.act(r.complaint_id, "quality_memo", actor=firm.han, findings="x",
                     firm_percent=80, customer_percent=30)
    assert info.value.field == "customer_percent"


def test_quality_memo_belongs_to_quality_complaints(firm):
    r = walk_to(firm, "investigating", category="service_quality")
    with pytest.raises(StateError) as info:
        workflow.act(r.complaint_id, "quality_memo", actor=firm.han, findings="x",
                     firm_percent=50, customer_percent=50)
    assert info.value.params["rule"] == "quality_complaint"


def test_quality_memo_meets_its_limit_on_a_warranty_claim_after_the_reply(backend):
    """The repair shop's dead end: the memo limit a warranty claim starts is met by a memo
    recorded after the reply went out."""
    from services import warranty
    from tests.services.test_warranty import NOW, _repair, _vehicle

    with firm_of(backend, "repair-shop") as shop:
        clock.freeze(NOW)
        claim = warranty.register_claim(actor=shop.rec, repair_id=_repair(shop, _vehicle(shop)).id,
                                        claim_date=NOW.date(), claim_km=53_000,
                                        description="刹车异响")
        cid = claim.complaint_id
        for action, actor, params in (
                ("acknowledge", shop.rec, {}), ("transfer", shop.rec, {"to": "han"}),
                ("start_investigation", shop.han, {}),
                ("decide", shop.han, {"decision": "返修", "reasons": "保修期内"}),
                ("approve", shop.mgr, {}), ("reply", shop.rec, {"text": "免费返修"})):
            workflow.act(cid, action, actor=actor, **params)
        memo = (Clock.select().join(DeadlineRule)
                .where((Clock.complaint == cid)
                       & (DeadlineRule.code == warranty.MEMO_RULE_CODE)).get())
        assert memo.status == "running" and _state(cid) == "replied"
        warranty.record_memo(actor=shop.rec, claim_id=claim.claim_id, findings="制动片未装到位",
                             shop_percent=100, customer_percent=0, cost_estimate="120",
                             delivery_promise="今日")
        assert Clock.get_by_id(memo.id).status == "met"


# --- links, deliveries, internal handling, regulators -----------------------------------------


def test_a_repeat_complaint_is_a_link_the_receiver_records(firm):
    clock.freeze(datetime(2025, 3, 3, 10, 0))
    first = register(firm.rec, received_at=datetime(2025, 3, 3, 9, 0))
    second = register(firm.rec, description="又坏了，第二次投诉",
                      received_at=datetime(2025, 3, 3, 9, 30))
    suggested = workflow.repeat_suggestions(second.complaint_id, actor=firm.rec)
    assert [c.ticket for c in suggested] == [first.ticket]
    assert not ComplaintLink.select().exists()  # suggested, never linked by itself
    workflow.act(second.complaint_id, "link", actor=firm.rec, earlier=first.ticket)
    link = ComplaintLink.get()
    assert (link.complaint_id, link.earlier_id, link.kind) == (
        second.complaint_id, first.complaint_id, "repeat")
    assert workflow.repeat_suggestions(second.complaint_id, actor=firm.rec) == []
    with pytest.raises(ValidationError):  # never twice
        workflow.act(second.complaint_id, "link", actor=firm.rec, earlier=first.ticket)
    with pytest.raises(ValidationError):  # only to an earlier one
        workflow.act(first.complaint_id, "link", actor=firm.rec, earlier=second.ticket)


def test_internal_handling_is_recorded_on_a_quality_complaint(firm):
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "internal_handling", actor=firm.han, handling="返厂维修",
                 accountable="生产部")
    with pytest.raises(ValidationError):
        workflow.act(r.complaint_id, "internal_handling", actor=firm.han, handling="x")


def test_delivery_of_repaired_goods_is_recorded_after_the_decision(firm):
    r = walk_to(firm, "investigating")
    with pytest.raises(StateError):
        workflow.act(r.complaint_id, "deliver", actor=firm.rec, what="修好的产品")
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision="维修", reasons="x")
    workflow.act(r.complaint_id, "deliver", actor=firm.rec, what="修好的产品")


def test_regulator_reports_are_for_forwarded_or_major_complaints(firm):
    plain = register(firm.rec)
    with pytest.raises(StateError) as info:
        workflow.act(plain.complaint_id, "report_regulator", actor=firm.rec,
                     regulator="银保监", content="x")
    assert info.value.params["rule"] == "regulator_report"
    forwarded = register(firm.rec, channel="authority", channel_detail="市场监管局")
    result = workflow.act(forwarded.complaint_id, "report_regulator", actor=firm.rec,
                          content="已按期答复")
    assert result.data["regulator"] == "市场监管局"


def test_a_reply_to_a_forwarded_complaint_starts_the_report_back_limit(backend):
    with firm_of(backend, "bank") as bank:
        rules = [r for r in DeadlineRule.select() if "reply:authority" in r.start_on.split(",")]
        r = register(bank.rec, channel="authority", channel_detail="银保监分局",
                     category="business")
        cid = r.complaint_id
        for action, actor, params in (
                ("acknowledge", bank.rec, {}), ("transfer", bank.rec, {"to": "han"}),
                ("start_investigation", bank.han, {}),
                ("decide", bank.han, {"decision": "退费", "reasons": "多收"}),
                ("approve", bank.mgr, {}), ("reply", bank.rec, {"text": "退费"})):
            workflow.act(cid, action, actor=actor, **params)
        started = {k.rule.code for k in Clock.select().where(Clock.complaint == cid)}
        assert {r.code for r in rules} <= started


# --- the table answers cheaply ---------------------------------------------------------------


class _Counter:
    def __init__(self, db):
        self.db, self.count = db, 0
        self.original = db.execute_sql

    def __call__(self, sql, params=None, *args, **kwargs):
        # PostgreSQL: a compiled query is PREPAREd once per connection (models.base.compiled),
        # then each run is one EXECUTE: the runs are what a window's open costs
        self.count += not sql.startswith("PREPARE ")
        return self.original(sql, params, *args, **kwargs)


@pytest.mark.parametrize("profile", ["company", "repair-shop", "law-firm", "bank"])
def test_window_detail_and_allowed_actions_load_in_five_queries(backend, profile, monkeypatch):
    with firm_of(backend, profile) as f:
        category = {"company": "product_quality", "repair-shop": "repair_quality",
                    "law-firm": "fees", "bank": "business"}[profile]
        r = walk_to(f, "investigating", category=category)
        workflow.act(r.complaint_id, "note", actor=f.han, note="记录")
        for login in ("owner", "mgr", "head", "han", "rec"):
            user = getattr(f, login)
            counter = _Counter(database.obj)
            monkeypatch.setattr(database.obj, "execute_sql", counter)
            try:
                detail = complaints.detail(r.ticket, actor=user)
            except PermissionDenied:
                detail = None
            finally:
                monkeypatch.setattr(database.obj, "execute_sql", counter.original)
            assert counter.count <= 5, (profile, login, counter.count)
            if detail is not None:
                assert detail.allowed == workflow.allowed_actions(user, detail.complaint)


def test_every_refusal_names_its_rule(firm):
    """The sentence the window shows and the CLI prints says which rule refused."""
    cid = _dissatisfied_after_reply(firm, approver="mgr")
    err = workflow.refusal(workflow.load(cid, firm.mgr), firm.mgr, "review")
    assert err is not None and err.params["rule"] == "review_next_level_up"
    assert err.msgid.startswith("Review by the next level up:")


def test_same_day_transfer_from_registration(firm):
    clock.freeze(datetime(2025, 3, 3, 10, 0))
    r = register(firm.rec, received_at=datetime(2025, 3, 3, 9, 50))
    workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="han")
    assert _state(r.complaint_id) == "assigned"


# --- two PCs at once ---------------------------------------------------------------------------


def test_a_step_from_a_stale_view_is_refused_with_what_changed(firm):
    r = walk_to(firm, "investigating")
    cid = r.complaint_id
    seen = Complaint.get_by_id(cid).version  # what the handler's window shows
    workflow.act(cid, "escalate", actor=firm.han, to="head", expected_version=seen)  # PC 1
    with pytest.raises(StaleError) as info:  # PC 2, from the view it opened before
        workflow.act(cid, "decide", actor=firm.han, decision="换新", reasons="x",
                     expected_version=seen)
    assert info.value.params["rule"] == "stale"
    assert info.value.params["version"] == seen + 1
    assert (info.value.params["action"], info.value.params["name"]) == ("Escalate", "张处理")
    assert Complaint.get_by_id(cid).handler_id == firm.head.id  # nothing overwritten
    # a note or a printed document adds to the timeline but makes no view stale
    workflow.act(cid, "note", actor=firm.head, note="已知悉", expected_version=seen + 1)
    workflow.act(cid, "decide", actor=firm.head, decision="换新", reasons="x",
                 expected_version=seen + 1)


def test_a_stale_view_of_a_hidden_complaint_says_nothing_of_it(firm):
    r = walk_to(firm, "investigating")
    with pytest.raises(PermissionDenied):
        workflow.act(r.complaint_id, "note", actor=firm.han2, note="x", expected_version=-1)


# --- who sees what (rules.md §2) -----------------------------------------------------------


def _sees(user, cid) -> bool:
    from services.people import visible_filter
    return Complaint.select().where((Complaint.id == cid) & visible_filter(user)).exists()


def test_department_head_sees_only_what_is_escalated_to_them_or_assigned_in_their_department(
        firm):
    about_them = register(firm.rec, respondent_department="service")  # head is in service
    assert not _sees(firm.head, about_them.complaint_id)  # about the department: not enough
    in_sales = walk_to(firm, "assigned", respondent_department="service")
    workflow.act(in_sales.complaint_id, "transfer", actor=firm.rec, to="han2")  # sales
    assert not _sees(firm.head, in_sales.complaint_id)
    in_service = walk_to(firm, "assigned")  # transferred to han, of the service department
    assert _sees(firm.head, in_service.complaint_id)
    workflow.act(in_sales.complaint_id, "start_investigation", actor=firm.han2)
    workflow.act(in_sales.complaint_id, "escalate", actor=firm.han2, to="head")
    assert _sees(firm.head, in_sales.complaint_id)  # escalated to them


def test_employee_complaints_stay_with_hr_whatever_was_handed_before(firm):
    from models.entities import ComplaintAccess
    r = _employee(firm, firm.rec)
    # an access row from before this rule (a handler outside HR was given it)
    ComplaintAccess.create(complaint=r.complaint_id, user=firm.han.id, reason="handler")
    assert not _sees(firm.han, r.complaint_id)
    assert complaints.register.count(firm.han) == 0  # the register's count agrees
    assert _sees(firm.hr1, r.complaint_id) and _sees(firm.mgr, r.complaint_id)
    assert _sees(firm.rec, r.complaint_id)  # the registrar: its acknowledgement only
    assert complaints.detail(r.complaint_id, actor=firm.rec).allowed == [
        "acknowledge", "transfer", "document"]


def test_hidden_recused_and_missing_tickets_get_one_answer(firm):
    from services.errors import NotYours
    about_han2 = register(firm.rec, respondent_user="han2")
    hidden = register(firm.rec)
    answers = []
    for ticket, user in ((about_han2.ticket, firm.han2), (hidden.ticket, firm.han2),
                         ("991231999", firm.han2)):
        with pytest.raises(NotYours) as info:
            complaints.detail(ticket, actor=user)
        answers.append(info.value.msgid)
        with pytest.raises(NotYours):
            complaints.find(ticket, actor=user)
    assert len(set(answers)) == 1


# --- the same rules in every profile ---------------------------------------------------------

_SERVICE_CATEGORY = {"company": "service_quality", "repair-shop": "service_quality",
                     "law-firm": "service_quality", "bank": "business"}


@pytest.mark.parametrize("profile", ["company", "repair-shop", "law-firm", "bank"])
def test_the_path_rules_hold_in_every_profile(backend, profile):
    """A major complaint goes to a meeting; the decision is approved, replied, found wanting;
    the approver may not review it, the manager may, the owner's review is final; the
    respondent never attends; an employee complaint goes only to HR or seniors."""
    with firm_of(backend, profile) as f:
        r = register(f.rec, category=_SERVICE_CATEGORY[profile], severity="major",
                     respondent_user="han2")
        cid = r.complaint_id
        workflow.act(cid, "acknowledge", actor=f.rec)
        workflow.act(cid, "transfer", actor=f.rec, to="han")
        workflow.act(cid, "start_investigation", actor=f.han)
        with pytest.raises(StateError):
            workflow.act(cid, "decide", actor=f.han, decision="致歉", reasons="属实")
        with pytest.raises(PermissionDenied):  # 赵处理 is the respondent
            workflow.act(cid, "hold_meeting", actor=f.owner,
                         **{**MEETING, "attendees": "刘总,赵处理"})
        workflow.act(cid, "hold_meeting", actor=f.owner, **MEETING)
        workflow.act(cid, "approve", actor=f.owner)
        workflow.act(cid, "reply", actor=f.rec, text="致歉并赔偿")
        workflow.act(cid, "record_satisfaction", actor=f.rec, satisfied=False)
        with pytest.raises(PermissionDenied):  # the owner took and approved the decision
            workflow.act(cid, "review", actor=f.owner, outcome="change")
        workflow.act(cid, "review", actor=f.mgr, outcome="keep_reply")
        assert Complaint.get_by_id(cid).state == "approved"
        workflow.act(cid, "reply", actor=f.rec, text="维持原决定")
        workflow.act(cid, "record_satisfaction", actor=f.rec, satisfied=False)
        with pytest.raises(PermissionDenied):  # after the manager, only the owner: recused
            workflow.act(cid, "review", actor=f.mgr, outcome="change")
        workflow.act(cid, "external_route", actor=f.rec, route="court", outcome="已起诉")
        workflow.act(cid, "archive", actor=f.rec, root_cause="服务")
        department = {"company": "sales", "repair-shop": "front", "law-firm": "admin",
                      "bank": "counter"}[profile]
        employee = register(f.rec, kind="employee", category="pay_benefits",
                            description="加班费未发", complainant_department=department)
        people = {p.login for p in complaints.register.candidates(
            employee.complaint_id, "transfer", actor=f.owner)}
        assert "han" not in people and {"mgr", "owner"} <= people


# --- where the complaint stands: the step bar's content (rules.md §4) ----------------------


def test_outlook_shows_the_states_taken_the_next_steps_and_what_the_path_waits_for(firm):
    r = walk_to(firm, "assigned")
    cid = r.complaint_id
    seen = workflow.outlook(cid, actor=firm.han)
    assert [(s.state, s.status) for s in seen.steps][:4] == [
        ("registered", "done"), ("acknowledged", "done"), ("assigned", "current"),
        ("investigating", "ahead")]
    assert "approved" not in [s.state for s in seen.steps]  # company: no approval
    assert seen.next_steps == ("start_investigation",)
    assert seen.waiting.msgid == "Waiting for {name} to start the investigation."
    with language("en"):
        assert seen.waiting.text() == "Waiting for 张处理 to start the investigation."
    with language("zh_CN"):
        assert seen.waiting.text() == "等待张处理开始调查。"
    assert seen.limit is not None and seen.limit.status == "running"
    # the receiver may not start the investigation: no next step for them
    assert workflow.outlook(cid, actor=firm.rec).next_steps == ()


def test_outlook_marks_the_branches_taken(firm):
    r = walk_to(firm, "investigating")
    cid = r.complaint_id
    workflow.act(cid, "escalate", actor=firm.han, to="head")
    workflow.act(cid, "pause", actor=firm.head, note="等待检测")
    seen = workflow.outlook(cid, actor=firm.mgr)
    steps = {s.state: s for s in seen.steps}
    assert steps["investigating"].branches == ("escalate",)
    assert seen.waiting.msgid.startswith("The clock is stopped")
    workflow.act(cid, "resume", actor=firm.head)
    workflow.act(cid, "withdraw", actor=firm.rec, note="客户撤回")
    seen = workflow.outlook(cid, actor=firm.mgr)
    assert [(s.state, s.status) for s in seen.steps][-2:] == [("withdrawn", "current"),
                                                              ("archived", "ahead")]
    assert seen.next_steps == ("archive",)
    assert workflow.outlook(cid, actor=firm.han).next_steps == ()  # a handler does not archive


def test_waiting_for_approval_where_the_firm_requires_it(firm):
    from models.entities import Firm

    Firm.update(approval_required=True).execute()
    r = walk_to(firm, "decided")
    seen = workflow.outlook(r.complaint_id, actor=firm.mgr)
    assert seen.waiting.msgid == "Waiting for the approval of a manager or the owner."
    assert seen.next_steps == ("approve",)
    assert "approved" in [s.state for s in seen.steps]


def test_a_decision_keeps_several_remedies_and_an_amount_needs_money(firm):
    r = walk_to(firm, "investigating")
    cid = r.complaint_id
    with pytest.raises(ValidationError) as refused:
        workflow.act(cid, "decide", actor=firm.han, decision="道歉", reasons="态度",
                     remedy="apology", amount="30")
    assert refused.value.field == "amount"
    with pytest.raises(ValidationError) as refused:
        workflow.act(cid, "decide", actor=firm.han, decision="道歉", reasons="态度",
                     remedy=["apology", "bogus"])
    assert refused.value.field == "remedy"
    result = workflow.act(cid, "decide", actor=firm.han, decision="退款并道歉", reasons="质量",
                          remedy=["refund", "apology", "refund"], amount="30")
    assert result.data["remedies"] == ["refund", "apology"]
    c = Complaint.get_by_id(cid)
    assert c.remedy == "refund" and str(c.compensation) == "30.00"
    assert complaints.decision_remedies(result.data) == ["refund", "apology"]
