"""Backups of a SQLite database: made with SQLite's online backup API, verified, listed and
rotated (docs/design.md, Integrity and backups; docs/rules.md §10).

A backup is ``<database name>-<YYYYMMDD-HHMMSS>-<kind>.sqlite3`` in the backup folder, with a
``.json`` beside it saying when it was made, from which file, and what its verification found.
The kinds: ``auto`` (the first start of a day), ``manual`` (asked for), ``before-vN`` (just
before migration N): all in the one rotation.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from models import db as dbmod
from models.entities import Setting
from services import clock
from services.errors import BackupError, PermissionDenied
from services.i18n import N_
from services.people import has_role, require_role

SUFFIX = ".sqlite3"
FOLDER_KEY = "backup_folder"  # Setting: the folder the owner chose (every PC agrees)
DEFAULT_FOLDER_NAME = "backups"
COUNTED = ("complaint", "event")  # verification compares these row counts
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
KIND_NAMES = {"auto": N_("Daily, at start"), "manual": N_("Made on request"),
              "before": N_("Before an upgrade")}


@dataclass(frozen=True)
class Backup:
    """One backup file. ``verified``: its check passed when it was written (False when no
    record says so); ``counts``: its rows of complaint and event."""

    path: str
    created: datetime
    kind: str  # auto | manual | before-vN
    size: int
    verified: bool
    counts: dict
    source: str = ""

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def kind_group(self) -> str:
        return "before" if self.kind.startswith("before") else self.kind


@dataclass(frozen=True)
class Verification:
    """What checking a backup found: whether it is sound, its problems, its row counts."""
    ok: bool
    problems: tuple[str, ...]
    counts: dict


# --- where ---------------------------------------------------------------------------------


def require_sqlite() -> str:
    path = dbmod.sqlite_path()
    if path is None:
        raise BackupError(N_("A PostgreSQL database is not backed up as a file: use pg_dump "
                             "(Settings › Backups shows the command)."))
    return path


def default_folder(db_path: str) -> Path:
    return Path(db_path).expanduser().resolve().parent / DEFAULT_FOLDER_NAME


def folder(db_path: str | None = None) -> Path:
    """The backup folder: the owner's choice (Setting), else ``backups`` beside the file."""
    db_path = db_path or require_sqlite()
    try:
        row = Setting.get_or_none(Setting.key == FOLDER_KEY)
    except Exception:  # noqa: BLE001 - a damaged or not yet migrated file: the default
        row = None
    if row is not None and row.value:
        return Path(str(row.value)).expanduser()
    return default_folder(db_path)


def set_folder(path: str, *, actor) -> Path:
    """The owner chooses the backup folder; it must exist (or be made) and be writable."""
    require_role(actor, "owner")
    require_sqlite()
    text = (path or "").strip()
    if not text:
        raise BackupError(N_("Choose a folder for the backups."), field="folder")
    target = Path(text).expanduser().resolve()
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(N_("The folder {folder} cannot be made: {error}"), field="folder",
                          folder=str(target), error=exc.strerror or str(exc)) from exc
    if not os.access(target, os.W_OK):
        raise BackupError(N_("The folder {folder} cannot be written to."), field="folder",
                          folder=str(target))
    value = str(target)
    (Setting.insert(key=FOLDER_KEY, value=value)
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: value}).execute())
    return target


def may_back_up(actor) -> bool:
    return has_role(actor, "owner", "manager")


def require_may_back_up(actor) -> None:
    if actor is not None and not may_back_up(actor):
        raise PermissionDenied(N_("Only the owner or a manager may make or list backups."))


# --- making and checking -------------------------------------------------------------------


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S")


def _count(conn: sqlite3.Connection) -> dict:
    tables = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] if t in tables else None
            for t in COUNTED}


def verify(path: str | Path, expected: dict | None = None) -> Verification:
    """Open a backup read-only: SQLite's quick_check, ComplaintDesk's tables, and (when
    ``expected``) the same number of complaints and events as the database it came from."""
    problems: list[str] = []
    counts: dict = {}
    probe = dbmod.probe_sqlite(str(path))
    if probe.state != "ok":
        return Verification(False, (probe.state + (": " + probe.detail if probe.detail else ""),),
                            {})
    conn = dbmod.connect_read_only(str(path))
    try:
        problems += dbmod.quick_check(conn)
        counts = _count(conn)
    except sqlite3.DatabaseError as exc:
        problems.append(str(exc))
    finally:
        conn.close()
    if expected is not None and counts != expected:
        problems.append(f"row counts {counts} differ from the database's {expected}")
    return Verification(not problems, tuple(problems), counts)


def _write_record(target: Path, record: dict) -> None:
    Path(str(target) + ".json").write_text(json.dumps(record, ensure_ascii=False, indent=1),
                                           encoding="utf-8")


def make_backup(*, kind: str = "manual", to: str | Path | None = None, actor=None,
                now: datetime | None = None,
                progress: Callable[[float], None] | None = None) -> Backup:
    """Copy the open SQLite database with the online backup API (a consistent snapshot,
    others may go on working), verify the copy, then rotate the folder. A copy that fails its
    verification is deleted and BackupError raised: an unverified file never joins the set."""
    require_may_back_up(actor)
    source = require_sqlite()
    target_folder = Path(to).expanduser() if to else folder(source)
    moment = now or clock.now()
    return _copy(source, target_folder, kind=kind, moment=moment, progress=progress,
                 rotate_after=True)


def _copy(source: str, target_folder: Path, *, kind: str, moment: datetime,
          progress: Callable[[float], None] | None, rotate_after: bool) -> Backup:
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(N_("The folder {folder} cannot be made: {error}"), field="folder",
                          folder=str(target_folder), error=exc.strerror or str(exc)) from exc
    if not os.access(target_folder, os.W_OK):
        raise BackupError(N_("The folder {folder} cannot be written to."), field="folder",
                          folder=str(target_folder))
    stem = Path(source).stem
    target = target_folder / f"{stem}-{_stamp(moment)}-{kind}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = target_folder / f"{stem}-{_stamp(moment)}-{kind}-{n}{SUFFIX}"
    partial = target.with_name(target.name + ".partial")
    src = dbmod.connect_read_only(source)
    try:
        src.execute("BEGIN")  # one snapshot: the counts and the copy agree
        expected = _count(src)
        dst = sqlite3.connect(str(partial))
        try:
            def step(_status, remaining, total):
                if progress is not None and total:
                    progress(0.9 * (total - remaining) / total)

            src.backup(dst, pages=256, progress=step)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
        src.execute("COMMIT")
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(N_("The backup could not be written: {error}"), error=str(exc)) from exc
    finally:
        src.close()
    result = verify(partial, expected)
    if not result.ok:
        partial.unlink(missing_ok=True)
        raise BackupError(N_("The backup did not pass its check and was deleted: {problems}"),
                          problems="; ".join(result.problems))
    os.replace(partial, target)
    record = {"database": str(Path(source).resolve()), "created": moment.isoformat(),
              "kind": kind, "verified": True, "counts": result.counts,
              "size": target.stat().st_size}
    _write_record(target, record)
    if progress is not None:
        progress(1.0)
    backup = _from_record(target, record)
    if rotate_after:
        rotate(target_folder, stem=stem)
    return backup


def _from_record(path: Path, record: dict) -> Backup:
    return Backup(path=str(path), created=datetime.fromisoformat(record["created"]),
                  kind=record.get("kind", "manual"), size=path.stat().st_size,
                  verified=bool(record.get("verified")), counts=record.get("counts") or {},
                  source=record.get("database", ""))


def _parse_name(path: Path, stem: str | None) -> tuple[datetime, str] | None:
    """(when, kind) from ``<stem>-YYYYMMDD-HHMMSS-<kind>.sqlite3``; None for other files."""
    name = path.name[:-len(SUFFIX)]
    if stem is not None:
        if not name.startswith(stem + "-"):
            return None
        rest = name[len(stem) + 1:]
    else:
        parts = name.rsplit("-", 3)
        rest = "-".join(parts[-3:]) if len(parts) >= 3 else name
    pieces = rest.split("-", 2)
    if len(pieces) < 3:
        return None
    try:
        when = datetime.strptime(pieces[0] + pieces[1], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return when, pieces[2]


def list_backups(target_folder: str | Path | None = None, *, stem: str | None = None,
                 actor=None) -> list[Backup]:
    """The backups of this database in the folder, newest first."""
    require_may_back_up(actor)
    if target_folder is None:
        source = require_sqlite()
        target_folder, stem = folder(source), Path(source).stem
    elif stem is None and dbmod.sqlite_path():
        stem = Path(dbmod.sqlite_path()).stem
    found = []
    base = Path(target_folder)
    if not base.is_dir():
        return []
    for path in base.glob(f"{stem}-*{SUFFIX}" if stem else f"*{SUFFIX}"):
        parsed = _parse_name(path, stem)
        if parsed is None:
            continue
        record_path = Path(str(path) + ".json")
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            found.append(_from_record(path, record))
        except (OSError, ValueError, KeyError):
            when, kind = parsed
            found.append(Backup(path=str(path), created=when, kind=kind,
                                size=path.stat().st_size, verified=False, counts={}))
    return sorted(found, key=lambda b: (b.created, b.path), reverse=True)


def latest_good(target_folder: str | Path | None = None, *, stem: str | None = None):
    """The newest backup that was verified when written, or None."""
    return next((b for b in list_backups(target_folder, stem=stem) if b.verified), None)


# --- rotation ------------------------------------------------------------------------------


def to_keep(moments: Iterable[tuple[str, datetime, str]], *, daily: int = KEEP_DAILY,
            weekly: int = KEEP_WEEKLY, monthly: int = KEEP_MONTHLY) -> set[str]:
    """Which of ``(key, when, kind)`` a rotation keeps: the newest of each of the last
    ``daily`` days that have a backup, of the last ``weekly`` ISO weeks, of the last
    ``monthly`` months; and the newest copy made before a migration, whatever its age.
    (Like restic's --keep-daily: days without a backup do not use up a place.)"""
    items = sorted(moments, key=lambda m: (m[1], m[0]), reverse=True)
    keep: set[str] = set()

    def newest_per(bucket: Callable[[datetime], object], places: int) -> None:
        seen: list = []
        for key, when, _kind in items:
            b = bucket(when)
            if b in seen:
                continue
            if len(seen) == places:
                break
            seen.append(b)
            keep.add(key)

    newest_per(lambda w: w.date(), daily)
    newest_per(lambda w: w.isocalendar()[:2], weekly)
    newest_per(lambda w: (w.year, w.month), monthly)
    before = [key for key, _w, kind in items if kind.startswith("before")]
    if before:
        keep.add(before[0])
    return keep


def rotate(target_folder: str | Path, *, stem: str) -> list[str]:
    """Delete the backups of ``stem`` in the folder that the rotation does not keep; the
    files deleted. Files that are not our backups are never touched."""
    backups = list_backups(target_folder, stem=stem)
    keep = to_keep((b.path, b.created, b.kind) for b in backups)
    removed = []
    for b in backups:
        if b.path not in keep:
            for p in (Path(b.path), Path(b.path + ".json")):
                p.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


# --- automatic ----------------------------------------------------------------------------


def backed_up_on(day: date, target_folder: Path, stem: str) -> bool:
    return any(b.created.date() == day and b.verified
               for b in list_backups(target_folder, stem=stem))


def automatic_backup(db_path: str, *, now: datetime | None = None,
                     on_problem: Callable[[BaseException], None] | None = None) -> Backup | None:
    """The first start of a day backs the database up (before any migration). Not from a
    database that failed its check, nor twice a day; a folder that cannot be written is
    reported to ``on_problem`` and the start goes on."""
    moment = now or clock.now()
    try:
        target_folder = folder(db_path)
        stem = Path(db_path).stem
        if backed_up_on(moment.date(), target_folder, stem):
            return None
        return _copy(db_path, target_folder, kind="auto", moment=moment, progress=None,
                     rotate_after=True)
    except (BackupError, OSError) as exc:
        if on_problem is not None:
            on_problem(exc)
        return None


def before_migration(db, label: str) -> Path | None:
    """The copy taken just before a migration (models.migrations.backup_sqlite calls it):
    into the same folder and rotation as every other backup, verified."""
    path = getattr(db, "path", None) or getattr(db, "database", None)
    if not path or path == ":memory:" or not Path(path).exists():
        return None
    backup = _copy(str(path), _folder_of(db, str(path)), kind=label, moment=clock.now(),
                   progress=None, rotate_after=True)
    return Path(backup.path)


def _folder_of(db, db_path: str) -> Path:
    """The backup folder recorded in ``db`` itself (the database being migrated, whatever the
    proxy is bound to), else the default."""
    try:
        row = db.execute_sql("SELECT value FROM setting WHERE key = ?", (FOLDER_KEY,)).fetchone()
        value = json.loads(row[0]) if row else None
    except Exception:  # noqa: BLE001 - no setting table yet, or unreadable: the default
        value = None
    return Path(str(value)).expanduser() if value else default_folder(db_path)
