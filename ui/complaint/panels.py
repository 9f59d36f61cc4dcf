"""The parts of the complaint view that show a ComplaintDetail: facts, timeline, clocks."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.complaints import REVIEW_NAMES, SATISFACTION_NAMES, decision_remedies
from services.firm import (
    CHANNEL_NAMES,
    EXTERNAL_ROUTE_NAMES,
    KIND_NAMES,
    REMEDY_NAMES,
    SEVERITY_NAMES,
)
from services.i18n import N_, _, format_datetime, format_money
from services.people import users
from ui.complaint.describe import (
    action_name,
    clock_marks,
    event_details,
    name_of,
    state_change,
    time_left,
)

OVERDUE = QColor("#b3261e")
DUE_SOON = QColor("#a15c00")
QUIET = QColor("#6b6b6b")


def _value_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


def _name_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    label.setStyleSheet("color: #555;")
    return label


class FactsPanel(QWidget):
    """What was recorded, in two columns of short facts and full-width long texts."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(4)
        self.shown: dict[str, str] = {}

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.shown = {}

    def show_detail(self, detail) -> None:
        self._clear()
        c, person = detail.complaint, detail.complainant
        departments = {d.id: d.name for d in users.list_departments()}
        channel = name_of(CHANNEL_NAMES, c.channel)
        if c.channel_detail:
            channel += f" ({c.channel_detail})"
        left = [
            (_("Kind"), name_of(KIND_NAMES, c.kind)),
            (_("Channel"), channel),
            (_("Category"), detail.category_name),
            (_("Severity"), name_of(SEVERITY_NAMES, c.severity)),
            (_("Received at"), format_datetime(c.received_at)),
            (_("Happened at"), format_datetime(c.occurred_at)),
            (_("Place"), c.location),
            (_("Registered by"), detail.registered_by),
            (_("Handler"), detail.handler),
            (_("Respondent"), detail.respondent),
        ]
        right = [
            (_("Complainant"), person.name),
            (_("Phone"), person.phone),
            (_("Address"), person.address),
            (_("E-mail"), person.email),
            (_("Contract / order no."), person.contract_no),
            (_("Department"), departments.get(person.department_id, "")
             if person.department_id else ""),
            (_("Satisfaction"), name_of(SATISFACTION_NAMES, c.satisfaction)
             if c.satisfaction else ""),
            (_("Review"), _(REVIEW_NAMES[c.review_level]) if c.review_level in REVIEW_NAMES
             else ""),
            (_("External route"), name_of(EXTERNAL_ROUTE_NAMES, c.external_route)
             if c.external_route else ""),
            (_("Root cause"), c.root_cause),
            (_("Closed at"), format_datetime(c.closed_at)),
        ]
        row = 0
        for column, facts in ((0, left), (2, right)):
            r = 0
            for name, value in facts:
                if not value:
                    continue
                self.grid.addWidget(_name_label(name), r, column)
                self.grid.addWidget(_value_label(value), r, column + 1)
                self.shown[name] = value
                r += 1
            row = max(row, r)
        long = [
            (_("What happened"), c.description),
            (_("Request"), c.request),
            (_("Decision"), c.decision),
            (_("Reasons"), c.decision_reasons),
            (_("Remedy"), ", ".join(name_of(REMEDY_NAMES, r) for r in _remedies(detail))),
            (_("Amount"), format_money(c.compensation) if c.compensation is not None else ""),
            (_("Responsibility"), c.responsibility),
        ]
        for name, value in long:
            if not value:
                continue
            self.grid.addWidget(_name_label(name), row, 0)
            self.grid.addWidget(_value_label(value), row, 1, 1, 3)
            self.shown[name] = value
            row += 1
        self.grid.setRowStretch(row, 1)


class _WrapDelegate(QStyledItemDelegate):
    """Row heights for wrapped text: Qt sizes an item with no valid rect as one line, so the
    column's width is given explicitly."""

    def __init__(self, view: QTreeWidget, column: int):
        super().__init__(view)
        self.view, self.column = view, column

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        # Only the stretching column wraps; the others are sized to their contents.
        width = self.view.header().sectionSize(index.column())
        if index.column() == self.column and width > 0:
            option = QStyleOptionViewItem(option)
            option.rect = QRect(0, 0, width, 1 << 16)
        return super().sizeHint(option, index)


def _remedies(detail) -> list[str]:
    """The standing decision's remedies (a decision may have several, docs/rules.md §4)."""
    c = detail.complaint
    decision = next((e for e in detail.events if e.action in ("decide", "hold_meeting")), None)
    return decision_remedies(decision.data if decision else None, c.remedy or "")


def _tree(columns: int, *, stretch: int | None = None) -> QTreeWidget:
    """A flat list; column ``stretch`` (default the last) takes the width the others leave."""
    stretch = columns - 1 if stretch is None else stretch
    tree = QTreeWidget()
    tree.setColumnCount(columns)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(False)
    tree.setWordWrap(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tree.setTextElideMode(Qt.TextElideMode.ElideRight)
    tree.setItemDelegate(_WrapDelegate(tree, stretch))
    header = tree.header()
    header.setStretchLastSection(False)
    for i in range(columns):
        header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if i == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    # Wrapped rows get their height from the column width when laid out: lay them out again
    # once the widths settle, so long replies wrap instead of being cut off.
    timer = QTimer(tree)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(tree.doItemsLayout)
    header.sectionResized.connect(lambda *_args: timer.start())
    return tree


class TimelinePanel(QWidget):
    """Every event, newest first: when, who, what, the state change and the details.
    A "document" event can be reprinted (its context menu, or the button when selected)."""

    HEADERS = (N_("When"), N_("Who"), N_("Action"), N_("State"), N_("Details"))
    ACTION_ROLE = Qt.ItemDataRole.UserRole + 1
    reprint_requested = Signal(int)  # the event id of a produced document

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.tree = _tree(len(self.HEADERS))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.reprint_button = QPushButton()
        self.reprint_button.setEnabled(False)
        self.reprint_button.hide()  # shown once the complaint has a produced document
        self.reprint_button.clicked.connect(lambda: self.reprint_selected())
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addStretch(1)
        buttons.addWidget(self.reprint_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in self.HEADERS])
        self.reprint_button.setText(_("Reprint…"))
        self.reprint_button.setToolTip(_("Show the copy given out, byte for byte, to print or "
                                         "save it again"))

    def show_events(self, events) -> None:
        self.tree.clear()
        for ev in events:  # the service gives them newest first
            details = event_details(ev)
            item = QTreeWidgetItem([format_datetime(ev.at), ev.actor, action_name(ev.action),
                                    state_change(ev), details])
            item.setData(0, Qt.ItemDataRole.UserRole, ev.id)
            item.setData(0, self.ACTION_ROLE, ev.action)
            tip = _("Recorded {moment}").format(moment=format_datetime(ev.recorded_at))
            item.setToolTip(0, tip)
            if details:
                item.setToolTip(4, details)
            self.tree.addTopLevelItem(item)
        self.reprint_button.setVisible(any(ev.action == "document" for ev in events))
        self._selection_changed()

    def _document_id(self, item: QTreeWidgetItem | None) -> int | None:
        if item is None or item.data(0, self.ACTION_ROLE) != "document":
            return None
        return int(item.data(0, Qt.ItemDataRole.UserRole))

    def _selection_changed(self) -> None:
        self.reprint_button.setEnabled(self._document_id(self.tree.currentItem()) is not None
                                       and bool(self.tree.selectedItems()))

    def reprint_selected(self) -> None:
        event_id = self._document_id(self.tree.currentItem())
        if event_id is not None:
            self.reprint_requested.emit(event_id)

    def _context_menu(self, pos: QPoint) -> None:
        event_id = self._document_id(self.tree.itemAt(pos))
        if event_id is None:
            return
        menu = QMenu(self)
        menu.addAction(_("Reprint…")).triggered.connect(
            lambda _c=False: self.reprint_requested.emit(event_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def rows(self) -> list[list[str]]:
        tree = self.tree
        return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
                for i in range(tree.topLevelItemCount())]


class ClocksPanel(QWidget):
    """The time limits (rules.md §5): what is due, when, how much time is left, and marks."""

    HEADERS = (N_("Time limit"), N_("Limit"), N_("Due"), N_("Left"), N_("Status"))

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # The time limit's name takes what is left (and wraps); no column is ever narrower
        # than its header (an English "Time limit" was crushed to 25 px): see retranslate.
        self.tree = _tree(len(self.HEADERS), stretch=0)
        self.empty = QLabel()
        self.empty.setStyleSheet("color: #6b6b6b;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty)
        self.retranslate()

    def retranslate(self) -> None:
        labels = [_(h) for h in self.HEADERS]
        self.tree.setHeaderLabels(labels)
        metrics = self.tree.header().fontMetrics()
        self.tree.header().setMinimumSectionSize(
            max(metrics.horizontalAdvance(t) for t in labels) + 24)
        self.empty.setText(_("No time limit applies to this complaint."))

    def show_clocks(self, clocks) -> None:
        self.tree.clear()
        for clk in clocks:
            marks, tip = clock_marks(clk)
            item = QTreeWidgetItem([clk.rule_name, clk.limit, format_datetime(clk.due_at),
                                    time_left(clk), marks])
            color = (OVERDUE if clk.overdue else DUE_SOON if clk.due_soon
                     else OVERDUE if clk.status == "extended"  # missed, then extended
                     else QUIET if clk.status in ("met", "cancelled", "paused") else None)
            if color is not None:
                for column in range(self.tree.columnCount()):
                    item.setForeground(column, QBrush(color))
            if tip:
                for column in range(self.tree.columnCount()):
                    item.setToolTip(column, tip)
            self.tree.addTopLevelItem(item)
        self.empty.setVisible(not clocks)

    def rows(self) -> list[list[str]]:
        tree = self.tree
        return [[tree.topLevelItem(i).text(c) for c in range(tree.columnCount())]
                for i in range(tree.topLevelItemCount())]

