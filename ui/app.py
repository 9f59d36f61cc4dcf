"""Starting the window: open the database, pick the language, then the first-start wizard
(no firm yet) or the log-in dialog, then the main window (docs/design.md).

``main.py`` with no command calls ``run(sys.argv)``; Qt and the screens are imported only
then, so the command line starts without Qt.

Start-up (docs/design.md, Start-up): this module imports Qt and the light parts of ui/ only.
The database layer and every feature (``services.features``, peewee, the migrations) are
imported by the worker while it opens the database, so the log-in dialog paints first; the
fonts and ReportLab are warmed up in the background after the main window's first paint.
"""
from __future__ import annotations

import os
import sys
import threading
from types import SimpleNamespace

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from services.errors import DatabaseDamaged, DomainError, PasswordNeeded
from services.i18n import _
from ui import errors, prefs
from ui.icons import app_icon
from ui.qt_i18n import apply_language
from ui.tasks import TaskManager

EARLY_OPEN_MS = 300  # the database opens by then even if the early log-in was not painted


WINDOW_OPTIONS = ("db", "lang", "user")


def parse_args(args: list[str]) -> SimpleNamespace:
    """The window's own options, ``--db``, ``--lang`` and ``--user``, each ``--name value`` or
    ``--name=value`` (the last one given counts; "" when absent); anything else is Qt's
    (``-platform …``) and left to it. Not argparse: building its parser looks up its own
    messages' translations (gettext, with the ``locale`` module), about 5 ms before the
    log-in's first paint (docs/design.md, Start-up)."""
    found = dict.fromkeys(WINDOW_OPTIONS, "")
    i = 0
    while i < len(args):
        name, equals, value = args[i].partition("=")
        key = name[2:] if name.startswith("--") else ""
        if key in found:
            if equals:
                found[key] = value
            elif i + 1 < len(args):
                i += 1
                found[key] = args[i]
        i += 1
    return SimpleNamespace(**found)


def skip_pyside_source_scan() -> None:
    """PySide6 reads the source of every module imported after it, looking for the word
    "PySide6" to know whether its ``__feature__`` switches (snake_case, true_property) may
    apply there: about 20 ms over a start, for some 300 modules (docs/design.md, Start-up).
    This program selects no feature, and a frozen build, which has no sources, already gets
    "does not use PySide" for every module: a start from source now gets that answer too,
    without reading them."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = _uses_no_feature


def _uses_no_feature(_module) -> bool:
    return False


def run(argv: list[str]) -> int:
    """Open the window; returns the exit status (0 closed normally, 1 could not start)."""
    skip_pyside_source_scan()
    args = parse_args(list(argv[1:]))
    app = QApplication.instance() or QApplication(list(argv))
    app.setApplicationName(prefs.APPLICATION)
    app.setOrganizationName(prefs.ORGANIZATION)
    app.setWindowIcon(app_icon())
    from ui import single_instance  # docs/design.md, Shipping: one window per data folder

    if not single_instance.claim(app, listen=False):  # listens after the first paint
        return 0  # already running: it was asked to come forward
    # The shell decides when the program ends (switching user closes the only window).
    app.setQuitOnLastWindowClosed(False)
    tasks = TaskManager(app)
    errors.install(tasks, log_file=False)  # the worker opens the log file (see _open)
    language = args.lang or prefs.get(prefs.LANGUAGE)
    try:
        apply_language(language or first_start_language())
    except ValueError:
        apply_language(first_start_language())
    location = (_absolute_location(args.db or prefs.get(prefs.LAST_DATABASE) or "")
                or _default_location())  # remembered absolute: any start folder
    shell = Shell(location=location, tasks=tasks, login=args.user,
                  language_chosen=bool(language))
    shell.finished.connect(app.exit)
    shell.start()
    if shell.exit_code is not None:  # refused before the event loop started
        return shell.exit_code
    code = app.exec()
    tasks.wait()
    if "services.firm" in sys.modules:  # never imported if the start ended early
        from services.firm import setup

        setup.close_database()
    return code


def _absolute_location(location: str) -> str:
    """The rule of ``services.firm.setup.absolute_location`` (a SQLite path made absolute; a
    URL, ":memory:" and "" unchanged), without importing the database layer before the
    first paint."""
    if not location or location == ":memory:" or "://" in location \
            or location.startswith("file:"):
        return location
    return os.path.abspath(os.path.expanduser(location))


def _default_location() -> str:
    from services.firm import setup

    return setup.default_location()


def first_start_language() -> str:
    """Until someone chooses (the wizard asks first): the system's language if we have it."""
    return "zh_CN" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def show_refusal(message: str, parent: QWidget | None = None) -> None:
    """The database cannot be used: say why, then the program ends."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(parent, _("ComplaintDesk cannot start"), message)


def _open(*, location: str, password: str | None = None) -> bool:
    """In the worker: open and migrate the database; whether it already has a firm. A
    server's password comes from the keyring or ``password`` (docs/design.md, Credentials).

    The services the register needs are imported here, off the GUI thread (docs/design.md,
    Start-up); the other features (``services.features``) after the main window's first
    paint, or before the first hook fires if that comes sooner."""
    import services

    services.hold_back_server_driver()  # a server loads it as it opens
    import services.complaints  # noqa: F401 - the register's first page, off the GUI thread
    import services.integrity  # noqa: F401 - seals every row written from here on
    from services import hooks
    from services.firm import credentials, setup

    if "services.features" not in sys.modules:
        hooks.load_subscribers_before_firing(_import_features)
    errors.start_log()
    credentials.open_database(location, password)
    return setup.is_initialized()


def _import_features() -> None:
    import services.features  # noqa: F401 - connects every feature's hooks (docs/design.md)


def _split(location: str) -> tuple[str, str | None]:
    """A location without its password, and the password. A file path carries none: only a
    server URL needs the credentials module (and with it the database layer)."""
    if "://" not in location:
        return location, None
    from services.firm import credentials

    return credentials.split(location)


def warm_up_documents() -> threading.Thread:
    """Import the features the first paint did not need, load babel's locale data, register
    the PDF fonts and import ReportLab on a background thread, once per process, so the first
    step recorded, the first screen that formats a date and the first print do not pay for
    them (docs/design.md, Start-up). Returns the thread."""
    thread = threading.Thread(target=_warm_up, name="documents-warm-up", daemon=True)
    thread.start()
    return thread


def _warm_up() -> None:
    try:
        from services import hooks

        hooks.load_subscribers()  # the features not needed for the first paint
        from services import documents, i18n

        i18n.warm_up()  # babel's locale data, for the screens that format dates and sums

        warm_up = getattr(documents, "warm_up", None)
        if warm_up is not None:
            warm_up()
    except Exception:  # noqa: BLE001 - the first print will say what is wrong
        errors.log.warning("Warming up the features and documents failed", exc_info=True)


class Shell(QObject):
    """Walks through the start: wizard or log-in, the main window, switching user.
    ``finished(code)`` when the program should end."""

    finished = Signal(int)

    def __init__(self, *, location: str, tasks: TaskManager, login: str = "",
                 language_chosen: bool = True, parent: QObject | None = None):
        super().__init__(parent)
        # docs/design.md, Credentials: the location is kept, remembered and shown without its
        # password; the password goes to the keyring once the server has accepted it.
        self.location, self.db_password = _split(location)
        self.tasks = tasks
        self.login = login
        self.language_chosen = language_chosen
        self.exit_code: int | None = None
        self.wizard = None
        self.login_dialog = None
        self.window = None
        self.session = None
        self._warmed = False
        self._early = True  # the log-in may show while the database opens (see start)
        self._opening = False
        self._early_timer: QTimer | None = None

    def start(self) -> None:
        if self._early and self.language_chosen and self.login_dialog is None \
                and self.wizard is None and prefs.get(prefs.LAST_DATABASE) == self.location:
            # A database this PC opened before: the log-in dialog paints at once, and its
            # Log in button waits for the worker to open the database (docs/design.md). The
            # worker starts once the dialog has painted (its imports would hold the GIL while
            # the dialog is built), or after a moment if the dialog is not painted (minimized).
            self.show_login(ready=False)
            if self.login_dialog is not None and not self.tasks.synchronous:
                self._opening = False
                self.login_dialog.painted.connect(self._open_after_paint)
                self._early_timer = QTimer(self)
                self._early_timer.setSingleShot(True)
                self._early_timer.timeout.connect(self._open_database)
                self._early_timer.start(EARLY_OPEN_MS)
                return
        self._opening = False
        self._open_database()

    def _open_after_paint(self) -> None:
        # Once the paint is over (a queued connection would need Qt's namespace, which takes
        # milliseconds to make before the log-in's first paint).
        QTimer.singleShot(0, self._open_database)

    def _open_database(self) -> None:
        if self._early_timer is not None:  # once: never again after a failure's retry
            self._early_timer.stop()
            self._early_timer = None
        if self._opening:
            return
        if self.login_dialog is not None:  # painted, or about to be (minimized)
            from ui import single_instance

            single_instance.listen()  # otherwise once the next window is shown (_show)
        self._opening = True
        self.tasks.run(_open, location=self.location, password=self.db_password,
                       label=_("Opening the database…"), on_done=self._opened,
                       on_error=self._open_failed)

    def _drop_early_login(self) -> None:
        """The database turned out not to be ready for a log-in: take the dialog away
        without ending the program."""
        dialog, self.login_dialog = self.login_dialog, None
        if dialog is None:
            return
        dialog.finished.disconnect(self._login_done)
        dialog.close()
        dialog.deleteLater()

    def finish(self, code: int) -> None:
        self.exit_code = code
        self.finished.emit(code)

    def _opened(self, initialized: bool) -> None:
        from services import settings
        from services.firm import setup

        if self.exit_code is not None:  # the early log-in was cancelled while it opened
            return
        prefs.put(prefs.LAST_DATABASE, self.location)
        if setup.open_status().warning() is not None:  # read-only or damaged: say so
            self._drop_early_login()
            from ui.settings.backups_page import warn_at_start

            if warn_at_start(self, initialized, self._opened):
                return  # restoring the latest good backup, or quitting
        if not initialized:
            self._drop_early_login()
            self.show_wizard()
            return
        if not self.language_chosen:
            # A new PC on a shared database: the firm's language until the user picks one.
            apply_language(settings.firm_info().language)
        if self.login_dialog is not None:  # shown while the database opened
            self.login_dialog.location = self.location_label()
            self.login_dialog.set_ready(True)
            return
        self.show_login()

    def _open_failed(self, exc: BaseException, details: str) -> None:
        self._early = False
        self._opening = False  # asked again (a password): start() opens once more
        if self.exit_code is not None:  # the early log-in was cancelled while it opened
            errors.log.warning("Could not open %s\n%s", self.location, details)
            return
        self._drop_early_login()
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
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(None, _("Database password"), message,
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def location_label(self) -> str:
        if "services.firm" not in sys.modules:  # the database is still opening
            return self.location
        from services.firm import setup

        return setup.location_label() or self.location

    # --- who is using it -------------------------------------------------------------------

    def _show(self, name: str, dialog, done) -> None:
        """Show the wizard or the log-in dialog, kept as ``name``; ``done`` when it closes."""
        setattr(self, name, dialog)
        dialog.finished.connect(done)
        dialog.show()
        if name == "wizard" or self._opening:  # not the early log-in: it listens once painted
            from ui import single_instance

            single_instance.listen()

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
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Information, _("Sample data"), notice,
                              QMessageBox.StandardButton.Ok, self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def show_login(self, ready: bool = True) -> None:
        from ui.login import LoginDialog

        dialog = LoginDialog(location=self.location_label(), tasks=self.tasks, ready=ready)
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
        from ui.session import Session

        self.session = Session(user=user, location=self.location, tasks=self.tasks)
        self.window = MainWindow(self.session)
        self.window.switch_user_requested.connect(self.switch_user)
        self.window.closed.connect(self._main_closed)
        window = self.window
        window.settled.connect(lambda: self._settled(window))
        window.show()

    def _settled(self, window) -> None:
        """The main window's first screen has painted: what the start can do without, now
        (docs/design.md, Start-up)."""
        if window is not self.window:  # switched user meanwhile
            return
        from ui import single_instance, verify_records

        single_instance.listen()  # already, if the log-in dialog was shown first
        if not self._warmed:  # the other features, fonts and ReportLab, in the background
            self._warmed = True
            warm_up_documents()
        from ui.settings.backups_page import start_daily_check

        start_daily_check(self.session, window)  # the full integrity check, once a day
        verify_records.check_at_start(window)  # records changed outside the program

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
