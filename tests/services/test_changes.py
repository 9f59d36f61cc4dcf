"""What a service says it changed (services/changes.py): the window refreshes from it."""
from __future__ import annotations

from datetime import datetime

import pytest

from services.changes import ALL, Changes
from services.complaints import path as workflow
from services.penalties import approve, ids
from tests.helpers import head_decides_late, register

START = datetime(2026, 10, 12, 9, 0)  # a Monday


def test_changes_combine_and_say_what_they_touch():
    one = Changes.of_complaint(7)
    assert one.touches_complaint(7) and not one.touches_complaint(8)
    both = one | Changes(ledger=True)
    assert both.complaints == frozenset({7}) and both.ledger and both.data
    assert (both | Changes(complaints=ALL)).touches_complaint(12345)
    assert not Changes() and Changes(language=True) and not Changes(language=True).data
    with pytest.raises(ValueError):
        Changes(complaints="some")


def test_a_step_names_its_complaint_and_nothing_else(firm):
    r = register(firm.rec)
    assert r.changes == Changes.of_complaint(r.complaint_id)
    step = workflow.act(r.complaint_id, "acknowledge", actor=firm.rec)
    assert step.changes == Changes.of_complaint(r.complaint_id)


def test_a_step_that_proposes_a_fine_names_the_ledger_too(firm):
    r, late = head_decides_late(firm, START)  # the head's one-hour limit is missed...
    assert late.changes == Changes.of_complaint(r.complaint_id)  # ...which alone fines nobody
    again = register(firm.rec, description="再次投诉")
    linked = workflow.act(again.complaint_id, "link", actor=firm.rec, earlier=r.ticket)
    # ...until the customer complains again: the link proposes, and names the ledger
    assert linked.changes == Changes.of_complaint(again.complaint_id, ledger=True)
    decided = approve(actor=firm.owner, entry_ids=ids(firm.owner))
    assert decided.changes == Changes(ledger=True)
