"""The Proposals tab: entries waiting for a decision, approved or rejected in bulk
(docs/rules.md: 经总经理审批后执行). Only a manager or the owner decides, never about
themselves; the service refuses the rest, and this tab says so before anyone tries."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services import penalties
from services.i18n import _, format_number, ngettext
from services.penalties import LedgerFilter
from services.people import has_role
from ui.penalties.common import LEDGER_CHANGED, confirm, money, range_text
from ui.penalties.ledger_tab import LedgerFilterBar
from ui.penalties.model import COLUMN_KEYS, LedgerModel
from ui.tasks import run_service
from ui.widgets.fields import MoneyEdit
from ui.widgets.form_dialog import FieldErrors
from ui.widgets.tables import ListTable

_WIDTHS = {"id": 70, "date": 130, "person": 110, "department": 100, "rule": 300,
           "amount": 100, "status": 80, "month": 70, "complaint": 100, "reason": 320}


class ProposalsTab(QWidget):
    """Check entries, then Approve or Reject them together (one transaction: all or none)."""

    entry_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.may_decide = has_role(session.user, "manager", "owner")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.filter_bar = LedgerFilterBar(session, self, with_status=False)
        # A decider's list holds what they may decide: never entries about themselves.
        self.model = LedgerModel(session, self, checkable=self.may_decide,
                                 base=LedgerFilter(status="proposed", not_about=(
                                     session.user.id if self.may_decide else None)))
        self.table = ListTable(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column, key in enumerate(COLUMN_KEYS):
            header.resizeSection(column, _WIDTHS[key])
        self.count_label = QLabel()

        self.all_button = QPushButton()
        self.none_button = QPushButton()
        self.amount = MoneyEdit(negative=True)
        self.range_label = QLabel()
        self.loss = MoneyEdit()
        self.note = QLineEdit()
        self.approve_button = QPushButton()
        self.reject_button = QPushButton()
        self.errors = FieldErrors()

        picks = QHBoxLayout()
        picks.setContentsMargins(0, 0, 0, 0)
        picks.addWidget(self.all_button)
        picks.addWidget(self.none_button)
        picks.addWidget(self.count_label, 1)
        self.form = QFormLayout()
        self.form_labels = [QLabel(), QLabel(), QLabel()]
        amount = QHBoxLayout()
        amount.addWidget(self.amount)
        amount.addWidget(self.range_label, 1)
        loss = QHBoxLayout()
        loss.addWidget(self.loss)
        loss.addStretch(1)
        self.form.addRow(self.form_labels[0], self.errors.wrap("amount", amount))
        self.form.addRow(self.form_labels[1], self.errors.wrap("loss", loss))
        self.form.addRow(self.form_labels[2], self.errors.wrap("note", self.note))
        self.errors.register("amount", self.amount)
        self.errors.register("loss", self.loss)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.reject_button)
        buttons.addWidget(self.approve_button)
        self.decision = QWidget()
        decision = QVBoxLayout(self.decision)
        decision.setContentsMargins(0, 0, 0, 0)
        decision.addLayout(picks)
        decision.addLayout(self.form)
        decision.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.errors.info)
        layout.addWidget(self.decision)
        self.decision.setVisible(self.may_decide)

        self.filter_bar.filter_changed.connect(self.model.set_filter)
        self.all_button.clicked.connect(lambda: self.model.set_all_checked(True))
        self.none_button.clicked.connect(lambda: self.model.set_all_checked(False))
        self.approve_button.clicked.connect(self.approve_checked)
        self.reject_button.clicked.connect(self.reject_checked)
        self.model.checked_changed.connect(self._update_choice)
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.rowsInserted):
            signal.connect(self._update_choice)
        self.table.doubleClicked.connect(self._open_index)
        self.table.open_current.connect(lambda: self._open_index(self.table.currentIndex()))

    # --- texts --------------------------------------------------------------------------

    def retranslate(self) -> None:
        if self.may_decide:
            self.intro.setText(_("Proposals wait for a manager's or the owner's decision; "
                                 "nobody is fined until an entry is approved. Check the "
                                 "entries, then approve or reject them together."))
        else:
            self.intro.setText(_("Only a manager or the owner decides on proposals. You see "
                                 "the ones about you."))
        self.filter_bar.retranslate()
        self.model.retranslate()
        self.all_button.setText(_("Check all"))
        self.none_button.setText(_("Check none"))
        for label, text in zip(self.form_labels, (_("Amount:"), _("Loss added:"),
                                                  _("Note / reason:")), strict=True):
            label.setText(text)
        self.amount.setPlaceholderText(_("as proposed"))
        self.amount.setToolTip(_("A different amount for every checked entry, inside each "
                                 "one's rule; empty keeps the proposed amounts."))
        self.loss.setPlaceholderText(_("none"))
        self.loss.setToolTip(_("Only for rules that add the loss (media exposure)."))
        self.note.setPlaceholderText(_("Required when rejecting"))
        self.approve_button.setText(_("Approve checked"))
        self.reject_button.setText(_("Reject checked"))
        self.errors.retranslate()
        self._update_choice()

    def reload(self, choices=None) -> None:
        self.filter_bar.load_choices(choices)
        self.model.set_filter(self.filter_bar.value())

    # --- choosing -------------------------------------------------------------------------

    def _update_choice(self, *_args) -> None:
        checked = self.model.checked_rows() if self.model.checked else []
        n = len(checked)
        total = self.model.total
        self.count_label.setText(_("{checked} of {total} checked").format(
            checked=format_number(n), total=format_number(total)))
        self.approve_button.setEnabled(n > 0)
        self.reject_button.setEnabled(n > 0)
        rules = {(r.rule_code, r.min_amount, r.max_amount, r.plus_loss) for r in checked}
        if len(rules) == 1:
            _code, low, high, plus_loss = next(iter(rules))
            self.range_label.setText(_("Allowed: {range}").format(
                range=range_text(low, high, plus_loss)))
            self.amount.setEnabled(low != high)
            self.loss.setEnabled(plus_loss)
        elif rules:
            self.range_label.setText(_("Several rules: a new amount must fit each one's "
                                       "range."))
            self.amount.setEnabled(True)
            self.loss.setEnabled(any(r[3] for r in rules))
        else:
            self.range_label.setText("")
            self.amount.setEnabled(False)
            self.loss.setEnabled(False)

    def _open_index(self, index: QModelIndex) -> None:
        entry_id = self.model.item_id(index.row()) if index.isValid() else None
        if entry_id is not None:
            self.entry_requested.emit(entry_id)


    # --- deciding -------------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        return confirm(self, title, text)

    def approve_checked(self) -> None:
        self.errors.clear()
        rows = self.model.checked_rows()
        if not rows:
            self.errors.show_text(None, lambda: _("Check the entries to decide on."))
            return
        amount = self.amount.amount_text() if self.amount.isEnabled() else None
        loss = self.loss.amount_text() if self.loss.isEnabled() else None
        total = sum(((Decimal(amount) if amount else r.amount)
                     + (Decimal(loss) if loss else r.loss) for r in rows), Decimal(0))
        question = ngettext("Approve {n} entry, {total} in all?",
                            "Approve {n} entries, {total} in all?", len(rows)).format(
            n=len(rows), total=money(total))
        if not self.confirm(_("Approve"), question):
            return
        ids = [r.id for r in rows]
        run_service(self.session, penalties.approve, actor=self.session.user, entry_ids=ids,
                    amount=amount, loss=loss, note=self.note.text(), parent=self,
                    on_done=lambda result: self._done(result, "approved"),
                    on_domain_error=self.errors.show, changes=LEDGER_CHANGED)

    def reject_checked(self) -> None:
        self.errors.clear()
        rows = self.model.checked_rows()
        if not rows:
            self.errors.show_text(None, lambda: _("Check the entries to decide on."))
            return
        if not self.note.text().strip():
            self.errors.show_text("note", lambda: _("Say why the entries are rejected."))
            return
        question = ngettext("Reject {n} entry?", "Reject {n} entries?", len(rows)).format(
            n=len(rows))
        if not self.confirm(_("Reject"), question):
            return
        run_service(self.session, penalties.reject, actor=self.session.user,
                    entry_ids=[r.id for r in rows], note=self.note.text(), parent=self,
                    on_done=lambda result: self._done(result, "rejected"),
                    on_domain_error=self.errors.show, changes=LEDGER_CHANGED)

    def _done(self, result, what: str) -> None:
        n = len(result.entry_ids)
        if what == "approved":
            self.errors.show_info(lambda: ngettext("Approved {n} entry.",
                                                   "Approved {n} entries.", n).format(n=n))
        else:
            self.errors.show_info(lambda: ngettext("Rejected {n} entry.",
                                                   "Rejected {n} entries.", n).format(n=n))
        self.amount.clear()
        self.loss.clear()
        self.note.clear()
        self.model.checked.clear()  # then the session hears of it: the tabs read again
