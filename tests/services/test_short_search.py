"""Searching the register by one or two characters (rules.md §10): the word index of migration
9 finds exactly what the former LIKE scan found, on both backends."""
from __future__ import annotations

import random

import pytest
from peewee import fn

from models.db import database, is_postgres
from models.entities import Complaint
from models.migrations import m0009_short_search
from services.complaints import ComplaintFilter
from services.complaints import path as workflow
from services.complaints import register as complaints
from tests.helpers import register

# A few Chinese characters (so that short words recur), ASCII in both cases, digits and the
# characters LIKE and FTS5 treat specially.
ALPHABET = "王李孔强周明张三异响开裂外壳" + "aAbBzZ" + "0139" + " -%_\"'，。"
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _text(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(low, high)))


def _expected(rows, query: str) -> set[int]:
    """The register's rule: the name or description holds the text anywhere; the ticket,
    phone or contract number begins with it; ASCII letters in either case."""
    q = query.translate(ASCII_LOWER)
    found = set()
    for cid, ticket, name, phone, contract, description in rows:
        ticket, name, phone, contract, description = (
            (v or "").translate(ASCII_LOWER) for v in (ticket, name, phone, contract,
                                                      description))
        if (q in name or q in description or ticket.startswith(q) or phone.startswith(q)
                or contract.startswith(q)):
            found.add(cid)
    return found


def _former_like(query: str):
    """The search as it was before migration 9: a LIKE scan of the five columns."""
    like = f"%{query}%"
    return ((Complaint.ticket.startswith(query)) | (Complaint.complainant_name ** like)
            | (Complaint.complainant_phone.startswith(query))
            | (Complaint.contract_no.startswith(query)) | (Complaint.description ** like))


def _rows():
    return list(Complaint.select(Complaint.id, Complaint.ticket, Complaint.complainant_name,
                                 Complaint.complainant_phone, Complaint.contract_no,
                                 Complaint.description).tuples())


def _found(actor, query: str) -> set[int]:
    f = ComplaintFilter(text=query)
    found = set(complaints.ids(actor, f))
    assert complaints.count(actor, f) == len(found)
    # the register's capped count (read from the search index on SQLite) agrees
    for cap in (1, 2, len(found) + 1):
        assert complaints.count(actor, f, at_most=cap) == min(cap, len(found)), (query, cap)
    return found


def _queries(rng: random.Random, rows, n: int) -> list[str]:
    queries = {c for c in ALPHABET if c.strip()}
    for _ in range(n):
        value = rng.choice(rng.choice(rows)[1:]) or "x"
        start = rng.randrange(len(value))
        queries.add(value[start:start + rng.choice((1, 2))].strip() or "强")
        queries.add(_text(rng, 2, 2).strip() or "a")
    return sorted(queries)


def _check(actor, rng, *, against_like: bool = True) -> int:
    rows = _rows()
    checked = 0
    for query in _queries(rng, rows, 60):
        assert 1 <= len(query) <= 2
        found = _found(actor, query)
        assert found == _expected(rows, query), query
        if against_like and "%" not in query and "_" not in query:
            # the former scan read % and _ as wildcards; everything else it found the same
            former = {i for (i,) in Complaint.select(Complaint.id)
                      .where(_former_like(query)).tuples()}
            assert found == former, query
        checked += bool(found)
    return checked


def test_short_search_finds_what_the_scan_found(firm):
    rng = random.Random(20240609)
    _random_complaints(firm, rng)
    assert _check(firm.owner, rng) > 20  # most queries find something


def test_a_common_short_word_read_along_the_order_finds_the_same(firm, monkeypatch):
    """A word in many complaints is looked for along the register's order with LIKE rather
    than listed from the word index (rules.md §10): the same complaints either way. Here every
    word counts as common."""
    rng = random.Random(20240609)
    _random_complaints(firm, rng)
    monkeypatch.setattr(complaints, "COMMON_LEAST", 0)
    monkeypatch.setattr(complaints, "LIKE_COST", {"sqlite": 0, "postgres": 0,
                                                  "postgres, no letters": 0})
    common = []
    plain = complaints._common_word
    monkeypatch.setattr(complaints, "_common_word", lambda *words: common.append(
        plain(*words)) or common[-1])
    assert _check(firm.owner, rng) > 20
    assert any(common)  # the LIKE path was taken


def test_a_page_that_walks_the_order_for_a_frequent_word_finds_the_same(firm, monkeypatch):
    """SQLite: a word with thousands of matches is paged by walking the register's order and
    keeping the rows in the list of matches (services/complaints/register.py, _walk_along):
    the same complaints as the scan. Here every word is frequent enough."""
    if is_postgres():
        pytest.skip("PostgreSQL lists its matches by row address instead")
    rng = random.Random(20240609)
    _random_complaints(firm, rng)
    monkeypatch.setattr(complaints, "WALK_FACTOR", 0)
    walked = []
    plain = complaints._walk_along
    monkeypatch.setattr(complaints, "_walk_along", lambda query: walked.append(
        plain(query)) or walked[-1])
    assert _check(firm.owner, rng) > 20
    assert walked and all(walked)
    # and in the order of the register, page by page
    f = ComplaintFilter(text="王")
    listed = complaints.ids(firm.owner, f)
    assert listed == [c.id for c in Complaint.select(Complaint.id).where(
        Complaint.id.in_(listed)).order_by(Complaint.received_at.desc(), Complaint.id.desc())]


@pytest.mark.parametrize("common", [False, True], ids=["listed", "common"])
def test_capped_counts_of_longer_words_agree_for_every_role(firm, monkeypatch, common):
    """Three characters or more (the trigram index): the capped count the register shows
    first agrees with the exact count, whoever asks. On PostgreSQL a page lists a rare
    phrase's matches first and checks a common one on the rows in register order: the same
    complaints either way."""
    if common:  # every phrase counts as common
        monkeypatch.setattr(complaints, "COMMON_LEAST", 0)
        monkeypatch.setattr(complaints, "LIKE_COST", {"sqlite": 0, "postgres": 0,
                                                  "postgres, no letters": 0})
    rng = random.Random(20241204)
    _random_complaints(firm, rng)
    texts = {row[k][i:i + n] for row in _rows() for k in (2, 5) for n in (3, 4)
             for i in range(0, max(len(row[k] or "") - n + 1, 0), 3)}
    texts = sorted(t for t in texts if t.strip() and len(t.strip()) >= 3)[:40]
    assert texts
    rows = _rows()
    for text in texts:  # what the index finds is what a scan of the five columns finds
        wanted = text.translate(ASCII_LOWER)
        scanned = {row[0] for row in rows
                   if any(wanted in (value or "").translate(ASCII_LOWER) for value in row[1:])}
        assert set(complaints.ids(firm.owner, ComplaintFilter(text=text))) == scanned, text
    for login in ("owner", "head", "han", "rec", "hr1"):
        user = getattr(firm, login)
        for text in texts:
            f = ComplaintFilter(text=text)
            exact = complaints.count(user, f)
            assert exact == len(complaints.ids(user, f))
            for cap in (1, exact + 1):
                assert complaints.count(user, f, at_most=cap) == min(cap, exact), (login, text)


def _random_complaints(firm, rng: random.Random) -> None:
    made = []
    for _ in range(30):
        r = register(firm.rec, complainant_name=_text(rng, 1, 4).strip() or "孔强",
                     description=_text(rng, 1, 40).strip() or "异响",
                     contract_no=_text(rng, 0, 6).strip())
        made.append(r.complaint_id)
    # numbers of any shape, written past the form's checks (an import, an older version)
    for cid in made[::3]:
        Complaint.update(complainant_phone=_text(rng, 0, 5), ticket=f"{_text(rng, 1, 3)}{cid}",
                         description=_text(rng, 0, 30)).where(Complaint.id == cid).execute()


def test_short_search_follows_corrections(firm):
    r = register(firm.rec, complainant_name="孔强", description="空调异响", contract_no="HT-1")
    assert _found(firm.owner, "孔强") == {r.complaint_id}
    assert _found(firm.owner, "ht") == {r.complaint_id}
    workflow.act(r.complaint_id, "amend", actor=firm.rec, note="登记错了",
                 description="冰箱开裂", contract_no="XY-2", complainant_phone="13912345678")
    Complaint.update(complainant_name="周明").where(Complaint.id == r.complaint_id).execute()
    assert _found(firm.owner, "孔强") == set()
    assert _found(firm.owner, "异响") == set()
    assert _found(firm.owner, "HT") == set()
    assert _found(firm.owner, "周明") == _found(firm.owner, "周") == {r.complaint_id}
    assert _found(firm.owner, "开裂") == _found(firm.owner, "xY") == {r.complaint_id}
    assert r.complaint_id in _found(firm.owner, "13")
    assert _found(firm.owner, "-2") == set()  # a number is found by its beginning only
    assert _found(firm.owner, "明") == {r.complaint_id}  # a name anywhere


def test_existing_complaints_are_indexed_by_the_migration(firm):
    if is_postgres():
        pytest.skip("PostgreSQL indexes an expression: nothing to fill")
    rng = random.Random(7)
    for _ in range(12):
        register(firm.rec, complainant_name=_text(rng, 2, 3).strip() or "王明",
                 description=_text(rng, 5, 30).strip() or "异响")
    some = _rows()[0][2][:2]
    assert _found(firm.owner, some)
    database.execute_sql("INSERT INTO complaint_words(complaint_words) VALUES ('delete-all')")
    assert _found(firm.owner, some) == set()
    m0009_short_search.rebuild(database)
    assert _check(firm.owner, rng) > 5


def test_demo_data_is_indexed(backend):
    from services import demo
    from services.firm import close_database, open_database
    from services.people import users

    location = backend.new_location()
    open_database(location)
    try:
        demo.generate(profile="company", complaints=150, seed=3)
        owner = users.get_user("owner")
        assert Complaint.select(fn.COUNT(Complaint.id)).scalar() == 150
        visible = set(complaints.ids(owner))
        rows = [r for r in _rows() if r[0] in visible]
        rng = random.Random(3)
        queries = _queries(rng, rows, 40)
        hits = 0
        for query in queries:
            found = _found(owner, query)
            assert found == _expected(rows, query), query
            hits += bool(found)
        assert hits > 20
    finally:
        close_database()
        backend.drop(location)
