"""Integrity at open and backups (docs/design.md, Integrity and backups; docs/rules.md §10):
damaged, empty, cut-short, foreign and read-only files; backups made, verified, rotated and
restored; the copy before a migration in the rotation; pg_dump on PostgreSQL."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from models import db as dbmod
from models import migrations
from models.entities import Complaint, Firm
from services import backup, clock
from services.errors import (
    BackupError,
    DatabaseDamaged,
    DatabaseReadOnly,
    DatabaseRefused,
    PermissionDenied,
    SchemaError,
)
from services.firm import close_database, open_database, setup
from services.i18n import language
from tests.helpers import register

DAY = datetime(2026, 10, 12, 9, 0)


def _sha(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _closed_copy(firm, target: Path, complaints: int = 0) -> Path:
    """The firm's database with ``complaints`` more, closed, copied to ``target``."""
    for _ in range(complaints):
        register(firm.rec)
    close_database()
    shutil.copyfile(firm.location, target)
    return target


def _integrity_fails(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True


def _message(exc) -> str:
    with language("en"):
        return exc.message()


# --- at open ---------------------------------------------------------------------------------


def test_random_page_damage_is_never_opened_as_sound(sqlite_firm, tmp_path):
    """Twelve seeded corruptions of a firm with complaints: whatever SQLite's full check finds
    is found at open (read-only, damaged) or by the daily full check — never silently used —
    and nothing is ever an unexpected error."""
    clock.freeze(DAY)
    source = _closed_copy(sqlite_firm, tmp_path / "clean.sqlite3", complaints=25)
    page_size = 4096
    pages = source.stat().st_size // page_size
    caught = failing = 0
    for seed in range(12):
        rng = random.Random(seed)
        damaged = tmp_path / f"damaged-{seed}.sqlite3"
        shutil.copyfile(source, damaged)
        with damaged.open("r+b") as f:
            for _ in range(3):
                page = rng.randrange(1, pages)  # page 1 (the header) is kept: not the easy case
                f.seek(page * page_size + rng.randrange(0, page_size - 512))
                f.write(bytes(rng.randrange(256) for _ in range(512)))
        fails = _integrity_fails(damaged)
        failing += fails
        try:
            open_database(str(damaged))
        except (DatabaseRefused, DatabaseDamaged) as exc:  # refused, or unreadable
            assert _message(exc)
            caught += fails
            close_database()
            continue
        status = setup.open_status()
        if status.damaged:
            assert status.read_only and fails
            assert "damaged" in _message(status.warning())
            with pytest.raises((DatabaseReadOnly, DatabaseDamaged)):
                Firm.update(name="x").execute()
            caught += 1
        else:
            result = backup.daily_check(force=True)
            assert result is not None and result.ok == (not fails), seed
            caught += fails
        close_database()
    assert caught == failing >= 3  # every file SQLite's full check fails is caught


def test_an_empty_file_is_refused_and_left_empty(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with pytest.raises(DatabaseRefused) as info:
        open_database(str(path))
    assert "empty (0 bytes)" in _message(info.value)
    assert path.stat().st_size == 0 and not Path(str(path) + "-wal").exists()


@pytest.mark.parametrize("keep", [50, 0.5])
def test_a_truncated_file_is_refused(sqlite_firm, tmp_path, keep):
    path = _closed_copy(sqlite_firm, tmp_path / "cut.sqlite3")
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.truncate(keep if isinstance(keep, int) else int(size * keep) // 4096 * 4096)
    before = _sha(path)
    with pytest.raises(DatabaseRefused) as info:
        open_database(str(path))
    assert "cut short" in _message(info.value)
    assert _sha(path) == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("客户投诉记录\n" * 200, encoding="utf-8")
    with pytest.raises(DatabaseRefused) as info:
        open_database(str(path))
    assert "is not a database" in _message(info.value)
    assert path.read_text(encoding="utf-8").startswith("客户投诉记录")


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "invoices.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.commit()
    conn.close()
    before = _sha(path)
    with pytest.raises(DatabaseRefused) as info:
        open_database(str(path))
    assert isinstance(info.value, SchemaError)  # what the window and the CLI already show
    assert "another program" in _message(info.value)
    assert _sha(path) == before


def test_a_read_only_file_is_listed_and_writes_are_refused(sqlite_firm, tmp_path):
    """chmod where it works; as root (chmod does not stop root) the same code path through
    read_only=True (SQLite's mode=ro, no WAL pragma written)."""
    path = _closed_copy(sqlite_firm, tmp_path / "ro" / "firm.sqlite3", complaints=0) \
        if (tmp_path / "ro").mkdir() is None else None
    register_count = 3
    open_database(str(path))
    for _ in range(register_count):
        register(sqlite_firm.rec)
    close_database()
    before = _sha(path)
    as_root = os.geteuid() == 0 if hasattr(os, "geteuid") else False
    if not as_root:
        path.chmod(0o444)
        path.parent.chmod(0o555)
    try:
        open_database(str(path), read_only=as_root)
        status = setup.open_status()
        assert status.read_only and not status.damaged
        assert "read-only" in _message(status.warning())
        assert Complaint.select().count() == register_count  # it can be listed
        with pytest.raises(DatabaseReadOnly) as info:
            register(sqlite_firm.rec)
        assert "nothing was changed" in _message(info.value)
        close_database()
        assert _sha(path) == before
    finally:
        if not as_root:
            path.parent.chmod(0o755)
            path.chmod(0o644)


def test_a_read_only_folder_opens_without_writing(sqlite_firm, tmp_path, monkeypatch):
    """A read-only medium (a CD, a read-only share): the folder cannot be written, SQLite opens
    the file immutable, nothing is created beside it."""
    path = _closed_copy(sqlite_firm, tmp_path / "medium.sqlite3")
    monkeypatch.setattr(dbmod, "folder_writable", lambda _p: False)
    before = sorted(p.name for p in tmp_path.iterdir())
    open_database(str(path))
    assert setup.open_status().read_only
    assert Firm.select().count() == 1
    close_database()
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_new_database_is_not_made_in_a_read_only_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(dbmod, "folder_writable", lambda _p: False)
    with pytest.raises(DatabaseReadOnly):
        open_database(str(tmp_path / "new.sqlite3"))
    assert not (tmp_path / "new.sqlite3").exists()


# --- backups ---------------------------------------------------------------------------------


def test_a_backup_is_made_and_verified(sqlite_firm):
    clock.freeze(DAY)
    for _ in range(4):
        register(sqlite_firm.rec)
    made = backup.make_backup(actor=sqlite_firm.owner)
    assert made.verified and made.kind == "manual"
    assert made.counts == {"complaint": Complaint.select().count(),
                           "event": made.counts["event"]} and made.counts["complaint"] == 4
    record = json.loads(Path(made.path + ".json").read_text(encoding="utf-8"))
    assert record["verified"] is True and record["counts"] == made.counts
    assert Path(made.path).parent == Path(sqlite_firm.location).parent / "backups"
    check = backup.verify(made.path, {"complaint": 5, "event": made.counts["event"]})
    assert not check.ok  # a count that differs fails the verification
    assert backup.verify(made.path, made.counts).ok
    with pytest.raises(PermissionDenied):
        backup.make_backup(actor=sqlite_firm.rec)


def test_a_backup_that_fails_its_check_is_deleted(sqlite_firm, monkeypatch, tmp_path):
    from services.backup import store

    monkeypatch.setattr(store, "_count", lambda conn: {"complaint": id(conn), "event": 0})
    with pytest.raises(BackupError):
        backup.make_backup(actor=sqlite_firm.owner, to=tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_the_rotation_keeps_7_daily_4_weekly_12_monthly():
    start = datetime(2025, 1, 1, 8, 0)
    items = []
    for day in range(500):  # two a day for 500 days, and a copy before a migration
        for hour in (8, 18):
            when = start + timedelta(days=day, hours=hour - 8)
            items.append((when.isoformat(), when, "auto"))
    old_migration = datetime(2025, 3, 3, 12, 0)
    items.append(("migration", old_migration, "before-v8"))
    keep = backup.to_keep(items)
    newest = max(w for _k, w, _kind in items)
    days = sorted({datetime.fromisoformat(k).date() for k in keep if k != "migration"})
    # the newest of each of the last 7 days
    last7 = [(newest - timedelta(days=i)).date() for i in range(7)]
    assert set(last7) <= set(days)
    for d in last7:
        assert datetime.combine(d, datetime.min.time()).replace(hour=18).isoformat() in keep
    # 4 weeks and 12 months: at most 7 + 4 + 12 kept, and the last pre-migration copy
    assert "migration" in keep
    assert len(keep) <= 7 + 4 + 12 + 1
    months = {(datetime.fromisoformat(k).year, datetime.fromisoformat(k).month)
              for k in keep if k != "migration"}
    assert len(months) == 12
    weeks = {datetime.fromisoformat(k).isocalendar()[:2] for k in keep if k != "migration"}
    assert len(weeks) >= 4
    # a gap in use does not spend places: 3 backups months apart are all kept
    sparse = [("a", datetime(2026, 1, 5), "auto"), ("b", datetime(2026, 4, 5), "auto"),
              ("c", datetime(2026, 9, 5), "manual")]
    assert backup.to_keep(sparse) == {"a", "b", "c"}


def test_rotation_deletes_only_what_it_does_not_keep(sqlite_firm):
    folder = Path(sqlite_firm.location).parent / "rot"
    for day in range(10):
        clock.freeze(DAY + timedelta(days=day))
        backup.make_backup(actor=sqlite_firm.owner, to=folder)
    stranger = folder / "notes.txt"
    stranger.write_text("keep me")
    clock.freeze(DAY + timedelta(days=10))
    backup.make_backup(actor=sqlite_firm.owner, to=folder)
    left = backup.list_backups(folder)
    # the newest 7 days; the older ones are not the newest of their week or month either
    assert [b.created.date() for b in left] == [
        (DAY + timedelta(days=d)).date() for d in range(10, 3, -1)]
    assert stranger.exists()


def test_restore_brings_the_data_back(sqlite_firm):
    clock.freeze(DAY)
    for _ in range(3):
        register(sqlite_firm.rec)
    made = backup.make_backup(actor=sqlite_firm.owner)
    for _ in range(2):
        register(sqlite_firm.rec)
    assert Complaint.select().count() == 5
    with pytest.raises(PermissionDenied):
        backup.restore(made.path, actor=sqlite_firm.mgr)
    done = backup.restore(made.path, actor=sqlite_firm.owner)
    assert done.counts["complaint"] == 3 and done.kept_aside
    open_database(sqlite_firm.location)
    assert Complaint.select().count() == 3
    aside = sqlite3.connect(done.kept_aside)
    assert aside.execute("SELECT count(*) FROM complaint").fetchone()[0] == 5  # kept aside
    aside.close()


def test_restore_is_refused_while_another_connection_is_open(sqlite_firm):
    made = backup.make_backup(actor=sqlite_firm.owner)
    other = sqlite3.connect(sqlite_firm.location)
    other.execute("SELECT count(*) FROM complaint").fetchone()
    before = _sha(sqlite_firm.location)
    try:
        with pytest.raises(BackupError) as info:
            backup.restore(made.path, actor=sqlite_firm.owner)
        assert "open elsewhere" in _message(info.value)
    finally:
        other.close()
    assert _sha(sqlite_firm.location) == before


def test_restore_refuses_a_damaged_backup(sqlite_firm, tmp_path):
    made = backup.make_backup(actor=sqlite_firm.owner)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(Path(made.path).read_bytes()[:8192])
    with pytest.raises(BackupError):
        backup.restore(bad, actor=sqlite_firm.owner)
    assert Firm.select().count() == 1  # still the same database, still open


def test_the_first_start_of_a_day_backs_up_once(sqlite_firm, monkeypatch):
    monkeypatch.setenv(setup.DAILY_BACKUP_ENV, "1")
    location = sqlite_firm.location
    folder = Path(location).parent / "backups"
    stem = Path(location).stem
    close_database()
    clock.freeze(DAY)
    open_database(location)
    close_database()
    open_database(location)

    def made(day):
        return [b.kind for b in backup.list_backups(folder, stem=stem)
                if b.created.date() == day.date()]

    assert made(DAY) == ["auto"]
    close_database()
    clock.freeze(DAY + timedelta(days=1))
    open_database(location)
    assert made(DAY) == ["auto"] and made(DAY + timedelta(days=1)) == ["auto"]
    close_database()
    monkeypatch.setenv(setup.DAILY_BACKUP_ENV, "0")  # switched off
    clock.freeze(DAY + timedelta(days=2))
    open_database(location)
    assert made(DAY + timedelta(days=2)) == []


def test_the_copy_before_a_migration_joins_the_rotation(sqlite_firm, monkeypatch):
    """No more copies piling up beside the file: each goes into the backup folder, verified,
    and interrupted migrations leave one, not one each."""
    monkeypatch.setenv(setup.DAILY_BACKUP_ENV, "1")
    location = Path(sqlite_firm.location)
    close_database()
    clock.freeze(DAY)

    class Broken:
        VERSION = migrations.latest_version() + 1

        @staticmethod
        def apply(db):
            raise RuntimeError("power cut")

    real = migrations._migrations()
    monkeypatch.setattr(migrations, "_migrations",
                        lambda: real + [(Broken.VERSION, "m9999_test", Broken)])
    for minute in range(5):
        clock.freeze(DAY + timedelta(minutes=minute))
        with pytest.raises(RuntimeError):
            open_database(str(location))
        close_database()
    beside = [p.name for p in location.parent.glob(f"{location.stem}.before-*")]
    assert beside == []
    found = backup.list_backups(location.parent / "backups", stem=location.stem)
    before = [b for b in found if b.kind.startswith("before")]
    assert len(before) == 1 and before[0].verified
    assert before[0].kind == f"before-v{Broken.VERSION}"
    assert len(found) <= 2


def test_the_daily_full_check_runs_once_a_day(sqlite_firm):
    clock.freeze(DAY)
    result = backup.daily_check()
    assert result is not None and result.ok
    assert backup.daily_check() is None  # done today
    assert backup.last_check()["ok"] is True
    assert backup.daily_check(DAY + timedelta(days=1)) is not None


def test_the_backup_folder_is_the_owners_choice(sqlite_firm, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.set_folder(str(tmp_path / "x"), actor=sqlite_firm.mgr)
    chosen = backup.set_folder(str(tmp_path / "elsewhere"), actor=sqlite_firm.owner)
    assert backup.folder() == chosen and chosen.is_dir()
    made = backup.make_backup(actor=sqlite_firm.mgr)
    assert Path(made.path).parent == chosen


def test_postgresql_has_no_file_backups_but_the_pg_dump_command(firm, backend):
    if backend.kind == "sqlite":
        assert backup.pg_commands() is None
        return
    with pytest.raises(BackupError) as info:
        backup.make_backup(actor=firm.owner)
    assert "pg_dump" in _message(info.value)
    dump, restore = backup.pg_commands(DAY)
    name = firm.location.rsplit("/", 1)[1]
    assert dump.startswith("pg_dump ") and dump.endswith(name) and "--format=custom" in dump
    assert restore.startswith("pg_restore ") and "password" not in (dump + restore).lower()
    assert backup.daily_check() is None  # the server checks its own pages


def test_a_large_file_is_checked_right_after_start_instead(sqlite_firm, tmp_path, monkeypatch):
    """Past models.db.QUICK_CHECK_MAX, SQLite's quick_check moves from before the open to the
    background check right after start (services.backup.start_check): the damage is still
    found, and opening stays instant (docs/rules.md §10)."""
    from models import db as dbmod

    clock.freeze(DAY)
    source = _closed_copy(sqlite_firm, tmp_path / "clean.sqlite3", complaints=25)
    damaged = None
    for seed in range(40):  # a seeded damage that quick_check finds
        rng = random.Random(seed)
        candidate = tmp_path / f"large-{seed}.sqlite3"
        shutil.copyfile(source, candidate)
        pages = candidate.stat().st_size // 4096
        with candidate.open("r+b") as f:
            for _ in range(3):
                f.seek(rng.randrange(1, pages) * 4096 + rng.randrange(0, 4096 - 512))
                f.write(bytes(rng.randrange(256) for _ in range(512)))
        conn = dbmod.connect_read_only(str(candidate))
        try:
            if dbmod.quick_check(conn):
                damaged = candidate
                break
        except sqlite3.DatabaseError:
            pass
        finally:
            conn.close()
    assert damaged is not None
    monkeypatch.setattr(dbmod, "QUICK_CHECK_MAX", 0)  # every file counts as large
    open_database(str(damaged))
    try:
        assert not setup.open_status().damaged  # not checked before use
        result = backup.start_check(DAY)
        assert result is not None and not result.ok  # found right after start
    finally:
        close_database()
