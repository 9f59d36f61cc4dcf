"""Migration 10: a (column, id) index for every column the register sorts by, so a page is
read by keyset — "after this row" — rather than by OFFSET, in the same time at the end of a
million complaints as at the start (rules.md §10).

Each index matches ``ORDER BY column, id`` in either direction (both backends read an index
backwards). Ticket numbers are unique, so their own index already orders them; the single
column indexes of the other columns (migration 1) stay, other queries use them.

The complaint's kind has no such index on purpose: without statistics SQLite takes any index
on ``kind`` for the ``kind = ?`` of the visibility filter (rules.md §2) and then sorts every
customer complaint, turning a receiver's first page from about a millisecond into hundreds.
Sorting by kind (two values) sorts in memory.
"""
from __future__ import annotations

VERSION = 10

# the register's sortable columns (services/complaints/register.py, SORT_COLUMNS)
COLUMNS = ("received_at", "complainant_name", "category_id", "state", "next_due_at",
           "handler_id")


def apply(db) -> None:
    for column in COLUMNS:
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "complaint_{column}_id" ON "complaint" '
                       f'("{column}", "id")')
