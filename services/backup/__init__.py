"""Integrity and backups (docs/design.md, Integrity and backups; docs/rules.md §10).

One import for callers (``from services import backup``); the parts:
- ``store``: making a backup with SQLite's online backup API, verifying it, the folder, the
  list, and the rotation (7 daily, 4 weekly, 12 monthly, and the last pre-migration copy);
- ``restore``: putting a verified backup in place of the database file;
- ``integrity``: the daily full integrity check, run in the background;
- ``postgres``: the pg_dump command for a PostgreSQL database (no file backups there).

``services.firm.setup`` uses it when it opens a database: the automatic backup of the day,
before migrations, and the copy before each migration.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from services import later_parts
from services.backup.restore import Restored, others_connected, restore
from services.backup.store import (
    KIND_NAMES,
    Backup,
    Verification,
    automatic_backup,
    before_migration,
    default_folder,
    folder,
    latest_good,
    list_backups,
    make_backup,
    may_back_up,
    rotate,
    set_folder,
    to_keep,
    verify,
)

# The checks and the server's dump load when first used: opening a database needs the store
# (the day's backup, the copy before a migration) and restoring (docs/design.md, Start-up).
__getattr__ = later_parts(__name__, {
    "integrity": ("CheckResult", "daily_check", "full_check_due", "last_check", "start_check"),
    "postgres": ("pg_commands",),
})
if TYPE_CHECKING:
    from services.backup import integrity, postgres
    from services.backup.integrity import (
        CheckResult,
        daily_check,
        full_check_due,
        last_check,
        start_check,
    )
    from services.backup.postgres import pg_commands
