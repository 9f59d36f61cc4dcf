"""The Ledger tab: filters by person, department, month, status and rule over the lazy table."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from services import penalties
from services.i18n import N_, _, format_number, ngettext
from services.penalties import LedgerFilter
from services.people import has_role
from ui import prefs
from ui.penalties.common import status_name
from ui.penalties.model import COLUMN_KEYS, LedgerModel
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.inline import InlineError
from ui.widgets.layouts import hbox, vbox
from ui.widgets.tables import HeaderMemory, ListTable
from ui.widgets.texts import Texts

LEDGER_HEADER = prefs.Pref("penalties/ledger_header", QByteArray(), QByteArray)
ANYONE = N_("Everyone")
ANY_DEPARTMENT = N_("All departments")
ANY_MONTH = N_("All months")
ANY_STATUS = N_("All statuses")
ANY_RULE = N_("All rules")
_WIDTHS = {"id": 60, "date": 130, "person": 110, "department": 100, "rule": 260,
           "amount": 100, "status": 110, "month": 70, "complaint": 100, "reason": 300}


class LedgerFilterBar(QWidget):
    """Collects a LedgerFilter; emits it whenever the user picks something."""

    filter_changed = Signal(object)

    def __init__(self, session, parent: QWidget | None = None, *, with_status: bool = True):
        super().__init__(parent)
        self.session = session
        self.person = QComboBox()
        self.department = QComboBox()
        self.month = QComboBox()
        self.status = QComboBox() if with_status else None
        self.rule = QComboBox()
        self.rule.setMaximumWidth(320)
        self.clear_button = QPushButton()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for combo in self.combos():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(self._changed)
            layout.addWidget(combo)
        layout.addStretch(1)
        layout.addWidget(self.clear_button)
        self.clear_button.clicked.connect(self.clear)
        self._choices = None

    def combos(self) -> list[QComboBox]:
        return [c for c in (self.person, self.department, self.month, self.status, self.rule)
                if c is not None]

    def load_choices(self, choices=None) -> None:
        """What the filters offer (people, months… of the entries the user may see)."""
        self._choices = choices or penalties.filter_choices(self.session.user)
        self.retranslate()

    def retranslate(self) -> None:
        c = self._choices
        if c is None:
            return
        fill_combo(self.person, [(None, _(ANYONE))]
                   + [(f"person:{login}", f"{name} ({login})") for login, name in c.people]
                   + [(f"unit:{unit}", unit) for unit in c.units])
        fill_combo(self.department, [(None, _(ANY_DEPARTMENT)), *c.departments])
        fill_combo(self.month, [(None, _(ANY_MONTH))] + [(m, m) for m in c.months])
        if self.status is not None:
            fill_combo(self.status, [(None, _(ANY_STATUS))]
                       + [(s, status_name(s)) for s in penalties.STATUSES + ("counted",)])
        fill_combo(self.rule, [(None, _(ANY_RULE)), *c.rules])
        self.clear_button.setText(_("Clear filters"))

    def value(self) -> LedgerFilter:
        f = LedgerFilter()
        who = self.person.currentData()
        if who is not None:
            kind, _sep, key = who.partition(":")
            if kind == "person":
                f.person = key
            else:
                f.unit = key
        f.department = self.department.currentData() or ""
        f.month = self.month.currentData() or ""
        if self.status is not None:
            f.status = self.status.currentData() or ""
        f.rule = self.rule.currentData() or ""
        return f

    def select(self, combo: QComboBox, data) -> None:
        """Pick the item carrying ``data`` (tests, and "show this person's entries")."""
        select_data(combo, data)

    def clear(self) -> None:
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._changed()

    def _changed(self, *_args) -> None:
        self.filter_changed.emit(self.value())


class EntryList(QWidget):
    """A filter bar over a list of ledger entries (the Ledger and the Proposals tab); emits
    ``entry_requested(entry_id)`` on double-click or Enter."""

    entry_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None, *, with_status: bool = True,
                 **model_options):
        super().__init__(parent)
        self.session = session
        self.texts = Texts()
        self.filter_bar = LedgerFilterBar(session, self, with_status=with_status)
        self.model = LedgerModel(session, self, **model_options)
        self.table = ListTable(self)
        self.table.setModel(self.model)
        self.filter_bar.filter_changed.connect(self.model.set_filter)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_current.connect(lambda: self._open_index(self.table.currentIndex()))

    def set_widths(self, widths: dict[str, int]) -> None:
        header = self.table.horizontalHeader()
        for column, key in enumerate(COLUMN_KEYS):
            header.resizeSection(column, widths[key])

    def retranslate(self) -> None:
        self.texts.apply()
        self.filter_bar.retranslate()
        self.model.retranslate()

    def reload(self, choices=None) -> None:
        self.filter_bar.load_choices(choices)
        self.model.set_filter(self.filter_bar.value())

    def _open_index(self, index: QModelIndex) -> None:
        entry_id = self.model.item_id(index.row()) if index.isValid() else None
        if entry_id is not None:
            self.entry_requested.emit(entry_id)


class LedgerTab(EntryList):
    """Every entry the user may see, sorted as they choose; ``propose_requested`` when a
    manager asks for a new entry, ``scan_requested`` to look for missed time limits."""

    propose_requested = Signal()
    scan_requested = Signal()

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        header = self.table.horizontalHeader()
        header.setSortIndicatorShown(True)
        self.header_memory = HeaderMemory(header, LEDGER_HEADER)
        if not self.header_memory.restore():
            self.set_widths(_WIDTHS)
            header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        if not self.model.set_sort(header.sortIndicatorSection(), header.sortIndicatorOrder()):
            header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.header_memory.watch()
        self.count_label = QLabel()
        self.message = InlineError(self)
        self.new_button = self.texts.button(N_("New entry…"), self.propose_requested.emit, tip=N_(
            "Propose a fine or a reward by hand; it waits for approval like the program's "
            "proposals."))
        self.new_button.setVisible(has_role(session.user, "manager", "owner"))
        self.scan_button = self.texts.button(
            N_("Look for missed time limits"), self.scan_requested.emit, tip=N_(
                "Propose an entry for every time limit a rule covers that was missed; a miss is "
                "never proposed twice."))
        vbox(self.filter_bar, self.message, (self.table, 1),
             hbox((self.count_label, 1), self.scan_button, self.new_button, tight=True),
             parent=self)

        header.sortIndicatorChanged.connect(self._on_sort)
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.rowsInserted):
            signal.connect(self._update_count)

    def retranslate(self) -> None:
        super().retranslate()
        self._update_count()

    def _on_sort(self, section: int, order: Qt.SortOrder) -> None:
        if self.model.sortable(section):
            self.model.sort(section, order)
        else:  # SQL cannot sort by it: put the indicator back on the key in use
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(), self.model.sort_order())
            header.blockSignals(False)

    def _update_count(self, *_args) -> None:
        total = self.model.total
        self.count_label.setText(ngettext("{n} entry", "{n} entries", total).format(
            n=format_number(total)))
