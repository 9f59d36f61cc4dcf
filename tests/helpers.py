"""Small builders shared by the tests."""
from __future__ import annotations

from datetime import datetime, timedelta

from services import clock
from services.complaints import ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as complaints


def register(actor, **overrides):
    data = dict(kind="customer", channel="phone", complainant_name="张三",
                complainant_phone="13800138000", description="收到的产品外壳开裂",
                request="换货", category="product_quality",
                received_at=clock.now() - timedelta(minutes=5))
    data.update(overrides)
    return complaints.register(ComplaintInput(**data), actor=actor)


def walk_to(firm, target: str, **register_overrides):
    """Register a complaint and walk it with the company firm's staff up to ``target``."""
    r = register(firm.rec, **register_overrides)
    cid = r.complaint_id
    steps = [
        ("acknowledged", firm.rec, "acknowledge", {}),
        ("assigned", firm.rec, "transfer", {"to": "han"}),
        ("investigating", firm.han, "start_investigation", {}),
        ("decided", firm.han, "decide", {"decision": "免费更换", "reasons": "外壳来料缺陷",
                                          "remedy": "return"}),
        ("approved", firm.mgr, "approve", {}),
        ("replied", firm.rec, "reply", {"text": "为您免费更换"}),
        ("visited", firm.rec, "visit", {"result": "客户满意"}),
    ]
    for state, actor, action, params in steps:
        if _state(cid) == target:
            break
        workflow.act(cid, action, actor=actor, **params)
        if state == "replied":
            workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=True)
    assert _state(cid) == target
    return r


def head_misses_the_hour(firm, start: datetime, *, head: str = "head"):
    """A complaint escalated to ``head`` at ``start`` and decided two hours later: the head's
    one-hour limit is missed, and the program proposes a fine."""
    clock.freeze(start)
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "escalate", actor=firm.han, to=head)
    clock.freeze(start + timedelta(hours=2))
    workflow.act(r.complaint_id, "decide", actor=getattr(firm, head), decision="换新",
                 reasons="来料缺陷", remedy="return")
    return r


def _state(cid: int) -> str:
    from models.entities import Complaint

    return Complaint.get_by_id(cid).state


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def on_screen(qtbot, widget, width: int = 1200, height: int = 600):
    """``widget`` shown on screen at that size, as a window's section is (the UI tests)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def views_on_screen(qtbot, session_for, firm, view_class, size: tuple[int, int], login: str):
    """``make(login)``: a ``view_class`` of that user's window session (``login`` unless
    told), on screen at ``size``."""
    default = login

    def make(login: str = default):
        return on_screen(qtbot, view_class(session_for(firm, login)), *size)

    return make
