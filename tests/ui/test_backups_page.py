"""Settings › Backups, and what the window does at start with a damaged or read-only
database (docs/design.md, Integrity and backups). On SQLite, with the inline worker; the
PostgreSQL page on the server."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest

from models.entities import Complaint
from services import backup, clock
from services.firm import close_database, setup
from tests.helpers import register
from ui.session import Session
from ui.settings.backups_page import restore_question

pytestmark = pytest.mark.usefixtures("english")
DAY = datetime(2026, 10, 12, 9, 0)


@pytest.fixture
def make_page(qtbot, session_for):
    from ui.settings.backups_page import BackupsPage

    made = []

    def make(firm, login: str = "owner"):
        page = BackupsPage(session_for(firm, login))
        qtbot.addWidget(page)
        made.append(page)
        return page

    return make


def test_back_up_now_lists_the_verified_backup_and_restore_brings_data_back(
        sqlite_firm, make_page, monkeypatch):
    clock.freeze(DAY)
    register(sqlite_firm.rec)
    page = make_page(sqlite_firm)
    assert "backups" in page.folder_label.text()
    before = page.table.rowCount()
    page.back_up_now()
    assert page.table.rowCount() == before + 1
    assert "Backed up and checked" in page.errors.info.text()
    rows = [[page.table.item(r, c).text() for c in range(5)]
            for r in range(page.table.rowCount())]
    manual = next(i for i, row in enumerate(rows) if row[3] == "Made on request")
    assert rows[manual][2] == "yes" and rows[manual][4].endswith("-manual.sqlite3")

    register(sqlite_firm.rec)
    assert Complaint.select().count() == 2
    asked = []
    monkeypatch.setattr(page, "confirm_restore", lambda b: asked.append(b) or True)
    page.table.selectRow(manual)
    page.restore_selected()
    assert asked and "will be replaced" in restore_question(asked[0], "db")
    assert Complaint.select().count() == 1  # the database was put back and opened again
    assert list(Path(sqlite_firm.location).parent.glob("*.replaced-*"))


def test_restore_asks_first_and_does_nothing_when_cancelled(sqlite_firm, make_page,
                                                            monkeypatch):
    page = make_page(sqlite_firm)
    page.back_up_now()
    register(sqlite_firm.rec)
    monkeypatch.setattr(page, "confirm_restore", lambda b: False)
    page.table.selectRow(0)
    page.restore_selected()
    assert Complaint.select().count() == 1


def test_who_may_do_what_on_the_page(sqlite_firm, make_page, monkeypatch, tmp_path):
    manager = make_page(sqlite_firm, "mgr")
    assert manager.backup_button.isEnabled()
    assert not manager.restore_button.isEnabled() and not manager.choose_button.isEnabled()
    receiver = make_page(sqlite_firm, "rec")
    assert not receiver.backup_button.isEnabled() and receiver.note.isVisibleTo(receiver)
    owner = make_page(sqlite_firm)
    monkeypatch.setattr(owner, "ask_folder", lambda current: str(tmp_path / "usb"))
    owner.choose_folder()
    assert str(tmp_path / "usb") in owner.folder_label.text()
    assert backup.folder() == (tmp_path / "usb").resolve()


def test_postgresql_page_shows_the_pg_dump_command(firm, backend, make_page):
    if backend.kind == "sqlite":
        pytest.skip("the pg_dump page is for PostgreSQL")
    page = make_page(firm)
    assert page.pg_commands.isVisibleTo(page) and not page.table.isVisibleTo(page)
    text = page.pg_commands.toPlainText()
    assert text.startswith("pg_dump ") and "pg_restore" in text
    assert "pg_dump" in page.pg_label.text()


def _damage(path: Path) -> None:
    with path.open("r+b") as f:  # the schema page: SQLite's quick check fails on it
        f.seek(100)
        f.write(b"\xff" * 3000)


def test_at_start_a_damaged_database_offers_the_latest_good_backup(
        sqlite_firm, tasks, qtbot, monkeypatch):
    from ui import app
    from ui.settings import backups_page

    clock.freeze(DAY)
    backup.make_backup(actor=sqlite_firm.owner)
    location = Path(sqlite_firm.location)
    close_database()
    _damage(location)
    offered = []
    monkeypatch.setattr(backups_page, "ask_at_start",
                        lambda message, latest, can_continue=True:
                        offered.append((message, latest)) or "restore")
    shell = app.Shell(location=str(location), tasks=tasks)
    shell.start()
    assert offered and "damaged" in offered[0][0] and offered[0][1] is not None
    assert shell.login_dialog is not None  # restored, reopened, on to the log-in
    qtbot.addWidget(shell.login_dialog)
    assert not setup.open_status().read_only and setup.is_initialized()
    assert list(location.parent.glob(f"{location.stem}.replaced-*"))


def test_at_start_a_damaged_database_may_be_opened_read_only(sqlite_firm, tasks, qtbot,
                                                             monkeypatch, tmp_path):
    from ui import app
    from ui.settings import backups_page

    location = tmp_path / "copy.sqlite3"
    close_database()
    shutil.copyfile(sqlite_firm.location, location)
    with location.open("r+b") as f:  # a data page only: the schema can still be read
        f.seek(4096 * (location.stat().st_size // 4096 - 2) + 200)
        f.write(b"\x00\xff" * 1500)
    monkeypatch.setattr(backups_page, "ask_at_start",
                        lambda message, latest, can_continue=True: "continue")
    told = []
    monkeypatch.setattr(backups_page, "tell_read_only", told.append)
    shell = app.Shell(location=str(location), tasks=tasks)
    shell.start()
    status = setup.open_status()
    if not status.damaged:
        pytest.skip("this page was not one quick_check reads")
    assert status.read_only and shell.login_dialog is not None
    qtbot.addWidget(shell.login_dialog)


def test_at_start_a_read_only_database_is_said_so(sqlite_firm, tasks, qtbot, monkeypatch):
    from models import db as dbmod
    from ui import app
    from ui.settings import backups_page

    close_database()
    monkeypatch.setattr(dbmod, "folder_writable", lambda _p: False)
    told = []
    monkeypatch.setattr(backups_page, "tell_read_only", told.append)
    shell = app.Shell(location=sqlite_firm.location, tasks=tasks)
    shell.start()
    assert told and "read-only" in told[0]
    assert shell.login_dialog is not None
    qtbot.addWidget(shell.login_dialog)


def test_the_daily_full_check_warns_when_it_fails(sqlite_firm, tasks, qtbot, monkeypatch):
    from services.backup import CheckResult
    from ui.settings import backups_page

    session = Session(user=sqlite_firm.owner, location=sqlite_firm.location, tasks=tasks)
    clock.freeze(DAY)
    backups_page.start_daily_check(session)
    assert backup.last_check()["ok"] is True
    shown = []
    monkeypatch.setattr(backups_page.QMessageBox, "open", lambda box: shown.append(box.text()))
    monkeypatch.setattr(backups_page.backup, "start_check",
                        lambda: CheckResult(False, ("page 7: broken",), DAY))
    backups_page.start_daily_check(session)
    assert shown and "full check found errors" in shown[0]
