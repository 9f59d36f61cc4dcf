"""Warranty claims (rules.md §6): a customer back with a repair becomes a repair-quality complaint
with the verdict on its timeline; the quality memo (rules.md §8.5) meets its §5 time limit; the
decision is free rework (a new finished repair with its own warranty), a quote, or mediation."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from models.db import database
from models.entities import Clock, Complainant, Complaint, DeadlineRule, User
from models.warranty import FinishedRepair, QualityMemo, Vehicle, WarrantyClaim
from services import clock
from services.changes import Changes
from services.complaints import CLOSED_STATES, ComplaintInput, resolve_number
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.errors import StateError, ValidationError, found, tr_param
from services.firm import CHANNELS
from services.i18n import N_, _, language
from services.people import require_role, require_visible, visible_filter
from services.timelimits import clocks as timelimits
from services.validation import clean_amount, clean_choice, clean_text, money
from services.warranty.records import (
    CLAIM_TRIGGER,
    MEMO_ACTION,
    MEMO_RULE_CODE,
    RECORDERS,
    RepairInput,
    RepairRow,
    VehicleRow,
    _clean_repair,
    _create_repair,
    _day,
    _repair_rows,
    _user_names,
    _whole,
    get_vehicle,
    ready,
)
from services.warranty.rules import REPAIR_TYPE_NAMES, Terms, Verdict, check, describe_verdict

CLAIM_CATEGORY = "repair_quality"  # rules.md §3 repair-shop preset 维修质量
OUTCOMES = ("rework", "quote", "disputed")
OUTCOME_NAMES = {"rework": N_("Free rework"), "quote": N_("Quote"),
                 "disputed": N_("Disputed: mediation")}
# rules.md §4 external routes: a disputed repair still under warranty goes to the road
# transport authority's mediation.
MEDIATION_ROUTE = "mediation"


# --- claims, memos, decisions: reading ---------------------------------------------------------


@dataclass(frozen=True)
class MemoRow:
    id: int
    claim_id: int
    findings: str
    shop_percent: int
    customer_percent: int
    cost_estimate: Decimal
    shop_share: Decimal
    customer_share: Decimal
    delivery_promise: str
    written_by: str
    written_at: datetime


@dataclass(frozen=True)
class ClaimRow:
    id: int
    repair_id: int
    certificate_no: str
    repair_type: str
    vehicle_id: int
    plate: str
    claim_date: date
    claim_km: int
    description: str
    request: str
    verdict: Verdict
    complaint_id: int
    ticket: str
    complaint_state: str
    outcome: str
    override_reason: str
    quote_amount: Decimal | None
    mediation_outcome: str
    rework_repair_id: int | None
    decided_by: str
    decided_at: datetime | None
    memo: MemoRow | None  # the latest
    memo_due: datetime | None
    memo_status: str  # running | paused | met | cancelled | "" (no clock)
    memo_late: bool | None


def _memo_row(m: QualityMemo, names: dict[int, str]) -> MemoRow:
    return MemoRow(m.id, m.claim_id, m.findings, m.shop_percent, m.customer_percent,
                   m.cost_estimate, m.shop_share, m.customer_share,
                   m.delivery_promise, names.get(m.written_by_id, ""), m.written_at)


def _claim_rows(actor: User, where) -> list[ClaimRow]:
    q = (WarrantyClaim.select(WarrantyClaim, FinishedRepair, Vehicle, Complaint.ticket,
                              Complaint.state)
         .join(FinishedRepair, on=(WarrantyClaim.repair == FinishedRepair.id))
         .join(Vehicle, on=(FinishedRepair.vehicle == Vehicle.id))
         .switch(WarrantyClaim)
         .join(Complaint, on=(WarrantyClaim.complaint == Complaint.id), attr="case")
         # rules.md §2: a claim is as confidential as the complaint it became.
         .where(where & visible_filter(actor))
         .order_by(WarrantyClaim.claim_date.desc(), WarrantyClaim.id.desc()))
    claims = list(q)
    if not claims:
        return []
    names = _user_names()
    ids = [c.id for c in claims]
    memos: dict[int, QualityMemo] = {}
    for m in QualityMemo.select().where(QualityMemo.claim.in_(ids)).order_by(QualityMemo.id):
        memos[m.claim_id] = m
    clocks: dict[int, Clock] = {}
    for k in (Clock.select(Clock).join(DeadlineRule)
              .where(Clock.complaint.in_([c.complaint_id for c in claims])
                     & (DeadlineRule.code == MEMO_RULE_CODE)).order_by(Clock.id)):
        clocks[k.complaint_id] = k
    out = []
    for c in claims:
        r, v = c.repair, c.repair.vehicle
        k = clocks.get(c.complaint_id)
        verdict = Verdict(c.in_warranty, c.ended_by or None, c.expires_on, c.expires_at_km,
                          c.days_used, c.km_used, max(0, r.term_days - c.days_used),
                          max(0, r.term_km - c.km_used), r.term_km, r.term_days)
        out.append(ClaimRow(
            c.id, r.id, r.certificate_no, r.repair_type, v.id, v.plate, c.claim_date,
            c.claim_km, c.description, c.request, verdict, c.complaint_id,
            c.case.ticket, c.case.state, c.outcome, c.override_reason, c.quote_amount,
            c.mediation_outcome, c.rework_repair_id,
            names.get(c.decided_by_id, "") if c.decided_by_id else "", c.decided_at,
            _memo_row(memos[c.id], names) if c.id in memos else None,
            k.due_at if k else None, k.status if k else "", k.late if k else None))
    return out


def get_claim(*, actor: User, claim_id: int) -> ClaimRow:
    ready()
    c = found(WarrantyClaim.get_or_none(WarrantyClaim.id == claim_id),
              N_("No such warranty claim."))
    require_visible(actor, Complaint.get_by_id(c.complaint_id))
    return _claim_rows(actor, WarrantyClaim.id == claim_id)[0]


def claim_of_complaint(*, actor: User, complaint_id: int) -> ClaimRow | None:
    """The warranty claim a complaint came from, if any (for the complaint's screen)."""
    ready()
    rows = _claim_rows(actor, WarrantyClaim.complaint == complaint_id)
    return rows[0] if rows else None


@dataclass(frozen=True)
class VehicleHistory:
    vehicle: VehicleRow
    repairs: list[RepairRow]  # newest first
    claims: list[ClaimRow]  # those the actor may see (rules.md §2), newest first


def vehicle_history(*, actor: User, vehicle_id: int) -> VehicleHistory:
    vehicle = get_vehicle(actor=actor, vehicle_id=vehicle_id)
    repairs = _repair_rows(FinishedRepair.select().where(FinishedRepair.vehicle == vehicle_id)
                           .order_by(FinishedRepair.completed_on.desc(),
                                     FinishedRepair.id.desc()))
    claims = _claim_rows(actor, WarrantyClaim.repair.in_(
        FinishedRepair.select(FinishedRepair.id).where(FinishedRepair.vehicle == vehicle_id)))
    return VehicleHistory(vehicle, repairs, claims)


# --- claims: registering -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimResult:
    claim_id: int
    complaint_id: int
    ticket: str
    verdict: Verdict
    steps: Changes = field(default_factory=Changes)  # what its steps on the path changed

    @property
    def changes(self) -> Changes:
        return Changes.of_complaint(self.complaint_id, warranty=True) | self.steps


@dataclass(frozen=True)
class DecisionResult:
    claim_id: int
    outcome: str
    complaint_id: int
    ticket: str
    rework_repair_id: int | None
    route_recorded: bool  # disputed: the external route is on the complaint's timeline
    steps: Changes = field(default_factory=Changes)  # what its steps on the path changed

    @property
    def changes(self) -> Changes:
        return Changes.of_complaint(self.complaint_id, warranty=True) | self.steps


def _office_start() -> time:
    return timelimits.office_hours()[0]


def register_claim(*, actor: User, repair_id: int, claim_date: date, claim_km,
                   description: str, request: str = "", channel: str = "walk_in",
                   received_at: datetime | None = None, another: bool = False) -> ClaimResult:
    """A customer back with a repair (返修, rules.md §6): the verdict on the claim day, and a
    customer complaint in category "repair quality" that walks the normal path (rules.md §4),
    with the memo time limit (2nd working day, rules.md §5) running. One transaction.

    A repair whose complaint is still open is refused (``rule`` "repair_has_complaint", with
    its ``complaint_id``), so the same matter is not registered twice, unless ``another``
    says this is a different complaint about the same repair."""
    f = ready()
    require_role(actor, *RECORDERS)
    repair = found(FinishedRepair.get_or_none(FinishedRepair.id == repair_id),
                   N_("No such repair."), field="repair")
    if not another:
        _refuse_second(actor, repair)
    vehicle = Vehicle.get_by_id(repair.vehicle_id)
    owner = Complainant.get_by_id(vehicle.owner_id)
    now = clock.now()
    claim_date = _day(claim_date, field="claim_date", label=N_("Claim date"), today=now.date())
    verdict = check(vehicle.vehicle_class, repair.repair_type, repair.completed_on,
                    repair.completed_km, claim_date, claim_km,
                    Terms(repair.term_km, repair.term_days))
    if received_at is None:
        received_at = now if claim_date == now.date() else datetime.combine(claim_date,
                                                                            _office_start())
    elif received_at.date() != claim_date:
        raise ValidationError(N_("The claim date must be the day the claim was received."),
                              field="claim_date")
    description = clean_text(description, field="description", label=N_("What is wrong"),
                             max_length=6000)
    request = clean_text(request, field="request", label=N_("Request"), max_length=4000,
                         required=False)
    channel = clean_choice(channel, CHANNELS, field="channel", label=N_("Channel"))
    with language(f.language):  # the record is written in the firm's language
        prefix = _("[{plate} · {type} · certificate {certificate} of {date}]").format(
            plate=vehicle.plate, type=_(REPAIR_TYPE_NAMES[repair.repair_type]),
            certificate=repair.certificate_no, date=repair.completed_on.isoformat())
        note = describe_verdict(verdict)
    with database.atomic():
        result = complaints.register(ComplaintInput(
            kind="customer", channel=channel, complainant_name=owner.name,
            complainant_phone=owner.phone, complainant_address=owner.address,
            complainant_email=owner.email, contract_no=repair.certificate_no,
            received_at=received_at, description=f"{prefix}\n{description}", request=request,
            category=CLAIM_CATEGORY), actor=actor)
        # The complaint names the vehicle's owner: the same person row, not a copy.
        copy = Complaint.get_by_id(result.complaint_id).complainant_id
        Complaint.update(complainant=owner.id).where(Complaint.id == result.complaint_id
                                                     ).execute()
        Complainant.delete().where(Complainant.id == copy).execute()
        claim = WarrantyClaim.create(
            repair=repair.id, complaint=result.complaint_id, claim_date=claim_date,
            claim_km=repair.completed_km + verdict.km_used,
            description=description, request=request, in_warranty=verdict.in_warranty,
            ended_by=verdict.ended_by or "", expires_on=verdict.expires_on,
            expires_at_km=verdict.expires_at_km, days_used=verdict.days_used,
            km_used=verdict.km_used, registered_by=actor.id, registered_at=now)
        noted = workflow.act(result.complaint_id, "note", actor=actor, at=received_at, note=note)
        complaint = Complaint.get_by_id(result.complaint_id)
        timelimits.on_triggers(complaint, [CLAIM_TRIGGER], at=received_at, responsible=actor)
        complaint.save()
    return ClaimResult(claim.id, result.complaint_id, result.ticket, verdict,
                       steps=result.changes | noted.changes)


def open_complaint_of_repair(*, actor: User, repair_id: int) -> ClaimRow | None:
    """The newest complaint on this repair still in hand, as the actor may see it: open, and
    its claim not yet decided as a rework or a quote."""
    ready()
    rows = [c for c in _claim_rows(actor, WarrantyClaim.repair == repair_id)
            if c.complaint_state not in CLOSED_STATES and c.outcome in ("", "disputed")]
    return rows[0] if rows else None


def _refuse_second(actor: User, repair: FinishedRepair) -> None:
    open_one = open_complaint_of_repair(actor=actor, repair_id=repair.id)
    if open_one is not None:
        raise StateError(N_("Certificate {certificate} already has an open complaint, "
                            "{ticket}: open it instead, or say that this is another "
                            "complaint."), field="repair", certificate=repair.certificate_no,
                         ticket=open_one.ticket, complaint_id=open_one.complaint_id,
                         rule="repair_has_complaint")


# --- linking a complaint registered elsewhere ---------------------------------------------------


@dataclass(frozen=True)
class LinkCandidate:
    complaint_id: int
    ticket: str
    received_at: datetime
    complainant_name: str
    complainant_phone: str
    state: str
    description: str  # its beginning


_CANDIDATE_LIMIT = 20


def link_candidates(*, actor: User, repair_id: int, text: str = "") -> list[LinkCandidate]:
    """Open customer complaints the actor sees that are no warranty claim yet, for "Link
    existing complaint…": ``text`` is a ticket number (a merged one finds its original) or a
    phone number or its end; empty, those of the vehicle's owner (phone, or the repair's
    certificate as contract number). Newest first."""
    ready()
    repair = found(FinishedRepair.get_or_none(FinishedRepair.id == repair_id),
                   N_("No such repair."), field="repair")
    text = clean_text(text, field="text", label=N_("Ticket or phone"), max_length=50,
                      required=False)
    if text:
        match = ((Complaint.ticket == resolve_number(text))
                 | Complaint.complainant_phone.endswith(text))
    else:
        owner = Complainant.get_by_id(Vehicle.get_by_id(repair.vehicle_id).owner_id)
        match = Complaint.contract_no == repair.certificate_no
        if owner.phone:
            match |= Complaint.complainant_phone == owner.phone
    claimed = WarrantyClaim.select(WarrantyClaim.complaint)
    rows = (Complaint.select(Complaint.id, Complaint.ticket, Complaint.received_at,
                             Complaint.complainant_name, Complaint.complainant_phone,
                             Complaint.state, Complaint.description)
            .where(match & (Complaint.kind == "customer") & ~Complaint.state.in_(CLOSED_STATES)
                   & Complaint.id.not_in(claimed) & visible_filter(actor))
            .order_by(Complaint.received_at.desc(), Complaint.id.desc())
            .limit(_CANDIDATE_LIMIT))
    return [LinkCandidate(c.id, c.ticket, c.received_at, c.complainant_name,
                          c.complainant_phone, c.state, c.description[:80]) for c in rows]


def link_complaint(*, actor: User, repair_id: int, complaint, claim_km,
                   claim_date: date | None = None) -> ClaimResult:
    """Make a complaint already registered (an id, or its ticket number) the warranty claim
    on this repair instead of registering a second one (rules.md §6): the verdict on the
    claim day (the day it was received, unless given), a note on its timeline, and the memo
    time limit starting now. One transaction."""
    f = ready()
    require_role(actor, *RECORDERS)
    repair = found(FinishedRepair.get_or_none(FinishedRepair.id == repair_id),
                   N_("No such repair."), field="repair")
    if isinstance(complaint, int):
        case = Complaint.get_or_none(Complaint.id == complaint)
    else:  # a ticket number; a merged duplicate's finds its original
        case = Complaint.get_or_none(Complaint.ticket == resolve_number(str(complaint)))
    if case is None:
        raise ValidationError(N_("No complaint {ticket}."), field="complaint",
                              ticket=str(complaint).strip())
    require_visible(actor, case)
    if case.kind != "customer":
        raise ValidationError(N_("Only a customer complaint can be a warranty claim."),
                              field="complaint")
    if case.state in CLOSED_STATES:
        raise StateError(N_("Link only an open complaint: {ticket} is {state}."),
                         field="complaint", ticket=case.ticket,
                         state=tr_param(workflow.STATE_NAMES[case.state]))
    taken = WarrantyClaim.get_or_none(WarrantyClaim.complaint == case.id)
    if taken is not None:
        raise StateError(N_("{ticket} is already the claim on certificate {certificate}."),
                         field="complaint", ticket=case.ticket,
                         certificate=FinishedRepair.get_by_id(taken.repair_id).certificate_no)
    vehicle = Vehicle.get_by_id(repair.vehicle_id)
    now = clock.now()
    claim_date = _day(claim_date or case.received_at.date(), field="claim_date",
                      label=N_("Claim date"), today=now.date())
    verdict = check(vehicle.vehicle_class, repair.repair_type, repair.completed_on,
                    repair.completed_km, claim_date, claim_km,
                    Terms(repair.term_km, repair.term_days))
    with language(f.language):
        note = _("Linked to the repair {plate} · {type} · certificate {certificate} of "
                 "{date}.").format(plate=vehicle.plate,
                                   type=_(REPAIR_TYPE_NAMES[repair.repair_type]),
                                   certificate=repair.certificate_no,
                                   date=repair.completed_on.isoformat())
        note += "\n" + describe_verdict(verdict)
    with database.atomic():
        claim = WarrantyClaim.create(
            repair=repair.id, complaint=case.id, claim_date=claim_date,
            claim_km=repair.completed_km + verdict.km_used, description=case.description,
            request=case.request, in_warranty=verdict.in_warranty,
            ended_by=verdict.ended_by or "", expires_on=verdict.expires_on,
            expires_at_km=verdict.expires_at_km, days_used=verdict.days_used,
            km_used=verdict.km_used, registered_by=actor.id, registered_at=now)
        noted = workflow.act(case.id, "note", actor=actor, at=now, note=note)
        case = Complaint.get_by_id(case.id)
        timelimits.on_triggers(case, [CLAIM_TRIGGER], at=now, responsible=actor)
        case.save()
    return ClaimResult(claim.id, case.id, case.ticket, verdict, steps=noted.changes)


# --- the quality memo (rules.md §8.5) -----------------------------------------------------------


def _percent(value, field: str, label: str) -> int:
    return _whole(value, field=field, label=label, low=0, high=100)


def memo_shares(cost_estimate: Decimal, shop_percent: int) -> tuple[Decimal, Decimal]:
    """Each side's share of the estimate, in cents; the customer's is the rest, so the two
    always add up to the estimate."""
    shop = money(cost_estimate * shop_percent / 100)
    return shop, cost_estimate - shop


def _claim_for_update(actor: User, claim_id: int) -> tuple[WarrantyClaim, Complaint]:
    claim = found(WarrantyClaim.get_or_none(WarrantyClaim.id == claim_id),
                  N_("No such warranty claim."))
    complaint = Complaint.get_by_id(claim.complaint_id)
    require_visible(actor, complaint)
    return claim, complaint


def record_memo(*, actor: User, claim_id: int, findings: str, shop_percent, customer_percent,
                cost_estimate, delivery_promise: str, at: datetime | None = None) -> MemoRow:
    """The quality memo: findings, the responsibility split between the shop and the
    customer (summing to 100 %), the rework cost estimate and each side's share, and the
    delivery promise. Taken as the complaint's ``quality_memo`` step, which meets the memo
    time limit."""
    ready()
    findings = clean_text(findings, field="findings", label=N_("Findings"), max_length=4000)
    shop = _percent(shop_percent, "shop_percent", N_("Shop's share"))
    customer = _percent(customer_percent, "customer_percent", N_("Customer's share"))
    if shop + customer != 100:
        raise ValidationError(N_("The shop's and the customer's shares must add up to 100 % "
                                 "(now {total} %)."), field="customer_percent",
                              total=shop + customer)
    estimate = clean_amount(cost_estimate, field="cost_estimate", label=N_("Cost estimate"))
    if estimate is None:
        raise ValidationError(N_("Give the estimated cost of the rework."),
                              field="cost_estimate")
    promise = clean_text(delivery_promise, field="delivery_promise",
                         label=N_("Delivery promise"), max_length=1000)
    shop_share, customer_share = memo_shares(estimate, shop)
    moment = at or clock.now()
    with database.atomic():
        claim, complaint = _claim_for_update(actor, claim_id)
        values = dict(findings=findings, shop_percent=shop, customer_percent=customer,
                      cost_estimate=estimate, shop_share=shop_share,
                      customer_share=customer_share, delivery_promise=promise)
        # the timeline keeps the memo too, amounts as text (JSON)
        memo = {"claim": claim.id, **{k: str(v) if isinstance(v, Decimal) else v
                                      for k, v in values.items()}}
        workflow.act(complaint.id, MEMO_ACTION, actor=actor, at=moment, memo=memo)
        m = QualityMemo.create(claim=claim.id, written_by=actor.id,
                               written_at=moment.replace(microsecond=0), **values)
    return _memo_row(m, {actor.id: actor.name})


# --- the decision --------------------------------------------------------------------------------


def decide_claim(*, actor: User, claim_id: int, outcome: str, override_reason: str = "",
                 rework: RepairInput | None = None, quote_amount=None,
                 mediation_outcome: str = "", at: datetime | None = None) -> DecisionResult:
    """What is done about a claim (rules.md §6): in warranty → free rework, itself a finished
    repair with its own new warranty; out of warranty → a quote; disputed → mediation by the
    road transport authority, with its outcome. Rework out of warranty needs a reason and a
    manager or owner. A disputed claim may be decided again once mediation has ended; a
    rework or a quote is final."""
    f = ready()
    require_role(actor, *RECORDERS)
    outcome = clean_choice(outcome, OUTCOMES, field="outcome", label=N_("Outcome"))
    override_reason = clean_text(override_reason, field="override_reason",
                                 label=N_("Reason"), max_length=2000, required=False)
    mediation_outcome = clean_text(mediation_outcome, field="mediation_outcome",
                                   label=N_("Mediation outcome"), max_length=2000,
                                   required=False)
    moment = (at or clock.now()).replace(microsecond=0)
    with database.atomic():
        claim, complaint = _claim_for_update(actor, claim_id)
        if complaint.state == "archived":
            raise StateError(N_("The complaint of this claim is archived; it is read-only."))
        if claim.outcome in ("rework", "quote"):
            raise StateError(N_("This claim is already decided: {outcome}."),
                             outcome=tr_param(OUTCOME_NAMES[claim.outcome]))
        if claim.outcome == "disputed" and outcome == "disputed" and (
                claim.mediation_outcome or not mediation_outcome):
            raise StateError(N_("The claim is already in mediation; record its outcome, or "
                                "decide rework or a quote."))
        rework_id, route_recorded = None, False
        with language(f.language):
            if outcome == "rework":
                rework_id = _rework(actor, claim, override_reason, rework)
                note = _("Warranty claim decided: free rework, certificate {certificate}."
                         ).format(certificate=FinishedRepair.get_by_id(rework_id).certificate_no)
                if override_reason:
                    note += " " + _("Out of warranty, granted because: {reason}").format(
                        reason=override_reason)
            elif outcome == "quote":
                amount = clean_amount(quote_amount, field="quote_amount",
                                      label=N_("Quoted amount"))
                if amount is None or amount <= 0:
                    raise ValidationError(N_("Give the quoted amount."), field="quote_amount")
                claim.quote_amount = amount
                note = _("Warranty claim decided: quoted {amount} yuan.").format(amount=amount)
            else:
                note = _("Warranty claim disputed: mediation by the road transport "
                         "authority.")
                if mediation_outcome:
                    note += " " + _("Outcome: {outcome}").format(outcome=mediation_outcome)
                    claim.mediation_outcome = mediation_outcome
        if outcome == "disputed" and workflow.may(actor, complaint, "external_route"):
            step = workflow.act(complaint.id, "external_route", actor=actor, at=moment,
                                route=MEDIATION_ROUTE, outcome=mediation_outcome)
            route_recorded = True
        else:
            # The route itself can be recorded on the complaint only after the reply
            # (rules.md §4); till then it is kept on the claim and told in a note.
            step = workflow.act(complaint.id, "note", actor=actor, at=moment, note=note)
        claim.outcome = outcome
        claim.override_reason = override_reason if outcome == "rework" else ""
        claim.rework_repair = rework_id
        claim.decided_by = actor.id
        claim.decided_at = moment
        claim.save()
    return DecisionResult(claim.id, outcome, complaint.id, complaint.ticket, rework_id,
                          route_recorded, steps=step.changes)


def _rework(actor: User, claim: WarrantyClaim, reason: str, data: RepairInput | None) -> int:
    if not claim.in_warranty:
        if not reason:
            raise ValidationError(N_("The claim is out of warranty: give the reason for a free "
                                     "rework anyway."), field="override_reason")
        require_role(actor, "manager", "owner")  # a concession: not the front desk's alone
    if data is None:
        raise ValidationError(N_("Record the finished rework: its completion, certificate and "
                                 "inspections."), field="rework")
    original = FinishedRepair.get_by_id(claim.repair_id)
    vehicle = Vehicle.get_by_id(original.vehicle_id)
    values = _clean_repair(vehicle, data, now=clock.now(),
                           not_before=(claim.claim_date, claim.claim_km))
    return _create_repair(actor, vehicle, values, rework_of=original.id).id


