"""Ticket numbers YYMMDDNNN (rules.md §3): per-year count, reset on 1 January, past 999,
gap-free and unique under concurrent registration on both databases."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest

from models.entities import Complaint, TicketCounter
from services import clock
from services.complaints import numbering
from tests.helpers import register


def test_format_seed_example():
    # rules.md §3: 100912099 = 12 Sep 2010, the 99th complaint of 2010
    assert numbering.format_ticket(datetime(2010, 9, 12, 10), 99) == "100912099"
    assert numbering.format_ticket(datetime(2026, 1, 5), 1) == "260105001"
    assert numbering.format_ticket(datetime(2026, 1, 5), 1000) == "2601051000"


def test_count_runs_within_the_year_and_resets_on_new_year(firm):
    clock.freeze(datetime(2027, 1, 1, 9, 0))
    tickets = [register(firm.rec, received_at=datetime(2026, 12, 31, 23, 50)).ticket,
               register(firm.rec, received_at=datetime(2026, 12, 31, 23, 59)).ticket,
               register(firm.rec, received_at=datetime(2027, 1, 1, 0, 1)).ticket,
               register(firm.rec, received_at=datetime(2026, 12, 30, 8, 0)).ticket]
    assert tickets == ["261231001", "261231002", "270101001", "261230003"]


def test_999th_and_1000th_of_a_year(firm):
    clock.freeze(datetime(2026, 6, 2, 12, 0))
    TicketCounter.create(year=2026, last=998)
    t999 = register(firm.rec, received_at=datetime(2026, 6, 1, 9)).ticket
    t1000 = register(firm.rec, received_at=datetime(2026, 6, 2, 9)).ticket
    t1001 = register(firm.rec, received_at=datetime(2026, 6, 2, 10)).ticket
    assert (t999, t1000, t1001) == ("260601999", "2606021000", "2606021001")
    # a 10-digit number never collides with a 9-digit one of another day
    assert len({t999, t1000, t1001}) == 3


def test_failed_registration_gives_its_number_back(firm):
    from services.errors import ValidationError

    first = register(firm.rec).ticket
    with pytest.raises(ValidationError):
        register(firm.rec, category="no-such-category")
    second = register(firm.rec).ticket
    assert int(second[6:]) == int(first[6:]) + 1


@pytest.mark.parametrize("workers,each", [(4, 15)])
def test_parallel_registration_is_gap_free(firm, workers, each):
    """Several connections register at the same moment (threads each hold their own
    connection on SQLite and on PostgreSQL)."""
    from models.db import database

    clock.freeze(datetime(2026, 10, 12, 10, 0))  # 08:00 today is in the future before 8 a.m.
    received = clock.now().replace(hour=8, minute=0, second=0)
    errors: list[BaseException] = []
    barrier = threading.Barrier(workers)

    def work():
        try:
            barrier.wait()
            for _ in range(each):
                register(firm.rec, received_at=received)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    seqs = sorted(c.seq for c in Complaint.select(Complaint.seq))
    assert seqs == list(range(1, workers * each + 1))
    tickets = [c.ticket for c in Complaint.select(Complaint.ticket)]
    assert len(set(tickets)) == len(tickets)
