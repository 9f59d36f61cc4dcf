"""Putting a backup back in place of the database file (docs/design.md, Integrity and
backups): verified first, the current file kept aside, refused while others have it open."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from models import db as dbmod
from models.migrations import latest_version
from services import clock
from services.backup.store import SUFFIX, require_sqlite, verify
from services.errors import BackupError
from services.i18n import N_
from services.people import require_role


@dataclass(frozen=True)
class Restored:
    """``backup``: the file put back; ``kept_aside``: where the replaced file now is (None
    when there was none); ``counts``: complaints and events in the restored database."""

    backup: str
    database: str
    kept_aside: str | None
    counts: dict


def _schema_version(path: str) -> int:
    conn = dbmod.connect_read_only(path)
    try:
        row = conn.execute("SELECT max(version) FROM schema_history").fetchone()
        return int(row[0] or 0)
    finally:
        conn.close()


def others_connected(db_path: str) -> bool:
    """Whether another connection (another window, PC or program) has the file open: SQLite
    refuses us an exclusive lock then. Our own connections must be closed first."""
    if not Path(db_path).exists():
        return False
    try:
        conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
        conn.execute("ROLLBACK")
        return False
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        return "locked" in text or "busy" in text
    finally:
        conn.close()


def restore(backup_path: str | Path, *, db_path: str | None = None, actor=None,
            now: datetime | None = None) -> Restored:
    """Replace the database file with ``backup_path`` after verifying it; the current file is
    renamed ``<name>.replaced-<when>.sqlite3`` beside it first. With ``actor``: the owner only
    (a window or command on a sound database); without, the caller has found the database
    refused or damaged (whoever may replace the file by hand may do it here).

    The program's own connection is closed; open the database again afterwards."""
    if actor is not None:
        require_role(actor, "owner")
    db_path = str(Path(db_path or require_sqlite()).expanduser().resolve())
    source = Path(backup_path).expanduser().resolve()
    if not source.is_file():
        raise BackupError(N_("There is no backup file {file}."), field="file", file=str(source))
    if source == Path(db_path):
        raise BackupError(N_("That is the database itself, not a backup."), field="file")
    check = verify(source)
    if not check.ok:
        raise BackupError(N_("The backup {file} did not pass its check; nothing was replaced: "
                             "{problems}"), field="file", file=source.name,
                          problems="; ".join(check.problems))
    found, known = _schema_version(str(source)), latest_version()
    if found > known:
        raise BackupError(N_("The backup {file} was written by a newer version of "
                             "ComplaintDesk; nothing was replaced."), field="file",
                          file=source.name)
    folder = Path(db_path).parent
    if not os.access(folder, os.W_OK):
        raise BackupError(N_("The folder {folder} cannot be written to, so the database in it "
                             "cannot be replaced."), folder=str(folder))
    bound = dbmod.sqlite_path()
    if bound and Path(bound).expanduser().resolve() == Path(db_path):
        if dbmod.database.obj is not None and not dbmod.database.obj.is_closed():
            dbmod.database.obj.close()
    if others_connected(db_path):
        raise BackupError(N_("The database is still open elsewhere (another window, another "
                             "PC, or another program). Close ComplaintDesk everywhere else "
                             "and try again; nothing was replaced."))
    moment = now or clock.now()
    current = Path(db_path)
    aside = None
    if current.exists():
        aside = current.with_name(
            f"{current.stem}.replaced-{moment.strftime('%Y%m%d-%H%M%S')}{current.suffix or SUFFIX}")
        n = 1
        while aside.exists():
            n += 1
            aside = aside.with_name(f"{current.stem}.replaced-"
                                    f"{moment.strftime('%Y%m%d-%H%M%S')}-{n}{current.suffix}")
    incoming = current.with_name(current.name + ".restoring")
    src = dbmod.connect_read_only(str(source))
    try:
        dst = sqlite3.connect(str(incoming))
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        incoming.unlink(missing_ok=True)
        raise BackupError(N_("The backup could not be copied; nothing was replaced: {error}"),
                          error=str(exc)) from exc
    finally:
        src.close()
    if aside is not None:
        os.replace(current, aside)
        for suffix in ("-wal", "-shm"):
            extra = Path(str(current) + suffix)
            if extra.exists():
                if suffix == "-wal" and extra.stat().st_size:
                    os.replace(extra, Path(str(aside) + suffix))  # the current file's last pages
                else:
                    extra.unlink()
    os.replace(incoming, current)
    after = verify(current)
    if not after.ok:  # never expected: the copy was verified; put the old file back
        os.replace(current, incoming)
        if aside is not None:
            os.replace(aside, current)
        raise BackupError(N_("The restored file did not pass its check; the database was put "
                             "back as it was: {problems}"), problems="; ".join(after.problems))
    return Restored(backup=str(source), database=db_path,
                    kept_aside=str(aside) if aside else None, counts=after.counts)
