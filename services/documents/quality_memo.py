"""产品质量投诉处理备忘单, the quality complaint memo (docs/rules.md §8.5): findings, the
responsibility split, the rework cost estimate and each side's share, the delivery promise;
signed by the shop and the customer. It belongs to the complaint a warranty claim became
(docs/rules.md §6); call the builder inside ``with language(lang):``."""
from __future__ import annotations

from services import warranty
from services.documents.base import (
    field_table,
    firm_page,
    firm_signature,
    list_table,
    signature_lines,
)
from services.documents.common import claim_of, fmt_date, fmt_datetime, fmt_money
from services.errors import ValidationError
from services.i18n import N_, _

TITLE = N_("Quality complaint memo")


def _percent(value: int) -> str:
    return f"{value}%"


def memo(ticket, *, actor) -> bytes:
    d, claim = claim_of(ticket, actor)
    m = claim.memo
    if m is None:
        raise ValidationError(N_("There is no quality memo for this claim yet."), field="kind")
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=claim.vehicle_id)
    page = firm_page(d.complaint.ticket, TITLE)
    return page.render_fitted(lambda: _story(page.styles, page.width, d, claim, m,
                                                      vehicle))


def _story(s, w, d, claim, m, vehicle) -> list:
    return [
        s.p(_("Claim"), s.heading),
        field_table(s, [(_("Ticket no."), d.complaint.ticket),
                        (_("Customer"), vehicle.owner_name),
                        (_("Plate"), claim.plate),
                        (_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[claim.repair_type])),
                        (_("Certificate no."), claim.certificate_no),
                        (_("Claim date"), fmt_date(claim.claim_date)),
                        (_("What is wrong"), claim.description)], w),
        s.p(_("Findings"), s.heading),
        s.p(m.findings),
        s.p(_("Responsibility and cost"), s.heading),
        list_table(s, [_("Party"), _("Responsibility"), _("Share of the cost")],
                   [[_("The shop"), _percent(m.shop_percent), fmt_money(m.shop_share)],
                    [_("The customer"), _percent(m.customer_percent),
                     fmt_money(m.customer_share)],
                    [_("Total (rework cost estimate)"),
                     _percent(m.shop_percent + m.customer_percent),
                     fmt_money(m.cost_estimate)]],
                   w, [0.44, 0.22, 0.34]),
        s.p(_("The shares are of the estimated cost; the final bill follows the rework."),
            s.small),
        s.p(_("Delivery promise"), s.heading),
        s.p(m.delivery_promise),
        field_table(s, [(_("Written by"), m.written_by),
                        (_("Written at"), fmt_datetime(m.written_at))], w),
        signature_lines(s, [firm_signature(), _("Customer (vehicle owner)")], w),
    ]
