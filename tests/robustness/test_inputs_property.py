"""Hostile input to every service input of registration and of the path's steps
(docs/rules.md §10): random text (Chinese, control characters, NUL, lone surrogates, very long),
huge and odd numbers, odd moments (year 1, year 9999, the future, time zones). Every call
either succeeds or refuses with a ``services.errors.DomainError`` (whose sentence the window
and the command line show); never another exception, on either database.

The default suite tries about 200 cases; ``-m slow`` tries more than 10,000.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from models.entities import Complaint
from services import clock
from services.complaints import ACTIONS, TRANSITIONS, ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as registering
from services.complaints.actions import LINK_KINDS, REPLY_METHODS, REVIEW_OUTCOMES
from services.errors import DomainError
from services.firm import CHANNELS, EXTERNAL_ROUTES, KINDS, REMEDIES, SEVERITIES
from tests.conftest import STAFF
from tests.helpers import walk_to

SLOW_EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "2500"))  # × 2 tests × 2 backends
LOGINS = ("owner",) + tuple(login for login, *_ in STAFF)
DEPARTMENTS = ("service", "sales", "production", "hr")
CATEGORIES = ("product_quality", "grumble", "service_quality", "work_conditions", "packaging")


def _settings(examples: int):
    # The default suite neither shrinks nor replays: a failure shows the example as found
    # (``-m slow`` shrinks it to a minimal one). Both draw the same examples on every run
    # (derandomize), so CI never passes one day and fails the next on the same code; set
    # ROBUSTNESS_RANDOM=1 to explore new examples by hand.
    quick = examples < 1000
    seeded = not os.environ.get("ROBUSTNESS_RANDOM")
    return settings(max_examples=examples, deadline=None, database=None, derandomize=seeded,
                    phases=(Phase.explicit, Phase.generate) if quick else tuple(Phase),
                    print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


# --- what a hostile user can type ------------------------------------------------------------

chinese = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=30)
controls = st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=5)
surrogates = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
odd_text = st.sampled_from(["", " ", "\x00", "报\x00告", "\u200b", "\ufeff", "\u202e反向",
                            "﹏﹏", "１３８００１３８０００", "长" * 9000, "x" * 70000, "NaN",
                            "-0", "1e999", "%", "'; DROP TABLE complaint; --", "\r\n"])
wild_text = st.one_of(st.text(max_size=40), chinese, controls, surrogates, odd_text,
                      st.lists(st.one_of(chinese, controls, surrogates, st.text(max_size=5)),
                               max_size=4).map("".join))
huge = st.sampled_from([10**5000, -10**5000, 2**63, 2**64 + 1, -1, 10**12, float("inf"),
                        float("-inf"), float("nan"), 1e308, -0.0, Decimal("1e999999"),
                        Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"),
                        Decimal("0.001"), Decimal("9999999.99"), "1e400", "１００", "1,000.5",
                        "12%", "9" * 5000])
wild_number = st.one_of(st.integers(), huge, st.floats(), st.decimals(), st.text(max_size=8))
wild_moment = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
    st.datetimes(min_value=datetime(1999, 12, 31), max_value=datetime(2100, 1, 1),
                 timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)),
                                            timezone(timedelta(hours=-12))])),
    st.sampled_from([datetime.min, datetime.max, datetime(2000, 1, 1), datetime(2024, 2, 29)]),
    st.builds(lambda m: clock.now() - timedelta(minutes=m), st.integers(-20, 10**6)))
anything = st.one_of(wild_text, wild_number, wild_moment, st.booleans(), st.none())


def field(*valid, other=wild_text):
    """A field: its plausible values (``valid``) and the hostile ones (``other``)."""
    return (st.sampled_from(valid) if valid else st.just(""), other)


@st.composite
def breaking(draw, fields: dict, *, most: int = 3) -> dict:
    """Values for ``fields`` (name → field()): plausible, but for one to ``most`` of them
    hostile, so each hostile value meets a call that would otherwise go through."""
    if not fields:
        return {}
    broken = draw(st.sets(st.sampled_from(sorted(fields)), min_size=0 if most == 0 else 1,
                          max_size=max(1, min(most, len(fields)))))
    return {name: draw(other if name in broken else valid)
            for name, (valid, other) in fields.items()}


# --- registration ----------------------------------------------------------------------------

REGISTRATION = {
    "kind": field(*KINDS), "channel": field(*CHANNELS),
    "channel_detail": field("市场监管局", ""), "complainant_name": field("张三", "Müller"),
    "complainant_phone": field("13800138000", "+86 21 1234", ""),
    "complainant_address": field("上海市", ""), "complainant_email": field("a@b.cn", ""),
    "contract_no": field("HT-1", ""), "complainant_department": field("", *DEPARTMENTS),
    "respondent_user": field("", *LOGINS), "respondent_department": field("", *DEPARTMENTS),
    "respondent_text": field("", "销售员小王"),
    "received_at": (st.sampled_from([None, datetime.now() - timedelta(hours=1)]),
                    wild_moment),
    "occurred_at": (st.sampled_from([None, datetime.now() - timedelta(days=1)]), wild_moment),
    "location": field("门店", ""), "description": field("外壳开裂"), "request": field("换货", ""),
    "category": field(*CATEGORIES), "severity": field(*SEVERITIES),
    "note": field("", "首次来电"),
}


def _registration_property(firm, values, actor):
    values = dict(values)
    note = values.pop("note")
    try:
        registering.register(ComplaintInput(**values), actor=firm.users[actor], note=note)
    except DomainError:
        pass


@given(values=breaking(REGISTRATION), actor=st.sampled_from(("rec", "rec", "owner", "han")))
@_settings(50)
def test_registration_refuses_only_with_domain_errors(firm, values, actor):
    _registration_property(firm, values, actor)


@pytest.mark.slow
@given(values=breaking(REGISTRATION), actor=st.sampled_from(("rec", "rec", "owner", "han")))
@_settings(SLOW_EXAMPLES)
def test_registration_refuses_only_with_domain_errors_many(firm, values, actor):
    _registration_property(firm, values, actor)


# --- the path's steps ------------------------------------------------------------------------

# What each step reads from its inputs (services/complaints/actions.py), with plausible values.
# (memo, attachment and data are handed over by other services, not typed by a user.)
PARAMS = {
    "acknowledge": {"contact": field("电话 13800138000")},
    "answer_on_spot": {"answer": field("已当面解释")},
    "transfer": {"to": field(*LOGINS)},
    "record_findings": {"findings": field("来料缺陷"), "responsibility": field("供应商")},
    "escalate": {"to": field(*LOGINS), "level": field(1, 2, "2", other=wild_number)},
    "decide": {"decision": field("免费更换"), "reasons": field("外壳来料缺陷"),
               "remedy": field(*REMEDIES), "amount": field("100.00", 0, other=wild_number),
               "responsibility": field("供应商"), "firm_share": field(50, other=wild_number)},
    "hold_meeting": {"decision": field("赔偿"), "reasons": field("会议决定"),
                     "remedy": field(*REMEDIES), "amount": field("5000", other=wild_number),
                     "attendees": field("王经理,刘总", other=st.one_of(
                         wild_text, st.lists(wild_text, max_size=4))),
                     "meeting": field("投诉小组会议")},
    "send_back": {}, "approve": {}, "start_investigation": {},
    "reply": {"text": field("为您免费更换"), "method": field(*REPLY_METHODS)},
    "record_satisfaction": {"satisfied": field(True, False, "满意", other=anything)},
    "review": {"outcome": field(*REVIEW_OUTCOMES)},
    "external_route": {"route": field(*EXTERNAL_ROUTES), "outcome": field("仲裁中")},
    "visit": {"result": field("客户满意"), "satisfied": field(True, "否", other=anything)},
    "deliver": {"what": field("修好的车")},
    "internal_handling": {"handling": field("返厂维修"), "accountable": field("生产部")},
    "report_regulator": {"regulator": field("银保监局"), "content": field("已处理完毕")},
    "link": {"earlier": field("000000001", other=st.one_of(wild_text, wild_number)),
             "kind": field(*LINK_KINDS)},
    # the bare step: refused unless it names the original (services.complaints.merging)
    "merge": {"into": field("", "000000001", other=st.one_of(wild_text, wild_number))},
    "extend": {"limit": field("10d", "30 days", "48h", "3", other=st.one_of(wild_text,
                                                                            wild_number)),
               "rule": field(None, "reply", other=wild_text)},
    "pause": {}, "resume": {},
    "archive": {"root_cause": field("来料缺陷")},
    "withdraw": {}, "reopen": {},
    "amend": {"description": field("更正描述"), "request": field("退款"),
              "location": field("北京"), "complainant_phone": field("13900001111"),
              "contract_no": field("HT-2"), "respondent_text": field("某某"),
              "category": field(*CATEGORIES), "severity": field(*SEVERITIES),
              "respondent_department": field("", *DEPARTMENTS)},
    "note": {}, "document": {"kind": field("receipt"), "language": field("zh_CN", "en"),
                             "sha256": field("ab" * 32)},
    "quality_memo": {"findings": field("来料缺陷"), "firm_percent": field(60, "40%",
                                                                        other=wild_number),
                     "customer_percent": field(40, "60", other=wild_number),
                     "measures": field("加强来料检验")},
}
assert set(PARAMS) | {"attach"} >= set(ACTIONS), set(ACTIONS) - set(PARAMS) - {"attach"}
START_STATES = ("registered", "acknowledged", "assigned", "investigating", "decided",
                "approved", "replied", "visited")


@st.composite
def steps(draw):
    start = draw(st.sampled_from(START_STATES))
    fitting = sorted(a for a in PARAMS if start in TRANSITIONS[a].sources)
    action = draw(st.one_of(st.sampled_from(fitting), st.sampled_from(fitting),
                            st.sampled_from(sorted(PARAMS)), wild_text))
    known = dict(PARAMS.get(action, {}), note=field("客户来电说明", ""),
                 at=(st.just(None), wild_moment))
    values = draw(breaking(known, most=draw(st.sampled_from((0, 1, 1, 2, 3)))))
    if draw(st.integers(0, 9)) == 0:  # an input no step reads
        values[draw(st.sampled_from(["foo", "ticket", "state", "to"]))] = draw(anything)
    note, at = values.pop("note", ""), values.pop("at", None)
    return dict(action=action, params=values, start=start, note=note, at=at,
                actor=draw(st.sampled_from(("owner", "owner", "mgr", "rec", "han", "head"))))


def _step_property(firm, pool: dict, step: dict):
    cid = pool.get(step["start"])
    if cid is None or Complaint.get_by_id(cid).state != step["start"]:
        cid = pool[step["start"]] = walk_to(firm, step["start"]).complaint_id
    try:
        workflow.act(cid, step["action"], actor=firm.users[step["actor"]], note=step["note"],
                     at=step["at"], **step["params"])
    except DomainError:
        pass


@given(step=steps())
@_settings(50)
def test_steps_refuse_only_with_domain_errors(firm, step):
    _step_property(firm, _pool(firm), step)


@pytest.mark.slow
@given(step=steps())
@_settings(SLOW_EXAMPLES)
def test_steps_refuse_only_with_domain_errors_many(firm, step):
    _step_property(firm, _pool(firm), step)


_POOLS: dict[str, dict] = {}


def _pool(firm) -> dict:
    """Complaints already walked to each start state, per database (kept across examples)."""
    return _POOLS.setdefault(firm.location, {})
