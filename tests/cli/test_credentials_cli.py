"""Credentials on the command line and in the window's files (docs/design.md, Credentials;
docs/rules.md §10): `users list` needs a log-in, failed log-ins are throttled and logged, the
owner unlocks, and a server password is never printed, logged or remembered in clear."""
from __future__ import annotations

import io
import json
import logging
import sys
from datetime import datetime
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from services import clock
from services.people import logins
from tests.conftest import PASSWORD
from ui import cli

T0 = datetime(2026, 3, 2, 9, 0, 0)
SECRET = "Sup3r-Secret-Pw"


class AppLog:
    """What the program's log (complaintdesk.log in the data folder) gained during a test."""

    def __init__(self):
        from services.firm import data_folder

        self.path = Path(data_folder()) / "complaintdesk.log"
        self.start = self.path.stat().st_size if self.path.exists() else 0

    def text(self) -> str:
        if not self.path.exists():
            return ""
        with open(self.path, encoding="utf-8", errors="replace") as f:
            f.seek(self.start)
            return f.read()


@pytest.fixture
def home(monkeypatch):
    """The program's log, written by the command line afresh (no window handler), and no
    keyring backend (as on CI)."""
    monkeypatch.setattr(logging.getLogger("complaintdesk"), "handlers", [])
    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())
    return AppLog()


@pytest.fixture
def run(capsys, monkeypatch, home):
    """``run(*argv, user=…, password=…)``: one command in-process; returns status, out, err."""
    monkeypatch.delenv(cli.ENV_USER, raising=False)
    monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)

    def call(*argv: str, user: str | None = None, password: str | None = None,
             stdin: str = ""):
        if user is not None:
            monkeypatch.setenv(cli.ENV_USER, user)
        if password is not None:
            monkeypatch.setenv(cli.ENV_PASSWORD, password)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        status = cli.main(["--lang", "en", *argv])
        out, err = capsys.readouterr()
        monkeypatch.delenv(cli.ENV_USER, raising=False)
        monkeypatch.delenv(cli.ENV_PASSWORD, raising=False)
        return status, out, err

    yield call
    clock.freeze(None)


# --- who may see the staff -----------------------------------------------------------------


def test_users_list_needs_a_log_in(run, sqlite_firm):
    status, out, err = run("users", "list", "--db", sqlite_firm.location)
    assert status == 2 and out == ""
    assert "Say who is acting" in err and "王经理" not in err
    status, out, err = run("users", "list", "--db", sqlite_firm.location, user="rec",
                           password="wrong-one")
    assert status == 2 and "王经理" not in out and "Wrong login or password." in err
    status, out, err = run("users", "list", "--db", sqlite_firm.location, "--json", user="rec",
                           password=PASSWORD)
    assert status == 0, err
    assert {u["login"] for u in json.loads(out)} >= {"owner", "mgr", "rec"}


# --- failed log-ins ------------------------------------------------------------------------


def test_the_cli_says_when_to_try_again_and_the_owner_unlocks(run, sqlite_firm, home):
    clock.freeze(T0)
    db = ("--db", sqlite_firm.location)
    for _i in range(logins.FREE_FAILURES - 1):
        status, _out, err = run("users", "list", *db, user="han", password="guess")
        assert status == 2 and "Wrong login or password." in err
    status, _out, err = run("users", "list", *db, user="han", password="guess")
    assert status == 2
    assert err.strip().endswith("Too many failed log-ins for han: try again after "
                                "2026-03-02 09:00:30.")
    status, _out, err = run("users", "list", *db, user="han", password=PASSWORD)
    assert status == 2 and "try again after" in err  # the right password waits too
    # The owner sees it, and lifts it; a manager may not.
    status, out, err = run("users", "list", *db, user="owner", password=PASSWORD)
    assert status == 0 and "waits until" in out
    status, _out, err = run("users", "unlock", "han", *db, user="mgr", password=PASSWORD)
    assert status == 2 and "role" in err
    status, out, err = run("users", "unlock", "han", *db, user="owner", password=PASSWORD)
    assert status == 0 and "han may log in again." in out
    status, out, err = run("users", "list", *db, user="han", password=PASSWORD)
    assert status == 0, err
    log = home.text()
    assert "Failed log-in for 'han' (3 in a row)" in log
    assert "unlocked by 'owner'" in log
    assert "guess" not in log and PASSWORD not in log


def test_a_locked_login_says_who_can_unlock_it(run, sqlite_firm):
    clock.freeze(T0)
    for _i in range(logins.LOCK_AFTER):
        logins.record_failure("rec")
    status, _out, err = run("complaints", "list", "--db", sqlite_firm.location, user="rec",
                            password=PASSWORD)
    assert status == 2
    assert "The login rec is locked after 10 failed log-ins" in err
    assert "users unlock rec" in err


# --- the server password, never in clear ---------------------------------------------------


def test_init_on_a_server_never_prints_or_logs_the_password(run, backend, home):
    if backend.kind != "postgres":
        pytest.skip("a server URL")
    location = backend.new_location()
    user, rest = location.split("://", 1)[1].split("@", 1)
    url = f"postgresql://{user}:{SECRET}@{rest}"
    try:
        status, out, err = run("init", "--db", url, "--profile", "company", "--firm", "F",
                               "--owner", "boss", "--password-stdin", stdin=f"{PASSWORD}\n")
        assert status == 0, err
        assert f"{user}:***@" in out and SECRET not in out + err
        status, out, err = run("users", "list", "--db", url, user="boss", password="nope")
        assert status == 2 and SECRET not in out + err
        status, out, err = run("users", "list", "--db", url, "--json", user="boss",
                               password=PASSWORD)
        assert status == 0 and SECRET not in out + err
        assert "Failed log-in for 'boss'" in home.text() and SECRET not in home.text()
    finally:
        from services.firm import close_database

        close_database()
        backend.drop(location)


def test_demo_prints_the_location_without_its_password(monkeypatch, home):
    """The text `init` and `demo` print names the database as CliContext.shown_location()."""
    from ui.cli.context import CliContext

    ctx = CliContext(args=type("A", (), {"db": f"postgresql://desk:{SECRET}@h/firm"})())
    assert ctx.shown_location() == "postgresql://desk:***@h/firm"
    assert ctx.location().endswith(f":{SECRET}@h/firm")  # what opens it keeps it, in memory


# --- the window's files ---------------------------------------------------------------------


def test_preferences_never_keep_a_server_password(tmp_path):
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QSettings

    from ui import prefs

    path = tmp_path / "prefs.ini"
    old = QSettings(str(path), QSettings.Format.IniFormat)  # as version 1 left it
    old.setValue("meta/version", 1)
    old.setValue(prefs.LAST_DATABASE.key, f"postgresql://desk:{SECRET}@db.local/firm")
    old.sync()
    del old
    try:
        prefs.use_file(str(path))
        assert prefs.get(prefs.LAST_DATABASE) == "postgresql://desk@db.local/firm"
        prefs.put(prefs.LAST_DATABASE, f"postgresql://desk:{SECRET}@db.local/firm")
        prefs.store().sync()
        assert prefs.get(prefs.LAST_DATABASE) == "postgresql://desk@db.local/firm"
        assert SECRET not in path.read_text(encoding="utf-8")
    finally:
        prefs.use_file(str(tmp_path / "other.ini"))


def test_the_window_log_redacts_a_server_password(tmp_path):
    pytest.importorskip("PySide6")
    from ui import errors

    errors.setup_logging(tmp_path)
    errors.log.error("Could not open %s", f"postgresql://desk:{SECRET}@db.local/firm")
    for h in errors.log.handlers:
        h.flush()
    text = (tmp_path / errors.LOG_FILE).read_text(encoding="utf-8")
    assert "postgresql://desk:***@db.local/firm" in text and SECRET not in text


def test_the_window_keeps_the_location_without_its_password(qapp):
    from ui.app import Shell
    from ui.tasks import TaskManager

    shell = Shell(location=f"postgresql://desk:{SECRET}@db.local/firm",
                  tasks=TaskManager(synchronous=True))
    assert shell.location == "postgresql://desk@db.local/firm"
    assert shell.db_password == SECRET


def test_the_owner_unlocks_in_settings_staff(sqlite_firm, qtbot, session_for, english):
    from ui.settings import SettingsView
    from ui.settings.common import select_key

    clock.freeze(T0)
    for _i in range(logins.LOCK_AFTER):
        logins.record_failure("rec")
    view = SettingsView(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(view)
    page = view.staff_page
    assert "rec (locked until" in page.blocked_label.text()
    select_key(page.user_table, "rec")
    assert page.unlock_button.isEnabled() and page.unlock_login()
    assert not logins.state("rec").failures and not page.blocked_label.text()
    assert "rec may log in again." in page.errors.info.text()
    clock.freeze(None)
    manager_view = SettingsView(session_for(sqlite_firm, "mgr"))
    qtbot.addWidget(manager_view)
    manager_page = manager_view.staff_page
    assert not manager_page.unlock_button.isEnabled() and not manager_page.unlock_login()
