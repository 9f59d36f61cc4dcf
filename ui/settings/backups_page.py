"""Settings › Backups: the backup folder, "Back up now", the list of backups and restoring
one; on PostgreSQL, how pg_dump backs the database up. Also what the window does at start
with a damaged or read-only database, and the daily full check (docs/design.md, Integrity
and backups)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QLabel, QMessageBox, QPlainTextEdit, QWidget

from services import backup
from services.changes import Changes
from services.firm import setup
from services.i18n import N_, _, format_datetime
from services.people import has_role
from ui.settings.common import SettingsPage, fill_rows, selected_key, set_headers
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.layouts import STRETCH, hbox, vbox
from ui.widgets.tables import small_table

COLUMNS = (N_("Made"), N_("Size"), N_("Verified"), N_("Kind"), N_("File"))
PG_TEXT = N_("This database is on a PostgreSQL server: ComplaintDesk makes no file backups of "
             "it. Back it up with the server's own tool, pg_dump, on a schedule (Windows Task "
             "Scheduler or cron), and keep the copies on another disk. pg_dump asks for the "
             "password, or reads it from PGPASSWORD or a .pgpass file. The command for this "
             "database, and the one that restores such a copy:")
SQLITE_TEXT = N_("ComplaintDesk backs this database up on the first start of each day and "
                 "before every upgrade, and checks each copy after writing it. It keeps the "
                 "newest copy of each of the last 7 days, 4 weeks and 12 months. Keep the folder "
                 "on another disk if you can.")


@dataclass(frozen=True)
class PageData:
    sqlite: bool
    folder: str
    backups: tuple
    commands: tuple[str, str] | None
    database: str


def load(actor) -> PageData:
    """What the page shows (on the worker)."""
    commands = backup.pg_commands()
    if commands is not None:
        return PageData(False, "", (), commands, setup.location_label())
    found = tuple(backup.list_backups(actor=actor)) if backup.may_back_up(actor) else ()
    return PageData(True, str(backup.folder()), found, None, setup.location_label())


def size_text(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{max(1, n // 1024)} KB"


def kind_text(b) -> str:
    name = backup.KIND_NAMES.get(b.kind_group)
    return _(name) if name else b.kind


def restore_question(b, database: str) -> str:
    return _("The database {database} will be replaced by the backup made {made}: whatever was "
             "recorded after that will no longer be in it. The current file is kept aside, "
             "beside the database, and is not deleted. ComplaintDesk must be closed on every "
             "other PC first. Afterwards everyone logs in again.").format(
        database=database, made=format_datetime(b.created))


def restore_and_reopen(*, path: str, location: str, actor=None) -> bool:
    """On the worker: put the backup back, open the database again; whether it has a firm."""
    backup.restore(path, db_path=location, actor=actor)
    setup.open_database(location)
    return setup.is_initialized()


class BackupsPage(SettingsPage):
    roles = ("owner", "manager")
    follows = "settings"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.data: PageData | None = None
        self.owner = has_role(session.user, "owner")
        self.intro = self.texts.label(SQLITE_TEXT, wrap=True)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.choose_button = self.texts.button(N_("Choose &folder…"), self.choose_folder)
        self.backup_button = self.texts.button(N_("&Back up now"), self.back_up_now)
        self.restore_button = self.texts.button(N_("&Restore…"), self.restore_selected)
        self.choose_button.setEnabled(self.owner)
        self.backup_button.setEnabled(self.editable)
        self.restore_button.setEnabled(self.owner)
        self.table = small_table(len(COLUMNS), stretch=4)
        self.pg_label = self.texts.label(PG_TEXT, wrap=True)
        self.pg_commands = QPlainTextEdit()
        self.pg_commands.setReadOnly(True)
        self.sqlite_parts = (self.intro, self.folder_label, self.choose_button,
                             self.backup_button, self.restore_button, self.table)
        vbox(self.note, self.intro, self.errors.general, self.errors.info,
             hbox((self.folder_label, 1), self.choose_button),
             (self.table, 1), hbox(self.backup_button, self.restore_button, STRETCH),
             self.pg_label, self.pg_commands, parent=self)
        self.start()

    # --- reading --------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(load, self._loaded, actor=self.session.user)

    def _loaded(self, data: PageData) -> None:
        self.data = data
        for w in self.sqlite_parts:
            w.setVisible(data.sqlite)
        self.pg_label.setVisible(not data.sqlite)
        self.pg_commands.setVisible(not data.sqlite)
        if data.commands:
            self.pg_commands.setPlainText("\n\n".join(data.commands))
        self._fill()

    def _fill(self) -> None:
        data = self.data
        if data is None:
            return
        self.folder_label.setText(_("Backups are kept in: {folder}").format(folder=data.folder))
        fill_rows(self.table, list(data.backups),
                  lambda b: (format_datetime(b.created), size_text(b.size),
                             _("yes") if b.verified else _("no"), kind_text(b), b.name),
                  key=lambda b: b.path, enabled=lambda b: b.verified)

    def selected_backup(self):
        path = selected_key(self.table)
        if self.data is None or path is None:
            return None
        return next((b for b in self.data.backups if b.path == path), None)

    # --- acting ---------------------------------------------------------------------------

    def back_up_now(self) -> None:
        self.errors.clear()
        self.backup_button.setEnabled(False)
        run_service(self.session, backup.make_backup, kind="manual", actor=self.session.user,
                    on_done=self._backed_up, on_domain_error=self.errors.show,
                    on_settled=self._settled, parent=self, label=_("Backing up…"))

    def _backed_up(self, made) -> None:
        self.errors.show_info(lambda: _("Backed up and checked: {file}").format(file=made.name))
        self.reload()

    def _settled(self) -> None:
        self.backup_button.setEnabled(self.editable)

    def choose_folder(self) -> None:
        if not self.owner:
            return
        current = self.data.folder if self.data else ""
        chosen = self.ask_folder(current)
        if chosen:
            self.set_folder(chosen)

    def ask_folder(self, current: str) -> str:  # replaced in tests
        return files.folder_path(self, _("Folder for the backups"), current)

    def set_folder(self, path: str) -> None:
        self.errors.clear()
        run_service(self.session, backup.set_folder, path=path, actor=self.session.user,
                    on_done=lambda _f: self.reload(), on_domain_error=self.errors.show,
                    parent=self)

    def confirm_restore(self, b) -> bool:  # replaced in tests
        answer = QMessageBox.question(
            self, _("Restore a backup"), restore_question(b, self.data.database),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def restore_selected(self) -> None:
        b = self.selected_backup()
        if not self.owner or b is None:
            if b is None:
                self.errors.show_text(None, lambda: _("Choose a backup in the list first."))
            return
        if not self.confirm_restore(b):
            return
        self.errors.clear()
        run_service(self.session, restore_and_reopen, path=b.path,
                    location=self.session.location, actor=self.session.user,
                    on_done=self._restored, on_domain_error=self.errors.show, parent=self,
                    changes=Changes(settings=True), label=_("Restoring…"))

    def _restored(self, _initialized: bool) -> None:
        """Everyone logs in again: the users and their passwords are the backup's now."""
        switch = getattr(self.window(), "switch_user_requested", None)
        if switch is not None:
            switch.emit()

    def retranslate(self) -> None:
        super().retranslate()
        set_headers(self.table, COLUMNS)
        self._fill()


# --- at start, and once a day -----------------------------------------------------------------


def ask_at_start(message: str, latest, *, can_continue: bool = True) -> str:  # tests replace it
    """"restore", "continue" (read-only) or "quit"."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("The database is damaged"), message)
    restore = go_on = None
    if latest is not None:
        box.setInformativeText(_("The latest good backup was made {made}.").format(
            made=format_datetime(latest.created)))
        restore = box.addButton(_("Restore the latest good backup"),
                                QMessageBox.ButtonRole.AcceptRole)
    else:
        box.setInformativeText(_("There is no verified backup of it."))
    if can_continue:
        go_on = box.addButton(_("Open read-only"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if restore is not None and clicked is restore:
        return "restore"
    return "continue" if go_on is not None and clicked is go_on else "quit"


def tell_read_only(message: str) -> None:  # replaced in tests
    QMessageBox.information(None, _("Read-only database"), message)


def offer_restore(shell, message: str, location: str, go_on: Callable[[bool], None], *,
                  can_continue: bool) -> bool:
    """A damaged database: offer its latest good backup. True when this took over the start
    (``go_on(initialized)`` follows the restore, or the program ends)."""
    try:
        where = backup.folder(location)
    except Exception:  # noqa: BLE001 - the folder setting is in the damaged file
        where = backup.default_folder(location)
    latest = backup.latest_good(where, stem=Path(location).stem)
    choice = ask_at_start(message, latest, can_continue=can_continue)
    if choice == "continue":
        return False
    if choice == "quit" or latest is None:
        shell.finish(1)
        return True
    shell.tasks.run(restore_and_reopen, path=latest.path, location=location,
                    label=_("Restoring…"), on_done=go_on, on_error=shell._open_failed)
    return True


def warn_at_start(shell, initialized: bool, go_on: Callable[[bool], None]) -> bool:
    """After the database opened: say why it is read-only; for a damaged file offer the latest
    good backup. True when it took over the start."""
    status = setup.open_status()
    warning = status.warning()
    if warning is None:
        return False
    if not status.damaged:
        tell_read_only(warning.message())
        return False
    return offer_restore(shell, warning.message(), status.location, go_on, can_continue=True)


def start_daily_check(session, parent: QWidget | None = None) -> None:
    """The full integrity check once a day (and, for a file too large to be checked before
    use, the quick check at every start), quietly on the worker; a warning if it fails."""

    def done(result) -> None:
        if result is not None and not result.ok:
            box = QMessageBox(QMessageBox.Icon.Warning, _("The database is damaged"), _(
                "SQLite's full check found errors in the database. Stop entering data, and "
                "restore the latest good backup (Settings › Backups)."), parent=parent)
            box.setDetailedText("\n".join(result.problems))
            box.open()

    run_service(session, backup.start_check, on_done=done,
                on_domain_error=lambda _exc: None, quiet=True)
