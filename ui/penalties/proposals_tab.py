"""The Proposals tab: entries waiting for a decision, approved or rejected in bulk
(docs/rules.md §7: 经总经理审批后执行). Only the owner decides, never about themselves; a
manager sees the proposals with approval disabled and the reason beside it. The service
refuses the rest, and this tab says so before anyone tries."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from services import penalties
from services.i18n import N_, _, format_number, ngettext
from services.penalties import LedgerFilter
from services.people import has_role
from ui.penalties.common import confirm, money, range_text
from ui.penalties.ledger_tab import EntryList
from ui.tasks import run_service
from ui.widgets.fields import MoneyEdit
from ui.widgets.form_dialog import FieldErrors
from ui.widgets.layouts import STRETCH, hbox, panel, vbox

_WIDTHS = {"id": 70, "date": 130, "person": 110, "department": 100, "rule": 300,
           "amount": 100, "status": 80, "month": 70, "complaint": 100, "reason": 320}


class ProposalsTab(EntryList):
    """Check entries, then Approve or Reject them together (one transaction: all or none)."""

    def __init__(self, session, parent: QWidget | None = None):
        may_decide = penalties.may_decide(session.user)
        # A manager sees the proposals and may not decide them (the owner does).
        self.senior = has_role(session.user, "manager", "owner")
        # A decider's list holds what they may decide: never entries about themselves.
        super().__init__(session, parent, with_status=False, checkable=may_decide,
                         base=LedgerFilter(status="proposed", not_about=(
                             session.user.id if may_decide else None)))
        self.may_decide = may_decide
        self.intro = self.texts.label(
            N_("Proposals wait for the owner's decision; nobody is fined until an entry is "
               "approved. Check the entries, then approve or reject them together.")
            if may_decide else penalties.OWNER_DECIDES if self.senior
            else N_("Only the owner decides on proposals. You see the ones about you."),
            wrap=True)
        self.set_widths(_WIDTHS)
        self.count_label = QLabel()

        self.all_button = self.texts.button(N_("Check all"),
                                            lambda: self.model.set_all_checked(True))
        self.none_button = self.texts.button(N_("Check none"),
                                             lambda: self.model.set_all_checked(False))
        self.amount = MoneyEdit(negative=True)
        self.texts.add(self.amount.setPlaceholderText, N_("as proposed"))
        self.texts.tip(self.amount, N_("A different amount for every checked entry, inside each "
                                       "one's rule; empty keeps the proposed amounts."))
        self.range_label = QLabel()
        self.loss = MoneyEdit()
        self.texts.add(self.loss.setPlaceholderText, N_("none"))
        self.texts.tip(self.loss, N_("Only for rules that add the loss (media exposure)."))
        self.note = QLineEdit()
        self.texts.add(self.note.setPlaceholderText, N_("Required when rejecting"))
        self.approve_button = self.texts.button(N_("Approve checked"), self.approve_checked)
        self.reject_button = self.texts.button(N_("Reject checked"), self.reject_checked)
        self.errors = FieldErrors()

        self.form = QFormLayout()
        for msgid, field, widget in (
                (N_("Amount:"), "amount", hbox(self.amount, (self.range_label, 1))),
                (N_("Loss added:"), "loss", hbox(self.loss, STRETCH)),
                (N_("Note / reason:"), "note", self.note)):
            self.form.addRow(self.texts.label(msgid), self.errors.wrap(field, widget))
        self.errors.register("amount", self.amount)
        self.errors.register("loss", self.loss)
        self.decision = panel(
            hbox(self.all_button, self.none_button, (self.count_label, 1), tight=True),
            self.form, hbox(STRETCH, self.reject_button, self.approve_button))
        vbox(self.intro, self.filter_bar, (self.table, 1), self.errors.general,
             self.errors.info, self.decision, parent=self)
        # A manager sees the decision's buttons, disabled, with the reason (rules.md §7).
        self.decision.setVisible(self.senior)
        if not self.may_decide:
            for button in (self.approve_button, self.reject_button):
                self.texts.tip(button, penalties.OWNER_DECIDES)
            for widget in (self.all_button, self.none_button, self.note):
                widget.setEnabled(False)

        self.model.checked_changed.connect(self._update_choice)
        for signal in (self.model.modelReset, self.model.layoutChanged, self.model.rowsInserted):
            signal.connect(self._update_choice)

    # --- texts --------------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        self.errors.retranslate()
        self._update_choice()

    # --- choosing -------------------------------------------------------------------------

    def _update_choice(self, *_args) -> None:
        checked = self.model.checked_rows() if self.model.checked else []
        n = len(checked)
        total = self.model.total
        self.count_label.setText(_("{checked} of {total} checked").format(
            checked=format_number(n), total=format_number(total)))
        self.approve_button.setEnabled(self.may_decide and n > 0)
        self.reject_button.setEnabled(self.may_decide and n > 0)
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

    # --- deciding -------------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        return confirm(self, title, text)

    def _checked(self) -> list:
        """The checked entries; when there are none, the tab says so."""
        self.errors.clear()
        rows = self.model.checked_rows()
        if not rows:
            self.errors.show_text(None, lambda: _("Check the entries to decide on."))
        return rows

    def approve_checked(self) -> None:
        rows = self._checked()
        if not rows:
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
                    on_domain_error=self.errors.show)

    def reject_checked(self) -> None:
        rows = self._checked()
        if not rows:
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
                    on_domain_error=self.errors.show)

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
