"""The work queue (services.timelimits.queue, rules.md §5 and §10): most urgent first — missed
within the year (most recently missed at the top), then due soonest, then paused — the long
overdue apart; scopes mine / team / all; filters; true totals; pages by key equal to the
order computed by hand. On both backends."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from models.entities import Clock, Complaint
from services import clock, people, timelimits
from services.errors import ValidationError
from services.timelimits import QueueFilter
from services.timelimits.queue import LONG_OVERDUE
from tests.helpers import register

NOW = datetime(2025, 6, 2, 10, 0)
N = 700


def _fill(firm) -> dict[int, Clock]:
    """Clocks on three complaints, ``N`` of them inserted directly: due times from two years
    ago to a month ahead (with ties), some paused, responsible han, han2, head or nobody."""
    clock.freeze(NOW)
    cids = [register(firm.rec, received_at=NOW - timedelta(hours=h)).complaint_id
            for h in (1, 2)]
    cids.append(register(firm.rec, kind="employee", category="pay_benefits",
                         complainant_department="sales",
                         received_at=NOW - timedelta(hours=3)).complaint_id)
    for cid in cids[:1]:  # han is involved in the first complaint only
        people.grant(Complaint.get_by_id(cid), firm.han, "handler")
    template = Clock.select().first().__data__
    rng = random.Random(7)
    staff = [firm.han.id, firm.han2.id, firm.head.id, None]
    offsets = [timedelta(days=-800), timedelta(days=-400), timedelta(days=-20),
               timedelta(hours=-5), timedelta(minutes=-1), timedelta(hours=3),
               timedelta(days=2), timedelta(days=10), timedelta(days=30)]
    rows = []
    for _n in range(N):
        row = dict(template)
        row.pop("id")
        status = rng.choice(["running"] * 5 + ["paused", "met"])
        row.update(complaint=rng.choice(cids), due_at=NOW + rng.choice(offsets),
                   status=status, responsible=rng.choice(staff),
                   paused_since=NOW if status == "paused" else None)
        rows.append(row)
    for start in range(0, N, 250):
        Clock.insert_many(rows[start:start + 250]).execute()
    return {c.id: c for c in Clock.select()}


def _expected(clocks, who=None, *, long_overdue=False) -> list[int]:
    """The queue order by hand."""
    live = [c for c in clocks.values() if c.status in ("running", "paused")
            and (who is None or c.responsible_id in who)]
    long_ago = NOW - LONG_OVERDUE
    if long_overdue:
        old = [c for c in live if c.status == "running" and c.due_at < long_ago]
        return [c.id for c in sorted(old, key=lambda c: (c.due_at, c.id), reverse=True)]
    live = [c for c in live if not (c.status == "running" and c.due_at < long_ago)]
    missed = [c for c in live if c.status == "running" and c.due_at < NOW]
    coming = [c for c in live if c.status == "running" and c.due_at >= NOW]
    paused = [c for c in live if c.status == "paused"]
    return ([c.id for c in sorted(missed, key=lambda c: (c.due_at, c.id), reverse=True)]
            + [c.id for c in sorted(coming, key=lambda c: (c.due_at, c.id))]
            + [c.id for c in sorted(paused, key=lambda c: (c.due_at, c.id))])


def _walk(actor, f, sort="urgency", descending=False, size=53) -> list[int]:
    seen, key = [], None
    while True:
        page = timelimits.queue.page_after(actor, f, sort, descending, key, size)
        if not page:
            return seen
        seen += [i for i, _k in page]
        key = page[-1][1]


@pytest.fixture
def filled(firm):
    return firm, _fill(firm)


def test_most_urgent_first_and_the_long_overdue_apart(filled):
    firm, clocks = filled
    owner = firm.owner
    everyone = QueueFilter(scope="all")
    expected = _expected(clocks)
    assert timelimits.queue.count(owner, everyone) == len(expected)
    assert _walk(owner, everyone) == expected
    first = clocks[expected[0]]
    assert first.due_at == NOW - timedelta(minutes=1)  # the most recently missed leads
    # backwards from the end, page by page, the same order
    seen, key = [], None
    while True:
        page = timelimits.queue.page_before(owner, everyone, "urgency", False, key, 41)
        if not page:
            break
        seen = [i for i, _k in page] + seen
        key = page[0][1]
    assert seen == expected
    # a jump anywhere, by position
    for offset in (0, 37, len(expected) // 2, len(expected) - 10):
        page = timelimits.queue.page_at(owner, everyone, "urgency", False, offset, 25,
                                        total=len(expected))
        assert [i for i, _k in page] == expected[offset:offset + 25]
    old = QueueFilter(scope="all", long_overdue=True)
    assert _walk(owner, old) == _expected(clocks, long_overdue=True)
    assert set(_walk(owner, old)).isdisjoint(expected)


def test_mine_team_and_filters(filled):
    firm, clocks = filled
    han = firm.han
    mine = _walk(han, QueueFilter())
    # han sees what han is responsible for among the complaints han may see
    assert mine == [i for i in _expected(clocks, {han.id})
                    if clocks[i].complaint_id == clocks[mine[0]].complaint_id]
    assert mine and all(clocks[i].responsible_id == han.id for i in mine)
    # the head's team: the people of the head's department (han, head), of complaints the
    # head may see
    team = _walk(firm.head, QueueFilter(scope="team"))
    assert {clocks[i].responsible_id for i in team} <= {firm.han.id, firm.head.id}
    owner = firm.owner
    assert _walk(owner, QueueFilter(scope="all", handler="han2")) == _expected(
        clocks, {firm.han2.id})
    employee = _walk(owner, QueueFilter(scope="all", kind="employee"))
    assert employee and all(clocks[i].complaint.kind == "employee" for i in employee)
    paused = _walk(owner, QueueFilter(scope="all", state="paused"))
    assert paused and all(clocks[i].status == "paused" for i in paused)
    soon = _walk(owner, QueueFilter(scope="all", state="due_soon"))
    assert soon and all(NOW <= clocks[i].due_at < NOW + timedelta(days=3) for i in soon)
    rule = clocks[mine[0]].rule.code
    assert all(clocks[i].rule.code == rule
               for i in _walk(owner, QueueFilter(scope="all", rule=rule)))
    with pytest.raises(ValidationError):
        timelimits.queue.count(owner, QueueFilter(scope="everybody"))


def test_sorted_by_a_column_and_the_rows(filled):
    firm, clocks = filled
    owner = firm.owner
    everyone = QueueFilter(scope="all")
    by_due = _walk(owner, everyone, "due", True)
    assert by_due == sorted(_expected(clocks), key=lambda i: (clocks[i].due_at, i),
                            reverse=True)
    rows = timelimits.queue.rows(owner, by_due[:5])
    assert {r.id for r in rows} == set(by_due[:5])
    assert all(r.clock.ticket and r.kind in ("customer", "employee") for r in rows)


def test_true_totals(filled):
    firm, clocks = filled
    t = timelimits.queue.totals(firm.owner, QueueFilter(scope="all"))
    live = [c for c in clocks.values() if c.status == "running"]
    assert t.long_overdue == sum(c.due_at < NOW - LONG_OVERDUE for c in live)
    assert t.overdue == sum(NOW - LONG_OVERDUE <= c.due_at < NOW for c in live)
    assert t.due_soon == sum(NOW <= c.due_at < NOW + timedelta(days=3) for c in live)
    assert t.paused == sum(c.status == "paused" for c in clocks.values())
    assert t.shown == timelimits.queue.count(firm.owner, QueueFilter(scope="all"))
    assert timelimits.queue.count(firm.owner, QueueFilter(scope="all"), at_most=10) == 10


def test_the_respondent_never_sees_a_limit_of_a_complaint_about_them(firm):
    clock.freeze(NOW)
    r = register(firm.rec, respondent_user="han")
    Clock.update(responsible=firm.han.id).where(Clock.complaint == r.complaint_id).execute()
    assert timelimits.queue.count(firm.han, QueueFilter(scope="all")) == 0
    assert timelimits.queue.rows(firm.han, [c.id for c in Clock.select()]) == []
    assert timelimits.queue.count(firm.owner, QueueFilter(scope="all")) >= 1
