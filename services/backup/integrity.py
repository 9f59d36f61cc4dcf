"""SQLite's full integrity check, once a day in the background (docs/design.md, Integrity
and backups). The quick check at open is services.firm.setup's."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from models import db as dbmod
from models.entities import Setting
from services import clock

CHECK_KEY = "integrity_check"  # Setting: {"at": iso, "ok": bool} of the last full check


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    problems: tuple[str, ...]
    at: datetime


def last_check() -> dict | None:
    row = Setting.get_or_none(Setting.key == CHECK_KEY)
    return row.value if row is not None and isinstance(row.value, dict) else None


def full_check_due(now: datetime | None = None) -> bool:
    """Whether today's full check is still to run (SQLite only; none has run today)."""
    if dbmod.sqlite_path() is None:
        return False
    moment = now or clock.now()
    last = last_check()
    if not last or not last.get("at"):
        return True
    try:
        return datetime.fromisoformat(last["at"]).date() != moment.date()
    except ValueError:
        return True


def start_check(now: datetime | None = None) -> CheckResult | None:
    """Right after start: the full check when it is due (once a day), else — for a file too
    large to be checked before use (models.db.QUICK_CHECK_MAX) — SQLite's quick_check, on its
    own read-only connection. None when nothing was checked (or on PostgreSQL)."""
    path = dbmod.sqlite_path()
    if path is None:
        return None
    if full_check_due(now):
        return daily_check(now, force=True)
    if dbmod.size_of(path) <= dbmod.QUICK_CHECK_MAX:
        return None  # checked before it was opened
    conn = dbmod.connect_read_only(path)
    try:
        problems = tuple(dbmod.quick_check(conn))
    except sqlite3.DatabaseError as exc:
        problems = (str(exc),)
    finally:
        conn.close()
    return CheckResult(ok=not problems, problems=problems, at=now or clock.now())


def daily_check(now: datetime | None = None, *, force: bool = False) -> CheckResult | None:
    """Run ``PRAGMA integrity_check`` when due (or ``force``), on its own read-only connection
    so that others go on working; record when (unless the file is read-only). None when it
    was not due or on PostgreSQL (the server checks its own pages)."""
    path = dbmod.sqlite_path()
    if path is None or not (force or full_check_due(now)):
        return None
    moment = now or clock.now()
    conn = dbmod.connect_read_only(path)
    try:
        problems = tuple(dbmod.quick_check(conn, full=True))
    except sqlite3.DatabaseError as exc:
        problems = (str(exc),)
    finally:
        conn.close()
    if not dbmod.is_read_only():
        value = {"at": moment.isoformat(), "ok": not problems}
        (Setting.insert(key=CHECK_KEY, value=value)
         .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())
    return CheckResult(ok=not problems, problems=problems, at=moment)
