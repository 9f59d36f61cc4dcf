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


def test_open_complaints_in_date_order_page_like_offset(filled):
    # PostgreSQL reads the open states one index range each and merges them (register.py,
    # _one_range_each): the pages must be OFFSET's pages, ties on the date included.
    f = complaints.ComplaintFilter(state="open")
    for actor in (filled.owner, filled.rec):
        for descending in (True, False):
            expected = complaints.ids(actor, f, sort="received", descending=descending)
            assert len(expected) > 200 or actor is filled.rec
            seen, key = [], None
            while page := complaints.page_after(actor, f, "received", descending, key, 97):
                seen += [i for i, _k in page]
                key = page[-1][1]
            assert seen == expected, descending
            seen, key = [], None
            while page := complaints.page_before(actor, f, "received", descending, key, 89):
                seen = [i for i, _k in page] + seen
                key = page[0][1]
            assert seen == expected, descending


def test_a_capped_count_stops_at_its_limit(filled):
    owner = filled.owner
    assert complaints.count(owner, at_most=100) == 100
    assert complaints.count(owner, at_most=10 * N) == complaints.count(owner) == N + 3
    f = complaints.ComplaintFilter(kind="employee")
    assert complaints.count(owner, f, at_most=10 * N) == complaints.count(owner, f)


def test_names_sort_in_pinyin_order_with_latin_names_among_them(firm):
    """Migration 11: the register sorts the complainant by a pinyin key kept with the name —
    李 (li) < 王 (wang) < 张 (zhang) < 赵 (zhao), a Latin name by its first letter."""
    from models.base import name_key

    clock.freeze(NOW)
    names = ["赵六", "张三", "Wang Fang", "王五", "李四", "alice", "Li Na", "安然", "Zoe"]
    for name in names:
        register(firm.rec, complainant_name=name)
    order = complaints.ids(firm.owner, sort="complainant", descending=False)
    shown = [r.complainant for r in complaints.rows(firm.owner, order)]
    assert shown == ["alice", "安然", "Li Na", "李四", "Wang Fang", "王五", "Zoe", "张三",
                     "赵六"]
    paged = complaints.page_after(firm.owner, None, "complainant", True, None, 100)
    assert [i for i, _k in paged] == order[::-1]
    assert name_key("李") < name_key("王") < name_key("张") < name_key("赵")
    assert name_key("ＬＩ") == name_key("li")  # full-width letters as their plain forms
    assert name_key("喆") > name_key("Zz")  # outside GB2312's first level: after z


def test_migration_11_keys_the_names_already_there(firm):
    """A database from before migration 11 gets its names keyed by the migration."""
    from models.base import name_key
    from models.db import database
    from models.migrations import m0011_queue_and_name_keys as m11

    clock.freeze(NOW)
    cid = register(firm.rec, complainant_name="王五").complaint_id
    database.execute_sql('DROP INDEX "complaint_name_key_id"')
    database.execute_sql('DROP INDEX "clock_status_due_at_id"')
    database.execute_sql('DROP INDEX "clock_responsible_id_status_due_at_id"')
    database.execute_sql('DROP INDEX "vehicle_updated_at_id"')
    database.execute_sql('ALTER TABLE "complaint" DROP COLUMN "name_key"')
    m11.apply(database)
    assert Complaint.get_by_id(cid).name_key == name_key("王五") != ""


# --- the penalty ledger and the vehicles list page the same way --------------------------------

LEDGER_N = 1200
LEDGER_SORTS = ("id", "person", "department", "rule", "amount", "month", "status")


def fill_ledger(firm, n: int = LEDGER_N) -> None:
    """``n`` ledger entries by direct inserts, copies of one proposed by hand: a few people,
    units (no person), amounts, months and statuses, with ties."""
    from decimal import Decimal

    from models.penalties import PenaltyEntry, PenaltyEntryEvent
    from services import penalties

    clock.freeze(NOW)
    first = penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                              amount="50", reason="服务态度差").entry_ids[0]
    entry = PenaltyEntry.get_by_id(first).__data__
    event = PenaltyEntryEvent.get(PenaltyEntryEvent.entry == first).__data__
    rng = random.Random(11)
    people = [(firm.han.id, firm.han.department_id), (firm.han2.id, firm.han2.department_id),
              (firm.rec.id, firm.rec.department_id), (None, None)]
    start = PenaltyEntry.select(fn_max(PenaltyEntry.id)).scalar() + 1
    entries, events = [], []
    for at in range(n):
        user, dept = rng.choice(people)
        row = dict(entry, id=start + at, user=user, department=dept,
                   unit_name="" if user else rng.choice(["东方经销商", "西城直营店"]),
                   amount=Decimal(rng.choice(["50", "100", "20"])))
        entries.append(row)
        ev = dict(event)
        ev.pop("id")
        ev.update(entry=start + at, amount=row["amount"],
                  status=rng.choice(["proposed", "approved", "rejected"]),
                  month=rng.choice(["2025-05", "2025-06"]))
        events.append(ev)
    for at in range(0, n, 300):
        PenaltyEntry.insert_many(entries[at:at + 300]).execute()
        PenaltyEntryEvent.insert_many(events[at:at + 300]).execute()


def fn_max(column):
    from peewee import fn

    return fn.MAX(column)


def test_ledger_keyset_pages_equal_its_plain_order(firm):
    from services import penalties

    fill_ledger(firm)
    owner = firm.owner
    total = penalties.count(owner)
    assert total == LEDGER_N + 1 == penalties.count(owner, at_most=10 * LEDGER_N)
    assert penalties.count(owner, at_most=100) == 100
    for sort in LEDGER_SORTS:
        for descending in (True, False):
            expected = penalties.ids(owner, sort=sort, descending=descending)
            seen, key = [], None
            while page := penalties.page_after(owner, None, sort, descending, key, 97):
                seen += [i for i, _k in page]
                key = page[-1][1]
            assert seen == expected, (sort, descending)
            seen, key = [], None
            while page := penalties.page_before(owner, None, sort, descending, key, 89):
                seen = [i for i, _k in page] + seen
                key = page[0][1]
            assert seen == expected, (sort, descending)
            for offset in (0, 150, total // 2, total - 60):
                page = penalties.page_at(owner, None, sort, descending, offset, 50,
                                         total=total)
                assert [i for i, _k in page] == expected[offset:offset + 50], (sort, offset)
    # what a handler may see: only what is about them
    mine = penalties.page_after(firm.han, None, "id", True, None, 10 * LEDGER_N)
    assert [i for i, _k in mine] == penalties.ids(firm.han)


VEHICLES_N = 900


def fill_vehicles(shop, n: int = VEHICLES_N) -> None:
    """``n`` vehicles by direct inserts, copies of one saved, last seen to at a few moments."""
    from models.warranty import Vehicle
    from services import warranty

    clock.freeze(NOW)
    first = warranty.save_vehicle(actor=shop.rec, plate="浙A12345", vehicle_class="car",
                                  owner_name="张三", owner_phone="13800138000").vehicle
    template = Vehicle.get_by_id(first.id).__data__
    rng = random.Random(3)
    rows = []
    for at in range(n):
        row = dict(template)
        row.pop("id")
        row.update(plate=f"浙B{at:05d}", vin="",
                   updated_at=NOW - timedelta(hours=rng.choice([0, 1, 5, 30])))
        rows.append(row)
    for at in range(0, n, 300):
        Vehicle.insert_many(rows[at:at + 300]).execute()


def test_vehicle_keyset_pages_equal_the_plain_order(firm_factory):
    from services import warranty

    shop = firm_factory("repair-shop")
    fill_vehicles(shop)
    rec = shop.rec
    expected = [v.id for v in warranty.find_vehicles(actor=rec, limit=None)]
    total = len(expected)
    assert total == VEHICLES_N + 1
    assert warranty.count_vehicles_upto(actor=rec, at_most=100) == 100
    seen, key = [], None
    while page := warranty.vehicle_page(actor=rec, key=key, limit=97):
        seen += [i for i, _k in page]
        key = page[-1][1]
    assert seen == expected
    seen, key = [], None
    while page := warranty.vehicle_page(actor=rec, key=key, limit=89, backwards=True):
        seen = [i for i, _k in page] + seen
        key = page[0][1]
    assert seen == expected
    for offset in (0, 123, total // 2, total - 40):
        page = warranty.vehicle_page_at(actor=rec, offset=offset, limit=50, total=total)
        assert [i for i, _k in page] == expected[offset:offset + 50]
    found = warranty.vehicle_page(actor=rec, text="浙B0001", limit=100)
    assert [i for i, _k in found] == [v.id for v in warranty.find_vehicles(actor=rec,
                                                                           text="浙B0001")]
    rows = warranty.vehicles_by_id(actor=rec, vehicle_ids=expected[:3])
    assert sorted(r.id for r in rows) == sorted(expected[:3])
