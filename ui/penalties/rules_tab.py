"""The Rules tab: the firm's reward-and-penalty rules (docs/rules.md presets, editable by the
owner); everyone else reads them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.i18n import N_, _, format_date
from services.penalties import rules as penalty_rules
from services.people import has_role
from ui.penalties.common import applies_to_name, condition_name, range_text, trigger_name
from ui.widgets.tables import small_table

HEADERS = (N_("Rule"), N_("Applies to"), N_("Amount"), N_("Proposed on"), N_("Only if"),
           N_("In use"), N_("Applies from"))
CODE_ROLE = Qt.ItemDataRole.UserRole


class RulesTab(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.may_edit = has_role(session.user, "owner")
        self.rules: list = []
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = small_table(len(HEADERS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((330, 240, 210, 300, 260, 70)):
            header.resizeSection(column, width)
        self.edit_button = QPushButton()
        self.new_button = QPushButton()
        for b in (self.edit_button, self.new_button):
            b.setVisible(self.may_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.edit_button.clicked.connect(self.edit_current)
        self.new_button.clicked.connect(lambda: self.edit(None))
        self.table.doubleClicked.connect(lambda _i: self.edit_current())

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.note.setText(_("Amounts in yuan per occurrence; a reward is negative. Entries "
                            "already made keep their amounts when a rule changes.")
                          + ("" if self.may_edit else " " + _("Only the owner changes the "
                                                              "rules.")))
        self.edit_button.setText(_("Edit…"))
        self.new_button.setText(_("New rule…"))
        self._fill()

    def reload(self) -> None:
        self.rules = penalty_rules.rules()
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rules))
        limits = None
        for row, r in enumerate(self.rules):
            if r.trigger == "missed_clock":
                if limits is None:
                    from services import settings

                    limits = {x.code: x.name for x in settings.rules()}
                proposed = _("{trigger}: {limits}").format(
                    trigger=trigger_name(r.trigger),
                    limits=", ".join(limits.get(c, c) for c in r.clock_rules))
            else:
                proposed = trigger_name(r.trigger)
            cells = (r.name, applies_to_name(r.applies_to),
                     range_text(r.min_amount, r.max_amount, r.plus_loss), proposed,
                     condition_name(r.condition) if r.trigger != "manual" else "—",
                     _("yes") if r.active else _("no"),
                     format_date(r.effective_from) if r.effective_from else _("always"))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(CODE_ROLE, r.code)
                item.setToolTip(text)
                self.table.setItem(row, column, item)

    def edit_current(self) -> None:
        row = self.table.currentRow()
        if self.may_edit and 0 <= row < len(self.rules):
            self.edit(self.rules[row])

    def edit(self, rule):
        """The rule's dialog (a new rule when ``rule`` is None); a save tells the session, and
        the section reads the tabs again."""
        if not self.may_edit:
            return None
        from ui.penalties.dialogs import PenaltyRuleDialog

        dialog = PenaltyRuleDialog(self.session, rule, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog
