"""The Month totals tab: a month's approved and deducted entries per person and per
department, and the export for payroll (CSV or XLSX)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services import clock, penalties
from services.errors import DomainError
from services.i18n import N_, _, format_number
from services.people import has_role
from ui.penalties.common import NO_DEPARTMENT, money
from ui.penalties.documents import PenaltyDocuments
from ui.tasks import run_service
from ui.widgets.inline import InfoLine, InlineError
from ui.widgets.tables import small_table

PERSON_HEADERS = (N_("Person or unit"), N_("Department"), N_("Fines"), N_("Rewards"),
                  N_("Net"), N_("Entries"))
DEPARTMENT_HEADERS = (N_("Department"), N_("Fines"), N_("Rewards"), N_("Net"), N_("Entries"),
                      N_("People"))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _table(columns: int) -> QTableWidget:
    table = small_table(columns, stretch=0)  # the name takes the room, not a number
    table.horizontalHeader().setMinimumSectionSize(90)
    return table


class TotalsTab(QWidget):
    """A month picker, two tables and the month's total; Export asks where to save."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.totals = None
        self.month = QComboBox()
        self.month.setEditable(True)  # any month, also one with no entries yet
        self.month.setMinimumWidth(110)
        self.month_label = QLabel()
        self.total_label = QLabel()
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)
        self.csv_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.print_button = QPushButton()
        self.print_button.setEnabled(False)
        self.people = _table(len(PERSON_HEADERS))
        self.departments = _table(len(DEPARTMENT_HEADERS))
        self.people_box = QGroupBox()
        QVBoxLayout(self.people_box).addWidget(self.people)
        self.departments_box = QGroupBox()
        QVBoxLayout(self.departments_box).addWidget(self.departments)
        self.error = InlineError()
        self.info = InfoLine()

        top = QHBoxLayout()
        top.addWidget(self.month_label)
        top.addWidget(self.month)
        top.addSpacing(16)
        top.addWidget(self.total_label, 1)
        top.addWidget(self.csv_button)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.print_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.people_box)
        split.addWidget(self.departments_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.info)
        layout.addWidget(split, 1)
        self.export_visible = self._may_export()
        self.csv_button.setVisible(self.export_visible)
        self.xlsx_button.setVisible(self.export_visible)

        self.month.activated.connect(lambda _i: self.show_month(self.month.currentText()))
        self.month.lineEdit().returnPressed.connect(
            lambda: self.show_month(self.month.currentText()))
        self.csv_button.clicked.connect(lambda: self.export(".csv"))
        self.xlsx_button.clicked.connect(lambda: self.export(".xlsx"))
        self.print_button.clicked.connect(self.print_ledger)
        self.documents = PenaltyDocuments(session, self, self.error.show_error, self._clear)

    def _may_export(self) -> bool:
        return has_role(self.session.user, "manager", "owner")  # payroll is theirs (docs/rules.md)

    # --- texts --------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.month_label.setText(_("Month:"))
        self.month.setToolTip(_("YYYY-MM; approved entries count in the month they were "
                                "approved, deducted ones in their payroll month."))
        self.csv_button.setText(_("Export CSV…"))
        self.xlsx_button.setText(_("Export XLSX…"))
        self.xlsx_button.setToolTip(_("The entries, the totals per person and per department, "
                                      "for payroll"))
        self.print_button.setText(_("Print month's ledger…"))
        self.print_button.setToolTip(_("The month's penalty ledger in the firm's document "
                                       "language: preview, print or save it as PDF"))
        self.people_box.setTitle(_("Per person"))
        self.departments_box.setTitle(_("Per department"))
        self.people.setHorizontalHeaderLabels([_(h) for h in PERSON_HEADERS])
        self.departments.setHorizontalHeaderLabels([_(h) for h in DEPARTMENT_HEADERS])
        self.error.retranslate()
        self.info.retranslate()
        if self.totals is not None:
            self._fill()

    def reload(self, months: list[str] | None = None) -> None:
        if months is None:
            months = penalties.filter_choices(self.session.user).months
        current = self.month.currentText() or penalties.month_of(clock.now())
        self.month.blockSignals(True)
        self.month.clear()
        self.month.addItems(months)
        self.month.setCurrentText(current)
        self.month.blockSignals(False)
        self.show_month(current)

    # --- showing ------------------------------------------------------------------------

    def show_month(self, month: str) -> None:
        self.error.clear()
        try:
            self.totals = penalties.month_totals(self.session.user, month)
        except DomainError as err:  # e.g. "2026-13": shown under the month, nothing else
            self.error.show_error(err)
            self.print_button.setEnabled(False)
            return
        if self.month.currentText() != self.totals.month:
            self.month.setCurrentText(self.totals.month)
        self._fill()

    def _fill(self) -> None:
        t = self.totals
        self.total_label.setText(_("{month}: fines {fines}, rewards {rewards}, net {total} "
                                   "({entries} entries)").format(
            month=t.month, fines=money(t.fines), rewards=money(t.rewards),
            total=money(t.total), entries=format_number(t.entries)))
        rows = [(p.name + (f" ({p.login})" if p.login else ""),
                 p.department or _(NO_DEPARTMENT), money(p.fines), money(p.rewards),
                 money(p.total), format_number(p.entries)) for p in t.per_person]
        self._put(self.people, rows, first_money=2)
        rows = [(d.department or _(NO_DEPARTMENT), money(d.fines), money(d.rewards),
                 money(d.total), format_number(d.entries), format_number(d.people))
                for d in t.per_department]
        self._put(self.departments, rows, first_money=1)
        for b in (self.csv_button, self.xlsx_button):
            b.setEnabled(t.entries > 0)
        self.print_button.setEnabled(True)  # an empty month prints as "No entries."

    @staticmethod
    def _put(table: QTableWidget, rows: list[tuple], *, first_money: int) -> None:
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                item = QTableWidgetItem(text)
                if c >= first_money:
                    item.setTextAlignment(_RIGHT)
                table.setItem(r, c, item)

    # --- the ledger document -----------------------------------------------------------

    def _clear(self) -> None:
        self.error.clear()
        self.info.clear()

    def print_ledger(self) -> None:
        """The chosen month's penalty ledger, in the preview."""
        if self.totals is None:
            return
        self.documents.ledger(self.totals.month)

    # --- export -------------------------------------------------------------------------

    def ask_path(self, suffix: str) -> str:
        """Where to save (a dialog; tests replace this)."""
        from services.firm import data_folder

        name = _("penalties-{month}").format(month=self.totals.month) + suffix
        filters = _("Excel workbook (*.xlsx)") if suffix == ".xlsx" else _("CSV file (*.csv)")
        path, _chosen = QFileDialog.getSaveFileName(self, _("Export for payroll"),
                                                    str(Path(data_folder()) / name), filters)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def export(self, suffix: str) -> None:
        if self.totals is None:
            return
        self.error.clear()
        self.info.clear()
        path = self.ask_path(suffix)
        if not path:
            return

        def done(result) -> None:
            self.info.show_message(N_("Wrote {entries} entries to {path}."),
                                   entries=result.entries, path=result.path)

        run_service(self.session, penalties.export_month, actor=self.session.user,
                    month=self.totals.month, path=path, parent=self,
                    label=_("Writing the export…"), on_done=done,
                    on_domain_error=self.error.show_error)
