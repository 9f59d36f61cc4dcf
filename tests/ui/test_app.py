"""The application shell: first-start wizard, log-in, main window, errors."""
from __future__ import annotations

import sqlite3
import sys
import threading
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWizard

from services import clock, i18n, settings
from services.changes import Changes
from services.errors import ValidationError
from services.firm import setup
from services.people import users
from tests.children import python_child
from tests.conftest import PASSWORD
from tests.helpers import choose_radio, click, fill_wizard, next_page, register
from ui import errors, prefs
from ui.qt_i18n import apply_language
from ui.session import Session

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session(sqlite_firm, tasks):
    return Session(user=sqlite_firm.owner, location=sqlite_firm.location, tasks=tasks)


def finish(qtbot, wizard):
    click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))


# --- first start ---------------------------------------------------------------------------


def test_wizard_on_a_fresh_database_sets_up_the_firm_and_opens_the_main_window(
        qtbot, fresh_db, tasks):
    from ui.app import Shell
    from ui.main_window import MainWindow

    shell = Shell(location=fresh_db, tasks=tasks)
    shell.start()
    wizard = shell.wizard
    assert wizard is not None and wizard.isVisible()
    assert shell.login_dialog is None
    fill_wizard(qtbot, wizard)
    assert "fresh.sqlite3" in wizard.finish_page.database_label.text()
    finish(qtbot, wizard)

    assert setup.is_initialized()
    info = settings.firm_info()
    assert (info.name, info.address, info.profile, info.language) == (
        "明理律师事务所", "北京市东城区1号", "law-firm", "en")
    assert info.approval_required
    owner = users.get_user("boss")
    assert owner.name == "周主任" and "owner" in owner.roles
    assert prefs.get(prefs.LAST_LOGIN) == "boss"
    assert prefs.get(prefs.LANGUAGE) == "en"
    assert prefs.get(prefs.LAST_DATABASE) == fresh_db

    window = shell.window
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow) and window.isVisible()
    assert window.session.user.login == "boss"
    assert shell.wizard is None and shell.exit_code is None


def test_wizard_shows_a_service_error_on_the_page_of_its_field(qtbot, fresh_db, tasks):
    from ui.first_start import OWNER_PAGE, FirstStartWizard

    wizard = FirstStartWizard(location=fresh_db, tasks=tasks)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(qtbot, wizard, login="boss man")  # a space: the service refuses the login
    finish(qtbot, wizard)
    assert wizard.currentId() == OWNER_PAGE
    assert "letters, digits" in wizard.owner_page.errors["login"].text()
    assert not setup.is_initialized()  # one transaction: nothing half made
    wizard.owner_page.login_edit.setText("boss")
    next_page(qtbot, wizard)
    finish(qtbot, wizard)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.user.login == "boss"


def test_wizard_switches_its_language_live(qtbot, fresh_db, tasks, zh_catalog):
    from ui.first_start import FirstStartWizard

    apply_language("en")
    wizard = FirstStartWizard(location=fresh_db, tasks=tasks)
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.windowTitle() == "Set up ComplaintDesk"
    choose_radio(qtbot, wizard.language_page.buttons["zh_CN"])
    assert wizard.windowTitle() == "设置投诉台"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "下一步(&N) >"
    choose_radio(qtbot, wizard.language_page.buttons["en"])
    assert wizard.windowTitle() == "Set up ComplaintDesk"


def test_cancelling_the_wizard_ends_the_program_without_a_firm(qtbot, fresh_db, tasks):
    from ui.app import Shell

    shell = Shell(location=fresh_db, tasks=tasks)
    shell.start()
    qtbot.keyClick(shell.wizard, Qt.Key.Key_Escape)
    assert shell.exit_code == 0 and shell.window is None
    assert not setup.is_initialized()


def test_wizard_can_load_sample_data_and_says_how_the_staff_log_in(qtbot, fresh_db, tasks):
    from services.complaints import register as complaints
    from ui.app import Shell

    shell = Shell(location=fresh_db, tasks=tasks)
    shell.start()
    wizard = shell.wizard
    fill_wizard(qtbot, wizard, profile="bank")
    box = wizard.finish_page.sample_box
    assert box.isEnabled()
    choose_radio(qtbot, box)
    finish(qtbot, wizard)

    window = shell.window
    qtbot.addWidget(window)
    owner = window.session.user
    assert owner.login == "boss"
    assert complaints.count(owner) == 300
    assert settings.firm_info().name == "明理律师事务所"  # the wizard's firm, not a demo one
    notice = window.findChild(QMessageBox)
    assert notice is not None and notice.isVisible()
    assert "300 sample complaints" in notice.text() and "demo123" in notice.text()


def test_a_failed_sample_load_leaves_the_firm_made_once(qtbot, fresh_db, tasks, monkeypatch):
    import services.demo.sample as demo
    from ui.first_start import FINISH_PAGE, FirstStartWizard

    def refuse(**_kwargs):
        raise ValidationError("Sample data failed.")

    monkeypatch.setattr(demo, "generate", refuse)
    wizard = FirstStartWizard(location=fresh_db, tasks=tasks)
    qtbot.addWidget(wizard)
    wizard.show()
    fill_wizard(qtbot, wizard)
    choose_radio(qtbot, wizard.finish_page.sample_box)
    finish(qtbot, wizard)
    assert wizard.currentId() == FINISH_PAGE and wizard.user is None
    assert wizard.finish_page.errors["general"].text() == "Sample data failed."
    assert setup.is_initialized()
    wizard.finish_page.sample_box.setChecked(False)
    finish(qtbot, wizard)  # no second firm: straight to logging in
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.user.login == "boss"


# --- log-in --------------------------------------------------------------------------------


def test_login_refuses_a_wrong_password_inline_and_remembers_the_login(
        qtbot, sqlite_firm, tasks):
    from ui.login import LoginDialog

    dialog = LoginDialog(location=sqlite_firm.location, tasks=tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    assert sqlite_firm.location in dialog.database_label.text()
    qtbot.keyClicks(dialog.login_edit, "owner")
    qtbot.keyClicks(dialog.password_edit, "wrong!")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.user is None
    assert dialog.error.isVisible() and dialog.error.text() == "Wrong login or password."
    assert dialog.password_edit.text() == ""  # typed again, not edited
    qtbot.keyClicks(dialog.password_edit, PASSWORD)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user.login == "owner"
    assert prefs.get(prefs.LAST_LOGIN) == "owner"

    again = LoginDialog(location=sqlite_firm.location, tasks=tasks)
    qtbot.addWidget(again)
    again.show()
    assert again.login_edit.text() == "owner"
    qtbot.keyClick(again.password_edit, Qt.Key.Key_Escape)  # Esc cancels
    assert again.result() == QDialog.DialogCode.Rejected and again.user is None


def test_later_starts_ask_for_login_and_switch_user_returns_to_it(qtbot, sqlite_firm, tasks):
    from ui.app import Shell

    shell = Shell(location=sqlite_firm.location, tasks=tasks)
    shell.start()
    assert shell.wizard is None
    dialog = shell.login_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.login_edit.setText("owner")
    dialog.password_edit.setText(PASSWORD)
    dialog.accept()
    first = shell.window  # the shell deletes it on switching user: not qtbot's to close
    assert first.isVisible() and first.session.user.login == "owner"

    first.switch_user_action.trigger()
    assert not first.isVisible()
    assert shell.exit_code is None  # the program goes on
    dialog = shell.login_dialog
    assert dialog.isVisible() and dialog.login_edit.text() == "owner"
    dialog.login_edit.setText("mgr")
    dialog.password_edit.setText(PASSWORD)
    dialog.accept()
    second = shell.window  # the shell's too
    assert second is not first and second.session.user.login == "mgr"
    assert "王经理" in second.user_label.text()
    second.close()
    assert shell.exit_code == 0


def test_a_database_from_a_newer_version_is_refused_with_its_message(
        qtbot, tmp_path, tasks, monkeypatch):
    from ui import app

    location = str(tmp_path / "newer.sqlite3")
    setup.open_database(location)
    setup.close_database()
    con = sqlite3.connect(location)
    con.execute("INSERT INTO schema_history (version, name, app_version, applied_at) "
                "VALUES (999, 'future', '9.0', '2030-01-01 00:00:00')")
    con.commit()
    con.close()
    shown = []
    monkeypatch.setattr(app, "show_refusal", lambda message, parent=None: shown.append(message))
    shell = app.Shell(location=location, tasks=tasks)
    shell.start()
    assert shell.exit_code == 1
    assert shell.wizard is None and shell.login_dialog is None
    assert "newer version" in shown[0]
    setup.close_database()


def test_run_ends_cleanly_when_the_database_is_refused(qtbot, tmp_path, monkeypatch):
    from ui import app

    location = tmp_path / "not-ours.sqlite3"
    con = sqlite3.connect(location)
    con.execute("CREATE TABLE something (x)")
    con.commit()
    con.close()
    shown = []
    monkeypatch.setattr(app, "show_refusal", lambda message, parent=None: shown.append(message))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    qapp = QApplication.instance()
    monkeypatch.setattr(qapp, "setQuitOnLastWindowClosed", lambda on: None)
    # never hang the suite; stopped after, or it would end a later test's event loop at once
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: qapp.exit(99))
    watchdog.start(20000)
    try:
        assert app.run(["main.py", "--db", str(location)]) == 1
    finally:
        watchdog.stop()
    assert len(shown) == 1 and "a database of another program" in shown[0]


# --- the main window -----------------------------------------------------------------------


def test_navigation_hides_sections_off_for_this_firm(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    texts = [window.nav.item(i).text() for i in range(window.nav.count())
             if not window.nav.item(i).isHidden()]
    assert texts == ["Complaints", "Due & overdue", "Penalties", "Reports", "Settings"]
    reports = window.nav_items["reports"]  # the owner may use it
    assert reports.flags() & Qt.ItemFlag.ItemIsEnabled
    assert window.nav_items["warranty"].isHidden()  # this is a company, not a repair shop
    view = [a.text() for a in window.view_menu.actions() if a.isVisible()]
    assert view == ["Complaints", "Due && overdue", "Penalties", "Reports", "Settings"]
    assert not window.section_actions["warranty"].isEnabled()
    for key in ("complaints", "due", "penalties", "settings"):
        assert window.nav_items[key].flags() & Qt.ItemFlag.ItemIsEnabled
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Help"]
    assert window.new_customer_action.shortcut().toString() == "Ctrl+N"
    assert window.find_action.shortcut().toString() == "Ctrl+F"
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_status_bar_shows_the_user_database_and_overdue_count(qtbot, sqlite_firm, session):
    from ui.main_window import MainWindow

    register(sqlite_firm.rec, received_at=clock.now() - timedelta(hours=2))
    register(sqlite_firm.rec, received_at=clock.now() - timedelta(hours=3))
    register(sqlite_firm.rec, received_at=clock.now() - timedelta(minutes=1))  # not yet due
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.user_label.text() == "刘总 (Manager and Owner)"
    assert sqlite_firm.location in window.database_label.text()
    assert window.overdue_button.text() == "2 overdue"
    result = register(sqlite_firm.rec, received_at=clock.now() - timedelta(hours=1))
    session.notify(Changes.of_complaint(result.complaint_id))  # a change: counted again
    assert window.overdue_button.text() == "3 overdue"


def test_language_switch_retranslates_the_menus_live(qtbot, session, zh_catalog):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.file_menu.title() == "&File"
    apply_language("zh_CN")
    session.notify(Changes(language=True))
    assert window.file_menu.title() == "文件(&F)"
    assert window.nav_items["complaints"].text() == "投诉台账"
    assert window.new_customer_action.text() == "新建客户投诉(&N)…"
    apply_language("en")
    session.notify(Changes(language=True))
    assert window.file_menu.title() == "&File"


def test_geometry_is_saved_on_close_and_restored(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    assert window.height() != 520
    # The offscreen screen is 800x600: a height inside it survives restoring unchanged.
    window.resize(window.width(), 520)
    window.tool_bar.hide()  # part of the saved state
    qtbot.waitUntil(lambda: window.height() == 520)
    assert window.close()
    assert not prefs.get(prefs.MAIN_GEOMETRY).isEmpty()
    assert not prefs.get(prefs.MAIN_STATE).isEmpty()

    again = MainWindow(session)
    qtbot.addWidget(again)
    again.show()
    assert again.height() == 520
    assert again.tool_bar.isHidden()


def test_a_closed_main_window_runs_no_timer(qtbot, sqlite_firm, session, monkeypatch,
                                            tmp_path):
    """Its timers are its own children and stop when it closes, so a window closed by one test
    never acts during a later one; a timeout already on its way does nothing."""
    from services.complaints import register as complaints
    from services.documents import schedule
    from ui.main_window import MainWindow

    # A summary due whatever the day (day 1), so only the closing stops the report timers.
    schedule.set_schedule(actor=sqlite_firm.owner, enabled=True, day=1,
                          folder=str(tmp_path / "summaries"), language="en")
    assert schedule.due_month() is not None
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    timers = window.timers()
    assert timers == (window.timer, window.report_timer, window.first_report_timer)
    assert all(t.parent() is window and t.isActive() for t in timers)
    calls = []
    real_run = session.tasks.run

    def record(fn, **kwargs):
        calls.append(fn)
        if fn is complaints.count:  # counted, so that the next count may start
            real_run(fn, **kwargs)

    monkeypatch.setattr(session.tasks, "run", record)
    for timer in timers:  # open, each timer's timeout runs its task
        timer.timeout.emit()
    assert calls == [complaints.count, schedule.run_due, schedule.run_due]
    assert schedule.due_month() is not None  # recorded, not made

    calls.clear()
    assert window.close()
    assert not any(t.isActive() for t in window.findChildren(QTimer))
    for timer in timers:
        timer.timeout.emit()
    assert calls == []


def test_keyboard_new_complaint_and_find(qtbot, session):
    from ui.complaint.form import NewComplaintDialog
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.show_section("due")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    register = window.views["complaints"]
    assert window.stack.currentWidget() is register
    assert QApplication.focusWidget() is register.filter_bar.search

    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialogs[-1]
    assert isinstance(dialog, NewComplaintDialog) and dialog.isVisible()
    assert dialog.form.kind.currentData() == "customer"
    dialog.reject()  # nothing typed: closes without asking
    assert not dialog.isVisible()
    window.new_employee_action.trigger()
    assert window.dialogs[-1].form.kind.currentData() == "employee"
    window.dialogs[-1].reject()


def test_due_view_opens_a_complaint_window_once(qtbot, sqlite_firm, session):
    from ui.main_window import MainWindow

    result = register(sqlite_firm.rec, received_at=clock.now() - timedelta(hours=2))
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    due = window.show_section("due")
    due.set_filter(due.current_filter().__class__(scope="all"))  # the owner runs no limit
    assert due.model.rowCount() >= 1
    index = due.model.index(0, 0)
    qtbot.mouseClick(due.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=due.table.visualRect(index).center())
    qtbot.keyClick(due.table, Qt.Key.Key_Return)  # Enter opens the selected row
    opened = window.complaint_windows[result.complaint_id]
    qtbot.addWidget(opened)
    assert opened.isVisible() and result.ticket in opened.windowTitle()
    assert window.open_complaint(result.complaint_id) is opened  # brought forward, not doubled
    assert window.close()  # closing the main window closes its complaint windows
    assert not window.complaint_windows or opened.isHidden()


def test_switching_language_in_settings_retranslates_every_screen(qtbot, session, zh_catalog):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    register = window.views["complaints"]
    register.filter_bar.search.setText("张三")  # typing in progress
    penalties = window.show_section("penalties")
    reports = window.show_section("reports")
    due = window.show_section("due")
    settings_view = window.show_section("settings")
    settings_view.language_page.radios["zh_CN"].click()
    assert window.file_menu.title() == "文件(&F)"
    assert window.nav_items["complaints"].text() == "投诉台账"
    # every screen retranslates itself on Changes(language=True), shown or not
    assert register.model.headerData(0, Qt.Orientation.Horizontal) == "单号"
    assert penalties.tabs.tabText(0) == "台账"
    assert reports.refresh_button.text() == "刷新" and due.refresh_button.text() == "刷新"
    assert settings_view.tabs.tabText(0) == "公司"
    assert register.filter_bar.search.text() == "张三"  # nothing lost
    assert prefs.get(prefs.LANGUAGE) == "zh_CN"
    settings_view.language_page.radios["en"].click()
    assert window.file_menu.title() == "&File"
    assert penalties.tabs.tabText(0) == "Ledger" and settings_view.tabs.tabText(0) == "Firm"


# --- errors --------------------------------------------------------------------------------


def test_unexpected_errors_get_a_dialog_with_copy_details_and_the_log(qtbot, tmp_path):
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        dialog = errors.handle(exc)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, errors.ErrorDialog) and dialog.isVisible()
    assert str(tmp_path / "complaintdesk.log") in dialog.log_label.text()
    click(qtbot, dialog.copy_button)
    copied = QApplication.clipboard().text()
    assert "Traceback" in copied and "disk on fire" in copied
    for handler in errors.log.handlers:
        handler.flush()
    logged = (tmp_path / "complaintdesk.log").read_text(encoding="utf-8")
    assert "disk on fire" in logged and "Traceback" in logged


def test_a_domain_error_reaching_the_handler_shows_just_its_message(qtbot, tmp_path):
    dialog = errors.handle(ValidationError("Give the firm's name.", field="firm_name"))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QMessageBox)
    assert dialog.text() == "Give the firm's name."
    assert "Traceback" not in dialog.text()


def test_background_job_errors_reach_the_handler(qtbot, session, monkeypatch):
    seen = []
    monkeypatch.setattr(errors, "handle", lambda exc, details="", parent=None:
                        seen.append((exc, details)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    errors.install(session.tasks)

    def broken():
        raise KeyError("missing")

    session.tasks.run(broken)
    assert isinstance(seen[0][0], KeyError) and "broken" in seen[0][1]


# --- a small Chinese catalog for the language tests ----------------------------------------


@pytest.fixture
def zh_catalog(tmp_path, monkeypatch):
    """A few Chinese translations, compiled, so a language switch shows a visible change
    whatever state the real catalog is in."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="zh_CN", domain=i18n.DOMAIN)
    for msgid, text in {"&File": "文件(&F)", "Complaints": "投诉台账",
                        "&New customer complaint…": "新建客户投诉(&N)…",
                        "Set up ComplaintDesk": "设置投诉台", "&Next >": "下一步(&N) >",
                        "Ticket no.": "单号", "Ledger": "台账", "Refresh": "刷新",
                        "Firm": "公司"}.items():
        catalog.add(msgid, text)
    folder = tmp_path / "i18n" / "zh_CN" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / f"{i18n.DOMAIN}.mo", "wb") as f:
        write_mo(f, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "i18n")
    monkeypatch.setattr(i18n, "_catalogs", {})
    yield


# --- start-up (docs/design.md, Start-up) ---------------------------------------------------

_PAINTED = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from ui import app as ui_app

ui_app.EARLY_OPEN_MS = 10 ** 9  # the database opens after the paint, never by the clock

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and type(obj).__name__ == 'LoginDialog':
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(' '.join(sorted(sys.modules)), flush=True)
        os._exit(0)

qapp = QApplication(sys.argv)
watch = Watch()
qapp.installEventFilter(watch)
sys.exit(ui_app.run(['complaintdesk', '--db', sys.argv[1], '--lang', 'en']))
"""

# What the log-in dialog's first paint must not wait for: the features and the documents
# come with the worker and after the main window's paint; Qt's network module (the
# single-instance server) and a few standard modules that each take milliseconds to load
# come after the paint too.
NOT_BEFORE_THE_LOGIN = ("reportlab", "babel", "babel.dates", "logging.handlers", "openpyxl",
                        "PySide6.QtNetwork", "hashlib", "platform", "decimal", "dataclasses",
                        "locale",
                        "services.features", "services.complaints", "services.documents",
                        "services.reports", "services.warranty")


def _child_env(tmp_path, location: str) -> dict:
    import os

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               COMPLAINTDESK_HOME=str(tmp_path))
    code = ("from PySide6.QtCore import QCoreApplication\n"
            "app = QCoreApplication([])\n"
            "from ui import prefs\n"
            f"prefs.put(prefs.LAST_DATABASE, {location!r})\n"
            "prefs.put(prefs.LANGUAGE, 'en')\n")
    import subprocess

    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    return env


def test_the_window_reads_its_own_options_and_leaves_qts_alone():
    from ui.app import parse_args

    given = parse_args(["-platform", "offscreen", "--db", "shop.sqlite3", "--lang=zh_CN",
                        "--user", "boss", "-style", "fusion", "--lang", "en"])
    assert (given.db, given.lang, given.user) == ("shop.sqlite3", "en", "boss")
    assert vars(parse_args([])) == {"db": "", "lang": "", "user": ""}
    assert parse_args(["--db=postgresql://u@h/office?x=1"]).db == "postgresql://u@h/office?x=1"
    assert parse_args(["--user"]).user == ""  # no value given: as if not given
    assert parse_args(["--database", "x", "-db", "y"]).db == ""  # only the exact names


def test_the_login_paints_before_the_services_and_documents_are_imported(sqlite_firm,
                                                                          tmp_path):

    env = _child_env(tmp_path, sqlite_firm.location)
    loaded = set(python_child(_PAINTED, sqlite_firm.location, env=env).split())
    assert "ui.login" in loaded  # it did paint the log-in dialog
    assert not loaded & set(NOT_BEFORE_THE_LOGIN), loaded & set(NOT_BEFORE_THE_LOGIN)


# The register painted with its first answer, the user given (as tests/bench_startup.py does):
# the modules loaded by then, and on a second line the widget classes PySide has made.
_REGISTER_PAINTED = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from ui import app as ui_app

class Watch(QObject):
    def __init__(self, view):
        super().__init__()
        self.view = view

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.view.model.loaded:
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        from PySide6 import QtWidgets
        print(' '.join(sorted(sys.modules)), flush=True)
        print(' '.join(sorted(name for name, kind in vars(QtWidgets).items()
                              if isinstance(kind, type))), flush=True)
        os._exit(0)

def _skip_login(self, ready=True):
    if ready:
        from services.people import users
        self.open_main(users.get_user('owner'))

_open_main = ui_app.Shell.open_main
watching = []

def _open_and_watch(self, user):
    _open_main(self, user)
    view = self.window.views['complaints']
    watching.append(Watch(view))
    view.table.viewport().installEventFilter(watching[-1])

ui_app.Shell.show_login = _skip_login
ui_app.Shell.open_main = _open_and_watch
qapp = QApplication(sys.argv)
sys.exit(ui_app.run(['complaintdesk', '--db', sys.argv[1], '--lang', 'en']))
"""

# What the register's first paint on SQLite must not wait for: the PostgreSQL driver, babel's
# locale data, the features the register does not show, the documents, the settings screens,
# the migrations (the database is at the last one).
NOT_BEFORE_THE_REGISTER = ("psycopg2", "babel", "services.features", "services.penalties",
                           "services.warranty", "services.documents", "reportlab", "openpyxl",
                           "ui.settings", "models.migrations.m0001_initial",
                           # parts of the features it does show, loaded when first used
                           "services.backup.integrity", "services.backup.postgres",
                           "services.timelimits.queue", "services.complaints.attachments",
                           "services.integrity.checking", "services.integrity.roles")


def _register_painted(location: str, tmp_path) -> tuple[set[str], set[str]]:
    """The modules loaded and the widget classes made when the register first painted."""

    env = _child_env(tmp_path, location)
    modules, widgets = python_child(_REGISTER_PAINTED, location, env=env).splitlines()[:2]
    return set(modules.split()), set(widgets.split())


def test_the_register_paints_before_the_other_features_and_the_server_driver(sqlite_firm,
                                                                              tmp_path):
    loaded, _ = _register_painted(sqlite_firm.location, tmp_path)
    assert {"ui.register.view", "services.complaints", "peewee"} <= loaded  # it did paint
    assert not loaded & set(NOT_BEFORE_THE_REGISTER), loaded & set(NOT_BEFORE_THE_REGISTER)


def test_the_value_classes_made_before_the_first_paint_say_what_they_are(sqlite_firm, tmp_path):
    # A dataclass without a docstring is given one as it is made, from inspect.signature:
    # 2-3 ms over the start for the two dozen the register's first paint makes.
    import dataclasses
    import importlib
    import inspect

    loaded, _ = _register_painted(sqlite_firm.location, tmp_path)
    ours = sorted(m for m in loaded if m.split(".")[0] in ("services", "models", "ui"))
    made = [cls for name in ours for cls in vars(importlib.import_module(name)).values()
            if inspect.isclass(cls) and dataclasses.is_dataclass(cls) and cls.__module__ == name]
    assert len(made) > 20  # the register's rows, filter, path, settings …
    generated = [f"{c.__module__}.{c.__qualname__}" for c in made
                 if (c.__doc__ or "").startswith(c.__name__ + "(")]
    assert not generated, generated


def test_the_register_paints_without_making_the_widget_classes_it_does_not_show(sqlite_firm,
                                                                                tmp_path):
    # Handed a widget made inside Qt (a view's own viewport), PySide works out its class by
    # making every widget class it knows, with their enums: milliseconds before the first paint.
    _, made = _register_painted(sqlite_firm.location, tmp_path)
    assert {"QMainWindow", "QTableView"} <= made  # it did paint
    assert not made & {"QWizard", "QCalendarWidget", "QColorDialog", "QMdiArea", "QDial",
                       "QFileDialog"}, made


def test_the_window_stops_pysides_source_scan_of_every_import():
    """docs/design.md, Start-up: PySide reads each newly imported module's source; the
    window's start answers for it, as a frozen build (no sources) already does."""

    code = ("import inspect\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from ui import app\n"
            "read = []\n"
            "real = inspect.getsource\n"
            "inspect.getsource = lambda m: read.append(m.__name__) or real(m)\n"
            "import colorsys\n"
            "before = list(read)\n"
            "app.skip_pyside_source_scan()\n"
            "import graphlib\n"
            "print(before, read[len(before):])\n")
    assert python_child(code).split() == ["['colorsys']", "[]"]


def test_the_documents_warm_up_registers_the_fonts_on_a_background_thread(tmp_path):

    code = ("import threading\n"
            "from ui import app\n"
            "thread = app.warm_up_documents()\n"
            "thread.join()\n"
            "from reportlab.pdfbase import pdfmetrics\n"
            "print(thread is not threading.main_thread(),"
            " 'ComplaintDeskCJK' in pdfmetrics.getRegisteredFontNames())\n")
    env = _child_env(tmp_path, "")
    assert python_child(code, env=env).split() == ["True", "True"]


class _HeldTasks:
    """A worker that keeps each job until the test runs it (the database still opening)."""

    synchronous = False

    def __init__(self):
        self.jobs = []

    def run(self, fn, **kwargs):
        self.jobs.append((fn, kwargs))

    def finish(self):
        fn, kwargs = self.jobs.pop(0)
        on_done = kwargs.pop("on_done", None)
        for key in ("on_error", "label", "parent", "cancellable", "quiet"):
            kwargs.pop(key, None)
        result = fn(**kwargs)
        if on_done is not None:
            on_done(result)


def test_the_login_shows_while_the_database_opens_and_waits_for_it(
        qtbot, sqlite_firm, monkeypatch):
    from ui import app

    monkeypatch.setattr(app, "EARLY_OPEN_MS", 10 ** 9)
    prefs.put(prefs.LAST_DATABASE, sqlite_firm.location)
    held = _HeldTasks()
    shell = app.Shell(location=sqlite_firm.location, tasks=held)
    shell.start()
    dialog = shell.login_dialog
    assert dialog is not None and not dialog.ready and held.jobs == []  # opens after paint
    with qtbot.waitSignal(dialog.painted):
        dialog.repaint()
    QApplication.processEvents()  # the queued open
    assert [fn.__name__ for fn, _k in held.jobs] == ["_open"]
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.login_edit.setText("owner")
    dialog.password_edit.setText(PASSWORD)
    dialog.accept()  # Enter while opening: nothing is sent
    assert len(held.jobs) == 1 and dialog.user is None
    held.finish()  # the database is open
    assert shell.login_dialog is dialog and dialog.ready and ok.isEnabled()
    dialog.accept()
    assert held.jobs[0][0] is users.authenticate and held.jobs[0][1]["login"] == "owner"
    dialog.reject()
    assert shell.exit_code == 0


def test_cancelling_the_early_login_ends_the_program_once_the_database_opens(
        qtbot, sqlite_firm, monkeypatch):
    from ui import app

    monkeypatch.setattr(app, "EARLY_OPEN_MS", 10 ** 9)
    prefs.put(prefs.LAST_DATABASE, sqlite_firm.location)
    held = _HeldTasks()
    shell = app.Shell(location=sqlite_firm.location, tasks=held)
    shell.start()
    shell._open_database()  # as after the paint
    shell.login_dialog.reject()  # Esc while the database opens
    assert shell.exit_code == 0
    held.finish()
    assert shell.login_dialog is None and shell.wizard is None and shell.exit_code == 0


def test_an_early_login_gives_way_to_the_wizard_on_a_new_database(qtbot, fresh_db, tasks):
    from ui.app import Shell

    prefs.put(prefs.LAST_DATABASE, fresh_db)
    shell = Shell(location=fresh_db, tasks=tasks)
    shell.start()
    assert shell.login_dialog is None and shell.wizard is not None
    assert shell.exit_code is None  # the dialog taken away did not end the program
    qtbot.addWidget(shell.wizard)


def test_the_main_window_warms_up_the_documents_once(qtbot, sqlite_firm, tasks, monkeypatch):
    from ui import app

    started = []
    monkeypatch.setattr(app, "warm_up_documents", lambda: started.append(1))
    shell = app.Shell(location=sqlite_firm.location, tasks=tasks)
    shell.start()
    shell.open_main(sqlite_firm.owner)
    assert started == []  # not before the window's first paint
    qtbot.waitUntil(lambda: started == [1])
    window = shell.window
    shell.switch_user()
    shell.open_main(sqlite_firm.owner)
    QApplication.processEvents()
    assert started == [1]
    window.close()
    shell.window.close()


def test_the_checks_at_start_wait_for_the_register_to_paint_its_rows(qtbot, sqlite_firm,
                                                                      tasks, monkeypatch):
    """docs/design.md, Start-up: the start's background work (the checks, the documents'
    warm-up, the single-instance server) comes once the register has painted its first
    page, so none of it holds up that paint."""
    from ui import app, verify_records
    from ui.settings import backups_page

    checked = []
    monkeypatch.setattr(app, "warm_up_documents", lambda: checked.append("warm-up"))
    monkeypatch.setattr(verify_records, "check_at_start",
                        lambda window: checked.append(("records", window)))
    monkeypatch.setattr(backups_page, "start_daily_check",
                        lambda session, window: checked.append(("daily", window)))
    shell = app.Shell(location=sqlite_firm.location, tasks=tasks)
    shell.start()
    shell.open_main(sqlite_firm.owner)
    window = shell.window
    view = window.views["complaints"]
    assert checked == []
    with qtbot.waitSignal(window.settled):
        pass  # the register's viewport paints (offscreen), then the window settles
    assert view.model.loaded and view._painted_first
    assert checked == ["warm-up", ("daily", window), ("records", window)]
    window.close()


def test_a_window_that_is_not_painted_settles_all_the_same_and_once(qtbot, session_for,
                                                                     sqlite_firm,
                                                                     monkeypatch):
    """Started minimized, the register does not paint: the start's work waits no longer
    than SETTLE_AT_LATEST_MS (here 0), and a later first paint does not settle it again."""
    from ui import main_window

    monkeypatch.setattr(main_window, "SETTLE_AT_LATEST_MS", 0)
    window = main_window.MainWindow(session_for(sqlite_firm))
    qtbot.addWidget(window)
    settled = []
    window.settled.connect(lambda: settled.append(1))
    with qtbot.waitSignal(window.settled):
        pass  # never shown: only the timer can settle it
    window.show()
    view = window.views["complaints"]
    with qtbot.waitSignal(view.first_painted):
        pass
    QApplication.processEvents()
    assert settled == [1]


def test_format_datetime_matches_babels_pattern_in_both_languages():
    import random
    from datetime import datetime

    from babel.dates import format_datetime as babel_format

    rng = random.Random(13)
    for _ in range(500):
        moment = datetime(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28),
                          rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        for lang in i18n.LANGUAGES:
            assert i18n.format_datetime(moment, lang) == babel_format(
                moment, "yyyy-MM-dd HH:mm", locale=i18n.babel_locale(lang))
