"""The warranty terms table (docs/rules.md), editable by the owner or a manager: each change
applies from a day on, and repairs already recorded keep the terms they were given."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from services import clock, warranty
from services.changes import Changes
from services.i18n import N_, _, format_date, format_number
from services.people import roles_of
from services.warranty import PRESET_SINCE, REPAIR_TYPES, TERM_EDITORS, VEHICLE_CLASSES
from ui.tasks import run_service
from ui.warranty.common import class_name, short_class_name, type_name
from ui.widgets.fields import date_edit, date_value, fill_combo, select_data, text_value
from ui.widgets.form_dialog import STILL_SAVING, FieldErrors
from ui.widgets.tables import fill_table, small_table
from ui.widgets.texts import Texts

HEADERS = (N_("Vehicle class"), N_("Repair type"), N_("Distance"), N_("Days"), N_("Since"),
           N_("Set by"))


class TermsDialog(QDialog):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.texts = Texts()
        self.editable = bool(roles_of(session.user) & set(TERM_EDITORS))
        self.current = small_table(len(HEADERS))
        self.history = small_table(len(HEADERS))
        self.errors = FieldErrors()
        self.busy = False  # a change is on the worker

        change = QGroupBox()
        self.texts.add(change.setTitle, N_("Change a row from a day on"))
        form = QFormLayout(change)
        self.vehicle_class, self.repair_type = QComboBox(), QComboBox()
        self.km, self.days = QSpinBox(), QSpinBox()
        self.km.setRange(1, 1_000_000)
        self.km.setSuffix(" km")
        self.km.setGroupSeparatorShown(True)
        self.days.setRange(1, 3650)
        self.effective_from = date_edit(clock.now().date())
        for name, msgid, widget in (
                ("vehicle_class", N_("Vehicle class"), self.vehicle_class),
                ("repair_type", N_("Repair type"), self.repair_type),
                ("km", N_("Distance"), self.km), ("days", N_("Days"), self.days),
                ("effective_from", N_("Applies from"), self.effective_from)):
            label = QLabel()
            self.texts.add(label.setText, msgid)
            form.addRow(label, self.errors.wrap(name, widget))
        self.apply_button = QPushButton()
        self.texts.add(self.apply_button.setText, N_("Apply the change"))
        self.apply_button.clicked.connect(self.apply_change)
        form.addRow("", self.apply_button)
        change.setEnabled(self.editable)
        self.note = QLabel()
        self.note.setWordWrap(True)

        self.current_title, self.history_title = QLabel(), QLabel()
        self.texts.add(self.current_title.setText, N_("In force today"))
        self.texts.add(self.history_title.setText, N_("All changes, newest first"))
        tables = QVBoxLayout()
        tables.addWidget(self.current_title)
        tables.addWidget(self.current, 3)
        tables.addWidget(self.history_title)
        tables.addWidget(self.history, 2)
        side = QVBoxLayout()
        side.addWidget(change)
        side.addWidget(self.note)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(tables, 3)
        body.addLayout(side, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(body, 1)
        layout.addWidget(self.errors.info)
        layout.addWidget(buttons)
        self.current.itemSelectionChanged.connect(self._pick)
        self.resize(1000, 640)
        session.changed.connect(self._on_session_changed)
        self.retranslate()
        self.current.selectRow(0)

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()

    def retranslate(self) -> None:
        self.texts.apply()
        self.errors.retranslate()
        self.setWindowTitle(_("Warranty terms"))
        self.close_button.setText(_("Close"))
        fill_combo(self.vehicle_class, [(c, class_name(c)) for c in VEHICLE_CLASSES])
        fill_combo(self.repair_type, [(t, type_name(t)) for t in REPAIR_TYPES])
        self.days.setSuffix(" " + _("days"))
        self.note.setText(_("Whichever of distance or days is reached first ends the warranty. "
                            "Repairs already recorded keep the terms they were given.")
                          if self.editable else
                          _("Only the owner or a manager may change the terms."))
        for table in (self.current, self.history):
            table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.reload()

    def reload(self) -> None:
        self.rows = warranty.terms_table()
        self._fill(self.current, self.rows)
        self._fill(self.history, warranty.term_history())

    @staticmethod
    def _fill(table: QTableWidget, rows) -> None:
        fill_table(table, [_term_cells(t) for t in rows], right=(2, 3))
        table.resizeColumnsToContents()

    def _pick(self) -> None:
        row = self.current.currentRow()
        if 0 <= row < len(self.rows):
            t = self.rows[row]
            select_data(self.vehicle_class, t.vehicle_class)
            select_data(self.repair_type, t.repair_type)
            self.km.setValue(t.km)
            self.days.setValue(t.days)

    def apply_change(self) -> bool:
        """One change on the worker; True once it is applied (at once with a synchronous
        worker). A second click while one runs is ignored: it would write the row twice."""
        if self.busy:
            return False
        self.errors.clear()
        applied = []

        def done(_row) -> None:
            applied.append(True)
            self.reload()

        self._set_busy(True)
        run_service(self.session, warranty.set_term, on_done=done,
                    on_domain_error=self.errors.show, on_settled=lambda: self._set_busy(False),
                    changes=Changes(warranty=True), parent=self, actor=self.session.user,
                    vehicle_class=text_value(self.vehicle_class),
                    repair_type=text_value(self.repair_type), km=self.km.value(),
                    days=self.days.value(), effective_from=date_value(self.effective_from))
        return bool(applied)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.apply_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        if not busy:
            self.errors.info.clear()  # "still saving", if closing was asked meanwhile

    def reject(self) -> None:
        # As FormDialog: while the change runs, its result must still find the dialog.
        if self.busy:
            self.errors.show_info(lambda: _(STILL_SAVING))
            return
        super().reject()


def _term_cells(t) -> tuple[str, ...]:
    preset = not t.set_by and t.effective_from == PRESET_SINCE
    return (short_class_name(t.vehicle_class), type_name(t.repair_type),
            f"{format_number(t.km)} km", str(t.days),
            "—" if preset else format_date(t.effective_from),
            _("national rule") if preset else t.set_by)
