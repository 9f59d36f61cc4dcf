"""The weekly classification statistics on the Reports screen (每周分类统计, docs/rules.md §8.8):
a week, and the complaints received in it per category against the week before. Every number
comes from ``reports.weekly_statistics``; counting runs off the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from services import clock, documents, reports, settings
from services.i18n import N_, _, format_date
from ui.tasks import run_service
from ui.widgets.inline import InlineError
from ui.widgets.layouts import hbox, vbox
from ui.widgets.pdf_pages import PREVIEW_DPI, pdf_to_images
from ui.widgets.preview import PreviewSlot
from ui.widgets.texts import Texts

RAW = Qt.ItemDataRole.UserRole
WEEKS_BACK = 26
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class WeeklyBox(QGroupBox):
    """Week ▾, and the table of categories: this week, the week before, the change."""

    def __init__(self, session, make_table, cell_text, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.cell_text = cell_text
        self.stats: reports.WeeklyStatistics | None = None
        self.texts = Texts()
        self.week = QComboBox()
        self.week.addItems(reports.recent_weeks(clock.now().date(), WEEKS_BACK))
        self.texts.tip(self.week, N_("The week to count (Monday to Sunday), with the week "
                                     "before it for comparison"))
        self.range_label = QLabel()
        self.range_label.setStyleSheet("color: #555;")
        self.note = InlineError()
        self.table = make_table()
        self.previews = PreviewSlot(session, self)
        self.print_button = QPushButton()
        self.texts.add(self.print_button.setText, N_("Print…"))
        self.texts.tip(self.print_button, N_("Preview, print or save the week's statistics as "
                                             "PDF"))
        self.print_button.clicked.connect(self.print_week)
        vbox(hbox(self.texts.label(N_("Week:")), self.week, 12, (self.range_label, 1),
                  self.print_button),
             self.note, self.table, parent=self)
        self.week.currentIndexChanged.connect(lambda _i: self.load())
        self.retranslate()

    def current_week(self) -> str:
        return self.week.currentText()

    def set_week(self, week: str) -> None:
        """Show ``week`` ("YYYY-Www"), adding it to the list if it is not offered."""
        index = self.week.findText(week)
        if index < 0:
            self.week.addItem(week)
            index = self.week.count() - 1
        if index == self.week.currentIndex():
            self.load()
        else:
            self.week.setCurrentIndex(index)  # loads

    def retranslate(self) -> None:
        self.texts.apply()
        self.setTitle(_("Weekly classification statistics"))
        self.note.retranslate()
        if self.stats is not None:
            self._fill()

    def load(self) -> None:
        self.note.clear()
        run_service(self.session, reports.weekly_statistics, actor=self.session.user,
                    week=self.current_week(), on_done=self._loaded,
                    on_domain_error=self._refused, parent=self,
                    label=_("Counting the week…"))

    def _loaded(self, stats: reports.WeeklyStatistics) -> None:
        if stats.week != self.current_week():  # another week was chosen meanwhile
            return
        self.stats = stats
        self._fill()

    def print_week(self) -> None:
        """The week as a printed page, in the in-program preview."""
        week = self.current_week()
        run_service(self.session, _render, label=_("Producing the document…"), parent=self,
                    on_done=lambda r: self.previews.show(
                        r[0], r[1], _("Weekly classification statistics {week}").format(
                            week=week), documents.file_name(
                                "weekly_statistics", week,
                                settings.firm_info().document_language)),
                    on_domain_error=self.note.show_error, week=week, actor=self.session.user,
                    lang=settings.firm_info().document_language)

    def _refused(self, err) -> None:
        self.stats = None
        self.table.setRowCount(0)
        self.range_label.clear()
        self.note.show_error(err)

    def _fill(self) -> None:
        s = self.stats
        self.range_label.setText(_("{first} to {last}, compared with {previous}").format(
            first=format_date(s.first_day), last=format_date(s.last_day),
            previous=s.previous_week))
        headers, rows = s.table()
        t = self.table
        t.setColumnCount(len(headers))
        t.setHorizontalHeaderLabels(list(headers))
        t.setRowCount(len(rows))
        header = t.horizontalHeader()
        for c in range(len(headers)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch if c == 1
                                        else QHeaderView.ResizeMode.ResizeToContents)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(self.cell_text(value, signed=c == len(headers) - 1))
                item.setData(RAW, value)
                if not isinstance(value, str):
                    item.setTextAlignment(_RIGHT)
                t.setItem(r, c, item)
        t.setFixedHeight(t.horizontalHeader().sizeHint().height()
                         + t.verticalHeader().defaultSectionSize() * max(len(rows), 1)
                         + 2 * t.frameWidth() + t.horizontalScrollBar().sizeHint().height())


def _render(week: str, actor, lang: str):
    pdf = documents.render_weekly_statistics(week, actor=actor, lang=lang)
    return pdf, pdf_to_images(pdf, PREVIEW_DPI)
