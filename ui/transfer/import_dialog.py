"""File ▸ Import register…: an office's old Excel register in (docs/design.md, Data in and out).

Choose the file and sheet, check the mapping (one combo box per column, guessed from the
headers), look at the preview, run the dry run, then import; the report lists every row refused
with its column and the reason. All the work is services.transfer, on the worker."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services import transfer
from services.changes import Changes
from services.errors import DomainError
from services.i18n import N_, _
from ui.session import Session
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.inline import InfoLine, InlineError

PREVIEW_ROWS = 20


def _item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ImportDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("import_register_dialog")
        self.session = session
        self.sheet: transfer.Sheet | None = None
        self.report: transfer.ImportReport | None = None
        self.resize(980, 720)

        self.file_label = QLabel()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self._choose)
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox()
        self.sheet_combo.activated.connect(lambda _i: self.load_file(
            self.file_edit.text(), self.sheet_combo.currentText()))
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        form = QFormLayout()
        form.addRow(self.file_label, file_row)
        form.addRow(self.sheet_label, self.sheet_combo)

        self.mapping_label = QLabel()
        self.mapping_table = QTableWidget(0, 2)
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        self.preview_label = QLabel()
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.verticalHeader().setVisible(False)
        self.report_label = QLabel()
        self.report_table = QTableWidget(0, 3)
        self.report_table.verticalHeader().setVisible(False)
        self.report_table.horizontalHeader().setStretchLastSection(True)
        self.error = InlineError(self)
        self.info = InfoLine(self)

        self.dry_run_button = QPushButton()
        self.dry_run_button.setObjectName("dry_run")
        self.dry_run_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton()
        self.import_button.setObjectName("import")
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.dry_run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.mapping_label)
        layout.addWidget(self.mapping_table, 2)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.preview_table, 3)
        layout.addWidget(self.report_label)
        layout.addWidget(self.report_table, 2)
        layout.addWidget(self.error)
        layout.addWidget(self.info)
        layout.addWidget(self.buttons)
        session.changed.connect(self._on_changed)
        self.retranslate()
        self._update_buttons()

    # --- texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(_("Import a complaint register"))
        self.file_label.setText(_("Workbook:"))
        self.choose_button.setText(_("Choose…"))
        self.sheet_label.setText(_("Sheet:"))
        self.mapping_label.setText(_("Which column holds what (guessed from the headers):"))
        self.mapping_table.setHorizontalHeaderLabels([_("Column"), _("Field")])
        self.preview_label.setText(_("The first rows as they will be registered:"))
        self.report_label.setText(_("Rows refused:"))
        self.report_table.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Why refused")])
        self.dry_run_button.setText(_("Dry run"))
        self.dry_run_button.setToolTip(_("Check every row as the import would; nothing is "
                                         "written"))
        self.import_button.setText(_("Import"))
        for row in range(self.mapping_table.rowCount()):
            combo = self.mapping_table.cellWidget(row, 1)
            combo.setItemText(0, _("(leave out)"))
            for i, f in enumerate(transfer.FIELDS, start=1):
                combo.setItemText(i, _(transfer.FIELD_NAMES[f]))
        self.error.retranslate()
        self.info.retranslate()

    def _on_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
            if self.sheet is not None:
                self.refresh_preview()

    # --- the file ----------------------------------------------------------------------------

    def _choose(self) -> None:
        path = files.open_path(self, _("Import a complaint register"),
                               _("Excel workbook (*.xlsx)"))
        if path:
            self.load_file(path)

    def load_file(self, path: str, sheet: str | None = None) -> None:
        """Read the sheet (on the worker), guess the mapping, show the preview."""
        self.error.clear()
        self.info.clear()

        def done(s: transfer.Sheet) -> None:
            self.sheet = s
            self.report = None
            self.file_edit.setText(s.path)
            self.sheet_combo.clear()
            self.sheet_combo.addItems(list(s.sheet_names))
            self.sheet_combo.setCurrentText(s.name)
            self._fill_mapping(transfer.guess(s))
            self._show_report()
            self.refresh_preview()

        run_service(self.session, transfer.read_sheet, path=path, sheet=sheet, parent=self,
                    label=_("Reading the workbook…"), on_done=done,
                    on_domain_error=self.error.show_error, on_settled=self._update_buttons)

    def _fill_mapping(self, mapping: dict[int, str]) -> None:
        headers = self.sheet.headers
        self.mapping_table.setRowCount(len(headers))
        for i, header in enumerate(headers):
            letter = _column_letter(i)
            self.mapping_table.setItem(i, 0, _item(f"{letter}  {header}"))
            combo = QComboBox()
            combo.addItem(_("(leave out)"), "")
            for f in transfer.FIELDS:
                combo.addItem(_(transfer.FIELD_NAMES[f]), f)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(i, ""))))
            combo.currentIndexChanged.connect(lambda _i, column=i: self._mapping_changed(column))
            self.mapping_table.setCellWidget(i, 1, combo)

    def mapping(self) -> dict[int, str]:
        out = {}
        for i in range(self.mapping_table.rowCount()):
            f = self.mapping_table.cellWidget(i, 1).currentData()
            if f:
                out[i] = f
        return out

    def set_field(self, column: int, field: str) -> None:
        """Map ``column`` to ``field`` ("" leaves it out), as choosing it in its combo box."""
        combo = self.mapping_table.cellWidget(column, 1)
        combo.setCurrentIndex(max(0, combo.findData(field)))

    def _mapping_changed(self, column: int) -> None:
        # a field goes to one column: choosing it here takes it from the column that had it
        f = self.mapping_table.cellWidget(column, 1).currentData()
        if f:
            for i in range(self.mapping_table.rowCount()):
                other = self.mapping_table.cellWidget(i, 1)
                if i != column and other.currentData() == f:
                    other.blockSignals(True)
                    other.setCurrentIndex(0)
                    other.blockSignals(False)
        self.report = None
        self._show_report()
        self.refresh_preview()

    # --- the preview ---------------------------------------------------------------------

    def refresh_preview(self) -> None:
        if self.sheet is None:
            return
        mapping = self.mapping()

        def done(rows: list[transfer.PreviewRow]) -> None:
            fields = ["original_no"] + [f for f in transfer.FIELDS
                                        if f in mapping.values() and f != "original_no"]
            self.preview_table.clear()
            self.preview_table.setColumnCount(len(fields) + 2)
            self.preview_table.setHorizontalHeaderLabels(
                [_("Row")] + [_(transfer.FIELD_NAMES[f]) for f in fields] + [_("Problem")])
            self.preview_table.setRowCount(len(rows))
            for r, row in enumerate(rows):
                self.preview_table.setItem(r, 0, _item(str(row.row)))
                for c, f in enumerate(fields, start=1):
                    self.preview_table.setItem(r, c, _item(str(row.values.get(f, ""))))
                problem = row.problem.message if row.problem else ""
                self.preview_table.setItem(r, len(fields) + 1, _item(problem))

        run_service(self.session, transfer.preview, sheet=self.sheet, mapping=mapping,
                    limit=PREVIEW_ROWS, parent=self, on_done=done,
                    on_domain_error=self.error.show_error)

    # --- dry run and import ----------------------------------------------------------------

    def run(self, *, dry_run: bool) -> None:
        if self.sheet is None:
            return
        self.error.clear()
        self.info.clear()
        mapping = self.mapping()
        try:
            transfer.check_mapping(mapping)
        except DomainError as exc:
            self.error.show_error(exc)
            return
        self._busy = True
        self._update_buttons()

        def done(report: transfer.ImportReport) -> None:
            self.report = report
            self._show_report()

        run_service(self.session, transfer.run_import, file=self.sheet.path,
                    actor=self.session.user, sheet=self.sheet.name, mapping=mapping,
                    dry_run=dry_run, parent=self, cancellable=True,
                    label=_("Checking the rows…") if dry_run else _("Importing…"),
                    on_done=done, on_domain_error=self.error.show_error,
                    on_settled=self._settled)

    def _settled(self) -> None:
        self._busy = False
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.sheet is not None and not getattr(self, "_busy", False)
        self.dry_run_button.setEnabled(ready)
        self.import_button.setEnabled(ready)

    def _show_report(self) -> None:
        r = self.report
        refused = r.refused if r else []
        self.report_table.setRowCount(len(refused))
        for i, p in enumerate(refused):
            self.report_table.setItem(i, 0, _item(str(p.row)))
            self.report_table.setItem(i, 1, _item(p.column))
            self.report_table.setItem(i, 2, _item(p.message))
        if r is None:
            self.info.clear()
        elif r.dry_run:
            self.info.show_message(N_("Dry run: {ok} rows would be imported, {skipped} were "
                                      "imported before, {refused} refused. Nothing was "
                                      "written."), ok=len(r.imported), skipped=len(r.skipped),
                                   refused=len(r.refused))
        else:
            self.info.show_message(
                N_("Imported {ok} rows, skipped {skipped} imported before, refused "
                   "{refused}.") if not r.cancelled else
                N_("Cancelled after {ok} rows (skipped {skipped}, refused {refused}); import "
                   "again for the rest."),
                ok=len(r.imported), skipped=len(r.skipped), refused=len(r.refused))


def _column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
