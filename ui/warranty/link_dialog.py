"""Link a complaint already registered (at the desk, from the register) to a finished repair, so
it becomes that repair's warranty claim instead of a second complaint (docs/rules.md §6)."""
from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from services import warranty
from services.complaints import STATE_NAMES
from services.errors import DomainError
from services.i18n import N_, _, format_datetime
from services.warranty import RepairRow
from ui.warranty.claim_dialogs import repair_summary
from ui.warranty.common import km_spin, km_value
from ui.widgets.debounce import SEARCH_MS, Debouncer
from ui.widgets.form_dialog import FormDialog
from ui.widgets.tables import fill_table, small_table

HEADERS = (N_("Ticket"), N_("Received"), N_("Complainant"), N_("Phone"), N_("State"),
           N_("What happened"))


class LinkDialog(FormDialog):
    """Choose an open customer complaint (those of the vehicle's owner are listed first; type
    a ticket or phone number to find another) and the odometer reading on the claim."""

    title = N_("Link existing complaint")
    save_text = N_("&Link")

    def __init__(self, session, repair: RepairRow, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = warranty.link_complaint
        self.repair = repair
        self.candidates: list = []
        self.summary = self.note_row()
        self.search = self.field("text", N_("Ticket or phone"), QLineEdit())
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("link_search")
        self._typing = Debouncer(SEARCH_MS, self.find, self)
        self.search.textChanged.connect(self._typing.trigger)
        self.search.returnPressed.connect(self.find)
        self.table = self.field("complaint", N_("Complaint"), small_table(len(HEADERS)),
                                required=True)
        self.table.setObjectName("link_candidates")
        self.table.setMinimumHeight(160)
        self.claim_km = self.field("claim_km", N_("Odometer on the claim"), km_spin(optional=True),
                                   required=True)
        self.errors.register("claim_date", self.claim_km, line_of="claim_km")
        self.setMinimumWidth(720)
        self.retranslate()
        self.find()

    def retranslate(self) -> None:
        super().retranslate()
        self.summary.setText(repair_summary(self.repair))
        self.search.setPlaceholderText(_("Empty: the vehicle owner's open complaints"))
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self._fill()

    def find(self) -> None:
        """List the complaints that fit the search (read only: no worker needed)."""
        self._typing.cancel()
        self.errors.clear()
        try:
            self.candidates = warranty.link_candidates(actor=self.session.user,
                                                       repair_id=self.repair.id,
                                                       text=self.search.text())
        except DomainError as err:
            self.candidates = []
            self.show_error(err)
        self._fill()
        if not self.candidates:
            self.errors.show_text("complaint", lambda: _("No open complaint fits."))

    def _fill(self) -> None:
        fill_table(self.table, [
            (c.ticket, format_datetime(c.received_at), c.complainant_name, c.complainant_phone,
             _(STATE_NAMES[c.state]) if c.state in STATE_NAMES else c.state, c.description)
            for c in self.candidates])
        self.table.resizeColumnsToContents()
        if self.candidates:
            self.table.selectRow(0)

    def chosen(self):
        row = self.table.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def kwargs(self) -> dict | None:
        chosen = self.chosen()
        if chosen is None:
            self.errors.show_text("complaint", lambda: _("Choose the complaint to link."))
            return None
        return dict(repair_id=self.repair.id, complaint=chosen.complaint_id,
                    claim_km=km_value(self.claim_km))
