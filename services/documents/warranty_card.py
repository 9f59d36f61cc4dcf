"""维修质量保证卡, the repair warranty card (docs/rules.md §6, §8): the vehicle, the repair, its
three-level inspection and the quality warranty it carries.

Two ways in: ``warranty_card`` prints the card of the free rework a claim was decided with
(a rework has its own new warranty), as a document of that complaint, inside the caller's
``with language(lang):``; ``render_warranty_card`` prints the card of any finished repair,
headed by its certificate no., in ``lang``.
"""
from __future__ import annotations

from datetime import timedelta

from services import warranty
from services.documents.base import (
    Page,
    field_table,
    firm_page,
    firm_signature,
    list_table,
    pair_table,
    signature_lines,
)
from services.documents.common import (
    claim_of,
    expiry_text,
    fmt_date,
    fmt_datetime,
    fmt_km,
    terms_text,
    vehicle_rows,
)
from services.errors import ValidationError
from services.i18n import N_, _, language
from services.warranty import PRESET_SINCE

TITLE = N_("Repair warranty card")
# The card is an A5 sheet (docs/rules.md §8): its text shrinks as far as this to fit one.
CARD_SCALES = (0.9, 0.84, 0.78, 0.72, 0.68, 0.64)


def _a5():
    from reportlab.lib.pagesizes import A5  # ReportLab loads on first use

    return A5


def _card_story(page: Page, repair, vehicle) -> list:
    s, w = page.styles, page.width
    repair_rows = [(_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[repair.repair_type])),
                   (_("Work done"), repair.work_done)]
    if repair.parts_used:
        repair_rows.append((_("Parts used"), repair.parts_used))
    repair_rows += [(_("Completion date"), fmt_date(repair.completed_on)),
                    (_("Odometer at completion"), fmt_km(repair.completed_km)),
                    (_("Certificate no."), repair.certificate_no)]
    if repair.rework_of_id is not None:
        repair_rows.append((_("Rework of certificate no."), repair.rework_of_certificate))
    inspections = [[_(label), who, fmt_datetime(when)]
                   for (_key, label), (who, when) in zip(warranty.INSPECTIONS,
                                                        repair.inspections, strict=True)]
    start = repair.completed_on + timedelta(days=1)
    source = (_("the national rule (机动车维修管理规定)")
              if repair.term_effective_from in (None, PRESET_SINCE)
              else _("the shop's table in force since {date}").format(
                  date=fmt_date(repair.term_effective_from)))
    terms_rows = [
        (_("Applies to"), _("{type}, {vehicle_class}").format(
            type=_(warranty.REPAIR_TYPE_NAMES[repair.repair_type]),
            vehicle_class=_(warranty.VEHICLE_CLASS_NAMES[repair.vehicle_class]))),
        (_("Warranty period"), terms_text(repair.term_km, repair.term_days)),
        (_("Counted from"), _("Days from the day after completion ({date}); distance from "
                              "the odometer at completion ({km}).").format(
            date=fmt_date(start), km=fmt_km(repair.completed_km))),
        (_("Warranty ends"), expiry_text(repair.expires_on, repair.expires_at_km)),
        (_("Terms from"), source),
    ]
    return [
        s.p(_("Vehicle"), s.heading), pair_table(s, vehicle_rows(vehicle), w),
        s.p(_("The repair"), s.heading), pair_table(s, repair_rows, w),
        s.p(_("Three-level inspection"), s.heading),
        list_table(s, [_("Inspection"), _("Inspector"), _("Inspected at")], inspections, w,
                   [0.34, 0.33, 0.33]),
        s.p(_("Quality warranty"), s.heading), field_table(s, terms_rows, w, label_share=0.2),
        s.p(_("Within the warranty period, a fault caused by this repair is repaired again free "
              "of charge. The warranty ends when either the distance or the days are reached, "
              "whichever comes first. Please keep this card and the completion certificate and "
              "show them with any claim.")),
        s.p(_("If we cannot agree about a repair under its quality warranty, you may ask the "
              "road transport authority to mediate."), s.small),
        signature_lines(s, [firm_signature()], w * 0.6),
    ]


def warranty_card(ticket, *, actor) -> bytes:
    """The card of the free rework the complaint's claim was decided with."""
    d, claim = claim_of(ticket, actor)
    if claim.rework_repair_id is None:
        raise ValidationError(N_("There is no warranty card: the claim was not decided with a "
                                 "free rework."), field="kind")
    repair = warranty.get_repair(actor=actor, repair_id=claim.rework_repair_id)
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=repair.vehicle_id)
    page = firm_page(d.complaint.ticket, TITLE, pagesize=_a5())
    return page.render_fitted(lambda: _card_story(page, repair, vehicle), CARD_SCALES)


def render_warranty_card(repair_id: int, *, actor, lang: str) -> bytes:
    """The card of any finished repair (vehicles and repairs are the shop's job records:
    every user may look them up)."""
    with language(lang):
        repair = warranty.get_repair(actor=actor, repair_id=repair_id)
        vehicle = warranty.get_vehicle(actor=actor, vehicle_id=repair.vehicle_id)
        page = firm_page(repair.certificate_no, TITLE, _("Certificate no."), pagesize=_a5())
        return page.render_fitted(lambda: _card_story(page, repair, vehicle), CARD_SCALES)
