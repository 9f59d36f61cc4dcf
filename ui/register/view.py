"""The complaint register (台账) screen: the filter bar over the lazy table (docs/rules.md)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from services.changes import Changes
from services.i18n import _, format_number, ngettext
from ui import prefs
from ui.register.filter_bar import FilterBar
from ui.register.model import COLUMN_KEYS, DEFAULT_SORT, RegisterModel
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

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session

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

        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
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
        self.table.doubleClicked.connect(self._open_index)
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
        self._update_count()

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
        if changes.language:
            self.retranslate()
        if changes.settings or changes.users:
            self.filter_bar.reload_choices()  # categories or staff may have changed
        if changes.complaints:
            self.fresh.changed()

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
        else:
            text = _("No complaint matches the filter.")
        self.count_label.setText(text)

    def _open_index(self, index: QModelIndex) -> None:
        cid = self.model.item_id(index.row()) if index.isValid() else None
        if cid is not None:
            self.open_requested.emit(cid)

    def _open_current(self) -> None:
        self._open_index(self.table.currentIndex())
