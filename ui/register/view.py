"""The complaint register (台账) screen: the filter bar over the lazy table (docs/rules.md)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from services.changes import Changes
from services.complaints import register as complaints
from services.errors import DomainError
from services.i18n import _, format_number, ngettext
from ui import prefs
from ui.register.filter_bar import FilterBar
from ui.register.model import COLUMN_KEYS, DEFAULT_SORT, RegisterModel
from ui.widgets.banner import Banner
from ui.widgets.freshness import Freshness
from ui.widgets.tables import HeaderMemory, ListTable

# Default widths, as sample texts of each column (the font decides the pixels).
_SAMPLES = {
    "ticket": "2512310000", "received": "2025-12-31 23:59", "kind": "Employee",
    "complainant": "Complainant name", "category": "Product quality issue",
    "respondent": "Respondent / department", "handler": "Handler name",
    "state": "Investigating", "next_due": "2025-12-31 23:59", "overdue": "Overdue",
}


class RegisterView(QWidget):
    """Filter bar, table and count. Emits ``open_requested(complaint_id)``; the main window
    opens the complaint."""

    open_requested = Signal(int)
    # Once: the table has painted its first answer (the first page of rows, or none), just
    # after that paint. The main window's start work waits for it (docs/design.md, Start-up).
    first_painted = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._painted_first = False

        self.filter_bar = FilterBar(self)
        self.model = RegisterModel(session, self)
        self.fresh = Freshness(self, self.model.refresh)
        self.table = ListTable(self)
        # a million rows of one height: no per-row sizes to keep
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        self.count_label = QLabel()
        # Drawn over the empty table: what to do next (register the first, or clear the filter).
        self.empty_hint = QLabel(self.table.viewport())
        self.empty_hint.setObjectName("register_empty_hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.empty_hint.setStyleSheet("color: palette(placeholder-text); font-size: 12pt;")
        self.empty_hint.hide()
        self.table.viewport().installEventFilter(self)
        # A new complaint is announced here with its ticket number (announce_registered).
        self.banner = Banner(self)
        self._announced = None  # the ActionResult of the registration announced
        self._receipts = None  # a DocumentsButton, made when a receipt is first printed

        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.header_memory = HeaderMemory(header, prefs.REGISTER_HEADER)
        self._sort_section = COLUMN_KEYS.index(DEFAULT_SORT)
        self._sort_order = Qt.SortOrder.DescendingOrder
        self._restore_state()
        # Before the memory's own slot, so a refused sort is undone before it is saved.
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.header_memory.watch()
        self.table.setSortingEnabled(True)  # sorts once: the model reads its first page

        self.filter_bar.filter_changed.connect(self.model.set_filter)
        # another action hides the banner: a new filter, a sort, opening a complaint
        self.filter_bar.filter_changed.connect(lambda _f: self.banner.dismiss())
        header.sortIndicatorChanged.connect(lambda *_a: self.banner.dismiss())
        self.open_requested.connect(lambda _i: self.banner.dismiss())
        self.banner.dismissed.connect(self._forget_announced)
        self.table.doubleClicked.connect(self._open_index)
        # after the filter bar's own slot, which has applied the filter by then
        self.filter_bar.search.returnPressed.connect(self._search_returned)
        self.filter_bar.search.installEventFilter(self)
        self.table.open_current.connect(self._open_current)
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.rowsInserted,
                       self.model.counted):
            signal.connect(self._update_count)
        session.changed.connect(self._on_session_changed)
        self._update_count()  # the filter bar and the model are already in this language

    # --- public -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.filter_bar.retranslate()
        self.model.retranslate()
        self.banner.retranslate()
        if self._announced is not None and not self.banner.isHidden():
            self._show_banner(self._announced)
        self._update_count()

    def announce_registered(self, result) -> str:
        """A complaint was just registered (its ActionResult): say its ticket number in the
        banner, with "Print receipt" and "Open", and select its row. Returns the text."""
        self._announced = result
        text = self._show_banner(result)
        self.model.refresh()  # before the session's news arrives: the row must be there
        self.select_complaint(result.complaint_id)
        return text

    def _show_banner(self, result) -> str:
        text = _("Complaint {ticket} saved.").format(ticket=result.ticket)
        cid = result.complaint_id
        self.banner.show_message(text, [
            (_("Print receipt"), lambda: self.print_receipt(cid)),
            (_("Open"), lambda: self.open_requested.emit(cid)),
        ])
        return text

    def _forget_announced(self) -> None:
        self._announced = None

    def select_complaint(self, complaint_id: int) -> bool:
        """Make ``complaint_id``'s row current and show it, if the register lists it among
        the rows read so far (a new complaint is at the top in the default order)."""
        row = self.model.row_of(complaint_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index)
        return True

    def print_receipt(self, complaint_id: int) -> None:
        """Produce the acknowledgement receipt (docs/rules.md §8.1) and show it in the
        preview, to print or save; on the worker, as the complaint window does."""
        from ui.documents.menu import DocumentsButton  # loads the documents: only when asked

        if self._receipts is None:
            self._receipts = DocumentsButton(self.session, self._receipt_refused,
                                             lambda: None, self)
            self._receipts.hide()
        try:
            self._receipts.set_detail(complaints.detail(complaint_id,
                                                        actor=self.session.user))
        except DomainError as err:
            self._receipt_refused(err)
            return
        self._receipts.produce("receipt")

    def _receipt_refused(self, err) -> None:
        self.banner.show_message(err.message())

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def selected_complaint_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.item_id(index.row()) if index.isValid() else None

    def save_state(self) -> None:
        """Column widths, order and sort go to the preferences (they also do by themselves,
        a moment after each change)."""
        self.header_memory.save()

    # --- state --------------------------------------------------------------------------

    def _restore_state(self) -> None:
        header = self.table.horizontalHeader()
        if self.header_memory.restore():
            section = header.sortIndicatorSection()
            if self.model.sortable(section):
                self._sort_section, self._sort_order = section, header.sortIndicatorOrder()
        else:
            metrics = self.table.fontMetrics()
            for column, key in enumerate(COLUMN_KEYS):
                title = self.model.headerData(column, Qt.Orientation.Horizontal)
                width = max(metrics.horizontalAdvance(_SAMPLES[key]),
                            metrics.horizontalAdvance(title) + 16)
                header.resizeSection(column, width + 24)
        header.setSortIndicator(self._sort_section, self._sort_order)

    def _on_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        header = self.table.horizontalHeader()
        if not self.model.sortable(section):
            # Qt has no per-column "not sortable": put the indicator back; the model
            # ignored the request.
            blocked = header.blockSignals(True)
            header.setSortIndicator(self._sort_section, self._sort_order)
            header.blockSignals(blocked)
            return
        self._sort_section, self._sort_order = section, order

    # --- reacting -----------------------------------------------------------------------

    def _on_session_changed(self, changes: Changes) -> None:
        announced = self._announced
        if announced is not None and changes.complaints and (
                not isinstance(changes.complaints, frozenset)
                or changes.complaints - {announced.complaint_id}):
            self.banner.dismiss()  # another complaint changed: something else happened
        if changes.language:
            self.retranslate()
        if changes.settings or changes.users:
            self.filter_bar.reload_choices()  # categories or staff may have changed
        if changes.complaints:
            self.fresh.changed()

    def _search_returned(self) -> None:
        """Return in the search box: one hit opens; several: the first is selected and the
        table has the keys (Return there opens, arrows move)."""
        rows = self.model.rowCount()
        if rows == 1 and self.model.total_is_exact:
            self._open_index(self.model.index(0, 0))
        elif rows:
            self._enter_table()

    def _enter_table(self) -> None:
        if not self.model.rowCount():
            return
        if not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
            self.table.selectRow(0)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.filter_bar.search and event.type() == QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Down and self.model.rowCount():
            self._enter_table()
            return True
        if watched is self.table.viewport():
            kind = event.type()
            if kind == QEvent.Type.Resize:
                self._place_hint()
            elif kind == QEvent.Type.Paint and not self._painted_first and self.model.loaded:
                self._painted_first = True
                QTimer.singleShot(0, self.first_painted.emit)  # once this paint is over
        return super().eventFilter(watched, event)

    def _place_hint(self) -> None:
        area = self.table.viewport().rect()
        self.empty_hint.setGeometry(area.adjusted(24, 24, -24, -24))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Ctrl+F reaches here only when no window-wide Find action took it first (the main
        # window has one and calls focus_search); a QShortcut here would make it ambiguous.
        if event.matches(QKeySequence.StandardKey.Find):
            self.focus_search()
            event.accept()
            return
        super().keyPressEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fresh.shown()

    def _update_count(self, *_args) -> None:
        total = self.model.total
        if total and not self.model.total_is_exact:
            # counted up to the cap so far; the exact count comes from the worker
            cap = self.model.count_cap
            text = ngettext("{n}+ complaint", "{n}+ complaints", cap).format(
                n=format_number(cap))
        elif total:
            text = ngettext("{n} complaint", "{n} complaints", total).format(
                n=format_number(total))
        elif self.filter_bar.is_empty():
            text = _("No complaints yet.")
            hint = _("No complaints yet — press {keys} to register the first one").format(
                keys=QKeySequence(QKeySequence.StandardKey.New).toString(
                    QKeySequence.SequenceFormat.NativeText))
        else:
            text = _("No complaint matches the filter.")
            hint = _("No complaint matches — clear the filter")
        self.count_label.setText(text)
        if total:
            self.empty_hint.hide()
        else:
            self.empty_hint.setText(hint)
            self._place_hint()
            self.empty_hint.show()

    def _open_index(self, index: QModelIndex) -> None:
        cid = self.model.item_id(index.row()) if index.isValid() else None
        if cid is not None:
            self.open_requested.emit(cid)

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())
