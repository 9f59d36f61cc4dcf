"""Due & overdue: every open time limit, soonest first, refreshed while shown (docs/rules.md)."""
from __future__ import annotations

from datetime import timedelta
from operator import attrgetter

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QWidget

from services import clock
from services.complaints import register as complaints
from services.i18n import N_, _, format_datetime, format_number, ngettext
from services.timelimits import clock_flags, time_left_text
from ui import marks, prefs
from ui.complaint.describe import clock_tips
from ui.widgets.freshness import Freshness
from ui.widgets.layouts import hbox, vbox
from ui.widgets.tables import HeaderMemory, ListTable
from ui.widgets.texts import Texts

DUE_HEADER = prefs.Pref("due/header_state", QByteArray(), QByteArray)
MIN_REFRESH_SECONDS = 5
PAGE_SIZE = 200  # clocks read at a time (docs/rules.md: a screen opens in under 50 ms)
COMPLAINT_ID_ROLE = Qt.ItemDataRole.UserRole

# The status column's word for each flag a clock carries (services.timelimits.clock_flags).
STATUS_WORDS = {"paused": N_("Paused"), "overdue": N_("Overdue"), "due_soon": N_("Due soon"),
                "provisional": N_("Provisional")}


def _status_text(c) -> str:
    return ", ".join(_(STATUS_WORDS[f]) for f in clock_flags(c) if f in STATUS_WORDS)


# Each column: its key, its title and what it shows of a clock.
COLUMNS = (
    ("ticket", N_("Ticket no."), attrgetter("ticket")),
    ("rule", N_("Time limit"), attrgetter("rule_name")),
    ("limit", N_("Length"), attrgetter("limit")),
    ("due", N_("Due at"), lambda c: format_datetime(c.due_at)),
    ("left", N_("Time left"), lambda c: time_left_text(c.remaining)),
    ("responsible", N_("Responsible"), attrgetter("responsible")),
    ("status", N_("Status"), _status_text),
)
# Default widths, as sample texts of each column (the font and the language decide the pixels).
_SAMPLES = {"ticket": "2512310000", "rule": "Transfer to a handler within 30 minutes",
            "limit": "15 working days", "due": "2025-12-31 23:59", "responsible": "Handler name",
            "status": "Paused, provisional"}


class DueModel(QAbstractTableModel):
    """The open clocks (services ClockView), soonest due first, read a page at a time."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.clocks: list = []
        self.complete = True  # every open clock is loaded
        self._loaded = False

    def reload(self) -> None:
        """Read again as many clocks as are loaded (at least a page), keeping the current and
        selected rows on the same clocks."""
        limit = max(PAGE_SIZE, len(self.clocks))
        clocks = complaints.due_list(self.session.user, limit=limit)
        if not self._loaded:
            self.beginResetModel()
            self._set(clocks, limit)
            self._loaded = True
            self.endResetModel()
            return
        row_of = {c.id: row for row, c in enumerate(clocks)}
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        after = []
        for index in before:
            row = row_of.get(self.clocks[index.row()].id) if index.row() < len(self.clocks) \
                else None
            after.append(self.createIndex(row, index.column()) if row is not None
                         else QModelIndex())
        self._set(clocks, limit)
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _set(self, clocks: list, limit: int) -> None:
        self.clocks = list(clocks)
        self.complete = len(clocks) < limit

    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._loaded and not self.complete

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self.complete:
            return
        # due_list has a limit but no offset: read from the start, then add the new tail.
        shown = len(self.clocks)
        limit = shown + PAGE_SIZE
        clocks = complaints.due_list(self.session.user, limit=limit)
        if len(clocks) <= shown:
            self.reload()
            return
        self.clocks[:] = clocks[:shown]
        if shown:
            self.dataChanged.emit(self.index(0, 0), self.index(shown - 1, len(COLUMNS) - 1))
        self.beginInsertRows(QModelIndex(), shown, len(clocks) - 1)
        self._set(clocks, limit)
        self.endInsertRows()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def complaint_id(self, row: int) -> int | None:
        if not 0 <= row < len(self.clocks):
            return None
        c = self.clocks[row]
        if c.complaint_id is not None:
            return c.complaint_id
        # open_clocks leaves ClockView.complaint_id empty (its join selects only the ticket):
        # look the complaint up by its ticket until the service gives the id.
        return complaints.find(c.ticket, actor=self.session.user).id

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.clocks)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return _(COLUMNS[section][1])
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.clocks):
            return None
        c = self.clocks[index.row()]
        key, _title, text = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(c)
        if role == Qt.ItemDataRole.ForegroundRole:
            if c.overdue:
                return marks.OVERDUE
            if c.due_soon:
                return marks.DUE_SOON
            return marks.PAUSED if c.status == "paused" else None
        if role == Qt.ItemDataRole.DecorationRole and key == "left":
            if c.overdue:
                return marks.overdue_icon()
            return marks.dot_icon(marks.DUE_SOON.name()) if c.due_soon else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(c, key)
        if role == COMPLAINT_ID_ROLE:
            return c.complaint_id
        return None

    @staticmethod
    def _tooltip(c, key: str) -> str | None:
        if key == "status":
            return "\n".join(clock_tips(c)) or None
        if key in ("left", "due"):
            return _("Started {time}").format(time=format_datetime(c.started_at))
        if key == "ticket":
            return _("Double-click or press Enter to open the complaint.")
        if key == "rule":
            return c.rule_name
        return None


class DueView(QWidget):
    """Emits ``open_requested(complaint_id)``; the main window opens the complaint."""

    open_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.fresh = Freshness(self, self.reload, stale=True)  # read when first shown
        self.model = DueModel(session, self)
        self.table = ListTable(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        self.header_memory = HeaderMemory(header, DUE_HEADER)
        if not self.header_memory.restore():
            self._default_widths()
        self.header_memory.watch()

        self.summary = QLabel()
        self.texts = Texts()
        self.refresh_button = self.texts.button(N_("Refresh"), self.reload,
                                                tip=N_("Read the time limits again (F5)"))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self,
                  self.reload).setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        vbox(hbox((self.summary, 1), self.refresh_button, tight=True), (self.table, 1),
             parent=self)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.reload)
        self.model.rowsInserted.connect(self._update_summary)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_current.connect(lambda: self._open_index(self.table.currentIndex()))
        session.changed.connect(self._on_session_changed)
        self.retranslate()

    def _default_widths(self) -> None:
        metrics = self.table.fontMetrics()
        icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        samples = dict(_SAMPLES, left=time_left_text(-timedelta(hours=23, minutes=59)))
        for column, (key, title, _text) in enumerate(COLUMNS):
            width = max(metrics.horizontalAdvance(samples[key]),
                        metrics.horizontalAdvance(_(title)) + 16)
            header = self.table.horizontalHeader()
            header.resizeSection(column, width + 24 + (icon if key == "left" else 0))

    def retranslate(self) -> None:
        self.texts.apply()
        self.model.retranslate()
        self.fresh.changed()  # rule names and "time left" are per language
        self._update_summary()

    def reload(self) -> None:
        """Read the open clocks again (the selection stays on the same clock)."""
        self.model.reload()
        self.fresh.stale = False
        self._update_summary()

    def _update_summary(self, *_args) -> None:
        clocks = self.model.clocks
        if self.fresh.stale and not clocks:
            self.summary.clear()
            return
        if not clocks:
            self.summary.setText(_("Nothing is due: no complaint has a running time limit."))
            return
        n = format_number(len(clocks))
        if self.model.complete:
            shown = ngettext("{n} open time limit", "{n} open time limits",
                             len(clocks)).format(n=n)
        else:
            shown = _("The first {n} open time limits (scroll for more)").format(n=n)
        overdue = _("{n} overdue").format(n=format_number(sum(c.overdue for c in clocks)))
        soon = _("{n} due soon").format(n=format_number(sum(c.due_soon for c in clocks)))
        self.summary.setText(_("{shown}: {overdue}, {soon} — as of {time}").format(
            shown=shown, overdue=overdue, soon=soon, time=format_datetime(clock.now())))

    def _on_session_changed(self, changes) -> None:
        if changes.language:
            self.retranslate()  # reads again if shown: rule names are per language
        # The open time limits move with complaint steps and the calendar.
        if changes.complaints or changes.calendar:
            self.fresh.changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        seconds = max(MIN_REFRESH_SECONDS, prefs.get(prefs.DUE_REFRESH_SECONDS))
        self.timer.start(seconds * 1000)
        self.fresh.shown()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def _open_index(self, index: QModelIndex) -> None:
        cid = self.model.complaint_id(index.row()) if index.isValid() else None
        if cid is not None:
            self.open_requested.emit(cid)
