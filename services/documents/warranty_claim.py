"""返修登记表, the warranty claim form (docs/rules.md §6, §8.6): the vehicle, the repair, the
claim day and odometer, the verdict with the limit that ended it and the expiry, and the
decision so far. Call the builder inside ``with language(lang):``."""
from __future__ import annotations

from services import warranty
from services.documents.base import field_table, firm_page, signature_lines
from services.documents.common import (
    claim_of,
    expiry_text,
    fmt_date,
    fmt_datetime,
    fmt_days,
    fmt_km,
    fmt_money,
    terms_text,
    vehicle_rows,
)
from services.i18n import N_, _

TITLE = N_("Warranty claim form")


def _verdict_rows(claim) -> list[tuple[str, str]]:
    v = claim.verdict
    rows = [(_("Result"), _("In warranty") if v.in_warranty else _("Out of warranty"))]
    if not v.in_warranty:
        rows.append((_("Ended by"), _(warranty.ENDED_BY_NAMES[v.ended_by])))
    rows += [(_("Warranty terms"), terms_text(v.km_limit, v.day_limit)),
             (_("Warranty ends"), expiry_text(v.expires_on, v.expires_at_km)),
             (_("Used"), _("{days} since completion, {km} driven").format(
                 days=fmt_days(v.days_used), km=fmt_km(v.km_used))),
             (_("Verdict"), warranty.describe_verdict(v))]
    return rows


def _decision_rows(claim, actor) -> list[tuple[str, str]]:
    if not claim.outcome:
        return [(_("Decision"), _("Not decided yet"))]
    rows = [(_("Decision"), _(warranty.OUTCOME_NAMES[claim.outcome]))]
    if claim.override_reason:
        rows.append((_("Reason"), claim.override_reason))
    if claim.rework_repair_id is not None:
        rework = warranty.get_repair(actor=actor, repair_id=claim.rework_repair_id)
        rows.append((_("Rework certificate no."), rework.certificate_no))
    if claim.quote_amount is not None:
        rows.append((_("Quoted amount"), fmt_money(claim.quote_amount)))
    if claim.mediation_outcome:
        rows.append((_("Mediation outcome"), claim.mediation_outcome))
    rows += [(_("Decided by"), claim.decided_by), (_("Decided at"), fmt_datetime(claim.decided_at))]
    return rows


def warranty_claim(ticket, *, actor) -> bytes:
    d, claim = claim_of(ticket, actor)
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=claim.vehicle_id)
    repair = warranty.get_repair(actor=actor, repair_id=claim.repair_id)
    page = firm_page(d.complaint.ticket, TITLE)
    claim_rows = [(_("Claim date"), fmt_date(claim.claim_date)),
                  (_("Odometer at claim"), fmt_km(claim.claim_km)),
                  (_("What is wrong"), claim.description)]
    if claim.request:
        claim_rows.append((_("Request"), claim.request))

    def story():
        s, w = page.styles, page.width
        return _story(s, w, vehicle, repair, claim, claim_rows, actor)

    return page.render_fitted(story)


def _story(s, w, vehicle, repair, claim, claim_rows, actor) -> list:
    return [
        s.p(_("Vehicle"), s.heading), field_table(s, vehicle_rows(vehicle), w),
        s.p(_("The repair"), s.heading),
        field_table(s, [(_("Certificate no."), repair.certificate_no),
                        (_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[repair.repair_type])),
                        (_("Work done"), repair.work_done),
                        (_("Completion date"), fmt_date(repair.completed_on)),
                        (_("Odometer at completion"), fmt_km(repair.completed_km))], w),
        s.p(_("The claim"), s.heading), field_table(s, claim_rows, w),
        s.p(_("Warranty verdict"), s.heading), field_table(s, _verdict_rows(claim), w),
        s.p(_("Days are counted from the day after completion; the distance is the odometer "
              "at the claim minus the odometer at completion. Both limits are inclusive."),
            s.small),
        s.p(_("What is done"), s.heading), field_table(s, _decision_rows(claim, actor), w),
        signature_lines(s, [_("Customer (vehicle owner)"), _("Received by (for the shop)")], w),
    ]
