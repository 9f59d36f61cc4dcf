"""A warranty claim (返修) with its live verdict, the quality memo, and the decision: free
rework, a quote, or mediation (docs/rules.md)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSpinBox, QWidget

from services import clock, warranty
from services.changes import Changes
from services.errors import DomainError
from services.firm import CHANNEL_NAMES, CHANNELS
from services.i18n import N_, _, format_date, format_datetime, format_money, format_number
from services.warranty import OUTCOME_NAMES, OUTCOMES, ClaimRow, RepairRow
from ui.warranty.common import type_name
from ui.warranty.repair_form import RepairFields
from ui.warranty.status_panel import IN_STYLE, OUT_STYLE, WarrantyStatusPanel
from ui.widgets.fields import MoneyEdit, TextEdit, fill_combo, select_data, text_value
from ui.widgets.form_dialog import FormDialog
from ui.widgets.inline import ERROR_STYLE


def repair_summary(repair: RepairRow) -> str:
    return _("{plate}: {type}, certificate {certificate}, completed {day} at {km} km").format(
        plate=repair.plate, type=type_name(repair.repair_type),
        certificate=repair.certificate_no, day=format_date(repair.completed_on),
        km=format_number(repair.completed_km))


class ClaimDialog(FormDialog):
    """Register a claim on a finished repair; it becomes a repair-quality complaint."""

    save_text = N_("&Register claim")

    def __init__(self, session, repair: RepairRow, parent: QWidget | None = None, *,
                 another: bool = False, owner: str = ""):
        super().__init__(session, parent)
        self.service = warranty.register_claim
        self.repair = repair
        self.another = another  # the user said: not the repair's open complaint again
        self.owner = owner  # the vehicle owner, who the complaint names
        self.summary = self.note_row()
        self.panel = WarrantyStatusPanel()
        self.panel.set_repair_row(repair)
        self.form.addRow(self.panel)
        self.description = self.field("description", N_("What is wrong"), TextEdit(height=80),
                                      required=True)
        self.request = self.field("request", N_("Request"), TextEdit(height=44))
        self.channel = self.field("channel", N_("Channel"), QComboBox())
        self.setMinimumWidth(600)
        self.retranslate()
        select_data(self.channel, "walk_in")

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Warranty claim — {certificate}").format(
            certificate=self.repair.certificate_no))
        summary = repair_summary(self.repair)
        if self.owner:
            summary += "\n" + _("Complainant: {owner}").format(owner=self.owner)
        self.summary.setText(summary)
        fill_combo(self.channel, [(c, _(CHANNEL_NAMES[c])) for c in CHANNELS])
        self.panel.retranslate()

    def show_error(self, err: DomainError) -> None:
        if not self.panel.show_field_error(err):
            super().show_error(err)

    def kwargs(self) -> dict:
        claim_date, claim_km = self.panel.claim_values()
        return dict(repair_id=self.repair.id, claim_date=claim_date, claim_km=claim_km,
                    description=self.description.toPlainText(),
                    request=self.request.toPlainText(), channel=text_value(self.channel),
                    another=self.another)


def _percent_spin() -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 100)
    spin.setSuffix(" %")
    return spin


class MemoDialog(FormDialog):
    """产品质量投诉处理备忘单: findings, who is responsible for what share, the cost estimate and
    each side's part of it, and the delivery promise. Shares are shown as they are typed."""

    def __init__(self, session, claim: ClaimRow, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = warranty.record_memo
        self.claim = claim
        self.summary = self.note_row()
        self.findings = self.field("findings", N_("Findings"), TextEdit(height=80),
                                   required=True)
        self.shop_percent = self.field("shop_percent", N_("Shop's share"), _percent_spin(),
                                       required=True)
        self.customer_percent = self.field("customer_percent", N_("Customer's share"),
                                           _percent_spin(), required=True)
        self.cost_estimate = self.field("cost_estimate", N_("Rework cost estimate (CNY)"),
                                        MoneyEdit(), required=True)
        self.shares = QLabel()
        self.shares.setWordWrap(True)
        self.form.addRow("", self.shares)
        self.delivery_promise = self.field("delivery_promise", N_("Delivery promise"),
                                           QLineEdit(), required=True)
        memo = claim.memo
        if memo is not None:  # a new memo supersedes the last one: start from it
            self.findings.setPlainText(memo.findings)
            self.shop_percent.setValue(memo.shop_percent)
            self.customer_percent.setValue(memo.customer_percent)
            self.cost_estimate.setText(str(memo.cost_estimate))
            self.delivery_promise.setText(memo.delivery_promise)
        else:
            self.shop_percent.setValue(100)
            self.customer_percent.setValue(0)
        # The customer's share follows the shop's; it can still be typed over.
        self.shop_percent.valueChanged.connect(
            lambda v: self.customer_percent.setValue(100 - v))
        for signal in (self.shop_percent.valueChanged, self.customer_percent.valueChanged,
                       self.cost_estimate.textChanged):
            signal.connect(lambda *_a: self.show_shares())
        self.setMinimumWidth(560)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        c = self.claim
        self.setWindowTitle(_("Quality memo — {ticket}").format(ticket=c.ticket))
        due = ""
        if c.memo_due is not None:
            due = _("Due by {due}.").format(due=format_datetime(c.memo_due))
        self.summary.setText(" ".join(x for x in (
            _("Claim {ticket} on {plate}, certificate {certificate}.").format(
                ticket=c.ticket, plate=c.plate, certificate=c.certificate_no), due) if x))
        self.delivery_promise.setPlaceholderText(_("e.g. ready by 17:00 tomorrow"))
        self.show_shares()

    def show_shares(self) -> None:
        total = self.shop_percent.value() + self.customer_percent.value()
        if total != 100:
            self.shares.setStyleSheet(ERROR_STYLE)
            self.shares.setText(_("The shares add up to {total} %, not 100 %.").format(
                total=total))
            return
        self.shares.setStyleSheet("")
        try:
            estimate = Decimal(self.cost_estimate.text() or "0")
        except InvalidOperation:
            estimate = Decimal(0)
        shop, customer = warranty.memo_shares(estimate, self.shop_percent.value())
        self.shares.setText(_("The shop bears {shop}, the customer {customer}.").format(
            shop=format_money(shop), customer=format_money(customer)))

    def kwargs(self) -> dict:
        return dict(claim_id=self.claim.id, findings=self.findings.toPlainText(),
                    shop_percent=self.shop_percent.value(),
                    customer_percent=self.customer_percent.value(),
                    cost_estimate=self.cost_estimate.text(),
                    delivery_promise=self.delivery_promise.text())

    def changes_for(self, _result) -> Changes:
        # The memo comes back as a MemoRow, which says nothing of what changed.
        return Changes.of_complaint(self.claim.complaint_id, warranty=True)


class DecisionDialog(FormDialog):
    """What is done about the claim: in warranty, free rework (a finished repair with its own
    warranty); out of warranty, a quote; disputed, mediation by the road transport authority."""

    def __init__(self, session, claim: ClaimRow, repair: RepairRow,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = warranty.decide_claim
        self.claim = claim
        self.verdict = self.note_row()
        self.outcome = self.field("outcome", N_("Decision"), QComboBox(), required=True)
        self.override_reason = self.field("override_reason",
                                          N_("Reason for a free rework out of warranty"),
                                          TextEdit(height=44))
        self.fields = RepairFields(self, repair.vehicle_class, repair_type=repair.repair_type,
                                   completed=clock.now().date(), completed_km=claim.claim_km,
                                   free=True)
        self.form.addRow(self.fields.group)
        self.errors.register("rework", self.fields.repair_type, line_of="repair_type")
        self.quote_amount = self.field("quote_amount", N_("Quoted amount (CNY)"), MoneyEdit(),
                                       required=True)
        self.mediation_outcome = self.field("mediation_outcome", N_("Mediation outcome"),
                                            TextEdit(height=60))
        self.outcome.currentIndexChanged.connect(lambda _i: self._show_outcome())
        self.setMinimumWidth(640)
        self.retranslate()
        select_data(self.outcome, "disputed" if claim.outcome == "disputed"
                    else "rework" if claim.verdict.in_warranty else "quote")
        self._show_outcome()

    def _show_outcome(self) -> None:
        """Only the rows the chosen outcome needs."""
        outcome = text_value(self.outcome)
        self.form.setRowVisible(self.fields.group, outcome == "rework")
        self.form.setRowVisible(self.override_reason.parentWidget(),
                                outcome == "rework" and not self.claim.verdict.in_warranty)
        self.form.setRowVisible(self.quote_amount.parentWidget(), outcome == "quote")
        self.form.setRowVisible(self.mediation_outcome.parentWidget(), outcome == "disputed")
        self.adjustSize()

    def retranslate(self) -> None:
        super().retranslate()
        self.fields.retranslate()
        c = self.claim
        self.setWindowTitle(_("Decide claim — {ticket}").format(ticket=c.ticket))
        self.verdict.setStyleSheet(IN_STYLE.replace("14pt", "10pt") if c.verdict.in_warranty
                                   else OUT_STYLE.replace("14pt", "10pt"))
        self.verdict.setText(warranty.describe_verdict(c.verdict))
        fill_combo(self.outcome, [(o, _(OUTCOME_NAMES[o])) for o in OUTCOMES])
        self.fields.group.setTitle(_("The rework, as a finished repair"))

    def kwargs(self) -> dict:
        outcome = text_value(self.outcome)
        return dict(claim_id=self.claim.id, outcome=outcome,
                    override_reason=self.override_reason.toPlainText(),
                    rework=self.fields.input() if outcome == "rework" else None,
                    quote_amount=self.quote_amount.text() if outcome == "quote" else None,
                    mediation_outcome=self.mediation_outcome.toPlainText())
