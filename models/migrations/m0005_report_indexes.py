"""Migration 5: indexes for the monthly summary (rules.md §8.8, §10: well under a second on
100,000 complaints).

The summary counts timeline events by action and by when they happened (satisfaction,
reviews, external routes) and complaints by when they were closed; without these indexes
each of those reads the whole table (a million events: 0.4 s on SQLite).
"""
from __future__ import annotations

VERSION = 5


def apply(db) -> None:
    db.execute_sql('CREATE INDEX IF NOT EXISTS "event_action_at" ON "event" ("action", "at")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "complaint_closed_at" ON "complaint" '
                   '("closed_at")')
