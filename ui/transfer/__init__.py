"""Data in and out in the window (docs/design.md, Data in and out): File ▸ Import register…,
Export register… and Move to a server…. Light on purpose: the main window builds these actions
at start, the dialogs and services.transfer load when first used."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QMessageBox, QWidget

from services.changes import Changes
from services.i18n import N_, _
from services.people import has_role

_TEXTS = {
    "import_register": (N_("&Import register…"),
                        N_("Import an existing complaint register from Excel")),
    "export_register": (N_("E&xport register…"),
                        N_("Write the register you may see (in the register's filter) as "
                           ".xlsx")),
    "move_to_server": (N_("&Move to a server…"),
                       N_("Copy this office's database to an empty PostgreSQL database")),
}


class TransferActions(QObject):
    """The three File menu entries of a main window and what they open. A child of the
    window: its connection to the session goes with it (docs/design.md, bound methods)."""

    def __init__(self, window: QWidget, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.session = window.session
        self.dialogs: list[QWidget] = []
        self.actions: dict[str, QAction] = {}
        slots = {"import_register": self.import_register,
                 "export_register": self.export_register,
                 "move_to_server": self.move_to_server}
        for name, slot in slots.items():
            action = QAction(window)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False, s=slot: s())
            menu.addAction(action)
            self.actions[name] = action
        user = self.session.user
        self.actions["import_register"].setEnabled(has_role(user, "owner", "manager"))
        on_server = "://" in (self.session.location or "")
        self.actions["move_to_server"].setEnabled(has_role(user, "owner") and not on_server)
        self.session.changed.connect(self._on_changed)
        self.retranslate()

    def retranslate(self) -> None:
        for name, (text, tip) in _TEXTS.items():
            self.actions[name].setText(_(text))
            self.actions[name].setStatusTip(_(tip))
            self.actions[name].setToolTip(_(tip))

    def _on_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    # --- import --------------------------------------------------------------------------

    def import_register(self):
        from ui.transfer.import_dialog import ImportDialog

        dialog = ImportDialog(self.session, parent=self.window)
        self.dialogs.append(dialog)
        dialog.finished.connect(lambda _r: self.dialogs.remove(dialog)
                                if dialog in self.dialogs else None)
        dialog.open()
        return dialog

    # --- export --------------------------------------------------------------------------

    def register_filter(self):
        """The register screen's filter when it is open, else everything."""
        view = getattr(self.window, "views", {}).get("complaints")
        bar = getattr(view, "filter_bar", None)
        return bar.current_filter() if bar is not None else None

    def ask_save_path(self) -> str:
        """Where to write the export (a dialog; tests replace this)."""
        from ui.widgets import files  # the file dialog's classes: not before the first paint

        return files.save_path(self.window, _("Export register"), f"{_('register')}.xlsx",
                               _("Excel workbook (*.xlsx)"), ".xlsx")

    def export_register(self, path: str | None = None) -> None:
        from services import transfer
        from ui.tasks import run_service

        path = path or self.ask_save_path()
        if not path:
            return

        def done(result) -> None:
            self.window.statusBar().showMessage(
                _("Wrote {rows} complaints to {path}.").format(rows=result.rows,
                                                               path=result.path), 10000)

        def refused(exc) -> None:
            QMessageBox.warning(self.window, _("Export register"), exc.message())

        run_service(self.session, transfer.export_register, file=path,
                    actor=self.session.user, filter=self.register_filter(),
                    parent=self.window, cancellable=True, label=_("Writing the register…"),
                    on_done=done, on_domain_error=refused)

    # --- move to a server ------------------------------------------------------------------

    def ask_target(self) -> str:
        """The PostgreSQL address, then a confirmation (dialogs; tests replace this)."""
        url, ok = QInputDialog.getText(
            self.window, _("Move to a server"),
            _("The empty PostgreSQL database, e.g. postgresql://user:password@server/office:"),
            QLineEdit.EchoMode.Normal, "postgresql://")
        if not ok or not url.strip():
            return ""
        from services import transfer

        sure = QMessageBox.question(
            self.window, _("Move to a server"),
            _("Copy this office's whole database to {target}? This file stays as it was; "
              "afterwards every PC opens the server instead.").format(
                target=transfer.redact(url.strip())))
        return url.strip() if sure == QMessageBox.StandardButton.Yes else ""

    def move_to_server(self, url: str | None = None) -> None:
        from services import transfer
        from ui.tasks import run_service

        url = url or self.ask_target()
        if not url:
            return

        def done(report) -> None:
            lines = [f"{t.table}: {t.source} → {t.target}"
                     + ("" if t.checksum_equal else " ≠") for t in report.tables]
            QMessageBox.information(
                self.window, _("Move to a server"),
                _("Copied {rows} rows to {target} and checked them. Start the program with "
                  "that address on every PC from now on.").format(rows=report.rows,
                                                                  target=report.target)
                + "\n\n" + "\n".join(lines))

        def refused(exc) -> None:
            QMessageBox.warning(self.window, _("Move to a server"), exc.message())

        run_service(self.session, transfer.move_to_postgresql, url=url,
                    actor=self.session.user, parent=self.window, cancellable=True,
                    label=_("Copying the database to the server…"), on_done=done,
                    on_domain_error=refused)


def add_file_actions(window: QWidget, menu: QMenu) -> TransferActions:
    return TransferActions(window, menu)
