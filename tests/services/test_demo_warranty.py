"""The repair shop's warranty demo data as a front desk would print it: claims registered on the
day they were claimed, quality memos whose split of responsibility follows their findings, and
replies that tell the customer what happens (docs/rules.md §8)."""
from __future__ import annotations

from datetime import datetime

from models.entities import Complaint, Event
from models.warranty import QualityMemo, WarrantyClaim
from services import clock
from services.demo.warranty import generate_warranty


def test_claims_memos_and_replies_are_consistent(firm_factory):
    firm_factory("repair-shop")
    clock.freeze(datetime(2025, 9, 26, 18))
    summary = generate_warranty(seed=5, count=30)
    assert summary.claims > 5
    claims = list(WarrantyClaim.select())
    assert claims and all(k.registered_at.date() == k.claim_date for k in claims)
    complaints = {c.id: c for c in Complaint.select()}
    assert all(complaints[k.complaint_id].registered_at.date() == k.claim_date for k in claims)
    memos = list(QualityMemo.select())
    assert memos
    for m in memos:
        if "使用不当" in m.findings:
            assert m.shop_percent == 0, m.findings
        if "工艺问题" in m.findings or "质量缺陷" in m.findings:
            assert m.shop_percent == 100, m.findings
    replies = [e.data["text"] for e in Event.select().where(Event.action == "reply")]
    assert replies and all(t.startswith("经检查") for t in replies)
