"""Property tests: no sequence of actions leaves the diagram of rules.md §4, and the timeline
always explains the current state."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.entities import Complaint, Event
from services.complaints import path as workflow
from services.errors import DomainError
from tests.helpers import register

# rules.md §4 diagram, as edges (from, to); self-loops are steps that keep the state.
DIAGRAM = {
    ("registered", "acknowledged"), ("registered", "replied"), ("registered", "withdrawn"),
    ("registered", "assigned"),  # handed on at once (an employee complaint to HR)
    ("replied", "approved"),  # a review keeps the decision: reply again
    ("acknowledged", "assigned"), ("assigned", "investigating"),
    ("investigating", "decided"), ("decided", "approved"), ("approved", "replied"),
    ("decided", "replied"),  # only where the profile needs no approval
    ("replied", "visited"), ("visited", "archived"), ("replied", "archived"),
    ("investigating", "investigating"), ("decided", "investigating"),
    ("assigned", "investigating"), ("replied", "investigating"),  # review
    ("visited", "investigating"),  # reopened after a visit
    ("replied", "acknowledged"), ("visited", "acknowledged"),  # reopened, never assigned
    ("withdrawn", "archived"), ("withdrawn", "acknowledged"),
    ("acknowledged", "withdrawn"), ("assigned", "withdrawn"), ("investigating", "withdrawn"),
    ("decided", "withdrawn"), ("approved", "withdrawn"), ("decided", "decided"),
}


STEPS = [
    ("acknowledge", "rec", {}),
    ("answer_on_spot", "rec", {"answer": "已解释"}),
    ("transfer", "rec", {"to": "han"}),
    ("transfer", "rec", {"to": "han2"}),
    ("start_investigation", "han", {}),
    ("start_investigation", "han2", {}),
    ("record_findings", "han", {"findings": "查明"}),
    ("escalate", "han", {"to": "head"}),
    ("escalate", "head", {"to": "mgr"}),
    ("decide", "han", {"decision": "更换", "reasons": "质量问题"}),
    ("decide", "head", {"decision": "更换", "reasons": "质量问题"}),
    ("decide", "mgr", {"decision": "退款", "reasons": "复核", "remedy": "refund",
                       "amount": "99.50"}),
    ("hold_meeting", "owner", {"decision": "赔偿", "reasons": "会议", "attendees": "刘总,王经理"}),
    ("send_back", "mgr", {"note": "理由不足"}),
    ("approve", "mgr", {}),
    ("reply", "rec", {"text": "答复"}),
    ("record_satisfaction", "rec", {"satisfied": True}),
    ("record_satisfaction", "rec", {"satisfied": False}),
    ("review", "mgr", {"outcome": "change"}),
    ("review", "owner", {"outcome": "keep_reply"}),
    ("review", "owner", {"outcome": "keep_close", "note": "维持原决定"}),
    ("external_route", "rec", {"route": "court", "outcome": "起诉"}),
    ("visit", "rec", {"result": "回访满意"}),
    ("pause", "rec", {"note": "等客户"}),
    ("resume", "rec", {}),
    ("extend", "rec", {"limit": "2 hours", "note": "复杂"}),
    ("archive", "rec", {"root_cause": "来料"}),
    ("withdraw", "rec", {"note": "撤回"}),
    ("reopen", "mgr", {"note": "重开"}),
    ("note", "han2", {"note": "旁观"}),
]


PATHS = st.lists(st.sampled_from(range(len(STEPS))), min_size=1, max_size=40)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@settings(max_examples=40, deadline=None, suppress_health_check=HEALTH)
@given(PATHS)
def test_random_paths_stay_on_the_diagram(firm, picks):
    walk(firm, picks)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=HEALTH)
@given(PATHS)
def test_many_random_paths_stay_on_the_diagram(firm, picks):
    walk(firm, picks)


def walk(firm, picks):
    """Take the steps picked, each refused or on the diagram; the timeline chains up."""
    cid = register(firm.rec).complaint_id
    for index in picks:
        action, login, params = STEPS[index]
        before = Complaint.get_by_id(cid).state
        count = Event.select().where(Event.complaint == cid).count()
        try:
            workflow.act(cid, action, actor=firm.users[login], **params)
        except DomainError:
            # refused: nothing changed
            assert Complaint.get_by_id(cid).state == before
            assert Event.select().where(Event.complaint == cid).count() == count
            continue
        after = Complaint.get_by_id(cid).state
        assert after in workflow.STATES
        assert before == after or (before, after) in DIAGRAM, (action, before, after)
    events = list(Event.select().where(Event.complaint == cid).order_by(Event.id))
    assert events[0].from_state == ""
    for prev, nxt in zip(events, events[1:], strict=False):
        assert nxt.from_state == prev.to_state
        if nxt.from_state != nxt.to_state:
            assert (nxt.from_state, nxt.to_state) in DIAGRAM
    assert events[-1].to_state == Complaint.get_by_id(cid).state
