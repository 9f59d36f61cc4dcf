"""Merge into…: close this complaint as a duplicate of an open one (docs/rules.md, Merging
duplicates). The path's ``merge`` step, taken by ``services.complaints.merge``, which names the
original; the complaint window opens this dialog for that step (action_dialogs.dialog_for)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from services.complaints import STATE_NAMES, merge, repeat_suggestions, resolve_number
from services.complaints import register as complaints
from services.errors import DomainError
from services.i18n import N_, _, format_datetime
from ui.widgets.debounce import SEARCH_MS, Debouncer
from ui.widgets.fields import TextEdit
from ui.widgets.form_dialog import FormDialog


class MergeDialog(FormDialog):
    """The original's ticket number (the same complainant's earlier open complaint is
    proposed), a line saying which complaint that is, and the reason."""

    title = N_("Merge into another complaint")
    save_text = N_("&Merge")

    def __init__(self, session, detail, action: str = "merge", parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = merge
        self.detail = detail
        self.complaint = detail.complaint
        self.action = action
        self.about = self.note_row()
        self.into = self.field("into", N_("Original complaint (ticket no.)"), QLineEdit(),
                               required=True)
        self.into.setObjectName("merge_into")
        self.target = QLabel()
        self.target.setWordWrap(True)
        self.form.addRow("", self.target)
        self.reason = self.field("reason", N_("Reason"), TextEdit(height=60))
        self._typing = Debouncer(SEARCH_MS, self.show_target, self)
        self.into.textChanged.connect(self._typing.trigger)
        try:
            proposed = repeat_suggestions(self.complaint.id, actor=session.user)
        except DomainError:
            proposed = []
        if proposed:
            self.into.setText(proposed[0].ticket)
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(f"{_(self.title)} — {self.complaint.ticket}")
        self.about.setText(_("{ticket} will be closed as a duplicate: its timeline and "
                             "attachments are copied to the original, and its number will "
                             "open the original.").format(ticket=self.complaint.ticket))
        self.into.setPlaceholderText(_("e.g. {ticket}").format(ticket=self.complaint.ticket))
        self.show_target()

    def show_target(self) -> None:
        """Which complaint the number names (read only, as typed)."""
        self._typing.cancel()
        text = self.into.text().strip()
        if not text:
            self.target.setText("")
            return
        try:
            found = complaints.find(resolve_number(text), actor=self.session.user)
        except DomainError as err:
            self.target.setText(err.message())
            return
        state = _(STATE_NAMES[found.state]) if found.state in STATE_NAMES else found.state
        self.target.setText(_("{ticket}, received {time}: {name}, {state}").format(
            ticket=found.ticket, time=format_datetime(found.received_at),
            name=found.complainant_name, state=state))

    def kwargs(self) -> dict:
        return dict(duplicate_key=self.complaint.id, original_key=self.into.text(),
                    reason=self.reason.toPlainText())
