"""Migration 7: ``complaint.version``, raised by every change of a complaint, so a step taken
from a stale view is refused instead of overwriting what another PC just did (docs/design.md,
Two PCs at once)."""
from __future__ import annotations

VERSION = 7


def apply(db) -> None:
    db.execute_sql('ALTER TABLE "complaint" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0')
