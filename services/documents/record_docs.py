"""Documents 5–7 of SPEC §8: the quality complaint memo, the warranty claim form, the repair
warranty card, the penalty notice and a month's penalty ledger.

The first three belong to a complaint ticket (a warranty claim becomes a repair-quality
complaint, SPEC §6) and are in ``BUILDERS``, called like the builders of complaint_docs
inside ``with language(lang):``. The card of any finished repair, the penalty notice and the
month's ledger are not per complaint: ``render_warranty_card``, ``render_penalty_notice`` and
``render_month_ledger`` take the language themselves. Everything is read through the
services, which decide who may see what (SPEC §2).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import services.complaints.register as complaints
import services.firm.settings as settings
from services import clock, penalties, warranty
from services.documents.base import Letterhead, Page, field_table, list_table, signature_lines
from services.errors import ValidationError
from services.i18n import (
    N_,
    _,
    current_language,
    format_date,
    format_datetime,
    format_money,
    format_number,
    language,
)
from services.penalties.rules import APPLIES_TO_NAMES
from services.people.permissions import is_senior
from services.warranty.rules import PRESET_SINCE

TITLES = {
    "memo": N_("Quality complaint memo"),
    "warranty_claim": N_("Warranty claim form"),
    "warranty_card": N_("Repair warranty card"),
    "penalty_notice": N_("Penalty notice"),
    "month_ledger": N_("Penalty ledger (monthly)"),
}


# --- small formatting helpers -------------------------------------------------------------------


def _lang() -> str:
    return current_language()


def _dt(value: datetime | None) -> str:
    return format_datetime(value, _lang())


def _day(value: date | None) -> str:
    return format_date(value, _lang())


def _money(value: Decimal | None) -> str:
    return format_money(value, _lang())


def _km(value: int) -> str:
    return _("{km} km").format(km=format_number(value, _lang()))


def _days(value: int) -> str:
    return _("{days} days").format(days=value)


def _percent(value: int) -> str:
    return f"{value}%"


def _page(reference: str, kind: str, label: str = "") -> Page:
    firm = settings.firm_info()
    return Page(Letterhead(firm.name, firm.address, firm.phone, reference, clock.now(), label),
                _(TITLES[kind]))


def _firm_signature() -> str:
    return _("For {firm} (signature and seal)").format(firm=settings.firm_info().name)


# --- the claim of a complaint --------------------------------------------------------------------


def _claim(ticket, actor):
    """The complaint (visibility checked, SPEC §2) and the warranty claim it came from."""
    d = complaints.detail(ticket, actor=actor)
    claim = warranty.claim_of_complaint(actor=actor, complaint_id=d.complaint.id)
    if claim is None:
        raise ValidationError(N_("This complaint did not come from a warranty claim."),
                              field="kind")
    return d, claim


def _vehicle_rows(vehicle) -> list[tuple[str, str]]:
    rows = [(_("Plate"), vehicle.plate)]
    if vehicle.vin:
        rows.append((_("VIN"), vehicle.vin))
    if vehicle.make_model:
        rows.append((_("Make and model"), vehicle.make_model))
    rows += [(_("Vehicle class"), _(warranty.VEHICLE_CLASS_NAMES[vehicle.vehicle_class])),
             (_("Vehicle owner"), vehicle.owner_name)]
    if vehicle.owner_phone:
        rows.append((_("Phone"), vehicle.owner_phone))
    return rows


def _terms_text(km: int, days: int) -> str:
    return _("{km} or {days}, whichever comes first").format(km=_km(km), days=_days(days))


def _expiry_text(expires_on: date, expires_at_km: int) -> str:
    return _("{date} or an odometer reading of {km}, whichever comes first").format(
        date=_day(expires_on), km=_km(expires_at_km))


def memo(ticket, *, actor) -> bytes:
    """产品质量投诉处理备忘单 (SPEC §8.5): findings, the responsibility split, the rework cost
    estimate and each side's share, the delivery promise; signed by the shop and the
    customer."""
    d, claim = _claim(ticket, actor)
    m = claim.memo
    if m is None:
        raise ValidationError(N_("There is no quality memo for this claim yet."), field="kind")
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=claim.vehicle_id)
    page = _page(d.complaint.ticket, "memo")
    s, w = page.styles, page.width
    story = [
        s.p(_("Claim"), s.heading),
        field_table(s, [(_("Ticket no."), d.complaint.ticket),
                        (_("Customer"), vehicle.owner_name),
                        (_("Plate"), claim.plate),
                        (_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[claim.repair_type])),
                        (_("Certificate no."), claim.certificate_no),
                        (_("Claim date"), _day(claim.claim_date)),
                        (_("What is wrong"), claim.description)], w),
        s.p(_("Findings"), s.heading),
        s.p(m.findings),
        s.p(_("Responsibility and cost"), s.heading),
        list_table(s, [_("Party"), _("Responsibility"), _("Share of the cost")],
                   [[_("The shop"), _percent(m.shop_percent), _money(m.shop_share)],
                    [_("The customer"), _percent(m.customer_percent),
                     _money(m.customer_share)],
                    [_("Total (rework cost estimate)"),
                     _percent(m.shop_percent + m.customer_percent), _money(m.cost_estimate)]],
                   w, [0.44, 0.22, 0.34]),
        s.p(_("The shares are of the estimated cost; the final bill follows the rework."),
            s.small),
        s.p(_("Delivery promise"), s.heading),
        s.p(m.delivery_promise),
        field_table(s, [(_("Written by"), m.written_by), (_("Written at"), _dt(m.written_at))],
                    w),
        signature_lines(s, [_firm_signature(), _("Customer (vehicle owner)")], w),
    ]
    return page.render(story)


def _verdict_rows(claim) -> list[tuple[str, str]]:
    v = claim.verdict
    rows = [(_("Result"), _("In warranty") if v.in_warranty else _("Out of warranty"))]
    if not v.in_warranty:
        rows.append((_("Ended by"), _(warranty.ENDED_BY_NAMES[v.ended_by])))
    rows += [(_("Warranty terms"), _terms_text(v.km_limit, v.day_limit)),
             (_("Warranty ends"), _expiry_text(v.expires_on, v.expires_at_km)),
             (_("Used"), _("{days} since completion, {km} driven").format(
                 days=_days(v.days_used), km=_km(v.km_used))),
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
        rows.append((_("Quoted amount"), _money(claim.quote_amount)))
    if claim.mediation_outcome:
        rows.append((_("Mediation outcome"), claim.mediation_outcome))
    rows += [(_("Decided by"), claim.decided_by), (_("Decided at"), _dt(claim.decided_at))]
    return rows


def warranty_claim(ticket, *, actor) -> bytes:
    """返修登记表 (SPEC §6, §8.6): the vehicle, the repair, the claim day and odometer, the
    verdict with the limit that ended it and the expiry, and the decision so far."""
    d, claim = _claim(ticket, actor)
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=claim.vehicle_id)
    repair = warranty.get_repair(actor=actor, repair_id=claim.repair_id)
    page = _page(d.complaint.ticket, "warranty_claim")
    s, w = page.styles, page.width
    claim_rows = [(_("Claim date"), _day(claim.claim_date)),
                  (_("Odometer at claim"), _km(claim.claim_km)),
                  (_("What is wrong"), claim.description)]
    if claim.request:
        claim_rows.append((_("Request"), claim.request))
    story = [
        s.p(_("Vehicle"), s.heading), field_table(s, _vehicle_rows(vehicle), w),
        s.p(_("The repair"), s.heading),
        field_table(s, [(_("Certificate no."), repair.certificate_no),
                        (_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[repair.repair_type])),
                        (_("Work done"), repair.work_done),
                        (_("Completion date"), _day(repair.completed_on)),
                        (_("Odometer at completion"), _km(repair.completed_km))], w),
        s.p(_("The claim"), s.heading), field_table(s, claim_rows, w),
        s.p(_("Warranty verdict"), s.heading), field_table(s, _verdict_rows(claim), w),
        s.p(_("Days are counted from the day after completion; the distance is the odometer "
              "at the claim minus the odometer at completion. Both limits are inclusive."),
            s.small),
        s.p(_("What is done"), s.heading), field_table(s, _decision_rows(claim, actor), w),
        signature_lines(s, [_("Customer (vehicle owner)"), _("Received by (for the shop)")], w),
    ]
    return page.render(story)


def _card_story(page: Page, repair, vehicle) -> list:
    s, w = page.styles, page.width
    repair_rows = [(_("Repair type"), _(warranty.REPAIR_TYPE_NAMES[repair.repair_type])),
                   (_("Work done"), repair.work_done)]
    if repair.parts_used:
        repair_rows.append((_("Parts used"), repair.parts_used))
    repair_rows += [(_("Completion date"), _day(repair.completed_on)),
                    (_("Odometer at completion"), _km(repair.completed_km)),
                    (_("Certificate no."), repair.certificate_no)]
    if repair.rework_of_id is not None:
        repair_rows.append((_("Rework of certificate no."), repair.rework_of_certificate))
    inspections = [[_(label), who, _dt(when)]
                   for (_key, label), (who, when) in zip(warranty.INSPECTIONS,
                                                        repair.inspections, strict=True)]
    start = repair.completed_on + timedelta(days=1)
    source = (_("the national rule (机动车维修管理规定)")
              if repair.term_effective_from in (None, PRESET_SINCE)
              else _("the shop's table in force since {date}").format(
                  date=_day(repair.term_effective_from)))
    terms_rows = [
        (_("Applies to"), _("{type}, {vehicle_class}").format(
            type=_(warranty.REPAIR_TYPE_NAMES[repair.repair_type]),
            vehicle_class=_(warranty.VEHICLE_CLASS_NAMES[repair.vehicle_class]))),
        (_("Warranty period"), _terms_text(repair.term_km, repair.term_days)),
        (_("Counted from"), _("Days from the day after completion ({date}); distance from "
                              "the odometer at completion ({km}).").format(
            date=_day(start), km=_km(repair.completed_km))),
        (_("Warranty ends"), _expiry_text(repair.expires_on, repair.expires_at_km)),
        (_("Terms from"), source),
    ]
    return [
        s.p(_("Vehicle"), s.heading), field_table(s, _vehicle_rows(vehicle), w),
        s.p(_("The repair"), s.heading), field_table(s, repair_rows, w),
        s.p(_("Three-level inspection"), s.heading),
        list_table(s, [_("Inspection"), _("Inspector"), _("Inspected at")], inspections, w,
                   [0.34, 0.33, 0.33]),
        s.p(_("Quality warranty"), s.heading), field_table(s, terms_rows, w),
        s.p(_("Within the warranty period, a fault caused by this repair is repaired again free "
              "of charge. The warranty ends when either the distance or the days are reached, "
              "whichever comes first. Please keep this card and the completion certificate and "
              "show them with any claim.")),
        s.p(_("If we cannot agree about a repair under its quality warranty, you may ask the "
              "road transport authority to mediate."), s.small),
        signature_lines(s, [_firm_signature()], w * 0.6),
    ]


def warranty_card(ticket, *, actor) -> bytes:
    """维修质量保证卡 of the free rework a claim was decided with (SPEC §6: a rework has its
    own new warranty)."""
    d, claim = _claim(ticket, actor)
    if claim.rework_repair_id is None:
        raise ValidationError(N_("There is no warranty card: the claim was not decided with a "
                                 "free rework."), field="kind")
    repair = warranty.get_repair(actor=actor, repair_id=claim.rework_repair_id)
    vehicle = warranty.get_vehicle(actor=actor, vehicle_id=repair.vehicle_id)
    page = _page(d.complaint.ticket, "warranty_card")
    return page.render(_card_story(page, repair, vehicle))


def render_warranty_card(repair_id: int, *, actor, lang: str) -> bytes:
    """维修质量保证卡 of any finished repair, headed by its certificate no. (vehicles and
    repairs are the shop's job records: every user may look them up)."""
    with language(lang):
        repair = warranty.get_repair(actor=actor, repair_id=repair_id)
        vehicle = warranty.get_vehicle(actor=actor, vehicle_id=repair.vehicle_id)
        page = _page(repair.certificate_no, "warranty_card", _("Certificate no."))
        return page.render(_card_story(page, repair, vehicle))


# --- the penalty ledger (SPEC §7) ---------------------------------------------------------------


def _status(code: str) -> str:
    return _(penalties.STATUS_NAMES.get(code, code))


def _who(name: str) -> str:
    return name or _("the program")


def render_penalty_notice(entry_id, *, actor, lang: str) -> bytes:
    """奖惩通知单: who, which rule, how much and why, the complaint and time limit it is about,
    its status and who approved it; signed by the person concerned. Managers and the owner
    may print any entry, anyone else only those about them (penalties.entry_detail)."""
    with language(lang):
        detail = penalties.entry_detail(actor, entry_id)
        row, rule = detail.row, detail.rule
        if row.ticket:
            page = _page(row.ticket, "penalty_notice")
        else:
            page = _page(str(row.id), "penalty_notice", _("Entry no."))
        s, w = page.styles, page.width
        kind = _("Reward") if row.reward else _("Fine")
        if rule.fixed:
            allowed = _money(rule.min_amount)
        else:
            allowed = _("{low} to {high}").format(low=_money(rule.min_amount),
                                                  high=_money(rule.max_amount))
        if rule.plus_loss:
            allowed += " " + _("plus the loss")
        who = row.person if not row.unit else _("{unit} (dealer or store)").format(unit=row.unit)
        rows = [(_("Entry no."), str(row.id)), (_("Person or unit"), who),
                (_("Department"), row.department or _("None")),
                (_("Rule"), row.rule_name),
                (_("Applies to"), _(APPLIES_TO_NAMES.get(rule.applies_to, rule.applies_to))),
                (_("Amount allowed by the rule"), allowed),
                (_("Kind"), kind), (_("Amount"), _money(row.amount))]
        if row.loss:
            rows += [(_("Loss"), _money(row.loss)), (_("Total"), _money(row.total))]
        rows.append((_("Reason"), row.reason))
        if row.reverses is not None:
            rows.append((_("Reverses entry"), str(row.reverses)))
        if row.reversed_by is not None:
            rows.append((_("Reversed by entry"), str(row.reversed_by)))
        link = [(_("Complaint ticket"), row.ticket or _("None"))]
        if detail.clock is not None:
            k = detail.clock
            link += [(_("Time limit"), k.rule_name), (_("Due by"), _dt(k.due_at)),
                     (_("Done at"), _dt(k.stopped_at) if k.stopped_at else _("Not done"))]
        approved = [h for h in detail.history if h.status == "approved"]
        status_rows = [(_("Status"), _status(row.status)),
                       (_("Proposed by"), _who(row.proposed_by)),
                       (_("Proposed at"), _dt(row.proposed_at)),
                       (_("Approved by"), approved[-1].actor if approved else _("Not approved")),
                       ]
        if approved:
            status_rows.append((_("Approved at"), _dt(approved[-1].at)))
        if row.status == "deducted":
            status_rows.append((_("Payroll month"), row.month))
        history = [[_status(h.status), _who(h.actor), _dt(h.at), _money(h.amount + h.loss),
                    h.note] for h in detail.history]
        story = [s.p(_("The entry"), s.heading), field_table(s, rows, w),
                 s.p(_("What it is about"), s.heading), field_table(s, link, w),
                 s.p(_("Approval"), s.heading), field_table(s, status_rows, w),
                 s.p(_("History"), s.heading),
                 list_table(s, [_("Status"), _("By"), _("At"), _("Amount"), _("Note")], history,
                            w, [0.14, 0.16, 0.22, 0.16, 0.32]),
                 s.p(_("An entry is carried out only after the general manager has approved it "
                       "(经总经理审批后执行). A mistake is corrected by a reversing entry."),
                     s.small),
                 signature_lines(s, [_("The person concerned"), _("Approved by")], w)]
        return page.render(story)


def _department(name: str) -> str:
    return name or _("No department")


def render_month_ledger(month: str, *, actor, lang: str) -> bytes:
    """奖惩台账（月度）: the approved and deducted entries counted in ``month`` (YYYY-MM), with
    the totals per person and per department, as exported for payroll. Managers and the owner
    get the whole ledger, anyone else the entries about them."""
    month = penalties.clean_month(month)
    with language(lang):
        entries = penalties.month_entries(actor, month)
        totals = penalties.month_totals(actor, month)
        page = _page(month, "month_ledger", _("Month"))
        s, w = page.styles, page.width
        story = [s.p(_("Approved and deducted entries counted in {month}: {count}.").format(
            month=month, count=len(entries)))]
        if not is_senior(actor):
            story.append(s.p(_("Only the entries about {name}.").format(name=actor.name),
                             s.small))
        story.append(s.p(_("Entries"), s.heading))
        if entries:
            story.append(list_table(
                s, [_("No."), _("Person or unit"), _("Department"), _("Rule"), _("Ticket no."),
                    _("Status"), _("Amount")],
                [[str(e.id), e.person, _department(e.department), e.rule_name, e.ticket,
                  _status(e.status), _money(e.total)] for e in entries],
                w, [0.06, 0.13, 0.13, 0.28, 0.13, 0.12, 0.15]))
        else:
            story.append(s.p(_("No entries.")))
        story += [
            s.p(_("Totals per person"), s.heading),
            list_table(s, [_("Person or unit"), _("Department"), _("Entries"), _("Fines"),
                           _("Rewards"), _("Total")],
                       [[p.name, _department(p.department), str(p.entries), _money(p.fines),
                         _money(p.rewards), _money(p.total)] for p in totals.per_person],
                       w, [0.22, 0.18, 0.1, 0.17, 0.16, 0.17]),
            s.p(_("Totals per department"), s.heading),
            list_table(s, [_("Department"), _("People"), _("Entries"), _("Fines"), _("Rewards"),
                           _("Total")],
                       [[_department(d.department), str(d.people), str(d.entries),
                         _money(d.fines), _money(d.rewards), _money(d.total)]
                        for d in totals.per_department]
                       + [[_("All"), str(len(totals.per_person)), str(totals.entries),
                           _money(totals.fines), _money(totals.rewards), _money(totals.total)]],
                       w, [0.22, 0.1, 0.1, 0.2, 0.18, 0.2]),
            signature_lines(s, [_("Prepared by"), _("Approved by")], w),
        ]
        return page.render(story)


BUILDERS = {"memo": memo, "warranty_claim": warranty_claim, "warranty_card": warranty_card}
