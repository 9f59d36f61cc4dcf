"""Time limits on running complaints: exact pauses, extensions after the fact and their caps,
the rest-day roll and category-specific limits (rules.md §5)."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from models.entities import Clock, ClockPause, Complaint
from services import clock, settings
from services.complaints import path as workflow
from services.errors import PermissionDenied, ValidationError
from services.i18n import language
from services.timelimits import CLOCK_STATUS_NAMES, clock_flags, clocks
from tests.helpers import register

MONDAY = datetime(2025, 3, 3, 10)  # an ordinary week of the official 2025 calendar


def end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def add_rule(firm, code: str, length: int, unit: str, **extra):
    """A customer limit from registration to the reply (its own steps unless told)."""
    values = dict(start_on="register", stop_on="reply", kind="customer")
    values.update(extra)
    return settings.save_rule(actor=firm.owner, code=code, name_zh=f"时限{code}",
                              name_en=f"Limit {code}", length=length, unit=unit, **values)


def clock_of(complaint_id: int, code: str, *, status: str = "running") -> Clock:
    return next(k for k in Clock.select().where((Clock.complaint == complaint_id)
                                                & (Clock.status == status))
                if k.rule.code == code)


def assigned(firm, *, at: datetime = MONDAY, **overrides) -> int:
    """A complaint registered at ``at`` and transferred to a handler at once."""
    clock.freeze(at)
    cid = register(firm.rec, received_at=at, **overrides).complaint_id
    workflow.act(cid, "acknowledge", actor=firm.rec)
    workflow.act(cid, "transfer", actor=firm.rec, to="han")
    return cid


# --- pauses ----------------------------------------------------------------------------------

def test_pause_moves_due_by_exactly_the_paused_working_time(firm):
    add_rule(firm, "wd3", 3, "working_days")
    cid = assigned(firm)
    assert clock_of(cid, "wd3").due_at == end_of(date(2025, 3, 6))
    clock.freeze(datetime(2025, 3, 4, 10))
    workflow.act(cid, "pause", actor=firm.han, note="等待客户提供照片")
    clock.freeze(datetime(2025, 3, 4, 10, 1))
    workflow.act(cid, "resume", actor=firm.han)
    # one minute of office time stood still: the due moves by one minute of working time
    assert clock_of(cid, "wd3").due_at == datetime(2025, 3, 7, 9, 1)


def test_pause_of_two_working_days_moves_a_working_day_clock_by_two_working_days(firm):
    add_rule(firm, "wd3", 3, "working_days")
    cid = assigned(firm, at=datetime(2025, 2, 28, 15))  # Friday: due the end of Wed 5 Mar
    clock.freeze(datetime(2025, 3, 3, 9))
    workflow.act(cid, "pause", actor=firm.han, note="外部检测")
    clock.freeze(datetime(2025, 3, 5, 9))
    workflow.act(cid, "resume", actor=firm.han)
    assert clock_of(cid, "wd3").due_at == end_of(date(2025, 3, 7))


def test_pause_moves_a_calendar_day_clock_by_exactly_the_paused_time(firm):
    add_rule(firm, "d3", 3, "days")
    cid = assigned(firm)
    clock.freeze(datetime(2025, 3, 4, 10))
    workflow.act(cid, "pause", actor=firm.han, note="等待客户")
    clock.freeze(datetime(2025, 3, 4, 12, 30))
    workflow.act(cid, "resume", actor=firm.han)
    assert clock_of(cid, "d3").due_at == datetime(2025, 3, 7, 2, 30)


# --- calendar days past a rest day ------------------------------------------------------------

def test_calendar_day_clock_rolls_past_a_rest_day_unless_its_rule_says_not(firm):
    add_rule(firm, "d5", 5, "days")
    add_rule(firm, "d5_fixed", 5, "days", roll_to_workday=False)
    cid = assigned(firm)  # Monday + 5 days: Saturday 8 Mar
    assert clock_of(cid, "d5").due_at == end_of(date(2025, 3, 10))
    assert clock_of(cid, "d5_fixed").due_at == end_of(date(2025, 3, 8))


# --- extensions ------------------------------------------------------------------------------

def test_extension_before_the_due_lengthens_the_same_clock(firm):
    add_rule(firm, "wd3", 3, "working_days", max_total=10)
    cid = assigned(firm)
    first = clock_of(cid, "wd3")
    clock.freeze(datetime(2025, 3, 5, 10))
    result = workflow.act(cid, "extend", actor=firm.han, limit="5 working days",
                          note="需调取监控", rule="wd3")
    again = Clock.get_by_id(first.id)
    assert (again.status, again.length, again.due_at) == ("running", 5, end_of(date(2025, 3, 10)))
    assert [k.id for k in Clock.select().where(Clock.complaint == cid)
            if k.rule.code == "wd3"] == [first.id]
    assert "late" not in result.data and "missed_clock" not in result.data


def test_extension_after_the_due_keeps_the_missed_limit_missed(firm):
    add_rule(firm, "wd3", 3, "working_days", max_total=10)
    cid = assigned(firm)
    first = clock_of(cid, "wd3")
    clock.freeze(datetime(2025, 3, 4, 10))  # a pause before the due, copied to the successor
    workflow.act(cid, "pause", actor=firm.han, note="等待客户")
    clock.freeze(datetime(2025, 3, 4, 10, 1))
    workflow.act(cid, "resume", actor=firm.han)
    assert Clock.get_by_id(first.id).due_at == datetime(2025, 3, 7, 9, 1)
    late_at = datetime(2025, 3, 7, 10)
    clock.freeze(late_at)
    complaint = Complaint.get_by_id(cid)
    data = clocks.extend(complaint, limit="5 working days", rule_code="wd3", at=late_at)
    missed = Clock.get_by_id(first.id)
    assert (missed.status, missed.late, missed.stopped_at, missed.paused_since) == (
        "extended", True, late_at, None)
    assert missed.length == 3 and missed.due_at == datetime(2025, 3, 7, 9, 1)
    successor = clock_of(cid, "wd3")
    assert successor.id != missed.id
    assert (successor.started_at, successor.length, successor.unit, successor.responsible_id) \
        == (missed.started_at, 5, "working_days", missed.responsible_id)
    # 5 working days to the end of Mon 10 Mar, plus the paused minute
    assert successor.due_at == datetime(2025, 3, 11, 9, 1)
    assert [(p.started_at, p.ended_at) for p in
            ClockPause.select().where(ClockPause.clock == successor.id)] == [
        (datetime(2025, 3, 4, 10), datetime(2025, 3, 4, 10, 1))]
    assert data["late"] is True and data["missed_clock"] == missed.id
    assert data["old_due"] == missed.due_at.isoformat()
    assert data["new_due"] == successor.due_at.isoformat()
    assert Complaint.get_by_id(cid).next_due_at <= successor.due_at


def test_extended_clock_counts_as_closed_and_missed(firm):
    add_rule(firm, "wd3", 3, "working_days", max_total=10)
    cid = assigned(firm)
    clock.freeze(datetime(2025, 3, 7, 10))
    workflow.act(cid, "extend", actor=firm.han, limit="4 working days", note="配件调货",
                 rule="wd3")
    complaint = Complaint.get_by_id(cid)
    views = {(v.rule_code, v.status): v for v in clocks.clocks_of(complaint)}
    missed = views[("wd3", "extended")]
    assert "late" in clock_flags(missed) and not missed.overdue and missed.remaining is None
    assert views[("wd3", "running")].due_at == end_of(date(2025, 3, 7))
    assert [k.rule.code for k in clocks.running_clocks(complaint)].count("wd3") == 1
    open_ids = {v.id for v in clocks.open_clocks(Complaint.id == cid)}
    assert missed.id not in open_ids and views[("wd3", "running")].id in open_ids
    with language("en"):
        assert CLOCK_STATUS_NAMES["extended"]
    # the reply meets the successor, on time; the missed one stays missed
    clock.freeze(datetime(2025, 3, 7, 11))
    workflow.act(cid, "start_investigation", actor=firm.han)
    workflow.act(cid, "decide", actor=firm.han, decision="免费更换", reasons="来料缺陷",
                 remedy="return")
    workflow.act(cid, "approve", actor=firm.mgr)
    workflow.act(cid, "reply", actor=firm.rec, text="为您免费更换")
    statuses = sorted((k.status, k.late) for k in Clock.select().where(Clock.complaint == cid)
                      if k.rule.code == "wd3")
    assert statuses == [("extended", True), ("met", False)]


def test_extension_past_the_senior_step_needs_a_manager_or_the_owner(firm):
    add_rule(firm, "wd3", 3, "working_days", max_total=10, senior_above=6)
    cid = assigned(firm)
    complaint = Complaint.get_by_id(cid)
    at = datetime(2025, 3, 4, 10)
    clock.freeze(at)
    clocks.extend(complaint, limit="6 working days", rule_code="wd3", at=at)  # up to the step
    with language("en"), pytest.raises(PermissionDenied) as refused:
        clocks.extend(complaint, limit="8 working days", rule_code="wd3", at=at)
    with language("en"):
        assert refused.value.message() == (
            "Extending “Limit wd3” past 6 working days needs a manager or the owner.")
    with language("zh_CN"), pytest.raises(PermissionDenied) as refused:
        clocks.extend(complaint, limit="8个工作日", rule_code="wd3", at=at)
    with language("zh_CN"):
        text = refused.value.message()
        assert "6个工作日" in text and "时限wd3" in text and "Extending" not in text
    assert clock_of(cid, "wd3").length == 6
    clocks.extend(complaint, limit="8 working days", rule_code="wd3", at=at, senior=True)
    assert clock_of(cid, "wd3").length == 8
    with pytest.raises(ValidationError):  # never past the longest total, senior or not
        clocks.extend(complaint, limit="11 working days", rule_code="wd3", at=at, senior=True)


# --- category-specific limits -----------------------------------------------------------------

def test_category_limit_replaces_the_general_limit_between_the_same_steps(firm):
    add_rule(firm, "general", 5, "working_days")
    add_rule(firm, "quality", 2, "working_days", category="product_quality")
    add_rule(firm, "packaging_only", 1, "working_days", category="packaging")
    add_rule(firm, "general_visit", 7, "days", stop_on="visit")  # other steps: kept
    clock.freeze(MONDAY)
    quality = register(firm.rec, received_at=MONDAY, category="product_quality").complaint_id
    other = register(firm.rec, received_at=MONDAY, category="service_quality").complaint_id

    def codes(cid: int) -> set[str]:
        return {k.rule.code for k in Clock.select().where(Clock.complaint == cid)}

    assert {"quality", "general_visit"} <= codes(quality)
    assert not {"general", "packaging_only"} & codes(quality)
    assert {"general", "general_visit"} <= codes(other)
    assert not {"quality", "packaging_only"} & codes(other)


def test_category_limit_replaces_only_a_general_limit_that_applies(firm):
    # a category limit for employee complaints does not stop the customer limit
    add_rule(firm, "general", 5, "working_days")
    add_rule(firm, "quality_staff", 2, "working_days", category="product_quality",
             kind="employee")
    clock.freeze(MONDAY)
    cid = register(firm.rec, received_at=MONDAY, category="product_quality").complaint_id
    codes = {k.rule.code for k in Clock.select().where(Clock.complaint == cid)}
    assert "general" in codes and "quality_staff" not in codes


def test_a_limit_without_its_unit_is_refused_with_a_sentence():
    """Found by the hostile-input property test: extend --limit given as a bare number."""
    from services.errors import DeadlineRuleError
    from services.timelimits.arithmetic import parse_limit

    for value in (1, 1.5, None, ["30 days"]):
        with pytest.raises(DeadlineRuleError):
            parse_limit(value)
