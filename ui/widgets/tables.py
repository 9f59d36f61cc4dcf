"""Shared pieces of the list screens: a table where Enter opens the current row, the common
look, and column widths, order and sort remembered in the preferences (STYLE practice 8)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui import prefs

SAVE_DELAY_MS = 500  # a drag resizes a column many times; write the preferences once


class ListTable(QTableView):
    """A read-only list of rows: whole rows selected, one at a time; Enter emits
    ``open_current`` (double-click is the view's ``doubleClicked``)."""

    open_current = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
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


class HeaderMemory(QObject):
    """Restores ``header`` from ``pref`` and saves it back whenever the user changes it."""

    def __init__(self, header: QHeaderView, pref: prefs.Pref):
        super().__init__(header)
        self.header = header
        self.pref = pref
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save)

    def restore(self) -> bool:
        """Apply the saved state; False if there is none (the caller sets defaults)."""
        state = prefs.get(self.pref)
        return bool(state) and not state.isEmpty() and self.header.restoreState(state)

    def watch(self) -> None:
        """Save from now on: at once for a move or a sort, after a pause for resizing."""
        self.header.sectionMoved.connect(self.save)
        self.header.sortIndicatorChanged.connect(self.save)
        self.header.sectionResized.connect(self._timer.start)

    def pending(self) -> bool:
        """A change is waiting to be written."""
        return self._timer.isActive()

    def save(self, *_args) -> None:
        self._timer.stop()
        prefs.put(self.pref, self.header.saveState())
