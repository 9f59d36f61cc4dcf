"""Ticket numbers YYMMDDNNN (rules.md §3): running count per year of receipt, never reused."""
from __future__ import annotations

from datetime import datetime

from models.entities import TicketCounter


def format_ticket(received: datetime, seq: int) -> str:
    # rules.md §3: the count is at least three digits and simply grows past 999
    # (the 1000th complaint of a year is YYMMDD1000), so numbers never wrap or collide.
    return f"{received:%y%m%d}{seq:03d}"


def next_number(received: datetime) -> tuple[int, str]:
    """Take the next count of the year. Must run inside the registering transaction:
    the counter row is locked until commit (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
    upsert's row lock), and a rollback gives the number back, so numbers stay gap-free."""
    year = received.year
    seq = (TicketCounter.insert(year=year, last=1)
           .on_conflict(conflict_target=[TicketCounter.year],
                        update={TicketCounter.last: TicketCounter.last + 1})
           .returning(TicketCounter.last)
           .execute())
    value = _scalar(seq)
    return value, format_ticket(received, value)


def _scalar(result) -> int:
    # peewee returns a cursor-like object for INSERT … RETURNING on both databases.
    for row in result:
        return row[0] if isinstance(row, tuple) else row.last
    raise RuntimeError("ticket counter returned no row")
