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


def _state(cid: int) -> str:
    from models.entities import Complaint

    return Complaint.get_by_id(cid).state


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
