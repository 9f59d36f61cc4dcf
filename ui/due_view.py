"""Due & overdue: the work queue — the open time limits, most urgent first (docs/rules.md §5).

By default the user's own limits ("mine"): the ones missed within the year, the most recently
missed at the top, then what falls due soonest, then the paused ones; switchable to the
user's team or to everything the user may see, filtered by person, kind, limit and state,
sortable by due time or ticket. A lazy keyset list (ui.widgets.lazy_table over
services.timelimits.queue): the true totals come from the database and any row is reached
by scrolling. Limits missed a year ago or more are a queue of their own behind the
"Long overdue (N)" chip, so they never lead the list. Refreshed when data change and on a
timer while shown.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from PySide6.QtCore import QByteArray, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QLabel, QToolButton, QWidget

from services import clock, timelimits
from services.firm import KIND_NAMES
from services.i18n import N_, _, format_datetime, format_number
from services.timelimits import QueueFilter, QueueRow, clock_flags, time_left_text
from ui import marks, prefs
from ui.complaint.describe import clock_tips
from ui.widgets.freshness import Freshness
from ui.widgets.layouts import STRETCH, hbox, vbox
from ui.widgets.lazy_table import Column, LazyTableModel
from ui.widgets.tables import HeaderMemory, ListTable
from ui.widgets.texts import Texts

DUE_HEADER = prefs.Pref("due/queue_header", QByteArray(), QByteArray)
DUE_SCOPE = prefs.Pref("due/scope", "mine", str)
MIN_REFRESH_SECONDS = 5
COMPLAINT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# The status column's word for each flag a clock carries (services.timelimits.clock_flags).
STATUS_WORDS = {"paused": N_("Paused"), "overdue": N_("Overdue"), "due_soon": N_("Due soon"),
                "provisional": N_("Provisional")}

COLUMNS = (
    Column("ticket", N_("Ticket no."), "ticket"),
    Column("kind", N_("Kind")),
    Column("rule", N_("Time limit")),
    Column("due", N_("Due at"), "due"),
    Column("left", N_("Time left"), "urgency",
           tip=N_("Sort by urgency: missed most recently first, then due soonest, then "
                  "paused.")),
    Column("responsible", N_("Responsible")),
    Column("status", N_("Status")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
# Default widths, as sample texts of each column (the font and the language decide the pixels).
_SAMPLES = {"ticket": "2512310000", "kind": "Employee", "rule": "Transfer to a handler within "
            "30 minutes", "due": "2025-12-31 23:59", "responsible": "Handler name",
            "status": "Paused, provisional"}


def _status_text(c) -> str:
    return ", ".join(_(STATUS_WORDS[f]) for f in clock_flags(c) if f in STATUS_WORDS)


class QueueModel(LazyTableModel):
    """The queue's limits (services QueueRow), read a page at a time by key."""

    columns = COLUMNS
    service = timelimits.queue
    default_sort = "urgency"
    keyset = True
    unsortable_tip = N_("The queue cannot be sorted by this column.")

    def __init__(self, session, parent=None, *, item_filter: QueueFilter | None = None):
        super().__init__(session, parent, item_filter=item_filter or QueueFilter())
        self._descending = False

    @property
    def filter(self) -> QueueFilter:
        return self._filter

    def queue_row(self, row: int) -> QueueRow | None:
        return self.row_at(row)

    def complaint_id(self, row: int) -> int | None:
        r = self.row_at(row)
        return r.clock.complaint_id if r is not None else None

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == COMPLAINT_ID_ROLE:
            return self.complaint_id(index.row()) if index.isValid() else None
        return super().data(index, role)

    def cell(self, r: QueueRow, key: str, role: int):
        c = r.clock
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "ticket": lambda: c.ticket, "kind": lambda: _(KIND_NAMES[r.kind]),
                "rule": lambda: c.rule_name, "due": lambda: format_datetime(c.due_at),
                "left": lambda: time_left_text(c.remaining),
                "responsible": lambda: c.responsible, "status": lambda: _status_text(c),
            }[key]()
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
            if key == "status":
                return "\n".join(clock_tips(c)) or None
            if key in ("left", "due"):
                return _("Started {time}").format(time=format_datetime(c.started_at))
            if key == "ticket":
                return _("Double-click or press Enter to open the complaint.")
            if key == "rule":
                return _("{rule} ({limit})").format(rule=c.rule_name, limit=c.limit)
        return None


class DueView(QWidget):
    """Emits ``open_requested(complaint_id)``; the main window opens the complaint."""

    open_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.texts = Texts()
        self.totals: timelimits.QueueTotals | None = None
        scope = prefs.get(DUE_SCOPE)
        start = QueueFilter(scope=scope if scope in timelimits.queue.SCOPES else "mine")
        self.model = QueueModel(session, self, item_filter=start)
        self.fresh = Freshness(self, self.reload, stale=True)  # read when first shown

        self.scope = QComboBox()
        self.scope.setObjectName("due_scope")
        self.person = QComboBox()
        self.kind = QComboBox()
        self.rule = QComboBox()
        self.state = QComboBox()
        for box, tip in ((self.scope, N_("Whose time limits: yours, your department's, or "
                                         "every one you may see")),
                         (self.person, N_("Only the limits this person is responsible for")),
                         (self.kind, N_("Customer or employee complaints")),
                         (self.rule, N_("Only this time limit")),
                         (self.state, N_("Overdue, due within 3 days, due later or paused"))):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.texts.tip(box, tip)
        self.long_chip = QToolButton()
        self.long_chip.setObjectName("due_long_overdue")
        self.long_chip.setCheckable(True)
        self.texts.tip(self.long_chip, N_("Time limits missed a year ago or more, kept apart so "
                                          "they do not lead the list; click again to go back"))
        self.refresh_button = self.texts.button(N_("Refresh"), self.reload,
                                                tip=N_("Read the time limits again (F5)"))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self,
                  self.reload).setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

        self.table = ListTable(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        self.header_memory = HeaderMemory(header, DUE_HEADER)
        self._sort_section = COLUMN_KEYS.index("left")
        self._sort_order = Qt.SortOrder.AscendingOrder
        if self.header_memory.restore():
            section = header.sortIndicatorSection()
            if self.model.sortable(section):
                self._sort_section, self._sort_order = section, header.sortIndicatorOrder()
                self.model.set_sort(section, self._sort_order)
        else:
            self._default_widths()
        header.setSortIndicator(self._sort_section, self._sort_order)
        header.sortIndicatorChanged.connect(self._on_sort_indicator)
        self.header_memory.watch()

        self.summary = QLabel()
        self.summary.setObjectName("due_summary")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.hide()
        vbox(hbox(self.scope, self.person, self.kind, self.rule, self.state, self.long_chip,
                  STRETCH, self.refresh_button, tight=True),
             self.summary, self.hint, (self.table, 1), parent=self)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self.reload)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_current.connect(lambda: self._open_index(self.table.currentIndex()))
        for box in (self.scope, self.person, self.kind, self.rule, self.state):
            box.activated.connect(self._on_filter_chosen)
        self.long_chip.toggled.connect(self._on_filter_chosen)
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.counted):
            signal.connect(self._update_summary)
        session.changed.connect(self._on_session_changed)
        self._fill_choices()
        self.retranslate()

    # --- filters --------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        f = self.model.filter
        choices = timelimits.queue.choices(self.session.user)

        def fill(box: QComboBox, items, current) -> None:
            box.blockSignals(True)
            box.clear()
            for data, text in items:
                box.addItem(text, data)
            at = box.findData(current)
            box.setCurrentIndex(max(at, 0))
            box.blockSignals(False)

        names = timelimits.queue.SCOPE_NAMES
        fill(self.scope, [(s, _(names[s])) for s in timelimits.queue.SCOPES], f.scope)
        fill(self.person, [("", _("Anyone"))] + choices.people, f.handler)
        fill(self.kind, [("", _("Any kind"))] + [(k, _(KIND_NAMES[k]))
                                                 for k in ("customer", "employee")], f.kind)
        fill(self.rule, [("", _("Any time limit"))] + choices.rules, f.rule)
        states = timelimits.queue.STATE_NAMES
        fill(self.state, [("", _("Any state"))] + [(s, _(states[s])) for s in states], f.state)

    def current_filter(self) -> QueueFilter:
        return replace(self.model.filter, scope=self.scope.currentData() or "mine",
                       handler=self.person.currentData() or "",
                       kind=self.kind.currentData() or "", rule=self.rule.currentData() or "",
                       state=self.state.currentData() or "",
                       long_overdue=self.long_chip.isChecked())

    def set_filter(self, f: QueueFilter) -> None:
        """Show the queue as ``f`` says (the filter boxes follow)."""
        self.model.set_filter(f)
        self._fill_choices()
        blocked = self.long_chip.blockSignals(True)
        self.long_chip.setChecked(f.long_overdue)
        self.long_chip.blockSignals(blocked)
        prefs.put(DUE_SCOPE, f.scope)
        self._read_totals()

    def _on_filter_chosen(self, *_args) -> None:
        self.set_filter(self.current_filter())

    def _on_sort_indicator(self, section: int, order: Qt.SortOrder) -> None:
        if not self.model.sortable(section):
            header = self.table.horizontalHeader()
            blocked = header.blockSignals(True)
            header.setSortIndicator(self._sort_section, self._sort_order)
            header.blockSignals(blocked)
            return
        self._sort_section, self._sort_order = section, order
        if self.model.set_sort(section, order):
            self.model.reset()

    # --- reading --------------------------------------------------------------------------

    def _default_widths(self) -> None:
        metrics = self.table.fontMetrics()
        icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 16
        samples = dict(_SAMPLES, left=time_left_text(-timedelta(days=300, hours=23)))
        header = self.table.horizontalHeader()
        for column, c in enumerate(COLUMNS):
            width = max(metrics.horizontalAdvance(samples[c.key]),
                        metrics.horizontalAdvance(_(c.title)) + 24)
            header.resizeSection(column, width + 24 + (icon if c.key == "left" else 0))

    def retranslate(self) -> None:
        self.texts.apply()
        self.model.retranslate()
        self._fill_choices()
        self.fresh.changed()  # rule names and "time left" are per language
        self._update_summary()

    def reload(self) -> None:
        """Read the queue and its totals again (the selection stays on the same limit)."""
        self.model.set_filter(self.current_filter())
        self.fresh.stale = False
        self._read_totals()

    def _read_totals(self) -> None:
        user, f = self.session.user, self.model.filter

        def done(totals) -> None:
            if f == self.model.filter:
                self.totals = totals
                self._update_summary()

        tasks = getattr(self.session, "tasks", None)
        if tasks is None:
            done(timelimits.queue.totals(user, f))
        else:
            tasks.run(lambda: timelimits.queue.totals(user, f), on_done=done, quiet=True)

    def _update_summary(self, *_args) -> None:
        t = self.totals
        if t is None:
            self.summary.clear()
            self.long_chip.setText(_("Long overdue ({n})").format(n="…"))
            return
        self.long_chip.setText(_("Long overdue ({n})").format(n=format_number(t.long_overdue)))
        self.long_chip.setEnabled(bool(t.long_overdue) or self.long_chip.isChecked())
        parts = (_("Overdue {n}").format(n=format_number(t.overdue)),
                 _("due within 3 days {n}").format(n=format_number(t.due_soon)),
                 _("due later {n}").format(n=format_number(t.later)),
                 _("paused {n}").format(n=format_number(t.paused)))
        self.summary.setText(_("{totals} — as of {time}").format(
            totals=" · ".join(parts), time=format_datetime(clock.now())))
        f = self.model.filter
        if not self.model.total and f.scope == "mine" and not self.long_chip.isChecked():
            self.hint.setText(_("No time limit of yours is running. Choose “All” above to "
                                "see every limit you may see."))
            self.hint.show()
        else:
            self.hint.hide()

    def _on_session_changed(self, changes) -> None:
        if changes.language:
            self.retranslate()  # reads again if shown: rule names are per language
        if changes.users or changes.settings:
            self._fill_choices()
        # The open time limits move with complaint steps, the calendar and the rules.
        if changes.complaints or changes.calendar or changes.settings:
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
