"""`main.py backup`, `backups list|folder`, `restore` (docs/design.md, Integrity and backups):
in-process, on a company firm on SQLite; a damaged or empty database is restored without a
log-in, a sound one by its owner alone."""
from __future__ import annotations

import io
import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from models.entities import Complaint
from services import clock
from services.firm import close_database, open_database
from tests.helpers import register
from ui import cli

DAY = datetime(2026, 10, 12, 9, 0)


@pytest.fixture
def run(capsys, monkeypatch, sqlite_firm):
    """``run(login, *argv, stdin="")``: the command as that user, in English."""
    clock.freeze(DAY)

    def call(login: str, *argv: str, stdin: str = "", db: str | None = None):
        monkeypatch.setenv(cli.ENV_USER, login)
        monkeypatch.setenv(cli.ENV_PASSWORD, "secret1")
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        close_database()  # the test's own connection: a restore refuses while it is open
        status = cli.main(["--lang", "en", *argv, "--db", db or sqlite_firm.location])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def test_backup_list_and_restore_on_the_command_line(run, sqlite_firm):
    for _ in range(2):
        register(sqlite_firm.rec)
    status, out, err = run("mgr", "backup", "--json")
    assert status == 0, err
    made = json.loads(out)
    assert made["verified"] and made["counts"]["complaint"] == 2
    register(sqlite_firm.rec)
    status, out, err = run("owner", "backups", "list", "--json")
    assert status == 0, err
    listed = json.loads(out)["backups"]
    assert made["path"] in [b["path"] for b in listed]
    status, out, err = run("owner", "backups", "list")
    assert "Made on request" in out and "yes" in out
    # a receiver may not copy the whole database away
    status, out, err = run("rec", "backup")
    assert status == 2 and "This needs the role" in err
    # restoring asks first; with no terminal to answer it, --yes is needed
    close_database()
    status, out, err = run("owner", "restore", made["path"])
    assert status == 2 and "--yes" in err
    status, out, err = run("mgr", "restore", made["path"], "--yes")
    assert status == 2  # the owner alone
    status, out, err = run("owner", "restore", made["path"], "--yes")
    assert status == 0, err
    assert "Restored" in out and "kept as" in out
    open_database(sqlite_firm.location)
    assert Complaint.select().count() == 2


def test_an_empty_database_is_restored_without_log_in(run, sqlite_firm, monkeypatch):
    status, out, err = run("owner", "backup")
    assert status == 0, err
    close_database()
    location = Path(sqlite_firm.location)
    location.write_bytes(b"")  # the file emptied (a failed copy, a full disk)
    for suffix in ("-wal", "-shm"):
        Path(str(location) + suffix).unlink(missing_ok=True)
    status, out, err = run("nobody", "complaints", "list")
    assert status == 2 and "empty (0 bytes)" in err and "unexpected" not in err
    monkeypatch.delenv(cli.ENV_PASSWORD)
    status, out, err = run("nobody", "backups", "list", "--json")
    assert status == 0, err
    assert len(json.loads(out)["backups"]) >= 1
    status, out, err = run("nobody", "restore", "--latest", "--yes")
    assert status == 0, err
    open_database(str(location))
    assert location.stat().st_size > 0
    kept = list(location.parent.glob(f"{location.stem}.replaced-*"))
    assert kept and kept[0].stat().st_size == 0  # the empty file, kept aside


def test_a_read_only_database_says_so_and_refuses_writes(run, sqlite_firm, monkeypatch):
    from models import db as dbmod

    close_database()
    monkeypatch.setattr(dbmod, "folder_writable", lambda _p: False)  # a read-only medium
    status, out, err = run("owner", "complaints", "list")
    assert "read-only" in err  # said on standard error, the listing on standard output
    assert status == 0, err
    status, out, err = run("owner", "users", "add", "newbie", "--name", "新人", "--roles",
                           "receiver", stdin="secret12\nsecret12\n")
    assert status == 2 and "unexpected" not in err


def test_the_backup_folder_is_chosen_by_the_owner(run, tmp_path):
    status, out, err = run("mgr", "backups", "folder", str(tmp_path / "b"))
    assert status == 2
    status, out, err = run("owner", "backups", "folder", str(tmp_path / "b"), "--json")
    assert status == 0, err
    assert json.loads(out)["folder"] == str((tmp_path / "b").resolve())
    status, out, err = run("mgr", "backup", "--json")
    assert status == 0, err
    assert Path(json.loads(out)["path"]).parent == (tmp_path / "b").resolve()
    status, out, err = run("mgr", "backup", "--to", str(tmp_path / "c"), "--json")
    assert Path(json.loads(out)["path"]).parent == tmp_path / "c"
