"""Starting the window: open the database, pick the language, then the first-start wizard
(no firm yet) or the log-in dialog, then the main window (docs/design.md).

``main.py`` with no command calls ``run(sys.argv)``; Qt and the screens are imported only
then, so the command line starts without Qt.
"""
from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QLocale, QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

import services.features  # noqa: F401 - connects every feature's hooks (docs/design.md)
from services import settings
from services.errors import DatabaseDamaged, DomainError, PasswordNeeded
from services.firm import credentials, setup
from services.i18n import _
from ui import errors, prefs, verify_records
from ui.icons import app_icon
from ui.qt_i18n import apply_language
from ui.session import Session
from ui.tasks import TaskManager


def parse_args(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="complaintdesk", add_help=False)
    parser.add_argument("--db", default="")
    parser.add_argument("--lang", default="")
    parser.add_argument("--user", default="")
    known, _unknown = parser.parse_known_args(args)  # Qt's own options (-platform …) pass
    return known


def run(argv: list[str]) -> int:
    """Open the window; returns the exit status (0 closed normally, 1 could not start)."""
    args = parse_args(list(argv[1:]))
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(prefs.APPLICATION)
    app.setOrganizationName(prefs.ORGANIZATION)
    app.setWindowIcon(app_icon())
    # The shell decides when the program ends (switching user closes the only window).
    app.setQuitOnLastWindowClosed(False)
    tasks = TaskManager(app)
    errors.install(tasks)
    language = args.lang or prefs.get(prefs.LANGUAGE)
    try:
        apply_language(language or first_start_language())
    except ValueError:
        apply_language(first_start_language())
    location = args.db or prefs.get(prefs.LAST_DATABASE) or setup.default_location()
    shell = Shell(location=location, tasks=tasks, login=args.user,
                  language_chosen=bool(language))
    shell.finished.connect(app.exit)
    shell.start()
    if shell.exit_code is not None:  # refused before the event loop started
        return shell.exit_code
    code = app.exec()
    tasks.wait()
    setup.close_database()
    return code


def first_start_language() -> str:
    """Until someone chooses (the wizard asks first): the system's language if we have it."""
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def show_refusal(message: str, parent: QWidget | None = None) -> None:
    """The database cannot be used: say why, then the program ends."""
    QMessageBox.critical(parent, _("ComplaintDesk cannot start"), message)


def _open(*, location: str, password: str | None = None) -> bool:
    """In the worker: open and migrate the database; whether it already has a firm. A
    server's password comes from the keyring or ``password`` (docs/design.md, Credentials)."""
    credentials.open_database(location, password)
    return setup.is_initialized()


class Shell(QObject):
    """Walks through the start: wizard or log-in, the main window, switching user.
    ``finished(code)`` when the program should end."""

    finished = Signal(int)

    def __init__(self, *, location: str, tasks: TaskManager, login: str = "",
                 language_chosen: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        # docs/design.md, Credentials: the location is kept, remembered and shown without its
        # password; the password goes to the keyring once the server has accepted it.
        self.location, self.db_password = credentials.split(location)
        self.tasks = tasks
        self.login = login
        self.language_chosen = language_chosen
        self.exit_code: int | None = None
        self.wizard = None
        self.login_dialog = None
        self.window = None
        self.session: Session | None = None

    def start(self) -> None:
        self.tasks.run(_open, location=self.location, password=self.db_password,
                       label=_("Opening the database…"), on_done=self._opened,
                       on_error=self._open_failed)

    def finish(self, code: int) -> None:
        self.exit_code = code
        self.finished.emit(code)

    def _opened(self, initialized: bool) -> None:
        prefs.put(prefs.LAST_DATABASE, self.location)
        if setup.open_status().warning() is not None:  # read-only or damaged: say so
            from ui.settings.backups_page import warn_at_start

            if warn_at_start(self, initialized, self._opened):
                return  # restoring the latest good backup, or quitting
        if not initialized:
            self.show_wizard()
            return
        if not self.language_chosen:
            # A new PC on a shared database: the firm's language until the user picks one.
            apply_language(settings.firm_info().language)
        self.show_login()

    def _open_failed(self, exc: BaseException, details: str) -> None:
        if isinstance(exc, PasswordNeeded):  # no keyring, or the kept password is stale
            self.db_password = self.ask_db_password(exc.message())
            if self.db_password:
                self.start()
            else:
                self.finish(0)
            return
        if isinstance(exc, DatabaseDamaged):  # too damaged to read: offer the latest backup
            from ui.settings.backups_page import offer_restore

            if offer_restore(self, exc.message(), self.location, self._opened,
                             can_continue=False):
                return
        if isinstance(exc, DomainError):  # SchemaError: newer version, not ours …
            errors.log.warning("Database %s refused: %s", self.location, exc.message())
            message = exc.message()
        else:
            errors.log.error("Could not open %s\n%s", self.location, details)
            message = _("The database {location} could not be opened:\n{error}").format(
                location=self.location, error=exc)
        show_refusal(message)
        self.finish(1)

    def ask_db_password(self, message: str) -> str | None:
        """The database server's password, asked in a dialog (None: cancelled)."""
        text, ok = QInputDialog.getText(None, _("Database password"), message,
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def location_label(self) -> str:
        return setup.location_label() or self.location

    # --- who is using it -------------------------------------------------------------------

    def _show(self, name: str, dialog, done) -> None:
        """Show the wizard or the log-in dialog, kept as ``name``; ``done`` when it closes."""
        setattr(self, name, dialog)
        dialog.finished.connect(done)
        dialog.show()

    def _closed(self, name: str):
        """The wizard or the log-in dialog kept as ``name`` closed: drop it, and end the
        program if it was cancelled (no ``user``)."""
        dialog = getattr(self, name)
        setattr(self, name, None)
        dialog.deleteLater()
        if dialog.user is None:
            self.finish(0)
        return dialog

    def show_wizard(self) -> None:
        from ui.first_start import FirstStartWizard

        self._show("wizard", FirstStartWizard(location=self.location_label(), tasks=self.tasks),
                   self._wizard_done)

    def _wizard_done(self, _result: int) -> None:
        wizard = self._closed("wizard")
        if wizard.user is None:
            return
        self.open_main(wizard.user)
        notice = wizard.sample_data_notice()
        if notice:
            box = QMessageBox(QMessageBox.Icon.Information, _("Sample data"), notice,
                              QMessageBox.StandardButton.Ok, self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def show_login(self) -> None:
        from ui.login import LoginDialog

        dialog = LoginDialog(location=self.location_label(), tasks=self.tasks)
        if self.login:
            dialog.login_edit.setText(self.login)
            dialog.password_edit.setFocus()
        self._show("login_dialog", dialog, self._login_done)

    def _login_done(self, _result: int) -> None:
        dialog = self._closed("login_dialog")
        if dialog.user is not None:
            self.open_main(dialog.user)

    def open_main(self, user) -> None:
        from ui.main_window import MainWindow

        self.session = Session(user=user, location=self.location, tasks=self.tasks)
        self.window = MainWindow(self.session)
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.closed.connect(self._main_closed)
        self.window.show()
        from ui.settings.backups_page import start_daily_check

        start_daily_check(self.session, self.window)  # the full integrity check, once a day
        verify_records.check_at_start(self.window)  # records changed outside the program

    def switch_user(self) -> None:
        """Back to the log-in dialog, without restarting (docs/design.md)."""
        window = self.window
        if window is None or not window.close_for_switch():
            return
        self._drop_window()
        self.show_login()

    def _main_closed(self) -> None:
        self._drop_window()
        self.finish(0)

    def _drop_window(self) -> None:
        window, session = self.window, self.session
        self.window = self.session = None
        if window is not None:
            window.deleteLater()
        if session is not None:
            session.deleteLater()


def main() -> int:  # pragma: no cover - `python -m ui.app`
    return run(sys.argv)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
