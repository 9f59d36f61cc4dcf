"""The register's queries at scale (rules.md §10, docs/design.md "The register at a million"):
keyset pages equal OFFSET pages for every filter and sort, on both backends; filters keep
exactly the complaints they name; the visibility expression keeps exactly what the per-row
check it replaced kept, for every role; a complaint with its timeline is a handful of queries.
"""
from __future__ import annotations

import random
from datetime import timedelta

import pytest
from peewee import SQL, fn

from models.db import database
from models.entities import Category, Complaint, ComplaintAccess, Department, User
from services.complaints import register as complaints
from services.complaints.path import CLOSED_STATES, OPEN_STATES
from services.people.permissions import has_role, is_senior, not_respondent, visible_filter
from tests.helpers import register
from tests.services.test_keyset_paging import NOW, N, _fill

F = complaints.ComplaintFilter


@pytest.fixture
def filled(firm):
    _fill(firm)
    rng = random.Random(11)
    # some complaints about staff (never shown to them) and access rows for the receiver
    ids = [i for (i,) in Complaint.select(Complaint.id).tuples()]
    for cid in rng.sample(ids, 60):
        Complaint.update(respondent_user=rng.choice([firm.han.id, firm.rec.id])).where(
            Complaint.id == cid).execute()
    rows = [{"complaint": cid, "user": firm.han.id, "reason": "handed"}
            for cid in rng.sample(ids, 300)]
    # whoever registered a complaint has an access row, as register() grants it
    rows += [{"complaint": cid, "user": by, "reason": "registered"}
             for cid, by in Complaint.select(Complaint.id, Complaint.registered_by).tuples()]
    ComplaintAccess.insert_many(rows).on_conflict_ignore().execute()
    return firm


def _filters(firm) -> dict[str, F]:
    category = Category.get_by_id(Complaint.select(Complaint.category).first().category_id)
    return {
        "none": F(), "open": F(state="open"), "closed": F(state="closed"),
        "assigned": F(state="assigned"), "kind": F(kind="employee"),
        "category": F(category=category.code), "handler": F(handler="han"),
        "dates": F(received_from=(NOW - timedelta(days=2)).date(),
                   received_to=(NOW - timedelta(days=1)).date()),
        "overdue": F(overdue_only=True), "unknown category": F(category="no-such"),
    }


def _matches(c: Complaint, f: F, firm, category_id: int | None) -> bool:
    """The filter, in Python, as rules.md §3 states it."""
    if f.state == "open" and c.state not in OPEN_STATES:
        return False
    if f.state == "closed" and c.state not in CLOSED_STATES:
        return False
    if f.state not in ("", "open", "closed") and c.state != f.state:
        return False
    if f.kind and c.kind != f.kind:
        return False
    if f.category and c.category_id != category_id:
        return False
    if f.handler and c.handler_id != firm.han.id:
        return False
    if f.received_from and c.received_at.date() < f.received_from:
        return False
    if f.received_to and c.received_at.date() > f.received_to:
        return False
    return not (f.overdue_only and (c.next_due_at is None or c.next_due_at >= NOW))


def test_every_filter_keeps_what_it_names_and_pages_by_key_as_by_offset(filled):
    owner = filled.owner
    everything = [c for c in Complaint.select()
                  if c.respondent_user_id != owner.id]
    for name, f in _filters(filled).items():
        cat = Category.get_or_none(Category.code == f.category) if f.category else None
        wanted = {c.id for c in everything
                  if _matches(c, f, filled, cat.id if cat else None)}
        assert complaints.count(owner, f) == len(wanted), name
        assert complaints.count(owner, f, at_most=10 * N) == len(wanted), name
        for sort in complaints.SORT_COLUMNS:
            for descending in (True, False):
                expected = complaints.ids(owner, f, sort=sort, descending=descending)
                assert set(expected) == wanted, (name, sort)
                seen, key = [], None
                while True:
                    page = complaints.page_after(owner, f, sort, descending, key, 211)
                    if not page:
                        break
                    seen += [i for i, _k in page]
                    key = page[-1][1]
                assert seen == expected, (name, sort, descending)
                end = complaints.page_before(owner, f, sort, descending, None, 50)
                assert [i for i, _k in end] == expected[-50:], (name, sort, descending)
                if len(expected) > 10:
                    at = len(expected) // 2
                    page = complaints.page_at(owner, f, sort, descending, at, 7,
                                              total=len(expected))
                    assert [i for i, _k in page] == expected[at:at + 7], (name, sort)
                # a jump from the nearest seek mark lands on the very rows OFFSET reads
                marks = complaints.seek_marks(owner, f, sort, descending, every=37)
                assert len(marks) == -(-len(expected) // 37)
                for at in {0, 1, 36, 37, 38, len(expected) // 2, len(expected) - 1} - {-1}:
                    page = complaints.page_at(owner, f, sort, descending, at, 9,
                                              marks=marks, every=37)
                    assert [i for i, _k in page] == expected[at:at + 9], (name, sort, at)


def _per_row_visible(user: User):
    """The visibility check as it was before it became a join (rules.md §2): a correlated
    EXISTS per complaint row. The reference the new expression must agree with."""
    if is_senior(user):
        return not_respondent(user)
    involved = fn.EXISTS(
        ComplaintAccess.select(SQL("1")).where((ComplaintAccess.complaint == Complaint.id)
                                               & (ComplaintAccess.user == user.id)))
    customer = involved
    if has_role(user, "head") and user.department_id is not None:
        handler = User.alias()
        customer = customer | fn.EXISTS(handler.select(SQL("1")).where(
            (handler.id == Complaint.handler) & (handler.department == user.department_id)))
    employee = Complaint.registered_by == user.id
    if user.department_id is not None:
        employee = employee | fn.EXISTS(Department.select(SQL("1")).where(
            (Department.id == user.department_id) & (Department.is_hr == True)))  # noqa: E712
    return not_respondent(user) & (((Complaint.kind == "customer") & customer)
                                   | ((Complaint.kind == "employee") & employee))


@pytest.mark.parametrize("few", [15_000, 0], ids=["own rows", "order index"])
def test_visibility_keeps_exactly_what_the_per_row_check_kept_for_every_role(filled, few,
                                                                             monkeypatch):
    from services.people import permissions

    # both ways of reading a user's register: from their own rows, or walking the order
    monkeypatch.setattr(permissions, "FEW_VISIBLE", few)
    monkeypatch.setattr(permissions, "_candidate_sizes", {})
    users = list(User.select())
    assert {r for u in users for r in u.roles.split(",")} >= {
        "receiver", "handler", "head", "manager", "owner"}
    for user in users:
        old = {i for (i,) in Complaint.select(Complaint.id).where(_per_row_visible(user))
               .tuples()}
        new = {i for (i,) in Complaint.select(Complaint.id).where(visible_filter(user))
               .tuples()}
        assert new == old, user.login
        assert complaints.count(user) == len(old), user.login
        assert complaints.count(user, at_most=10 * N) == len(old), user.login
        paged, key = [], None
        while True:
            page = complaints.page_after(user, None, "received", True, key, 500)
            if not page:
                break
            paged += [i for i, _k in page]
            key = page[-1][1]
        assert set(paged) == old and len(paged) == len(old), user.login


def test_a_complaint_with_its_timeline_is_at_most_six_queries(firm):
    ticket = register(firm.rec, received_at=NOW - timedelta(hours=3)).ticket
    statements = []
    original = database.obj.execute_sql

    def counted(sql, *args, **kwargs):
        statements.append(sql)
        return original(sql, *args, **kwargs)

    for actor in (firm.owner, firm.rec, firm.mgr):
        complaints.detail(ticket, actor=actor)  # caches warm, as in the window
        statements.clear()
        database.obj.execute_sql = counted
        try:
            detail = complaints.detail(ticket, actor=actor)
        finally:
            database.obj.execute_sql = original
        assert detail.events and detail.events[0].action == "register"
        assert len(statements) <= 6, (actor.login, statements)
