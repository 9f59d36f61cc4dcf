"""The Month totals tab: a month's approved and deducted entries per person and per
department, and the export for payroll (CSV or XLSX)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QSplitter, QTableWidget, QWidget

from services import clock, penalties
from services.errors import DomainError
from services.i18n import N_, _, format_number
from services.people import NO_DEPARTMENT, has_role
from ui.penalties.common import money
from ui.penalties.documents import PenaltyDocuments
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.inline import InfoLine, InlineError
from ui.widgets.layouts import group, hbox, vbox
from ui.widgets.tables import fill_table, small_table
from ui.widgets.texts import Texts

PERSON_HEADERS = (N_("Person or unit"), N_("Department"), N_("Fines"), N_("Rewards"),
                  N_("Net"), N_("Entries"))
DEPARTMENT_HEADERS = (N_("Department"), N_("Fines"), N_("Rewards"), N_("Net"), N_("Entries"),
                      N_("People"))


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
        self.texts = Texts()
        self.month = QComboBox()
        self.month.setEditable(True)  # any month, also one with no entries yet
        self.month.setMinimumWidth(110)
        self.texts.tip(self.month, N_("YYYY-MM; approved entries count in the month they were "
                                      "approved, deducted ones in their payroll month."))
        self.total_label = QLabel()
        font = self.total_label.font()
        font.setBold(True)
        self.total_label.setFont(font)
        self.csv_button = self.texts.button(N_("Export CSV…"), lambda: self.export(".csv"))
        self.xlsx_button = self.texts.button(N_("Export XLSX…"), lambda: self.export(".xlsx"),
                                             tip=N_("The entries, the totals per person and per "
                                                    "department, for payroll"))
        self.print_button = self.texts.button(N_("Print month's ledger…"), self.print_ledger,
                                              tip=N_("The month's penalty ledger in the firm's "
                                                     "document language: preview, print or save "
                                                     "it as PDF"))
        self.print_button.setEnabled(False)
        self.people = _table(len(PERSON_HEADERS))
        self.departments = _table(len(DEPARTMENT_HEADERS))
        split = QSplitter(Qt.Orientation.Vertical)
        for table, title in ((self.people, N_("Per person")),
                             (self.departments, N_("Per department"))):
            box = group(table)
            self.texts.add(box.setTitle, title)
            split.addWidget(box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.error = InlineError()
        self.info = InfoLine()
        vbox(hbox(self.texts.label(N_("Month:")), self.month, 16, (self.total_label, 1),
                  self.csv_button, self.xlsx_button, self.print_button),
             self.error, self.info, (split, 1), parent=self)
        self.export_visible = self._may_export()
        self.csv_button.setVisible(self.export_visible)
        self.xlsx_button.setVisible(self.export_visible)

        self.month.activated.connect(lambda _i: self.show_month(self.month.currentText()))
        self.month.lineEdit().returnPressed.connect(
            lambda: self.show_month(self.month.currentText()))
        self.documents = PenaltyDocuments(session, self, self.error, self.info)

    def _may_export(self) -> bool:
        return has_role(self.session.user, "manager", "owner")  # payroll is theirs (docs/rules.md)

    # --- texts --------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.texts.apply()
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
            month=t.month, fines=money(t.fines), rewards=money(-t.rewards),
            total=money(t.total), entries=format_number(t.entries)))
        rows = [(p.name + (f" ({p.login})" if p.login else ""),
                 p.department or _(NO_DEPARTMENT), money(p.fines), money(-p.rewards),
                 money(p.total), format_number(p.entries)) for p in t.per_person]
        fill_table(self.people, rows, right=range(2, 6))
        rows = [(d.department or _(NO_DEPARTMENT), money(d.fines), money(-d.rewards),
                 money(d.total), format_number(d.entries), format_number(d.people))
                for d in t.per_department]
        fill_table(self.departments, rows, right=range(1, 6))
        for b in (self.csv_button, self.xlsx_button):
            b.setEnabled(t.entries > 0)
        self.print_button.setEnabled(True)  # an empty month prints as "No entries."

    # --- the ledger document -----------------------------------------------------------

    def print_ledger(self) -> None:
        """The chosen month's penalty ledger, in the preview."""
        if self.totals is None:
            return
        self.documents.ledger(self.totals.month)

    # --- export -------------------------------------------------------------------------

    def ask_path(self, suffix: str) -> str:
        """Where to save (a dialog; tests replace this)."""
        name = _("penalties-{month}").format(month=self.totals.month) + suffix
        filters = _("Excel workbook (*.xlsx)") if suffix == ".xlsx" else _("CSV file (*.csv)")
        return files.save_path(self, _("Export for payroll"), name, filters, suffix)

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
