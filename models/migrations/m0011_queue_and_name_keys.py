"""Migration 11: the work queue's indexes and the complainant's pinyin sort key.

- ``complaint.name_key``: the complainant's name as a pinyin sort key (``models.base.name_key``,
  GB2312 order), filled here for the complaints already there and by the register on every
  write, with a ``(name_key, id)`` index so the register pages through names by key
  (rules.md §10).
- ``vehicle (updated_at, id)``: the vehicles list, seen to most recently first, read by key.
- ``clock (status, due_at, id)`` and ``clock (responsible_id, status, due_at, id)``: each run of
  the Due & overdue queue ("mine" or everyone's; services/timelimits/queue.py) is one range of
  one of them, read in either direction.
"""
from __future__ import annotations

from models.base import NAME_KEY_LENGTH, name_key

VERSION = 11


def apply(db) -> None:
    db.execute_sql(f'ALTER TABLE "complaint" ADD COLUMN "name_key" VARCHAR({NAME_KEY_LENGTH}) '
                   "NOT NULL DEFAULT ''")
    # one UPDATE per distinct name (names repeat: far fewer than complaints), by its index
    names = [row[0] for row in db.execute_sql(
        'SELECT DISTINCT "complainant_name" FROM "complaint"').fetchall()]
    param = db.param
    for name in names:
        key = name_key(name)
        if key:
            db.execute_sql(f'UPDATE "complaint" SET "name_key" = {param} '
                           f'WHERE "complainant_name" = {param}', (key, name))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "complaint_name_key_id" ON "complaint" '
                   '("name_key", "id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "vehicle_updated_at_id" ON "vehicle" '
                   '("updated_at", "id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "clock_status_due_at_id" ON "clock" '
                   '("status", "due_at", "id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "clock_responsible_id_status_due_at_id" ON '
                   '"clock" ("responsible_id", "status", "due_at", "id")')
