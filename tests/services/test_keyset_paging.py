"""Keyset paging of the register (rules.md §10): pages read "after this row" or "before this
row" are exactly the pages OFFSET reads, for every sort column and direction, with ties on the
sort key and empty values, on both backends."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from models.base import id_page
from models.entities import Category, Complaint, User
from services import clock
from services.complaints import register as complaints
from tests.helpers import register

NOW = datetime(2025, 6, 2, 10, 0)
N = 1500


def _fill(firm) -> None:
    """A few registered complaints, then ``N`` copies with many ties: a few received
    moments, names, states, handlers (some none) and due times (some none)."""
    clock.freeze(NOW)
    base = [register(firm.rec, received_at=NOW - timedelta(hours=h)).complaint_id
            for h in range(1, 4)]
    template = Complaint.get_by_id(base[0]).__data__
    rng = random.Random(5)
    moments = [NOW - timedelta(days=d, minutes=m) for d in range(4) for m in (0, 7)]
    names = ["张三", "李四", "王五", "Alice", "bob"]
    handlers = [None, firm.han.id, firm.han2.id, firm.hr1.id]
    categories = [c.id for c in Category.select()][:4]
    rows = []
    for n in range(N):
        row = dict(template)
        row.pop("id")
        row.update(ticket=f"99{n:07d}", year=2099, seq=n + 1, received_at=rng.choice(moments),
                   complainant_name=rng.choice(names), kind=rng.choice(["customer", "customer",
                                                                         "employee"]),
                   state=rng.choice(["registered", "assigned", "closed"]),
                   handler=rng.choice(handlers), category=rng.choice(categories),
                   next_due_at=rng.choice([None, NOW + timedelta(hours=2), NOW]))
        rows.append(row)
    for start in range(0, N, 500):
        Complaint.insert_many(rows[start:start + 500]).execute()


def _offset_order(actor: User, sort: str, descending: bool) -> list[int]:
    return complaints.ids(actor, sort=sort, descending=descending)


@pytest.fixture
def filled(firm):
    _fill(firm)
    return firm


def test_keyset_pages_equal_offset_pages_for_every_sort(filled):
    owner = filled.owner
    total = complaints.count(owner)
    assert total == N + 3
    for sort in complaints.SORT_COLUMNS:
        for descending in (True, False):
            expected = _offset_order(owner, sort, descending)
            assert len(expected) == total
            # forward, page after page
            seen, key = [], None
            while True:
                page = complaints.page_after(owner, None, sort, descending, key, 97)
                if not page:
                    break
                assert [i for i, _k in page] == expected[len(seen):len(seen) + len(page)]
                seen += [i for i, _k in page]
                key = page[-1][1]
            assert seen == expected, (sort, descending)
            # backward from the end
            seen, key = [], None
            while True:
                page = complaints.page_before(owner, None, sort, descending, key, 89)
                if not page:
                    break
                seen = [i for i, _k in page] + seen
                assert seen == expected[total - len(seen):], (sort, descending)
                key = page[0][1]
            assert seen == expected
            # a jump to any position, from whichever end is nearer
            for offset in (0, 1, 200, total // 2, total - 150, total - 1):
                page = complaints.page_at(owner, None, sort, descending, offset, 100,
                                          total=total)
                assert [i for i, _k in page] == expected[offset:offset + 100], (sort, offset)


def test_offset_order_keeps_empty_values_last_and_ties_by_id(filled):
    owner = filled.owner
    order = complaints.ids(owner, sort="handler", descending=True)
    handler_of = dict(Complaint.select(Complaint.id, Complaint.handler).tuples())
    empties = [i for i in order if handler_of[i] is None]
    assert empties and order[-len(empties):] == empties == sorted(empties, reverse=True)
    assert (id_page(Complaint.select(Complaint.id), Complaint.ticket, Complaint.id,
                    descending=False, limit=3, reverse=True)
            == [i for _t, i in sorted(Complaint.select(Complaint.ticket, Complaint.id)
                                      .tuples())][-3:][::-1])


def test_keyset_pages_follow_the_filter_and_visibility(filled):
    rec = filled.rec  # sees only the complaints they are involved in
    f = complaints.ComplaintFilter(state="open")
    expected = complaints.ids(rec, f, sort="state", descending=False)
    page = complaints.page_after(rec, f, "state", False, None, 1000)
    assert [i for i, _k in page] == expected
    assert expected
    assert complaints.count(rec, f, at_most=10 * N) == complaints.count(rec, f)


def test_a_capped_count_stops_at_its_limit(filled):
    owner = filled.owner
    assert complaints.count(owner, at_most=100) == 100
    assert complaints.count(owner, at_most=10 * N) == complaints.count(owner) == N + 3
    f = complaints.ComplaintFilter(kind="employee")
    assert complaints.count(owner, f, at_most=10 * N) == complaints.count(owner, f)
