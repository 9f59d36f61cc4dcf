"""The register's filter bar: text search, kind, category, state, handler, dates, overdue."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services import settings
from services.complaints import STATE_NAMES, STATES, ComplaintFilter
from services.firm import KIND_NAMES, KINDS
from services.i18n import N_, _
from services.people import users
from ui.widgets.debounce import SEARCH_MS, Debouncer
from ui.widgets.fields import DateEdit

# Who may be given a complaint (docs/rules.md).
HANDLER_ROLES = {"handler", "head", "manager", "owner"}

# Each combo of the bar, by its attribute: its first item (no filter) and its tooltip.
COMBOS = {
    "kind": (N_("All kinds"), N_("Kind of complaint")),
    "category": (N_("All categories"), N_("Category")),
    "state": (N_("All states"), N_("State")),
    "handler": (N_("Any handler"), N_("Handler")),
}
# The state filter offers these groups of states before the states themselves.
STATE_GROUPS = (("open", N_("Open")), ("closed", N_("Closed")))
INACTIVE = N_("{name} (inactive)")


class FilterBar(QWidget):
    """Collects a ComplaintFilter; emits it whenever the user changes something."""

    filter_changed = Signal(object)  # ComplaintFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.kind = QComboBox()
        self.category = QComboBox()
        self.state = QComboBox()
        self.handler = QComboBox()
        for combo in self.combos():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.from_check = QCheckBox()
        self.from_date = DateEdit()
        self.to_check = QCheckBox()
        self.to_date = DateEdit()
        today = QDate.currentDate()
        for check, edit, start in ((self.from_check, self.from_date, today.addMonths(-1)),
                                   (self.to_check, self.to_date, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")  # as every date in the register
            edit.setDate(start)
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
        self.overdue = QCheckBox()
        self.clear_button = QPushButton()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search, 3)
        for combo in self.combos():
            top.addWidget(combo)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        for widget in (self.from_check, self.from_date, self.to_check, self.to_date):
            bottom.addWidget(widget)
        bottom.addSpacing(12)
        bottom.addWidget(self.overdue)
        bottom.addStretch(1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self._typing = Debouncer(SEARCH_MS, self._emit, self)
        self.search.textChanged.connect(self._typing.trigger)
        self.search.returnPressed.connect(self._emit)
        for combo in self.combos():
            combo.currentIndexChanged.connect(self._emit)
        for check in (self.from_check, self.to_check, self.overdue):
            check.toggled.connect(self._emit)
        for edit, check in ((self.from_date, self.from_check), (self.to_date, self.to_check)):
            edit.dateChanged.connect(lambda _d, c=check: c.isChecked() and self._emit())
        self.clear_button.clicked.connect(self.clear)

        self._last = ComplaintFilter()  # what the register shows when it opens
        self._fill_fixed_choices()
        self.retranslate()

    # --- choices ------------------------------------------------------------------------

    def combos(self) -> list[QComboBox]:
        return [getattr(self, name) for name in COMBOS]

    def _fill_fixed_choices(self) -> None:
        self.kind.addItem("", "")
        for kind in KINDS:
            self.kind.addItem("", kind)
        self.state.addItem("", "")
        for code, _name in STATE_GROUPS:
            self.state.addItem("", code)
        self.state.insertSeparator(self.state.count())
        for state in STATES:
            self.state.addItem("", state)

    def reload_choices(self) -> None:
        """Categories and staff come from the database: read them again (after Settings)."""
        with _Quiet(self.category, self.handler):
            keep_category = self.category.currentData() or ""
            keep_handler = self.handler.currentData() or ""
            self.category.clear()
            self.category.addItem("", "")
            for c in settings.categories(include_inactive=True):
                name = c.name if c.active else _(INACTIVE).format(name=c.name)
                self.category.addItem(name, c.code)
            self.handler.clear()
            self.handler.addItem("", "")
            for u in users.list_users(active_only=False):
                if HANDLER_ROLES & set(u.roles):
                    name = u.name if u.active else _(INACTIVE).format(name=u.name)
                    self.handler.addItem(name, u.login)
            for combo, (first, _tip) in zip(self.combos(), COMBOS.values(), strict=True):
                combo.setItemText(0, _(first))
            self.category.setCurrentIndex(max(0, self.category.findData(keep_category)))
            self.handler.setCurrentIndex(max(0, self.handler.findData(keep_handler)))
        if self.current_filter() != self._last:
            self._emit()  # a chosen category or handler is gone

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search ticket no., name, phone, contract no., text…"))
        self.search.setToolTip(_("Search the register (Ctrl+F)"))
        for i, kind in enumerate(KINDS, start=1):
            self.kind.setItemText(i, _(KIND_NAMES[kind]))
        for i, (_code, name) in enumerate(STATE_GROUPS, start=1):
            self.state.setItemText(i, _(name))
        for i in range(self.state.count()):
            code = self.state.itemData(i)
            if code in STATE_NAMES:
                self.state.setItemText(i, _(STATE_NAMES[code]))
        for combo, (_first, tip) in zip(self.combos(), COMBOS.values(), strict=True):
            combo.setToolTip(_(tip))
        self.reload_choices()  # category names are per language; names every first item
        self.from_check.setText(_("Received from"))
        self.to_check.setText(_("to"))
        self.overdue.setText(_("Overdue only"))
        self.overdue.setToolTip(_("Only complaints with a time limit that has passed"))
        self.clear_button.setText(_("Clear"))
        self.clear_button.setToolTip(_("Show every complaint again"))

    # --- the filter ---------------------------------------------------------------------

    def current_filter(self) -> ComplaintFilter:
        return ComplaintFilter(
            text=self.search.text().strip(),
            kind=self.kind.currentData() or "",
            category=self.category.currentData() or "",
            state=self.state.currentData() or "",
            handler=self.handler.currentData() or "",
            received_from=(self.from_date.date().toPython() if self.from_check.isChecked()
                           else None),
            received_to=self.to_date.date().toPython() if self.to_check.isChecked() else None,
            overdue_only=self.overdue.isChecked(),
        )

    def is_empty(self) -> bool:
        return self.current_filter() == ComplaintFilter()

    def clear(self) -> None:
        with _Quiet(self.search, self.kind, self.category, self.state, self.handler,
                    self.from_check, self.to_check, self.overdue):
            self.search.clear()
            for combo in self.combos():
                combo.setCurrentIndex(0)
            for check, edit in ((self.from_check, self.from_date),
                                (self.to_check, self.to_date)):
                check.setChecked(False)
                edit.setEnabled(False)
            self.overdue.setChecked(False)
        self._emit()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _emit(self, *_args) -> None:
        self._typing.cancel()
        f = self.current_filter()
        if f == self._last:
            return
        self._last = f
        self.filter_changed.emit(f)


class _Quiet:
    """Block the widgets' signals while the bar sets them itself."""

    def __init__(self, *widgets: QWidget):
        self.widgets = widgets

    def __enter__(self):
        self.states = [w.blockSignals(True) for w in self.widgets]

    def __exit__(self, *exc):
        for w, state in zip(self.widgets, self.states, strict=True):
            w.blockSignals(state)
