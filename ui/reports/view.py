"""The Reports section (docs/rules.md §8.8, §8.9): the monthly summary of one month on screen,
as tables and charts, and exported to XLSX; the weekly classification statistics below it;
for bank branches, the half-year statistics report due next above it.

Every number comes from ``reports.monthly_summary`` and every table from
``reports.sheet_tables`` — the very tables the XLSX export writes — so screen and paper never
disagree. Counting runs off the GUI thread; only the owner and managers may run it (the
service refuses anyone else, and its message is shown inline).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services import clock, reports
from services.changes import Changes
from services.errors import PermissionDenied
from services.i18n import N_, _, babel_locale, current_language, format_date, format_datetime
from services.people import has_role
from ui.reports.charts import BarChart, LineChart
from ui.reports.reminder import HalfYearReminder
from ui.reports.weekly import WeeklyBox
from ui.tasks import run_service
from ui.widgets import files
from ui.widgets.inline import InfoLine, InlineError
from ui.widgets.layouts import hbox, vbox
from ui.widgets.texts import Texts

MONTHS_BACK = 24
RAW = Qt.ItemDataRole.UserRole  # each cell keeps the value the spreadsheet gets
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NO_DATA = N_("Nothing in this month")
OTHERS = N_("Others")
MAX_BARS = 10


def recent_months(today: date, n: int = MONTHS_BACK) -> list[str]:
    """``n`` months ending with the one before ``today``'s, newest first ("YYYY-MM")."""
    year, month = today.year, today.month
    out = []
    for _i in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return out


def category_bars(rows) -> list[tuple[str, int, int]]:
    """(name, this month, the month before) of the categories counted in either month, in the
    profile's order; past MAX_BARS the smallest are summed as "Others"."""
    counted = [(r.name, r.count, r.previous) for r in rows if r.count or r.previous]
    if len(counted) <= MAX_BARS:
        return counted
    keep = sorted(counted, key=lambda b: (-b[1], -b[2]))[:MAX_BARS - 1]
    rest = [b for b in counted if b not in keep]
    return [b for b in counted if b in keep] + [
        (_(OTHERS), sum(b[1] for b in rest), sum(b[2] for b in rest))]


def cell_text(value, *, signed: bool = False) -> str:
    """A spreadsheet value as the screen shows it, in the current language."""
    from babel.numbers import format_decimal

    if value is None:
        return "–"
    if isinstance(value, datetime | date):
        return format_date(value)
    if isinstance(value, str):
        return value
    pattern = "#,##0"
    if isinstance(value, Decimal) and value.as_tuple().exponent < 0:
        pattern += "." + "0" * -int(value.as_tuple().exponent)
    if signed and value:
        pattern = "+" + pattern + ";-" + pattern
    return format_decimal(value, format=pattern, locale=babel_locale())


def _table() -> QTableWidget:
    table = QTableWidget(0, 0)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setMinimumSectionSize(60)
    return table


class ReportsView(QWidget):
    """Month, Refresh, Export XLSX…; below, the charts and every table of the summary."""

    open_requested = Signal(int)  # the main window's convention; this screen opens none

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.summary: reports.MonthlySummary | None = None
        self.tables: list[QTableWidget] = []  # in sheet_tables order: [0] is the headline
        self.boxes: list[QGroupBox] = []
        self._stale = True
        self._loading = False

        self.texts = Texts()
        self.month = QComboBox()
        self.month.addItems(recent_months(clock.now().date()))
        self.month.setCurrentIndex(0)  # the previous month: the last one that is complete
        self.texts.tip(self.month, N_("The month to sum up, with the month before it for "
                                      "comparison"))
        self.refresh_button = self.texts.button(N_("Refresh"), self.load,
                                                tip=N_("Count the month again"))
        self.export_button = self.texts.button(N_("Export XLSX…"), self.export, tip=N_(
            "Every table of this summary as an Excel workbook"))
        self.export_button.setEnabled(False)
        from ui.reports.printing import PrintButton

        self.print_button = PrintButton(session, self.current_month,
                                        lambda err: self.note.show_error(err), self)
        self.schedule_button = self.texts.button(N_("Schedule…"), self.edit_schedule, tip=N_(
            "Make the monthly summary automatically each month"))
        self.schedule_button.setVisible(has_role(session.user, "owner"))
        self.made_label = QLabel()
        self.made_label.setStyleSheet("color: #555;")
        self.note = InlineError()  # the service's refusal, a bad month
        self.info = InfoLine()  # where the export went

        self.category_chart = BarChart()
        self.intake_chart = LineChart()
        self.on_time_chart = BarChart(fixed_top=100, labels_above=True,
                                      value_text=lambda v: cell_text(v) + "%")
        charts = QHBoxLayout()
        for chart in self.charts():
            charts.addWidget(chart)
        self.half_year = HalfYearReminder(session)  # bank branches: the report due next
        self.weekly = WeeklyBox(session, _table, cell_text)  # 每周分类统计
        self.body = QWidget()
        self.grid = QGridLayout()
        body_layout = QVBoxLayout(self.body)
        body_layout.addLayout(charts)
        body_layout.addLayout(self.grid)
        body_layout.addWidget(self.weekly)
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.body)

        layout = vbox(hbox(self.texts.label(N_("Month:")), self.month, self.refresh_button, 12,
                           (self.made_label, 1), self.export_button, self.print_button,
                           self.schedule_button),
                      self.half_year, self.note, self.info, (self.scroll, 1), parent=self)
        layout.addStretch(0)  # a refusal (no tables) stays at the top, under the month

        self.month.currentIndexChanged.connect(lambda _i: self.load())
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    def charts(self) -> tuple:
        return (self.category_chart, self.intake_chart, self.on_time_chart)

    # --- texts ---------------------------------------------------------------------------

    def edit_schedule(self) -> None:
        from ui.reports.schedule_dialog import ScheduleDialog

        dialog = ScheduleDialog(self.session, self)
        dialog.exec()
        dialog.deleteLater()  # a child of the screen: else one more kept at every opening

    def retranslate(self) -> None:
        self.texts.apply()
        self.print_button.retranslate()
        self.category_chart.set_texts(_("Complaints by category"), _("Number of complaints"),
                                      _(NO_DATA))
        self.intake_chart.set_texts(_("Complaints received per day"), _("Day of the month"),
                                    _(NO_DATA))
        self.intake_chart.set_y_label(_("Number of complaints"))
        self.on_time_chart.set_texts(_("On-time rate per time limit"), _("On time (%)"),
                                     _(NO_DATA))
        for chart in (self.category_chart, self.on_time_chart):
            chart.set_previous_label(_("Previous month"))
        self.note.retranslate()
        self.info.retranslate()
        self.half_year.retranslate()
        self.weekly.retranslate()
        if self.summary is not None:
            self._fill()

    # --- loading -------------------------------------------------------------------------

    def current_month(self) -> str:
        return self.month.currentText()

    def set_month(self, month: str) -> None:
        """Show ``month`` ("YYYY-MM"), adding it to the list if it is older."""
        index = self.month.findText(month)
        if index < 0:
            self.month.addItem(month)
            index = self.month.count() - 1
        if index == self.month.currentIndex():
            self.load()
        else:
            self.month.setCurrentIndex(index)  # loads

    def load(self) -> None:
        """Count the chosen month off the GUI thread, then show it."""
        self._stale = False
        self._loading = True
        self.note.clear()
        self.info.clear()
        self.refresh_button.setEnabled(False)
        run_service(self.session, reports.monthly_summary, actor=self.session.user,
                    month=self.current_month(), on_done=self._loaded,
                    on_domain_error=self._refused, parent=self,
                    label=_("Counting the month…"))
        self.half_year.load()
        self.weekly.load()

    def _loaded(self, summary: reports.MonthlySummary) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        if summary.month != self.current_month():  # the user chose another month meanwhile
            return
        self.summary = summary
        self.scroll.setVisible(True)
        self.export_button.setEnabled(True)
        self._fill()

    def _refused(self, err) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.summary = None
        self.export_button.setEnabled(False)
        self.scroll.setVisible(False)
        self.made_label.clear()
        self.note.show_error(err)
        if isinstance(err, PermissionDenied):  # no other month helps
            self.month.setEnabled(False)
            self.refresh_button.setEnabled(False)
            # nor would printing or exporting it: those entries go (the note says why)
            # instead of offering documents that are refused the same way
            for button in (self.print_button, self.export_button, self.schedule_button):
                button.hide()

    # --- showing -------------------------------------------------------------------------

    def _fill(self) -> None:
        s = self.summary
        self.made_label.setText(_("{month} compared with {previous}; counted {made}").format(
            month=s.month, previous=s.previous_month, made=format_datetime(s.made_at)))
        tables = reports.sheet_tables(s)
        self._ensure_tables(len(tables))
        for (title, headers, rows), table, box in zip(tables, self.tables, self.boxes,
                                                      strict=True):
            box.setTitle(title)
            self._put(table, headers, rows, signed_from=len(headers) - 1)
        self.category_chart.set_bars(category_bars(s.by_category))
        self.intake_chart.set_points([(str(d.day.day), d.count) for d in s.daily_intake])
        self.on_time_chart.set_bars([(r.name, r.rate, r.previous_rate) for r in s.on_time])
        height = max(chart.needed_height() for chart in self.charts())
        for chart in self.charts():
            chart.setFixedHeight(height)

    def _ensure_tables(self, n: int) -> None:
        """One box per table, laid out once: the headline and the time limits across the
        whole width, the breakdowns two by two, the days last."""
        if len(self.tables) == n:
            return
        for _i in range(n):
            table, box = _table(), QGroupBox()
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(table)
            box_layout.addStretch(1)  # beside a longer table, this one stays on top
            self.tables.append(table)
            self.boxes.append(box)
        wide = {0, n - 2}  # the headline and the time limits
        row = col = 0
        for i, box in enumerate(self.boxes):
            if i in wide:
                if col:
                    row, col = row + 1, 0
                self.grid.addWidget(box, row, 0, 1, 2)
                row += 1
            else:
                self.grid.addWidget(box, row, col)
                row, col = (row, 1) if col == 0 else (row + 1, 0)

    def _put(self, table: QTableWidget, headers, rows: list[list], *, signed_from: int) -> None:
        table.setColumnCount(len(headers))
        table.setHorizontalHeaderLabels(list(headers))
        table.setRowCount(len(rows))
        header = table.horizontalHeader()
        stretch = 0 if len(headers) <= 4 else 1  # the figure's or the row's name
        for c in range(len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == stretch
                                        else QHeaderView.ResizeMode.ResizeToContents)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                change = c == signed_from and c > 1
                item = QTableWidgetItem(cell_text(value, signed=change))
                item.setData(RAW, value)
                if isinstance(value, str):
                    item.setToolTip(value)  # a long name the column cuts short
                else:
                    item.setTextAlignment(_RIGHT)
                table.setItem(r, c, item)
        # the whole table shows: the page scrolls, not each table
        height = (table.horizontalHeader().sizeHint().height()
                  + table.verticalHeader().defaultSectionSize() * max(len(rows), 1)
                  + 2 * table.frameWidth() + table.horizontalScrollBar().sizeHint().height())
        table.setFixedHeight(height)

    # --- export --------------------------------------------------------------------------

    def ask_path(self) -> str:
        """Where to save (a dialog; tests replace this)."""
        name = _("monthly-summary-{month}").format(month=self.summary.month) + ".xlsx"
        return files.save_path(self, _("Export the monthly summary"), name,
                               _("Excel workbook (*.xlsx)"), ".xlsx")

    def export(self) -> None:
        if self.summary is None:
            return
        self.info.clear()
        path = self.ask_path()
        if not path:
            return
        run_service(self.session, reports.export_xlsx, summary=self.summary, path=path,
                    language=current_language(), parent=self, label=_("Writing the workbook…"),
                    on_done=lambda written: self.info.show_message(N_("Saved to {path}."),
                                                                   path=str(written)),
                    on_domain_error=self.note.show_error)

    # --- keeping up ----------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
        if changes.data:
            self._stale = True  # counted again when next shown, or on Refresh

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale and not self._loading:
            self.load()
