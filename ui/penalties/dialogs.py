"""Small forms of the ledger: a new entry by hand (a fine or a reward), and a rule's terms.
Each Save is one service call; its errors stay in the dialog next to their field."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from services import penalties, settings
from services.i18n import N_, _
from services.penalties import APPLIES_TO, CONDITIONS, TRIGGERS
from services.penalties import rules as penalty_rules
from services.people import users
from ui.penalties.common import (
    LEDGER_CHANGED,
    applies_to_name,
    condition_name,
    range_text,
    trigger_name,
)
from ui.widgets.fields import DATE_FORMAT, DateEdit, MoneyEdit
from ui.widgets.form_dialog import FormDialog


class ProposeDialog(FormDialog):
    """A fine or a reward entered by hand; it waits for approval (docs/rules.md)."""

    title = N_("New ledger entry")  # the ChangeResult says what changed

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = penalties.propose
        self.rules = penalty_rules.rules(include_inactive=False)
        self.rule = QComboBox()
        self.range_label = QLabel()
        rule_box = QVBoxLayout()
        rule_box.addWidget(self.rule)
        rule_box.addWidget(self.range_label)
        self.person = QComboBox()
        me = session.user.id
        for u in users.list_users():
            if u.id != me:  # recusal: nobody proposes about themselves
                self.person.addItem(f"{u.name} ({u.login})", u.login)
        self.unit = QLineEdit()
        self.amount = MoneyEdit(negative=True)
        self.loss = MoneyEdit()
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(70)
        self.complaint = QLineEdit()
        self.field("rule", N_("Rule"), rule_box, suffix=":")
        self.field("person", N_("Person"), self.person, suffix=":")
        self.field("unit", N_("Dealer or store"), self.unit, suffix=":")
        self.field("amount", N_("Amount"), self.amount, suffix=":")
        self.field("loss", N_("Loss added"), self.loss, suffix=":")
        self.field("reason", N_("Reason"), self.reason, suffix=":")
        self.field("complaint", N_("Complaint (ticket no.)"), self.complaint, suffix=":")
        self.errors.register("rule", self.rule)
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.retranslate()
        self.resize(560, self.sizeHint().height())

    def retranslate(self) -> None:
        super().retranslate()
        current = self.rule.currentIndex()
        self.rule.blockSignals(True)
        self.rule.clear()
        for r in self.rules:
            self.rule.addItem(r.name, r.code)
        self.rule.setCurrentIndex(max(0, current))
        self.rule.blockSignals(False)
        self.unit.setPlaceholderText(_("e.g. the dealer's name"))
        self.complaint.setPlaceholderText(_("optional"))
        self._rule_changed()

    def _current_rule(self):
        index = self.rule.currentIndex()
        return self.rules[index] if 0 <= index < len(self.rules) else None

    def _rule_changed(self, *_args) -> None:
        r = self._current_rule()
        if r is None:
            return
        self.range_label.setText(_("{applies}; {range}").format(
            applies=applies_to_name(r.applies_to),
            range=range_text(r.min_amount, r.max_amount, r.plus_loss)))
        self.person.setEnabled(not r.for_unit)
        self.unit.setEnabled(r.for_unit)
        self.loss.setEnabled(r.plus_loss)
        self.amount.setEnabled(not r.fixed)
        self.amount.setText(f"{r.default_amount:.2f}")

    def kwargs(self) -> dict | None:
        r = self._current_rule()
        if r is None:  # no rule in use: nothing to propose by
            return None
        return dict(rule_code=r.code,
                    person="" if r.for_unit else (self.person.currentData() or ""),
                    unit=self.unit.text() if r.for_unit else "",
                    amount=self.amount.amount_text(),
                    loss=self.loss.amount_text() if r.plus_loss else None,
                    reason=self.reason.toPlainText(),
                    complaint=self.complaint.text().strip() or None)


class PenaltyRuleDialog(FormDialog):
    """A penalty rule's terms (the owner's, docs/rules.md); entries already made keep their
    amounts."""

    changes = LEDGER_CHANGED

    def __init__(self, session, rule=None, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = penalty_rules.save_rule
        self.title = N_("Edit rule") if rule else N_("New rule")
        self.rule = rule
        self.code = QLineEdit(rule.code if rule else "")
        self.code.setReadOnly(rule is not None)
        self.name_zh = QLineEdit(rule.name_zh if rule else "")
        self.name_en = QLineEdit(rule.name_en if rule else "")
        self.applies_to = QComboBox()
        self.min_amount = MoneyEdit(negative=True)
        self.max_amount = MoneyEdit(negative=True)
        amounts = QHBoxLayout()
        amounts.addWidget(self.min_amount)
        self.to_label = QLabel()
        amounts.addWidget(self.to_label)
        amounts.addWidget(self.max_amount)
        amounts.addStretch(1)
        self.plus_loss = QCheckBox()
        self.reward = QCheckBox()
        self.trigger = QComboBox()
        self.clock_rules = QListWidget()
        self.clock_rules.setMaximumHeight(130)
        # docs/rules.md §7: what must also have happened ("…complained again"); a rule entered
        # by hand has no condition, so the choice is off for it
        self.condition = QComboBox()
        self.active = QCheckBox()
        self.from_check = QCheckBox()
        self.effective_from = DateEdit()
        self.effective_from.setCalendarPopup(True)
        self.effective_from.setDisplayFormat(DATE_FORMAT)
        self.from_check.toggled.connect(self.effective_from.setEnabled)
        dates = QHBoxLayout()
        dates.addWidget(self.from_check)
        dates.addWidget(self.effective_from)
        dates.addStretch(1)
        for field, label, widget in (
                ("code", N_("Code"), self.code), ("name_zh", N_("Chinese name"), self.name_zh),
                ("name_en", N_("English name"), self.name_en),
                ("applies_to", N_("Applies to"), self.applies_to),
                ("min_amount", N_("Amount (yuan)"), amounts),
                ("plus_loss", N_("Plus the loss"), self.plus_loss),
                ("reward", N_("Reward"), self.reward),
                ("trigger", N_("Proposed on"), self.trigger),
                ("clock_rules", N_("Time limits covered"), self.clock_rules),
                ("condition", N_("Only if"), self.condition),
                ("active", N_("In use"), self.active),
                ("effective_from", N_("Applies from"), dates)):
            self.field(field, label, widget, *(("max_amount",) if field == "min_amount" else ()),
                       suffix=":")
        # The rows that are layouts: a refusal focuses the input it is about.
        for field, widget in (("min_amount", self.min_amount), ("max_amount", self.max_amount),
                              ("effective_from", self.effective_from)):
            self.errors.register(field, widget)
        limits = {r.code: r for r in settings.rules()}
        chosen = set(rule.clock_rules) if rule else set()
        for code, info in limits.items():
            item = QListWidgetItem(info.name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen
                               else Qt.CheckState.Unchecked)
            self.clock_rules.addItem(item)
        if rule is not None:
            self.min_amount.setText(f"{rule.min_amount:.2f}")
            self.max_amount.setText(f"{rule.max_amount:.2f}")
            self.plus_loss.setChecked(rule.plus_loss)
            self.reward.setChecked(rule.reward)
            self.active.setChecked(rule.active)
            if rule.effective_from is not None:
                self.from_check.setChecked(True)
                self.effective_from.setDate(QDate(rule.effective_from.year,
                                                  rule.effective_from.month,
                                                  rule.effective_from.day))
        else:
            self.active.setChecked(True)
        self.effective_from.setEnabled(self.from_check.isChecked())
        self.trigger.currentIndexChanged.connect(self._trigger_changed)
        self.retranslate()
        self.resize(620, self.sizeHint().height())

    def _trigger_changed(self, *_args) -> None:
        self.condition.setEnabled(self.trigger.currentData() != "manual")

    def retranslate(self) -> None:
        super().retranslate()
        self.to_label.setText(_("to"))
        self.plus_loss.setText(_("the loss is added to the amount"))
        self.reward.setText(_("a reward: negative amounts lower the balance"))
        self.active.setText(_("proposals and new entries may use this rule"))
        self.from_check.setText(_("only misses from"))
        for combo, codes, names, attr in (
                (self.applies_to, APPLIES_TO, applies_to_name, "applies_to"),
                (self.trigger, TRIGGERS, trigger_name, "trigger"),
                (self.condition, CONDITIONS, condition_name, "condition")):
            filled = combo.count() > 0
            current = combo.currentData() if filled else getattr(self.rule, attr, None)
            combo.blockSignals(True)
            combo.clear()
            for code in codes:
                combo.addItem(names(code), code)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)
        self._trigger_changed()

    def kwargs(self) -> dict:
        clock_rules = [self.clock_rules.item(i).data(Qt.ItemDataRole.UserRole)
                       for i in range(self.clock_rules.count())
                       if self.clock_rules.item(i).checkState() == Qt.CheckState.Checked]
        return dict(code=self.code.text(), name_zh=self.name_zh.text(),
                    name_en=self.name_en.text(), applies_to=self.applies_to.currentData(),
                    min_amount=self.min_amount.amount_text(),
                    max_amount=self.max_amount.amount_text(),
                    plus_loss=self.plus_loss.isChecked(), reward=self.reward.isChecked(),
                    clock_rules=clock_rules, trigger=self.trigger.currentData(),
                    condition=self.condition.currentData() if self.condition.isEnabled()
                    else "",
                    active=self.active.isChecked(),
                    effective_from=self.effective_from.date().toPython()
                    if self.from_check.isChecked() else None)
