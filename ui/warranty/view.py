"""The Warranty screen (docs/rules.md, repair-shop profile): vehicles found by plate, VIN or
owner; the chosen vehicle's finished repairs and warranty claims; and the forms for a new
vehicle, a finished repair, a claim, its quality memo and its decision, and the terms table."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QWidget,
)

from services import warranty
from services.changes import Changes
from services.complaints import STATE_NAMES, TRANSITIONS
from services.errors import DomainError
from services.i18n import N_, _, format_date, format_datetime, format_money, format_number
from services.timelimits import CLOCK_PAUSED
from services.warranty import OUTCOME_NAMES
from ui.warranty.common import class_name, may_record, type_name
from ui.warranty.vehicles_model import VehicleModel
from ui.widgets.debounce import SEARCH_MS, Debouncer
from ui.widgets.freshness import Freshness
from ui.widgets.inline import ERROR_STYLE, WARNING_STYLE
from ui.widgets.layouts import STRETCH, group, hbox, panel, vbox
from ui.widgets.tables import ListTable, fill_table, small_table
from ui.widgets.texts import Texts

IN_COLOUR, OUT_COLOUR = QColor("#1e6b34"), QColor("#b3261e")
REPAIR_HEADERS = (N_("Certificate no."), N_("Repair type"), N_("Completed"), N_("Odometer"),
                  N_("Warranty until"), N_("Amount"), N_("Rework of"))
CLAIM_HEADERS = (N_("Ticket"), N_("Certificate no."), N_("Claim date"), N_("Odometer"),
                 N_("Verdict"), N_("Quality memo"), N_("Decision"), N_("Complaint"))
MEMO_STATUS = {"running": N_("due {due}"), "paused": CLOCK_PAUSED,
               "met": N_("written"), "cancelled": N_("not needed")}


class WarrantyView(QWidget):
    """The section of the main window. ``open_requested`` asks the window to open
    the complaint a claim became (double-click a claim, or its button)."""

    open_requested = Signal(int)

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.texts = Texts()
        self.history = None
        self.dialog = None
        self.fresh = Freshness(self, self.refresh)
        self._build()
        session.changed.connect(self._on_changed)
        self.model.reset()
        self.retranslate()
        self._select_first()
        self._default_widths()

    # --- building ---------------------------------------------------------------------------

    def _button(self, msgid: str, slot) -> QPushButton:
        button = self.texts.button(msgid, slot)
        button.setAutoDefault(False)
        return button

    def _group(self, msgid: str, widget: QWidget, *buttons: QPushButton) -> QGroupBox:
        box = group(hbox(*buttons, STRETCH), widget)
        box.layout().setContentsMargins(6, 6, 6, 6)
        self.texts.add(box.setTitle, msgid)
        return box

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.setObjectName("warranty_search")
        self._typing = Debouncer(SEARCH_MS, self.apply_search, self)
        self.search.textChanged.connect(self._typing.trigger)
        self.search.returnPressed.connect(self.apply_search)
        self.new_vehicle_button = self._button(N_("&New vehicle…"), self.new_vehicle)
        self.edit_vehicle_button = self._button(N_("&Edit vehicle…"), self.edit_vehicle)
        self.terms_button = self._button(N_("Warranty &terms…"), self.open_terms)

        self.model = VehicleModel(self.session, self)
        self.vehicles = ListTable()
        self.vehicles.setObjectName("vehicles")
        self.vehicles.setModel(self.model)
        self.vehicles.selectionModel().currentRowChanged.connect(lambda *_a: self.show_vehicle())
        self.vehicles.doubleClicked.connect(lambda _i: self.edit_vehicle())
        self.vehicles.open_current.connect(self.edit_vehicle)
        self.count_label = QLabel()

        self.vehicle_header = QLabel()
        self.vehicle_header.setTextFormat(Qt.TextFormat.RichText)
        self.vehicle_header.setWordWrap(True)
        self.vehicle_header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

        self.repairs = small_table(len(REPAIR_HEADERS))
        self.repairs.setObjectName("repairs")
        self.claims = small_table(len(CLAIM_HEADERS))
        self.claims.setObjectName("claims")
        self.repair_button = self._button(N_("Finished &repair…"), self.new_repair)
        self.claim_button = self._button(N_("Register &complaint…"), self.new_claim)
        self.link_button = self._button(N_("&Link existing complaint…"), self.link_existing)
        self.question: QMessageBox | None = None  # "this repair has a complaint already"
        self.memo_button = self._button(N_("Quality &memo…"), self.new_memo)
        self.decide_button = self._button(N_("&Decide claim…"), self.decide)
        self.open_button = self._button(N_("&Open complaint"), self.open_complaint)
        self.repairs.itemSelectionChanged.connect(self._update_buttons)
        self.claims.itemSelectionChanged.connect(self._update_buttons)
        self.claims.doubleClicked.connect(lambda _i: self.open_complaint())

        history = QSplitter(Qt.Orientation.Vertical)
        history.addWidget(self._group(N_("Finished repairs"), self.repairs, self.repair_button,
                                      self.claim_button, self.link_button))
        history.addWidget(self._group(N_("Warranty claims"), self.claims, self.memo_button,
                                      self.decide_button, self.open_button))
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(panel((self.vehicles, 1), self.count_label))
        body.addWidget(panel(self.vehicle_header, self.message, (history, 1)))
        body.setStretchFactor(0, 2)
        body.setStretchFactor(1, 3)
        self.splitter = body
        vbox(hbox((self.search, 1), self.new_vehicle_button, self.edit_vehicle_button,
                  self.terms_button), (body, 1), parent=self)

    def _default_widths(self) -> None:
        metrics = self.vehicles.fontMetrics()
        for column, sample in enumerate(("浙AD12345", "LSVAM4187C2184848", "比亚迪秦PLUS",
                                         "Motorcycle", "欧阳晓明", "13800138000")):
            self.vehicles.setColumnWidth(column, metrics.horizontalAdvance(sample) + 18)
        self.splitter.setSizes([560, 840])

    # --- texts ------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.texts.apply()
        self.search.setPlaceholderText(_("Find a vehicle by plate, VIN, owner or phone"))
        self.model.retranslate()
        self.repairs.setHorizontalHeaderLabels([_(h) for h in REPAIR_HEADERS])
        self.claims.setHorizontalHeaderLabels([_(h) for h in CLAIM_HEADERS])
        if not may_record(self.session.user):
            tip = _("Recording needs the role receiver, manager or owner.")
            for b in (self.new_vehicle_button, self.edit_vehicle_button, self.repair_button,
                      self.claim_button, self.link_button, self.decide_button):
                b.setToolTip(tip)
        self._show_count()
        self._show_history()

    def _show_count(self) -> None:
        self.count_label.setText(_("{shown} of {total} vehicles").format(
            shown=self.model.fetched_rows, total=self.model.total))

    # --- the list ---------------------------------------------------------------------------

    def apply_search(self) -> None:
        self._typing.cancel()
        self.model.set_filter(self.search.text())
        self._show_count()
        self._select_first()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.vehicles.currentIndex().isValid():
            self.vehicles.setCurrentIndex(self.model.index(0, 0))
        self.show_vehicle()

    def select_vehicle(self, vehicle_id: int) -> None:
        row = self.model.row_of(vehicle_id)
        if row is not None:
            self.vehicles.setCurrentIndex(self.model.index(row, 0))
        self.show_vehicle()

    def current_vehicle(self):
        index = self.vehicles.currentIndex()
        return self.model.vehicle(index.row()) if index.isValid() else None

    # --- one vehicle's history ------------------------------------------------------------

    def show_vehicle(self) -> None:
        vehicle = self.current_vehicle()
        self.message.hide()
        if vehicle is None:
            self.history = None
        else:
            try:
                self.history = warranty.vehicle_history(actor=self.session.user,
                                                        vehicle_id=vehicle.id)
            except DomainError as err:
                self.history = None
                self.message.setStyleSheet(ERROR_STYLE)
                self.message.setText(err.message())
                self.message.show()
        self._show_history()

    def _show_history(self) -> None:
        h = self.history
        if h is None:
            self.vehicle_header.setText(_("Choose a vehicle on the left, or add one."))
            self.repairs.setRowCount(0)
            self.claims.setRowCount(0)
            self._update_buttons()
            return
        v = h.vehicle
        parts = [f'<span style="font-size:14pt; font-weight:600;">{escape(v.plate)}</span>',
                 escape(v.make_model), class_name(v.vehicle_class)]
        if v.plate_override:
            parts.append(_("foreign or temporary plate"))
        owner = " · ".join(escape(x) for x in (v.owner_name, v.owner_phone, v.owner_address)
                           if x)
        vin = _("VIN {vin}").format(vin=v.vin) if v.vin else _("no VIN recorded")
        owner = _("Vehicle owner: {owner}").format(owner=owner)
        self.vehicle_header.setText("&nbsp;&nbsp;".join(p for p in parts if p)
                                    + f"<br>{owner}<br>{escape(vin)}")
        _fill(self.repairs, [
            (r.certificate_no, type_name(r.repair_type), format_date(r.completed_on),
             f"{format_number(r.completed_km)} km",
             _("{day} / {km} km").format(day=format_date(r.expires_on),
                                         km=format_number(r.expires_at_km)),
             format_money(r.total_amount), r.rework_of_certificate) for r in h.repairs],
            right=(3, 5))
        _fill(self.claims, [self._claim_cells(c) for c in h.claims], right=(3,))
        for row, c in enumerate(h.claims):
            item = self.claims.item(row, 4)
            item.setForeground(IN_COLOUR if c.verdict.in_warranty else OUT_COLOUR)
            item.setToolTip(warranty.describe_verdict(c.verdict))
            if c.memo_status == "running" and c.memo_due is not None:
                self.claims.item(row, 5).setToolTip(format_datetime(c.memo_due))
        self._update_buttons()

    @staticmethod
    def _claim_cells(c) -> tuple[str, ...]:
        verdict = _("In warranty") if c.verdict.in_warranty else _("Out of warranty")
        if c.memo is not None:
            memo = _("shop {shop} % / customer {customer} %").format(
                shop=c.memo.shop_percent, customer=c.memo.customer_percent)
        elif c.memo_status in MEMO_STATUS:
            memo = _(MEMO_STATUS[c.memo_status]).format(
                due=format_datetime(c.memo_due) if c.memo_due else "")
        else:
            memo = ""
        decision = _(OUTCOME_NAMES[c.outcome]) if c.outcome else ""
        if c.outcome == "quote" and c.quote_amount is not None:
            decision += f" {format_money(c.quote_amount)}"
        return (c.ticket, c.certificate_no, format_date(c.claim_date),
                f"{format_number(c.claim_km)} km", verdict, memo, decision,
                _(STATE_NAMES[c.complaint_state]) if c.complaint_state in STATE_NAMES
                else c.complaint_state)

    def current_repair(self):
        row = self.repairs.currentRow()
        if self.history is None or not 0 <= row < len(self.history.repairs):
            return None
        return self.history.repairs[row]

    def current_claim(self):
        row = self.claims.currentRow()
        if self.history is None or not 0 <= row < len(self.history.claims):
            return None
        return self.history.claims[row]

    def _update_buttons(self) -> None:
        recorder = may_record(self.session.user)
        vehicle, repair, claim = self.current_vehicle(), self.current_repair(), \
            self.current_claim()
        self.new_vehicle_button.setEnabled(recorder)
        self.edit_vehicle_button.setEnabled(recorder and vehicle is not None)
        self.repair_button.setEnabled(recorder and vehicle is not None)
        self.claim_button.setEnabled(recorder and repair is not None)
        self.link_button.setEnabled(recorder and repair is not None)
        open_claim = claim is not None and claim.complaint_state not in ("archived",)
        # the path's table says when a memo may be written: in any live state, so a memo
        # after the reply still meets its time limit (docs/rules.md §5)
        self.memo_button.setEnabled(open_claim and claim.complaint_state in
                                    TRANSITIONS["quality_memo"].sources)
        self.decide_button.setEnabled(recorder and open_claim
                                      and claim.outcome in ("", "disputed"))
        self.open_button.setEnabled(claim is not None)

    # --- reacting ---------------------------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.language:
            self.retranslate()
        # Claims show their complaint's state; settings name the people and the categories.
        if changes.warranty or changes.complaints or changes.settings or changes.users:
            self.fresh.changed()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fresh.shown()

    def refresh(self) -> None:
        """Read again, keeping the same vehicle chosen."""
        current = self.current_vehicle()
        self.model.refresh()
        self._show_count()
        if current is not None:
            self.select_vehicle(current.id)
        else:
            self._select_first()

    # --- commands ---------------------------------------------------------------------------

    def _open(self, dialog, on_done=None):
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog

        def finished(_result) -> None:
            self.dialog = None
            if dialog.result_value is not None and on_done is not None:
                on_done(dialog.result_value)

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def new_vehicle(self):
        from ui.warranty.vehicle_dialog import VehicleDialog

        return self._open(VehicleDialog(self.session, parent=self),
                          lambda saved: self._after_vehicle(saved))

    def edit_vehicle(self):
        vehicle = self.current_vehicle()
        if vehicle is None or not may_record(self.session.user):
            return None
        from ui.warranty.vehicle_dialog import VehicleDialog

        return self._open(VehicleDialog(self.session, vehicle, parent=self),
                          lambda saved: self._after_vehicle(saved))

    def _after_vehicle(self, saved) -> None:
        self.refresh()
        self.select_vehicle(saved.vehicle.id)
        if saved.warnings:
            self.message.setStyleSheet(WARNING_STYLE)
            self.message.setText("\n".join(saved.warnings))
            self.message.show()

    def _open_on(self, chosen, dialog_class, *more):
        """``dialog_class`` about the ``chosen`` vehicle, repair or claim; none chosen, none
        opens."""
        if chosen is None:
            return None
        return self._open(dialog_class(self.session, chosen, *more, parent=self))

    def new_repair(self):
        from ui.warranty.repair_form import RepairDialog

        return self._open_on(self.current_vehicle(), RepairDialog)

    def new_claim(self):
        """Register a complaint from the chosen repair, prefilled with its owner, vehicle and
        certificate. If the repair has an open complaint already, or its owner has open
        complaints not linked to a repair, ask first (open it / link one / register anyway):
        the same matter is not registered twice."""
        repair = self.current_repair()
        if repair is None:
            return None
        user = self.session.user
        try:
            existing = warranty.open_complaint_of_repair(actor=user, repair_id=repair.id)
            unlinked = [] if existing else warranty.link_candidates(actor=user,
                                                                    repair_id=repair.id)
        except DomainError as err:
            self._say(err.message())
            return None
        if existing is not None:
            return self._ask(
                _("Certificate {certificate} already has an open complaint, {ticket}. Open "
                  "it, or register another complaint about this repair?").format(
                    certificate=repair.certificate_no, ticket=existing.ticket),
                (_("&Open {ticket}").format(ticket=existing.ticket),
                 lambda: self.open_requested.emit(existing.complaint_id)),
                (_("Register &another"), lambda: self._claim_dialog(repair, another=True)))
        if unlinked:
            return self._ask(
                _("{owner} has an open complaint not linked to a repair yet, {ticket}. Link "
                  "it to this repair instead of registering a new one?").format(
                    owner=unlinked[0].complainant_name, ticket=unlinked[0].ticket),
                (_("&Link existing…"), self.link_existing),
                (_("Register &new"), lambda: self._claim_dialog(repair)))
        return self._claim_dialog(repair)

    def _owner_text(self) -> str:
        v = self.history.vehicle if self.history is not None else None
        return " · ".join(x for x in (v.owner_name, v.owner_phone) if x) if v else ""

    def _claim_dialog(self, repair, *, another: bool = False):
        from ui.warranty.claim_dialogs import ClaimDialog

        return self._open(ClaimDialog(self.session, repair, parent=self, another=another,
                                      owner=self._owner_text()))

    def _ask(self, text: str, *choices):
        """A window-modal question with ``choices`` (label, what to do) and Cancel; not
        blocking, so the screen (and a test) goes on while it is open."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Warranty"), text,
                          QMessageBox.StandardButton.Cancel, self)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        actions = {}
        for label, then in choices:
            actions[box.addButton(label, QMessageBox.ButtonRole.AcceptRole)] = then
        box.setDefaultButton(next(iter(actions)))

        def clicked(button) -> None:
            self.question = None
            then = actions.get(button)
            if then is not None:
                then()

        box.buttonClicked.connect(clicked)
        box.rejected.connect(lambda: setattr(self, "question", None))
        self.question = box
        box.open()
        return box

    def _say(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message.show()

    def link_existing(self):
        """Link a complaint registered elsewhere to the chosen repair (it becomes the claim)."""
        from ui.warranty.link_dialog import LinkDialog

        return self._open_on(self.current_repair(), LinkDialog)

    def new_memo(self):
        from ui.warranty.claim_dialogs import MemoDialog

        return self._open_on(self.current_claim(), MemoDialog)

    def decide(self):
        from ui.warranty.claim_dialogs import DecisionDialog

        claim = self.current_claim()
        repair = claim and next(r for r in self.history.repairs if r.id == claim.repair_id)
        return self._open_on(claim, DecisionDialog, repair)

    def open_terms(self):
        from ui.warranty.terms_dialog import TermsDialog

        dialog = TermsDialog(self.session, parent=self)
        dialog.result_value = None
        return self._open(dialog)

    def open_complaint(self) -> None:
        claim = self.current_claim()
        if claim is not None:
            self.open_requested.emit(claim.complaint_id)


def _fill(table: QTableWidget, rows, *, right=()) -> None:
    fill_table(table, rows, right=right)
    table.resizeColumnsToContents()
    if rows:
        table.selectRow(0)

