"""Shared pieces of the list screens: a table where Enter opens the current row, the common
look, column widths, order and sort remembered in the preferences (docs/design.md), and the
small read-only tables of tens of rows and how they are filled."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui import prefs
from ui.widgets.debounce import SAVE_MS, Debouncer


class ListTable(QTableView):
    """A read-only list of rows: whole rows selected, one at a time; Enter emits
    ``open_current`` (double-click is the view's ``doubleClicked``)."""

    open_current = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setViewport(_viewport())
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
                and self.currentIndex().isValid()):
            self.open_current.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def _viewport() -> QWidget:
    """A viewport made here, as Qt makes its own (name, background): the same widget, but one
    Python already knows. Handed Qt's own, PySide would work out its class by trying every
    kind of widget it knows, and make the enums of each — about 70 of them, 10 ms before the
    register's first paint (docs/design.md, Start-up)."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    return viewport


class HeaderMemory(QObject):
    """Restores ``header`` from ``pref`` and saves it back whenever the user changes it."""

    def __init__(self, header: QHeaderView, pref: prefs.Pref):
        super().__init__(header)
        self.header = header
        self.pref = pref
        self._save_later = Debouncer(SAVE_MS, self.save, self)

    def restore(self) -> bool:
        """Apply the saved state; False if there is none (the caller sets defaults)."""
        state = prefs.get(self.pref)
        return bool(state) and not state.isEmpty() and self.header.restoreState(state)

    def watch(self) -> None:
        """Save from now on: at once for a move or a sort, after a pause for resizing."""
        self.header.sectionMoved.connect(self.save)
        self.header.sortIndicatorChanged.connect(self.save)
        self.header.sectionResized.connect(self._save_later.trigger)

    def pending(self) -> bool:
        """A change is waiting to be written."""
        return self._save_later.pending()

    def save(self, *_args) -> None:
        self._save_later.cancel()
        prefs.put(self.pref, self.header.saveState())


def compact_rows(table: QTableView) -> None:
    """Rows as high as a line of text, as in every list of the program."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)


def small_table(columns: int, *, stretch: int | None = None) -> QTableWidget:
    """A small read-only list (a QTableWidget suits tens of rows): whole rows selected, one
    at a time. ``stretch`` is the column that takes the spare width, the others fit their
    contents; without it the columns keep the widths given and the last one stretches."""
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    compact_rows(table)
    header = table.horizontalHeader()
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
    return table


def fill_table(table: QTableWidget, rows, *, right=()) -> None:
    """Show ``rows`` (each a sequence of texts) in a small table; the columns in ``right``
    (numbers, money) are right-aligned."""
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
