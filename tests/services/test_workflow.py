"""The complaint path (rules.md §4) with roles, recusal and confidentiality (rules.md §2)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from models.db import database
from models.entities import Clock, Complaint, DeadlineRule, Event, Firm
from services import clock
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import PermissionDenied, StateError, ValidationError
from services.i18n import language
from tests.helpers import register, walk_to


def events_of(cid: int) -> list[Event]:
    return list(Event.select().where(Event.complaint == cid).order_by(Event.id))


def assert_timeline_explains_state(cid: int) -> None:
    events = events_of(cid)
    assert events[0].action == "register" and events[0].from_state == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.from_state == before.to_state
    assert events[-1].to_state == Complaint.get_by_id(cid).state


def test_whole_path_company(firm):
    r = walk_to(firm, "visited")
    workflow.act(r.complaint_id, "archive", actor=firm.rec, root_cause="来料检验不严")
    c = Complaint.get_by_id(r.complaint_id)
    assert c.state == "archived" and c.root_cause == "来料检验不严"
    assert [e.action for e in events_of(c.id)] == [
        "register", "acknowledge", "transfer", "start_investigation", "decide", "approve",
        "reply", "record_satisfaction", "visit", "archive"]
    assert_timeline_explains_state(c.id)
    statuses = {k.rule.code: k.status for k in Clock.select().where(Clock.complaint == c.id)}
    assert statuses["transfer_30m"] == "met" and statuses["handler_30m"] == "met"
    assert c.next_due_at is None


def test_action_in_wrong_state_changes_nothing(firm):
    r = register(firm.rec)
    workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    before = len(events_of(r.complaint_id))
    with pytest.raises(StateError) as info:
        workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    with language("en"):
        assert "not possible while the complaint is Acknowledged" in info.value.message()
    with language("zh_CN"):
        assert info.value.message()  # translated text exists (catalog may fall back)
    with pytest.raises(StateError):
        workflow.act(r.complaint_id, "decide", actor=firm.mgr, decision="x", reasons="y")
    assert len(events_of(r.complaint_id)) == before
    assert Complaint.get_by_id(r.complaint_id).state == "acknowledged"


def test_reply_before_approval_is_refused_when_the_profile_requires_it(firm):
    Firm.update(approval_required=True).execute()
    r = walk_to(firm, "decided")
    with pytest.raises(StateError):
        workflow.act(r.complaint_id, "reply", actor=firm.rec, text="答复")
    assert Complaint.get_by_id(r.complaint_id).state == "decided"
    assert not workflow.may(firm.rec, Complaint.get_by_id(r.complaint_id), "reply")
    workflow.act(r.complaint_id, "approve", actor=firm.mgr)
    workflow.act(r.complaint_id, "reply", actor=firm.rec, text="答复")
    assert Complaint.get_by_id(r.complaint_id).state == "replied"


def test_answer_on_the_spot_only_for_simple_matters_when_approval_is_required(firm):
    Firm.update(approval_required=True).execute()
    quality = register(firm.rec)
    with pytest.raises(StateError):
        workflow.act(quality.complaint_id, "answer_on_spot", actor=firm.rec, answer="已解释")
    grumble = register(firm.rec, category="grumble")
    workflow.act(grumble.complaint_id, "answer_on_spot", actor=firm.rec, answer="已当场解释")
    assert Complaint.get_by_id(grumble.complaint_id).state == "replied"


def test_roles_and_holder(firm):
    r = register(firm.rec)
    with pytest.raises(PermissionDenied):  # a handler does not acknowledge
        workflow.act(r.complaint_id, "acknowledge", actor=firm.han)
    workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="han")
    with pytest.raises(PermissionDenied):  # only the assigned handler investigates
        workflow.act(r.complaint_id, "start_investigation", actor=firm.han2)
    workflow.act(r.complaint_id, "start_investigation", actor=firm.han)
    workflow.act(r.complaint_id, "decide", actor=firm.han, decision="d", reasons="r")
    with pytest.raises(PermissionDenied):  # approval is for managers and owners
        workflow.act(r.complaint_id, "approve", actor=firm.rec)
    with pytest.raises(PermissionDenied):
        workflow.act(r.complaint_id, "approve", actor=firm.han)


def test_recusal(firm):
    r = register(firm.rec, respondent_user="han")
    c = Complaint.get_by_id(r.complaint_id)
    with pytest.raises(PermissionDenied):
        complaints.detail(r.ticket, actor=firm.han)
    assert r.complaint_id not in complaints.ids(firm.han)
    workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    with pytest.raises(PermissionDenied) as info:
        workflow.act(r.complaint_id, "transfer", actor=firm.rec, to="han")
    assert info.value.field == "to"
    assert Complaint.get_by_id(c.id).handler_id is None
    # even the owner, if complained about, may not open it
    about_owner = register(firm.rec, respondent_user="owner")
    with pytest.raises(PermissionDenied):
        complaints.detail(about_owner.ticket, actor=firm.owner)
    assert complaints.detail(about_owner.ticket, actor=firm.mgr).complaint.id
    with pytest.raises(PermissionDenied):
        register(firm.han, respondent_user="han")  # han is no receiver anyway
    with pytest.raises(PermissionDenied):
        register(firm.rec, respondent_user="rec")


def test_confidentiality(firm):
    customer = register(firm.rec)
    employee = register(firm.rec, kind="employee", category="pay_benefits",
                        complainant_department="sales", complainant_name="员工甲")
    # not involved: a handler of another department sees neither
    assert complaints.count(firm.han2) == 0
    with pytest.raises(PermissionDenied):
        complaints.detail(customer.ticket, actor=firm.han2)
    # HR sees employee complaints, not customer ones
    assert complaints.ids(firm.hr1) == [employee.complaint_id]
    # managers see everything; the receiver sees what they registered
    assert set(complaints.ids(firm.mgr)) == {customer.complaint_id, employee.complaint_id}
    assert set(complaints.ids(firm.rec)) == {customer.complaint_id, employee.complaint_id}
    # once assigned, the handler is involved and may open it
    workflow.act(customer.complaint_id, "acknowledge", actor=firm.rec)
    workflow.act(customer.complaint_id, "transfer", actor=firm.rec, to="han2")
    assert complaints.detail(customer.ticket, actor=firm.han2).complaint.id
    # rows() filters too, so an id list from elsewhere leaks nothing
    assert complaints.rows(firm.han, [customer.complaint_id, employee.complaint_id]) == []


def test_escalation_starts_the_department_head_clock(firm):
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "escalate", actor=firm.han, to="head")
    c = Complaint.get_by_id(r.complaint_id)
    assert c.level == 1 and c.handler_id == firm.head.id
    running = {k.rule.code: k for k in Clock.select().where(
        (Clock.complaint == c.id) & (Clock.status == "running"))}
    head_clock = running["head_1h"]
    assert head_clock.due_at - head_clock.started_at == timedelta(hours=1)
    with pytest.raises(ValidationError):  # level 2 needs a manager or the owner
        workflow.act(r.complaint_id, "escalate", actor=firm.head, to="han2")
    workflow.act(r.complaint_id, "escalate", actor=firm.head, to="owner")
    codes = {k.rule.code: k.status for k in Clock.select().where(Clock.complaint == c.id)}
    assert codes["head_1h"] == "met" and codes["top_same_day"] == "running"
    top = (Clock.select().join(DeadlineRule)
           .where((Clock.complaint == c.id) & (DeadlineRule.code == "top_same_day")).get())
    assert top.due_at == datetime.combine(top.started_at.date(), datetime.max.time()).replace(
        microsecond=0)


def test_pause_moves_the_due_moment(firm):
    start = datetime(2026, 11, 24, 9, 0)
    clock.freeze(start)
    r = register(firm.rec, received_at=start)
    clk = Clock.get(Clock.complaint == r.complaint_id)
    assert clk.due_at == start + timedelta(minutes=30)
    clock.freeze(start + timedelta(minutes=10))
    workflow.act(r.complaint_id, "pause", actor=firm.rec, note="等待客户提供照片")
    assert Complaint.get_by_id(r.complaint_id).next_due_at is None
    clock.freeze(start + timedelta(minutes=70))
    workflow.act(r.complaint_id, "resume", actor=firm.rec)
    clk = Clock.get_by_id(clk.id)
    assert clk.status == "running"
    assert clk.due_at == start + timedelta(minutes=90)
    assert Complaint.get_by_id(r.complaint_id).next_due_at == clk.due_at


def test_overdue_and_due_soon(firm):
    clock.freeze(datetime(2026, 11, 24, 9, 0))
    late = register(firm.rec, received_at=datetime(2026, 11, 24, 8, 0))
    fresh = register(firm.rec, received_at=datetime(2026, 11, 24, 8, 59))
    items = {n.ticket: n.status for n in complaints.next_due(firm.rec)}
    assert items[late.ticket] == "overdue" and items[fresh.ticket] == "due_soon"
    overdue_only = complaints.ids(firm.rec, complaints.ComplaintFilter(overdue_only=True))
    assert overdue_only == [late.complaint_id]


def test_extension_bank_limits(firm_factory):
    f = firm_factory("bank")
    start = datetime(2026, 3, 2, 10, 0)
    clock.freeze(start + timedelta(days=1))
    r = register(f.owner, received_at=start, category="business")
    cid = r.complaint_id
    workflow.act(cid, "acknowledge", actor=f.owner)
    workflow.act(cid, "transfer", actor=f.owner, to="han")
    clk = Clock.get(Clock.complaint == cid)
    first_due = clk.due_at
    with pytest.raises(ValidationError):  # the customer must be told why
        workflow.act(cid, "extend", actor=f.owner, limit="30 working days")
    with pytest.raises(ValidationError):  # 60 working days in total at most
        workflow.act(cid, "extend", actor=f.owner, limit="61 working days", note="案情复杂")
    with pytest.raises(ValidationError):
        workflow.act(cid, "extend", actor=f.owner, limit="30 days", note="案情复杂")
    workflow.act(cid, "extend", actor=f.owner, limit="30 working days", note="需调取监控")
    clk = Clock.get_by_id(clk.id)
    assert clk.length == 30 and clk.due_at > first_due
    last = events_of(cid)[-1]
    assert last.action == "extend" and last.data["new_limit"]


def test_review_then_final_review(firm):
    """rules.md §4: a manager's review (复审), then the owner's final one (终审), each by
    someone who did not take or approve the decision; after the final one, only an external
    route."""
    r = walk_to(firm, "decided")  # han decided
    cid = r.complaint_id
    workflow.act(cid, "approve", actor=firm.owner)
    workflow.act(cid, "reply", actor=firm.rec, text="为您免费更换")
    workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=False)
    with pytest.raises(PermissionDenied):
        workflow.act(cid, "review", actor=firm.rec)
    workflow.act(cid, "review", actor=firm.mgr, outcome="change")  # 复审
    c = Complaint.get_by_id(cid)
    assert c.state == "investigating" and c.review_level == 1 and c.handler_id == firm.mgr.id
    workflow.act(cid, "decide", actor=firm.mgr, decision="补偿200元", reasons="复核后确认",
                 remedy="compensation", amount="200")
    workflow.act(cid, "approve", actor=firm.mgr)
    workflow.act(cid, "reply", actor=firm.rec, text="补偿200元")
    workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=False)
    with pytest.raises(PermissionDenied):  # the second review is the owner's
        workflow.act(cid, "review", actor=firm.mgr, outcome="change")
    workflow.act(cid, "review", actor=firm.owner, outcome="change")  # 终审
    workflow.act(cid, "decide", actor=firm.owner, decision="维持", reasons="终审")
    workflow.act(cid, "approve", actor=firm.mgr)
    workflow.act(cid, "reply", actor=firm.rec, text="维持")
    workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=False)
    with pytest.raises(StateError):
        workflow.act(cid, "review", actor=firm.owner, outcome="change")
    with pytest.raises(StateError):  # not archived while dissatisfied with no route
        workflow.act(cid, "archive", actor=firm.rec, root_cause="x")
    workflow.act(cid, "external_route", actor=firm.rec, route="arbitration", outcome="已申请仲裁")
    workflow.act(cid, "archive", actor=firm.rec, root_cause="沟通不到位")
    decisions = [e.data for e in events_of(cid) if e.action == "decide"]
    assert [d["amount"] for d in decisions] == [None, "200.00", None]
    assert Complaint.get_by_id(cid).compensation is None  # the owner's final word stands
    assert_timeline_explains_state(cid)


def test_archived_is_read_only(firm):
    r = walk_to(firm, "visited")
    workflow.act(r.complaint_id, "archive", actor=firm.rec, root_cause="操作不规范")
    for action, params in (("note", {"note": "补充"}), ("reopen", {"note": "再开"}),
                           ("amend", {"description": "改", "note": "更正"})):
        with pytest.raises(StateError):
            workflow.act(r.complaint_id, action, actor=firm.owner, **params)


def test_withdraw_and_reopen(firm):
    r = walk_to(firm, "assigned")
    with pytest.raises(ValidationError):
        workflow.act(r.complaint_id, "withdraw", actor=firm.rec)
    workflow.act(r.complaint_id, "withdraw", actor=firm.rec, note="客户撤回")
    assert not Clock.select().where((Clock.complaint == r.complaint_id)
                                    & (Clock.status == "running")).exists()
    workflow.act(r.complaint_id, "reopen", actor=firm.mgr, note="客户再次来电")
    assert Complaint.get_by_id(r.complaint_id).state == "acknowledged"
    assert_timeline_explains_state(r.complaint_id)


def test_amend_records_old_and_new(firm):
    r = register(firm.rec)
    workflow.act(r.complaint_id, "amend", actor=firm.rec, note="电话记错",
                 complainant_phone="13900139000")
    last = events_of(r.complaint_id)[-1]
    assert last.data["changes"]["complainant_phone"] == {"old": "13800138000",
                                                         "new": "13900139000"}
    assert Complaint.get_by_id(r.complaint_id).complainant_phone == "13900139000"


@pytest.mark.parametrize("overrides,field", [
    ({"complainant_name": "  "}, "complainant_name"),
    ({"complainant_name": "名" * 101}, "complainant_name"),
    ({"description": ""}, "description"),
    ({"category": "nonsense"}, "category"),
    ({"channel": "pigeon"}, "channel"),
    ({"complainant_phone": "call me"}, "complainant_phone"),
    ({"received_at": datetime(2099, 1, 1)}, "received_at"),
    ({"received_at": datetime(1970, 1, 1)}, "received_at"),
    ({"kind": "employee", "category": "pay_benefits"}, "complainant_department"),
    ({"category": "pay_benefits"}, "category"),  # an employee category on a customer
])
def test_bad_input_is_refused_and_nothing_written(firm, overrides, field):
    with pytest.raises(ValidationError) as info:
        register(firm.rec, **overrides)
    assert info.value.field == field
    assert Complaint.select().count() == 0


@pytest.mark.parametrize("amount", ["-1", "abc", "1e12", "0.001", "NaN"])
def test_bad_amounts(firm, amount):
    r = walk_to(firm, "investigating")
    with pytest.raises(ValidationError) as info:
        workflow.act(r.complaint_id, "decide", actor=firm.han, decision="赔偿", reasons="r",
                     remedy="compensation", amount=amount)
    assert info.value.field == "amount"
    assert Complaint.get_by_id(r.complaint_id).state == "investigating"


def test_reply_before_receipt_is_impossible(firm):
    r = walk_to(firm, "approved")
    received = Complaint.get_by_id(r.complaint_id).received_at
    with pytest.raises(ValidationError) as info:
        workflow.act(r.complaint_id, "reply", actor=firm.rec, text="答复",
                     at=received - timedelta(hours=1))
    assert info.value.field == "at"


def test_timeline_is_append_only_in_the_database(firm):
    from models.base import AppendOnlyError

    r = register(firm.rec)
    event = events_of(r.complaint_id)[0]
    event.note = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete_instance()
    # the database itself refuses, whatever program touches it
    for sql in ('UPDATE "event" SET note = \'x\'', 'DELETE FROM "event"'):
        with pytest.raises(Exception, match="append-only"):
            with database.atomic():
                database.execute_sql(sql)
    assert events_of(r.complaint_id)[0].note == ""


@pytest.mark.parametrize("text", ["外壳开", "138001", "张三丰", "HT-26", "ht-2611", "张", "13",
                                  "裂"])
def test_register_search(firm, text):
    """Search finds ticket, name, phone, contract and text, short or long (full-text index
    for three characters and more)."""
    hit = register(firm.rec, complainant_name="张三丰", contract_no="HT-2611-07",
                   description="收到的产品外壳开裂", complainant_phone="13800138000")
    register(firm.rec, complainant_name="李四", complainant_phone="02088886666",
             description="送货晚了两天")
    f = complaints.ComplaintFilter(text=text)
    assert complaints.ids(firm.rec, f) == [hit.complaint_id]
    assert complaints.count(firm.rec, f) == 1


def test_register_search_follows_corrections(firm):
    r = register(firm.rec, description="原来的描述文字")
    workflow.act(r.complaint_id, "amend", actor=firm.rec, note="更正",
                 description="更正后的描述文字")
    assert complaints.ids(firm.rec, complaints.ComplaintFilter(text="更正后")) == [r.complaint_id]
    assert complaints.ids(firm.rec, complaints.ComplaintFilter(text="原来的")) == []
