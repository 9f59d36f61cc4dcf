"""Migration 14: an index for "repeat complainants" in the reports (rules.md §10).

A complaint counts as a repeat when the same phone number complained in the 90 days before.
The reports ask that of every complaint of the period: with only the phone index, each
question read every earlier complaint of that phone number, so a frequent complainant's
history was read again for each of their complaints (80 ms of a monthly summary's 120 at
100,000 complaints). A ``(complainant_phone, received_at)`` index answers it with one short
range.

PostgreSQL is ANALYZEd afterwards, so that its planner knows the new index at once.
"""
from __future__ import annotations

from peewee import PostgresqlDatabase

VERSION = 14


def apply(db) -> None:
    db.execute_sql('CREATE INDEX IF NOT EXISTS "complaint_complainant_phone_received_at" '
                   'ON "complaint" ("complainant_phone", "received_at")')
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql('ANALYZE "complaint"')
