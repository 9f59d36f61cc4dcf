"""Migration 13: indexes for the register's filters at a million complaints (rules.md §10).

A filter on the state, the category or the handler, shown in the register's default order
(newest first), reads one range of a ``(filtered column, received_at, id)`` index from its
end: the first page, the last page and any page after a key cost the same whatever the filter
keeps. Sorting by kind gets its (kind, id) index, which migration 10 left out. With only the
single-column indexes, a filter that keeps many rows (state = archived)
had to sort all of them for each page, and one that keeps few read the whole date index.

PostgreSQL is ANALYZEd afterwards, so that its planner knows the new indexes at once.
"""
from __future__ import annotations

from peewee import PostgresqlDatabase

VERSION = 13

# (name, columns): the register's filterable columns, each before the default sort key
INDEXES = (
    ("complaint_state_received_at_id", ("state", "received_at", "id")),
    ("complaint_category_id_received_at_id", ("category_id", "received_at", "id")),
    ("complaint_handler_id_received_at_id", ("handler_id", "received_at", "id")),
    # sorting by kind, and the kind filter in date order; the visibility check hides its
    # own kind comparison from SQLite's planner (services/people/permissions.py)
    ("complaint_kind_id", ("kind", "id")),
    ("complaint_kind_received_at_id", ("kind", "received_at", "id")),
)


def apply(db) -> None:
    for name, columns in INDEXES:
        cols = ", ".join(f'"{c}"' for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "complaint" ({cols})')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ANALYZE "complaint"')
