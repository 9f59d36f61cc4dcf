"""models.base.compiled: a query's SQL made once per shape, each run with its own values
(docs/design.md, "A complaint with its timeline"). On both backends."""
from __future__ import annotations

import pytest

from models import base
from models.base import compiled
from models.entities import Complaint, Event
from services.complaints import path as workflow
from services.complaints import register as complaints
from tests.helpers import register


def _by_ticket(ticket):
    return Complaint.select(Complaint.id, Complaint.ticket).where(Complaint.ticket == ticket)


def _events_of(cid):
    return Event.select().where(Event.complaint == cid).order_by(Event.id)


def test_each_run_gets_its_own_values_in_their_places(firm):
    a = register(firm.rec, complainant_name="孔强")
    b = register(firm.rec, complainant_name="周明")
    workflow.act(b.complaint_id, "acknowledge", actor=firm.rec)
    ta, tb = (Complaint.get_by_id(r.complaint_id).ticket for r in (a, b))
    # a number compared with a text column, and an id: both stand-ins are found
    assert [c.id for c in compiled(("test.ticket",), _by_ticket, ta)] == [a.complaint_id]
    assert [c.id for c in compiled(("test.ticket",), _by_ticket, tb)] == [b.complaint_id]
    assert compiled(("test.ticket",), _by_ticket, "no such number") == []
    for r in (a, b, a):
        got = [(e.id, e.action) for e in compiled(("test.events",), _events_of, r.complaint_id)]
        assert got == [(e.id, e.action) for e in _events_of(r.complaint_id)]
    assert [e.action for e in compiled(("test.events",), _events_of, b.complaint_id)] == [
        "register", "acknowledge"]


def test_a_value_the_query_does_not_take_is_refused(firm):
    with pytest.raises(ValueError):
        compiled(("test.unused",), lambda _cid: Event.select().where(Event.id == 1), 5)


def test_the_complaint_each_user_sees_is_theirs_whatever_was_compiled_before(firm):
    """The complaint query is written per user (the visibility check): a user who may not see
    a complaint is refused it even after another who may has opened it."""
    r = register(firm.rec, complainant_name="孔强", kind="employee", category="management",
                 complainant_department="sales")
    assert complaints.detail(r.complaint_id, actor=firm.hr1).complaint.id == r.complaint_id
    from services.errors import NotYours

    with pytest.raises(NotYours):
        complaints.detail(r.complaint_id, actor=firm.han)
    assert base._COMPILED  # the queries were kept
