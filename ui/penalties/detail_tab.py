"""The Entry tab: one ledger entry with its status history, its complaint and the time limit
it names, and what may be done with it now (decide, record the deduction, reverse)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHeaderView, QLabel, QLineEdit, QWidget

from services import clock, penalties
from services.errors import DomainError
from services.i18n import N_, _, format_datetime
from ui.penalties.common import (
    THE_PROGRAM,
    confirm,
    entry_amount,
    money,
    range_text,
    status_name,
)
from ui.penalties.documents import PenaltyDocuments
from ui.tasks import run_service
from ui.widgets.inline import InfoLine, InlineError
from ui.widgets.layouts import STRETCH, group, hbox, panel, vbox
from ui.widgets.tables import fill_table, small_table
from ui.widgets.texts import Texts

FIELDS = (
    ("person", N_("Person or unit")), ("department", N_("Department")), ("rule", N_("Rule")),
    ("amount", N_("Amount")), ("status", N_("Status")), ("month", N_("Month")),
    ("reason", N_("Reason")), ("proposed", N_("Proposed at")), ("complaint", N_("Complaint")),
    ("clock", N_("Time limit")), ("link", N_("Correction")),
)
REVERSE_TIP = N_("Correct this entry by a new entry of the opposite amount; the entry itself "
                 "never changes.")
HISTORY = (N_("Date"), N_("Status"), N_("By"), N_("Amount"), N_("Month"), N_("Note"))


class EntryTab(QWidget):
    """Shows ``show_entry(entry_id)``. Emits ``open_complaint_requested(complaint_id)`` and
    ``entry_requested(entry_id)`` (to follow a reversal)."""

    open_complaint_requested = Signal(int)
    entry_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.detail = None
        self._link: int | None = None
        self.texts = Texts()
        self.empty = self.texts.label(N_("Double-click an entry in the ledger or the proposals "
                                         "to see it here."))
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.open_button = self.texts.button(N_("Open complaint"), self._open_complaint)
        self.link_button = self.texts.button("", self._follow_link)  # names the entry it shows
        beside = {"complaint": self.open_button, "link": self.link_button}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        for key, label in FIELDS:
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            name = QLabel()
            self.texts.add(name.setText, label, ":")
            self.form.addRow(name, hbox(value, beside[key], STRETCH) if key in beside else value)
        self.history = small_table(len(HISTORY))
        self.history.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.history.setMaximumHeight(170)
        self.history_box = group(self.history)
        self.texts.add(self.history_box.setTitle, N_("History"))

        self.note = QLineEdit()
        self.texts.add(self.note.setPlaceholderText,
                       N_("Note; the reason when rejecting or reversing"))
        self.payroll_month = QLineEdit()
        self.payroll_month.setInputMask("9999-99")
        self.payroll_month.setMaximumWidth(90)
        self.month_label = self.texts.label(N_("Payroll month:"))
        self.approve_button = self.texts.button(N_("Approve"), self.approve)
        self.reject_button = self.texts.button(N_("Reject"), self.reject)
        self.deduct_button = self.texts.button(N_("Record as deducted"), self.deduct)
        self.reverse_button = self.texts.button(N_("Reverse…"), self.reverse, tip=REVERSE_TIP)
        # a manager's refusal (only the owner decides, docs/rules.md §7), beside the disabled
        # buttons: the sentence the service gives when asked anyway
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.actions_box = group(self.refusal, self.note, hbox(
            self.approve_button, self.reject_button, STRETCH, self.month_label,
            self.payroll_month, self.deduct_button, 16, self.reverse_button))
        self.texts.add(self.actions_box.setTitle, N_("What may be done now"))
        self.notice_button = self.texts.button(N_("Penalty notice…"), self.print_notice, tip=N_(
            "The notice of this entry in the firm's document language: preview, print or save "
            "it as PDF"))
        self.notice_button.setEnabled(False)
        self.error = InlineError()
        self.info = InfoLine()
        self.documents = PenaltyDocuments(session, self, self.error, self.info)

        self.body = panel(hbox((self.title, 1), self.notice_button), self.form,
                          self.history_box, self.actions_box, self.error, self.info, STRETCH)
        vbox(self.empty, self.body, parent=self)
        self.body.setVisible(False)

    # --- showing ----------------------------------------------------------------------

    def show_entry(self, entry_id: int) -> None:
        """Read and show one entry (errors inline: it may have become invisible)."""
        self.error.clear()
        self.info.clear()
        self._read(entry_id)

    def _read(self, entry_id: int) -> None:
        try:
            self.detail = penalties.entry_detail(self.session.user, entry_id)
        except DomainError as err:
            self.detail = None
            self.notice_button.setEnabled(False)
            self.body.setVisible(False)
            self.empty.setVisible(True)
            self.empty.setText(err.message())
            return
        self.payroll_month.setText(penalties.month_of(clock.now()))
        self.note.clear()
        self._fill()

    def refresh(self) -> None:
        """Read the entry shown again, keeping what was said about it."""
        if self.detail is not None:
            self._read(self.detail.row.id)

    def retranslate(self) -> None:
        self.texts.apply()
        self.history.setHorizontalHeaderLabels([_(h) for h in HISTORY])
        self.error.retranslate()
        self.info.retranslate()
        if self.detail is not None:
            self.refresh()

    def _fill(self) -> None:
        d = self.detail
        r = d.row
        self.empty.setVisible(False)
        self.body.setVisible(True)
        self.notice_button.setEnabled(True)
        kind = _("Reward") if r.reward and r.reverses is None else _("Entry")
        self.title.setText(_("{kind} no. {id} — {status}").format(
            kind=kind, id=r.id, status=status_name(r.status)))
        v = self.values
        v["person"].setText(r.person + (f" ({r.login})" if r.login else ""))
        v["department"].setText(r.department or "—")
        v["rule"].setText(_("{rule} ({range})").format(
            rule=r.rule_name, range=range_text(d.rule.min_amount, d.rule.max_amount,
                                               d.rule.plus_loss)))
        amount = entry_amount(r.amount, r.reward)
        if r.loss:
            amount = _("{amount} plus the loss {loss} = {total}").format(
                amount=amount, loss=money(r.loss), total=money(r.total))
        v["amount"].setText(amount)
        v["status"].setText(status_name(r.status))
        v["month"].setText(r.month)
        v["reason"].setText(r.reason)
        v["proposed"].setText(_("{when} by {who}").format(
            when=format_datetime(r.proposed_at), who=r.proposed_by or _(THE_PROGRAM)))
        v["complaint"].setText(r.ticket or "—")
        self.open_button.setVisible(bool(r.ticket))
        self.open_button.setEnabled(d.complaint_visible)
        self.open_button.setToolTip("" if d.complaint_visible else _(
            "This complaint is confidential for you: only the people involved, and "
            "managers, may open it (recusal applies)."))
        if d.clock is None:
            v["clock"].setText("—")
        else:
            k = d.clock
            done = (format_datetime(k.stopped_at) if k.status == "met"
                    else _("not done yet") if k.status in ("running", "paused")
                    else _("extended only at {time}").format(time=format_datetime(k.stopped_at))
                    if k.status == "extended" else _("cancelled"))
            v["clock"].setText(_("{rule} on {ticket}: due {due}, done {done}").format(
                rule=k.rule_name, ticket=k.ticket, due=format_datetime(k.due_at), done=done))
        if r.reverses is not None:
            v["link"].setText(_("Reverses entry {id}").format(id=r.reverses))
            self._link = r.reverses
        elif r.reversed_by is not None:
            v["link"].setText(_("Reversed by entry {id}").format(id=r.reversed_by))
            self._link = r.reversed_by
        else:
            v["link"].setText("—")
            self._link = None
        self.link_button.setVisible(self._link is not None)
        self.link_button.setText(_("Show entry {id}").format(id=self._link or ""))
        fill_table(self.history, [
            (format_datetime(h.at), status_name(h.status), h.actor or _(THE_PROGRAM),
             money(h.amount + h.loss), h.month, h.note) for h in d.history])
        # A manager sees approval and reversal disabled, with the reason (only the owner).
        refused = _(d.refusal) if d.refusal else ""
        decidable = d.may_decide or (bool(refused) and r.status == "proposed")
        reversible = d.may_reverse or (bool(refused) and r.counted and r.reverses is None
                                       and r.reversed_by is None)
        self.actions_box.setVisible(decidable or d.may_deduct or reversible)
        self.refusal.setText(refused)
        self.refusal.setVisible(bool(refused))
        for button, may, tip in ((self.approve_button, d.may_decide, ""),
                                 (self.reject_button, d.may_decide, ""),
                                 (self.reverse_button, d.may_reverse, _(REVERSE_TIP))):
            button.setEnabled(may)
            button.setToolTip(tip if may else refused)
        self.approve_button.setVisible(decidable)
        self.reject_button.setVisible(decidable)
        for w in (self.month_label, self.payroll_month, self.deduct_button):
            w.setVisible(d.may_deduct)
        self.reverse_button.setVisible(reversible)
        self.note.setEnabled(d.may_decide or d.may_reverse or d.may_deduct)

    # --- commands ---------------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        return confirm(self, title, text)

    def print_notice(self) -> None:
        """The penalty notice of the entry shown, in the preview."""
        if self.detail is None:
            return
        self.documents.notice(self.detail.row.id)

    def _open_complaint(self) -> None:
        if self.detail is not None and self.detail.row.complaint_id is not None:
            self.open_complaint_requested.emit(self.detail.row.complaint_id)

    def _follow_link(self) -> None:
        if self._link is not None:
            self.entry_requested.emit(self._link)

    def _run(self, fn, message: str, **kwargs) -> None:
        self.error.clear()
        self.info.clear()
        entry_id = self.detail.row.id

        def done(result) -> None:
            self.show_entry(entry_id)
            self.info.show_message(message, ids=", ".join(str(i) for i in result.entry_ids))

        run_service(self.session, fn, actor=self.session.user, parent=self, on_done=done,
                    on_domain_error=self.error.show_error, **kwargs)

    def approve(self) -> None:
        if self.detail is None:
            return
        self._run(penalties.approve, N_("Approved."), entry_ids=[self.detail.row.id],
                  note=self.note.text())

    def reject(self) -> None:
        if self.detail is None:
            return
        self._run(penalties.reject, N_("Rejected."), entry_ids=[self.detail.row.id],
                  note=self.note.text())

    def deduct(self) -> None:
        if self.detail is None:
            return
        self._run(penalties.mark_deducted, N_("Recorded as deducted."),
                  entry_ids=[self.detail.row.id], payroll_month=self.payroll_month.text())

    def reverse(self) -> None:
        if self.detail is None:
            return
        if not self.note.text().strip():
            self.error.show_message(N_("Give the reason for the reversal in the note."))
            self.note.setFocus()
            return
        r = self.detail.row
        if not self.confirm(_("Reverse"), _(
                "Record entry {id} reversed ({amount} back) in {month}?").format(
                id=r.id, amount=money(-r.total), month=penalties.month_of(clock.now()))):
            return
        self._run(penalties.reverse, N_("Recorded the reversing entry {ids}."),
                  entry_id=r.id, reason=self.note.text())
