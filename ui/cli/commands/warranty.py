"""The `warranty` commands (docs/rules.md, repair warranty): `check` answers from the rule
alone, without a database; the others keep vehicles, finished repairs, claims, memos and
decisions of a repair shop.
"""
from __future__ import annotations

from services import warranty
from services.complaints import register as complaints
from services.firm import CHANNELS
from services.i18n import N_, _, format_date, format_datetime, format_money, format_number
from services.warranty import (
    ENDED_BY_NAMES,
    REPAIR_TYPE_NAMES,
    REPAIR_TYPES,
    VEHICLE_CLASS_NAMES,
    VEHICLE_CLASSES,
    RepairInput,
    check,
    describe_verdict,
)
from ui.cli.args import UsageError, one_of, parse_count, parse_day, parse_moment
from ui.cli.context import CliContext
from ui.cli.output import display_name, fields_block, iso, table

OUTCOME_NAMES = warranty.OUTCOME_NAMES


def add_commands(command, commands) -> None:
    """The `warranty` command group."""
    group = command(commands, "warranty", _("repair warranty: vehicles, repairs, claims "
                                            "(repair-shop profile)"))
    sub = group.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    p = command(sub, "check", _("is a claim in warranty? (needs no database)"), cmd_check)
    p.add_argument("--vehicle-class", required=True, type=one_of(VEHICLE_CLASSES),
                   metavar="|".join(VEHICLE_CLASSES), help=_("picks the row of the table"))
    _repair_type_option(p, "--repair-type")
    p.add_argument("--completed", required=True, type=parse_day, metavar="YYYY-MM-DD",
                   help=_("completion date of the repair"))
    p.add_argument("--completed-km", required=True, type=parse_count, metavar="N",
                   help=_("odometer at completion"))
    p.add_argument("--claim-date", required=True, type=parse_day, metavar="YYYY-MM-DD")
    p.add_argument("--claim-km", required=True, type=parse_count, metavar="N",
                   help=_("odometer at the claim"))

    p = command(sub, "terms", _("the warranty terms in force on a day"), cmd_terms)
    p.add_argument("--on", type=parse_day, metavar="DATE", help=_("default: today"))

    p = command(sub, "set-term", _("change one row of the terms from a day on"), cmd_set_term)
    p.add_argument("--vehicle-class", required=True, type=one_of(VEHICLE_CLASSES),
                   metavar="|".join(VEHICLE_CLASSES))
    _repair_type_option(p, "--repair-type")
    p.add_argument("--km", required=True, type=parse_count, metavar="N")
    p.add_argument("--days", required=True, type=parse_count, metavar="N")
    p.add_argument("--from", dest="effective_from", required=True, type=parse_day, metavar="DATE",
                   help=_("the day from which it applies"))

    p = command(sub, "vehicles", _("find vehicles by plate, VIN or owner"), cmd_vehicles)
    p.add_argument("--search", default="", metavar="TEXT")
    p.add_argument("--limit", type=parse_count, default=50, metavar="N")

    p = command(sub, "vehicle-add", _("record a vehicle and its owner"), cmd_vehicle_add)
    p.add_argument("--plate", required=True, help=_("plate no., e.g. 京A12345"))
    p.add_argument("--other-plate", action="store_true",
                   help=_("a foreign or temporary plate: do not check the mainland format"))
    p.add_argument("--vin", default="", help=_("17 characters"))
    p.add_argument("--vehicle-class", required=True, type=one_of(VEHICLE_CLASSES),
                   metavar="|".join(VEHICLE_CLASSES))
    p.add_argument("--make-model", default="", metavar="TEXT")
    p.add_argument("--owner", required=True, metavar="NAME")
    p.add_argument("--phone", default="")
    p.add_argument("--address", default="")

    p = command(sub, "history", _("a vehicle's repairs and claims"), cmd_history)
    p.add_argument("plate", metavar="PLATE")

    p = command(sub, "repair", _("record a finished repair (竣工出厂)"), cmd_repair)
    p.add_argument("--plate", required=True)
    _repair_options(p)

    p = command(sub, "claim", _("register a warranty claim; it becomes a repair-quality "
                                "complaint"), cmd_claim)
    p.add_argument("--certificate", required=True, metavar="NO",
                   help=_("certificate no. of the finished repair"))
    p.add_argument("--claim-date", required=True, type=parse_day, metavar="YYYY-MM-DD")
    p.add_argument("--claim-km", required=True, type=parse_count, metavar="N")
    p.add_argument("--description", required=True, help=_("what is wrong"))
    p.add_argument("--request", default="", help=_("what the customer asks for"))
    p.add_argument("--channel", type=one_of(CHANNELS), default="walk_in",
                   metavar="|".join(CHANNELS))
    p.add_argument("--received", type=parse_moment, metavar="DATETIME",
                   help=_("default: now, or the office opening on the claim date"))
    p.add_argument("--another", action="store_true",
                   help=_("the repair has an open complaint already and this is another one"))

    p = command(sub, "link-complaint", _("make a complaint already registered the warranty "
                                         "claim on a repair"), cmd_link_complaint)
    p.add_argument("ticket", metavar="TICKET")
    p.add_argument("--certificate", required=True, metavar="NO",
                   help=_("certificate no. of the finished repair"))
    p.add_argument("--claim-km", required=True, type=parse_count, metavar="N")
    p.add_argument("--claim-date", type=parse_day, metavar="YYYY-MM-DD",
                   help=_("default: the day the complaint was received"))

    p = command(sub, "memo", _("record the quality memo of a claim"), cmd_memo)
    p.add_argument("ticket", metavar="TICKET", help=_("the claim's complaint"))
    p.add_argument("--findings", required=True)
    p.add_argument("--shop-percent", required=True, type=parse_count, metavar="PERCENT")
    p.add_argument("--customer-percent", required=True, type=parse_count, metavar="PERCENT")
    p.add_argument("--estimate", required=True, metavar="YUAN",
                   help=_("estimated cost of the rework"))
    p.add_argument("--promise", required=True, help=_("delivery promise"))

    p = command(sub, "decide", _("decide a claim: rework, quote or disputed"), cmd_decide)
    p.add_argument("ticket", metavar="TICKET", help=_("the claim's complaint"))
    p.add_argument("--outcome", required=True, type=one_of(warranty.OUTCOMES),
                   metavar="|".join(warranty.OUTCOMES))
    p.add_argument("--amount", metavar="YUAN", help=_("quote: the quoted amount"))
    p.add_argument("--reason", default="",
                   help=_("rework out of warranty: why it is granted anyway"))
    p.add_argument("--mediation-outcome", default="", metavar="TEXT",
                   help=_("disputed: the outcome of the mediation"))
    _repair_options(p, required=False)


def _repair_type_option(p, flag: str, *, required: bool = True) -> None:
    p.add_argument(flag, required=required, type=one_of(REPAIR_TYPES), metavar="TYPE",
                   help=_("one of {types}").format(types=", ".join(REPAIR_TYPES)))


def _repair_options(p, *, required: bool = True) -> None:
    """The finished repair's fields; for `decide --outcome rework` they describe the rework."""
    _repair_type_option(p, "--type", required=required)
    p.add_argument("--work", required=required, help=_("work done"))
    p.add_argument("--parts", default="", help=_("parts used"))
    p.add_argument("--labour", default="", metavar="YUAN")
    p.add_argument("--material", default="", metavar="YUAN")
    p.add_argument("--completed", required=required, type=parse_day, metavar="YYYY-MM-DD")
    p.add_argument("--completed-km", required=required, type=parse_count, metavar="N")
    p.add_argument("--certificate-no", required=required, metavar="NO",
                   help=_("竣工出厂合格证 no."))
    for key, label in (("self", N_("self-inspection")), ("team", N_("team inspection")),
                       ("final", N_("final inspection"))):
        p.add_argument(f"--{key}-inspector", required=required, metavar="NAME",
                       help=_("{inspection}: who").format(inspection=_(label)))
        p.add_argument(f"--{key}-inspected", required=required, type=parse_moment,
                       metavar="DATETIME", help=_("{inspection}: when").format(
                           inspection=_(label)))


def _repair_input(a) -> RepairInput:
    return RepairInput(
        repair_type=a.type, work_done=a.work, parts_used=a.parts, labour_amount=a.labour,
        material_amount=a.material, completed_on=a.completed, completed_km=a.completed_km,
        certificate_no=a.certificate_no, self_inspector=a.self_inspector,
        self_inspected_at=a.self_inspected, team_inspector=a.team_inspector,
        team_inspected_at=a.team_inspected, final_inspector=a.final_inspector,
        final_inspected_at=a.final_inspected)


def _verdict_json(v) -> dict:
    return {"in_warranty": v.in_warranty, "ended_by": v.ended_by,
            "expires_on": iso(v.expires_on), "expires_at_km": v.expires_at_km,
            "days_used": v.days_used, "km_used": v.km_used, "days_left": v.days_left,
            "km_left": v.km_left, "km_limit": v.km_limit, "day_limit": v.day_limit}


def cmd_check(s: CliContext) -> int:
    a = s.args
    # The national table (docs/rules.md): a question, so no database is opened or made.
    v = check(a.vehicle_class, a.repair_type, a.completed, a.completed_km, a.claim_date,
              a.claim_km)
    s.emit(_verdict_json(v), lambda: "\n".join([
        _("In warranty") if v.in_warranty else _("Out of warranty"),
        describe_verdict(v),
        fields_block([
            (_("Terms"), _("{km} km / {days} days, whichever comes first").format(
                km=format_number(v.km_limit), days=v.day_limit)),
            (_("Ended by"), _(ENDED_BY_NAMES[v.ended_by]) if v.ended_by else ""),
            (_("Expires on"), format_date(v.expires_on)),
            (_("Expires at"), f"{format_number(v.expires_at_km)} km"),
        ])]))
    return 0


def cmd_terms(s: CliContext) -> int:
    s.open_db(need_firm=True)
    rows = warranty.terms_table(s.args.on)
    s.emit([{"vehicle_class": t.vehicle_class, "repair_type": t.repair_type, "km": t.km,
             "days": t.days, "effective_from": iso(t.effective_from)} for t in rows],
           lambda: table([_("Vehicle class"), _("Repair type"), _("Distance"), _("Days"),
                          _("Since")],
                         [[display_name(VEHICLE_CLASS_NAMES, t.vehicle_class),
                           display_name(REPAIR_TYPE_NAMES, t.repair_type),
                           f"{format_number(t.km)} km", str(t.days), format_date(t.effective_from)]
                          for t in rows]))
    return 0


def cmd_set_term(s: CliContext) -> int:
    a = s.args
    s.open_db(need_firm=True)
    t = warranty.set_term(actor=s.actor(), vehicle_class=a.vehicle_class,
                          repair_type=a.repair_type, km=a.km, days=a.days,
                          effective_from=a.effective_from)
    s.emit({"vehicle_class": t.vehicle_class, "repair_type": t.repair_type, "km": t.km,
            "days": t.days, "effective_from": iso(t.effective_from)},
           lambda: _("From {day}: {type} on a {vehicle_class}, {km} km / {days} days.").format(
               day=format_date(t.effective_from),
               type=display_name(REPAIR_TYPE_NAMES, t.repair_type),
               vehicle_class=display_name(VEHICLE_CLASS_NAMES, t.vehicle_class),
               km=format_number(t.km), days=t.days))
    return 0


def _vehicle_json(v) -> dict:
    return {"plate": v.plate, "plate_override": v.plate_override, "vin": v.vin,
            "make_model": v.make_model, "vehicle_class": v.vehicle_class, "owner": v.owner_name,
            "phone": v.owner_phone, "repairs": v.repairs,
            "last_completed": iso(v.last_completed)}


def cmd_vehicles(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    found = warranty.find_vehicles(actor=actor, text=a.search, limit=a.limit)
    total = warranty.count_vehicles(actor=actor, text=a.search)
    s.emit([_vehicle_json(v) for v in found], lambda: "\n".join([
        table([_("Plate"), _("VIN"), _("Make and model"), _("Vehicle owner"), _("Phone"),
               _("Repairs"), _("Last repair")],
              [[v.plate, v.vin, v.make_model, v.owner_name, v.owner_phone, str(v.repairs),
                format_date(v.last_completed)] for v in found]),
        _("{shown} of {total}").format(shown=len(found), total=total)]))
    return 0


def cmd_vehicle_add(s: CliContext) -> int:
    a = s.args
    s.open_db(need_firm=True)
    saved = warranty.save_vehicle(
        actor=s.actor(), plate=a.plate, plate_override=a.other_plate, vin=a.vin,
        vehicle_class=a.vehicle_class, make_model=a.make_model, owner_name=a.owner,
        owner_phone=a.phone, owner_address=a.address)
    data = _vehicle_json(saved.vehicle) | {"warnings": saved.warnings}
    s.emit(data, lambda: "\n".join(
        [_("Recorded vehicle {plate}.").format(plate=saved.vehicle.plate)]
        + [_("Warning: {text}").format(text=w) for w in saved.warnings]))
    return 0


def _vehicle_by_plate(actor, plate: str):
    wanted = warranty.normalize_plate(plate)
    for v in warranty.find_vehicles(actor=actor, text=wanted, limit=20):
        if v.plate == wanted:
            return v
    raise UsageError(N_("No vehicle with the plate {plate}."), field="plate", plate=plate)


def _repair_json(r) -> dict:
    return {"certificate_no": r.certificate_no, "repair_type": r.repair_type,
            "completed_on": iso(r.completed_on), "completed_km": r.completed_km,
            "labour_amount": r.labour_amount, "material_amount": r.material_amount,
            "term_km": r.term_km, "term_days": r.term_days, "expires_on": iso(r.expires_on),
            "expires_at_km": r.expires_at_km, "rework_of": r.rework_of_certificate or None}


def _claim_json(c) -> dict:
    return {"ticket": c.ticket, "certificate_no": c.certificate_no,
            "claim_date": iso(c.claim_date), "claim_km": c.claim_km,
            "verdict": _verdict_json(c.verdict), "state": c.complaint_state,
            "outcome": c.outcome or None, "quote_amount": c.quote_amount,
            "memo": None if c.memo is None else {
                "shop_percent": c.memo.shop_percent,
                "customer_percent": c.memo.customer_percent,
                "cost_estimate": c.memo.cost_estimate, "shop_share": c.memo.shop_share,
                "customer_share": c.memo.customer_share},
            "memo_due": iso(c.memo_due), "memo_status": c.memo_status or None}


def cmd_history(s: CliContext) -> int:
    actor = s.log_in()
    v = _vehicle_by_plate(actor, s.args.plate)
    h = warranty.vehicle_history(actor=actor, vehicle_id=v.id)

    def text() -> str:
        parts = [fields_block([
            (_("Plate"), v.plate), (_("VIN"), v.vin), (_("Make and model"), v.make_model),
            (_("Vehicle class"), display_name(VEHICLE_CLASS_NAMES, v.vehicle_class)),
            (_("Vehicle owner"), " / ".join(x for x in (v.owner_name, v.owner_phone) if x))]),
            "", _("Repairs:")]
        parts.append(table(
            [_("Certificate no."), _("Repair type"), _("Completed"), _("Odometer"),
             _("Warranty until")],
            [[r.certificate_no, display_name(REPAIR_TYPE_NAMES, r.repair_type),
              format_date(r.completed_on), f"{format_number(r.completed_km)} km",
              f"{format_date(r.expires_on)} / {format_number(r.expires_at_km)} km"]
             for r in h.repairs]) if h.repairs else "  " + _("none"))
        parts += ["", _("Claims:")]
        parts.append(table(
            [_("Ticket"), _("Certificate no."), _("Claim date"), _("Verdict"), _("Outcome")],
            [[c.ticket, c.certificate_no, format_date(c.claim_date),
              _("In warranty") if c.verdict.in_warranty else _("Out of warranty"),
              display_name(OUTCOME_NAMES, c.outcome) if c.outcome else ""]
             for c in h.claims]) if h.claims else "  " + _("none"))
        return "\n".join(parts)

    s.emit({"vehicle": _vehicle_json(v), "repairs": [_repair_json(r) for r in h.repairs],
            "claims": [_claim_json(c) for c in h.claims]}, text)
    return 0


def cmd_repair(s: CliContext) -> int:
    actor = s.log_in()
    v = _vehicle_by_plate(actor, s.args.plate)
    r = warranty.record_repair(actor=actor, vehicle_id=v.id, data=_repair_input(s.args))
    s.emit(_repair_json(r), lambda: _(
        "Recorded repair {certificate} on {plate}; in warranty until {day} or {km} km, "
        "whichever comes first.").format(certificate=r.certificate_no, plate=r.plate,
                                         day=format_date(r.expires_on),
                                         km=format_number(r.expires_at_km)))
    return 0


def cmd_claim(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    repair = warranty.repair_by_certificate(actor=actor, certificate_no=a.certificate)
    result = warranty.register_claim(actor=actor, repair_id=repair.id, claim_date=a.claim_date,
                                     claim_km=a.claim_km, description=a.description,
                                     request=a.request, channel=a.channel,
                                     received_at=a.received, another=a.another)
    claim = warranty.get_claim(actor=actor, claim_id=result.claim_id)
    s.emit(_claim_json(claim), lambda: "\n".join([
        _("Registered claim as complaint {ticket}.").format(ticket=result.ticket),
        describe_verdict(result.verdict),
        _("Quality memo due: {due}").format(due=format_datetime(claim.memo_due))
        if claim.memo_due else ""]).strip())
    return 0


def cmd_link_complaint(s: CliContext) -> int:
    a = s.args
    actor = s.log_in()
    repair = warranty.repair_by_certificate(actor=actor, certificate_no=a.certificate)
    result = warranty.link_complaint(actor=actor, repair_id=repair.id, complaint=a.ticket,
                                     claim_km=a.claim_km, claim_date=a.claim_date)
    claim = warranty.get_claim(actor=actor, claim_id=result.claim_id)
    s.emit(_claim_json(claim), lambda: "\n".join([
        _("Complaint {ticket} is now the claim on certificate {certificate}.").format(
            ticket=result.ticket, certificate=repair.certificate_no),
        describe_verdict(result.verdict)]))
    return 0


def _claim_of(s: CliContext):
    """The logged-in user, and the warranty claim that complaint TICKET is."""
    actor = s.log_in()
    ticket = s.args.ticket
    complaint = complaints.find(ticket, actor=actor)
    claim = warranty.claim_of_complaint(actor=actor, complaint_id=complaint.id)
    if claim is None:
        raise UsageError(N_("Complaint {ticket} is not a warranty claim."), field="ticket",
                         ticket=ticket)
    return actor, claim


def cmd_memo(s: CliContext) -> int:
    a = s.args
    actor, claim = _claim_of(s)
    m = warranty.record_memo(actor=actor, claim_id=claim.id, findings=a.findings,
                             shop_percent=a.shop_percent, customer_percent=a.customer_percent,
                             cost_estimate=a.estimate, delivery_promise=a.promise)
    s.emit({"ticket": claim.ticket, "shop_percent": m.shop_percent,
            "customer_percent": m.customer_percent, "cost_estimate": m.cost_estimate,
            "shop_share": m.shop_share, "customer_share": m.customer_share},
           lambda: _("Quality memo recorded for {ticket}: the shop pays {shop}, the customer "
                     "{customer}.").format(ticket=claim.ticket,
                                           shop=format_money(m.shop_share),
                                           customer=format_money(m.customer_share)))
    return 0


def cmd_decide(s: CliContext) -> int:
    a = s.args
    actor, claim = _claim_of(s)
    rework = _repair_input(a) if a.outcome == "rework" else None
    if rework is not None:
        missing = [flag for flag, value in (
            ("--type", a.type), ("--work", a.work), ("--completed", a.completed),
            ("--completed-km", a.completed_km), ("--certificate-no", a.certificate_no))
            if value in (None, "")]
        if missing:
            raise UsageError(N_("A rework is a finished repair: give {flags}."), field="rework",
                             flags=", ".join(missing))
    r = warranty.decide_claim(actor=actor, claim_id=claim.id, outcome=a.outcome,
                              override_reason=a.reason, rework=rework, quote_amount=a.amount,
                              mediation_outcome=a.mediation_outcome)
    s.emit({"ticket": r.ticket, "outcome": r.outcome, "route_recorded": r.route_recorded,
            "rework_certificate": a.certificate_no if r.rework_repair_id else None},
           lambda: _("{ticket}: {outcome}.").format(ticket=r.ticket,
                                                   outcome=display_name(OUTCOME_NAMES, r.outcome)))
    return 0
