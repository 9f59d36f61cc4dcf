"""Warranty records (rules.md §6): the presets of a repair shop, the terms table over time,
vehicles and their owners, and finished repairs with the terms of their completion day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from peewee import SQL, fn

from models.base import id_page, key_page
from models.db import database, generation
from models.entities import Complainant, Complaint, DeadlineRule, Firm, User
from models.warranty import FinishedRepair, Vehicle, WarrantyTerm
from services import clock
from services.complaints import path as workflow
from services.errors import StateError, ValidationError, found, tr_param
from services.i18n import N_
from services.people import require_role
from services.validation import ZERO, clean_amount, clean_phone, clean_text
from services.warranty.rules import (
    MAX_TERM_DAYS,
    MAX_TERM_KM,
    PRESET_SINCE,
    PRESET_TERMS,
    REPAIR_TYPES,
    VEHICLE_CLASSES,
    Terms,
    check,
    clean_odometer,
    clean_repair_type,
    clean_vehicle_class,
    no_terms,
)
from services.warranty.vehicle_ids import clean_vin, normalize_plate, normalize_vin, validate_plate

PROFILE = "repair-shop"
CLAIM_TRIGGER = "warranty_claim"  # starts the memo clock (a §5 rule's start_on)
MEMO_ACTION = "quality_memo"
MEMO_RULE_CODE = "quality_memo_2wd"
RECORDERS = ("receiver", "manager", "owner")
TERM_EDITORS = ("owner", "manager")


# --- set-up ----------------------------------------------------------------------------------


def ensure_terms(now: datetime | None = None) -> bool:
    """Give a repair-shop firm the §6 table and the §5 memo time limit (2nd working day) if
    it has none yet; True if anything was added. Safe to call any number of times."""
    f = Firm.select().first()
    if f is None or f.profile != PROFILE:
        return False
    now = now or clock.now()
    added = False
    with database.atomic():
        if not WarrantyTerm.select().exists():
            WarrantyTerm.insert_many([
                {"vehicle_class": vc, "repair_type": rt, "km": km, "days": days,
                 "effective_from": PRESET_SINCE, "set_by": None, "set_at": now}
                for (vc, rt), (km, days) in PRESET_TERMS.items()]).execute()
            added = True
        if not DeadlineRule.select().where(DeadlineRule.code == MEMO_RULE_CODE).exists():
            # rules.md §5 furniture/quality preset: the memo by the 2nd working day.
            DeadlineRule.create(code=MEMO_RULE_CODE, name_zh="质量投诉处理备忘单：第2个工作日内",
                                name_en="Quality memo by the 2nd working day",
                                start_on=CLAIM_TRIGGER, stop_on=MEMO_ACTION, length=2,
                                unit="working_days", kind="customer",
                                sort=DeadlineRule.select().count())
            added = True
    return added


_ensured: set[int] = set()


def ready() -> Firm:
    """The firm, which must be a repair shop; its presets added on first use (a database
    migrated from before the warranty existed gets them here)."""
    f = workflow.firm()
    if f.profile != PROFILE:
        raise StateError(N_("Repair warranty is part of the repair-shop profile."))
    if generation() not in _ensured:
        ensure_terms()
        _ensured.add(generation())
    return f


def is_available() -> bool:
    """Whether this database's firm uses the warranty (the window shows the section)."""
    f = Firm.select().first()
    return f is not None and f.profile == PROFILE


# --- the terms table -------------------------------------------------------------------------


@dataclass(frozen=True)
class TermRow:
    id: int
    vehicle_class: str
    repair_type: str
    km: int
    days: int
    effective_from: date
    set_by: str  # "" for the national preset
    set_at: datetime


def _term_row(t: WarrantyTerm, names: dict[int, str]) -> TermRow:
    return TermRow(t.id, t.vehicle_class, t.repair_type, t.km, t.days, t.effective_from,
                   names.get(t.set_by_id, "") if t.set_by_id else "", t.set_at)


def _user_names() -> dict[int, str]:
    return {u.id: u.name for u in User.select(User.id, User.name)}


def terms_on(vehicle_class: str, repair_type: str, day: date) -> Terms:
    """The terms in force on ``day`` for this class and type (the latest change on or before
    it); ValidationError if the table has no such row."""
    ready()
    vehicle_class = clean_vehicle_class(vehicle_class)
    repair_type = clean_repair_type(repair_type)
    row = (WarrantyTerm.select()
           .where((WarrantyTerm.vehicle_class == vehicle_class)
                  & (WarrantyTerm.repair_type == repair_type)
                  & (WarrantyTerm.effective_from <= day))
           .order_by(WarrantyTerm.effective_from.desc(), WarrantyTerm.id.desc()).first())
    if row is None:
        raise no_terms(vehicle_class, repair_type)
    return Terms(row.km, row.days, row.effective_from)


def terms_table(day: date | None = None) -> list[TermRow]:
    """The table in force on ``day`` (default today): one row per class and type that has
    one, in the order of VEHICLE_CLASSES and REPAIR_TYPES."""
    ready()
    day = day or clock.now().date()
    names = _user_names()
    current: dict[tuple[str, str], WarrantyTerm] = {}
    for t in (WarrantyTerm.select().where(WarrantyTerm.effective_from <= day)
              .order_by(WarrantyTerm.effective_from, WarrantyTerm.id)):
        current[(t.vehicle_class, t.repair_type)] = t
    return [_term_row(current[(vc, rt)], names) for vc in VEHICLE_CLASSES for rt in REPAIR_TYPES
            if (vc, rt) in current]


def term_history() -> list[TermRow]:
    """Every row ever set, newest first (changes are added, never overwritten)."""
    ready()
    names = _user_names()
    return [_term_row(t, names) for t in WarrantyTerm.select()
            .order_by(WarrantyTerm.effective_from.desc(), WarrantyTerm.id.desc())]


def _whole(value, *, field: str, label: str, low: int, high: int) -> int:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = int(str(value).replace(",", "").strip())
    except (TypeError, ValueError):
        raise ValidationError(N_("{label} must be a whole number."), field=field,
                              label=tr_param(label)) from None
    if not low <= number <= high:
        raise ValidationError(N_("{label} must be between {low} and {high}."), field=field,
                              label=tr_param(label), low=low, high=high)
    return number


def set_term(*, actor: User, vehicle_class: str, repair_type: str, km, days,
             effective_from: date) -> TermRow:
    """Change one row of the table from a day on (local rules change, rules.md §6). Repairs
    already recorded keep the terms they were given."""
    ready()
    require_role(actor, *TERM_EDITORS)
    vehicle_class = clean_vehicle_class(vehicle_class)
    repair_type = clean_repair_type(repair_type)
    km = _whole(km, field="km", label=N_("Distance (km)"), low=1, high=MAX_TERM_KM)
    days = _whole(days, field="days", label=N_("Days"), low=1, high=MAX_TERM_DAYS)
    if isinstance(effective_from, datetime):
        effective_from = effective_from.date()
    if not isinstance(effective_from, date) or effective_from < PRESET_SINCE:
        raise ValidationError(N_("Give the day from which the change applies."),
                              field="effective_from")
    with database.atomic():
        t = WarrantyTerm.create(vehicle_class=vehicle_class, repair_type=repair_type, km=km,
                                days=days, effective_from=effective_from, set_by=actor.id,
                                set_at=clock.now())
    return _term_row(t, {actor.id: actor.name})


# --- vehicles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VehicleRow:
    id: int
    plate: str
    plate_override: bool
    vin: str
    make_model: str
    vehicle_class: str
    owner_id: int
    owner_name: str
    owner_phone: str
    owner_address: str
    repairs: int
    last_completed: date | None


@dataclass(frozen=True)
class SavedVehicle:
    vehicle: VehicleRow
    warnings: list[str]  # translated: a VIN check digit that does not match


def _vehicle_query():
    return (Vehicle.select(Vehicle, Complainant)
            .join(Complainant, on=(Vehicle.owner == Complainant.id), attr="person"))


def _vehicle_rows(vehicles) -> list[VehicleRow]:
    vehicles = list(vehicles)
    ids = [v.id for v in vehicles]
    stats = {}
    if ids:
        stats = {row[0]: (row[1], row[2]) for row in
                 FinishedRepair.select(FinishedRepair.vehicle, fn.COUNT(FinishedRepair.id),
                                       fn.MAX(FinishedRepair.completed_on))
                 .where(FinishedRepair.vehicle.in_(ids)).group_by(FinishedRepair.vehicle)
                 .tuples()}
    rows = []
    for v in vehicles:
        count, last = stats.get(v.id, (0, None))
        if isinstance(last, str):  # SQLite hands MAX() of a date back as text
            last = date.fromisoformat(last)
        owner = v.person
        rows.append(VehicleRow(v.id, v.plate, v.plate_override, v.vin, v.make_model,
                               v.vehicle_class, v.owner_id, owner.name, owner.phone,
                               owner.address, count, last))
    return rows


def _search(text: str):
    text = (text or "").strip()
    if not text:
        return True
    cond = Complainant.name.contains(text) | Complainant.phone.startswith(text)
    plate = normalize_plate(text)
    if plate:
        cond |= Vehicle.plate.contains(plate)
    vin = normalize_vin(text)
    if vin:
        cond |= Vehicle.vin.contains(vin)
    return cond


def count_vehicles(*, actor: User, text: str = "") -> int:
    ready()
    return (Vehicle.select(fn.COUNT(Vehicle.id))
            .join(Complainant, on=(Vehicle.owner == Complainant.id))
            .where(_search(text)).scalar())


def find_vehicles(*, actor: User, text: str = "", offset: int = 0, limit: int | None = 100
                  ) -> list[VehicleRow]:
    """Vehicles whose plate, VIN, owner's name or phone matches ``text``; the ones seen to
    most recently first. Vehicles are the shop's job records: every user may look them up."""
    ready()
    q = (_vehicle_query().where(_search(text))
         .order_by(Vehicle.updated_at.desc(), Vehicle.id.desc()).offset(offset))
    if limit is not None:
        q = q.limit(limit)
    return _vehicle_rows(q)


# --- the vehicles list by key (rules.md §10) -------------------------------------------------
# find_vehicles' order (seen to most recently first) read "after this row" or "before this
# row" on the (updated_at, id) index of migration 11, so the list reaches its last vehicle in
# one index range. A page is a list of ``(id, key)``, the key the row's ``(updated_at, id)``.


def _vehicle_ids(text: str):
    return (Vehicle.select(Vehicle.id)
            .join(Complainant, on=(Vehicle.owner == Complainant.id)).where(_search(text)))


def count_vehicles_upto(*, actor: User, text: str = "", at_most: int) -> int:
    """How many vehicles match ``text``, counting no further than ``at_most``."""
    ready()
    return Vehicle.select(fn.COUNT(SQL("1"))).from_(
        _vehicle_ids(text).limit(at_most).alias("capped")).scalar() or 0


def vehicle_page(*, actor: User, text: str = "", key: tuple | None = None, limit: int = 100,
                 backwards: bool = False) -> list[tuple[int, tuple]]:
    """``(id, key)`` of the ``limit`` vehicles just after ``key`` (None: the first), or with
    ``backwards`` just before it (None: the last), in find_vehicles' order."""
    ready()
    rows = key_page(_vehicle_ids(text), Vehicle.updated_at, Vehicle.id, descending=True,
                    key=key, limit=limit, backwards=backwards)
    return [(i, (v, i)) for i, v in rows]


def vehicle_page_at(*, actor: User, text: str = "", offset: int = 0, limit: int = 100,
                    total: int | None = None) -> list[tuple[int, tuple]]:
    """The page at row ``offset`` (a jump far from any page held), from the nearer end."""
    ready()
    q = _vehicle_ids(text)
    if total is not None and offset + limit / 2 > total / 2:
        wanted = min(limit, total - offset)
        if wanted <= 0:
            return []
        rows = id_page(q, Vehicle.updated_at, Vehicle.id, descending=True,
                       offset=max(total - offset - limit, 0), limit=wanted, values=True,
                       reverse=True)[::-1]
    else:
        rows = id_page(q, Vehicle.updated_at, Vehicle.id, descending=True, offset=offset,
                       limit=limit, values=True)
    return [(i, (v, i)) for i, v in rows]


def vehicles_by_id(*, actor: User, vehicle_ids: list[int]) -> list[VehicleRow]:
    """The vehicles ``vehicle_ids`` as the list shows them (any order)."""
    ready()
    if not vehicle_ids:
        return []
    return _vehicle_rows(_vehicle_query().where(Vehicle.id.in_(list(vehicle_ids))))


def get_vehicle(*, actor: User, vehicle_id: int) -> VehicleRow:
    ready()
    v = found(_vehicle_query().where(Vehicle.id == vehicle_id).first(), N_("No such vehicle."))
    return _vehicle_rows([v])[0]


def save_vehicle(*, actor: User, plate: str, vehicle_class: str, owner_name: str,
                 owner_phone: str = "", owner_address: str = "", vin: str = "",
                 make_model: str = "", plate_override: bool = False,
                 vehicle_id: int | None = None) -> SavedVehicle:
    """Record a vehicle and its owner, or correct one. A wrong VIN check digit is returned
    as a warning; a plate that does not fit the mainland format is refused unless
    ``plate_override`` (foreign or temporary plate), which is recorded."""
    ready()
    require_role(actor, *RECORDERS)
    plate = validate_plate(plate, allow_other=bool(plate_override))
    vin, warnings = clean_vin(vin) if normalize_vin(vin) else ("", [])
    vehicle_class = clean_vehicle_class(vehicle_class)
    make_model = clean_text(make_model, field="make_model", label=N_("Make and model"),
                            max_length=100, required=False)
    owner = dict(
        name=clean_text(owner_name, field="owner_name", label=N_("Vehicle owner"), max_length=100),
        phone=clean_phone(owner_phone, field="owner_phone"),
        address=clean_text(owner_address, field="owner_address", label=N_("Address"),
                           max_length=300, required=False))
    now = clock.now()
    with database.atomic():
        existing = None
        if vehicle_id is not None:
            existing = found(Vehicle.get_or_none(Vehicle.id == vehicle_id),
                             N_("No such vehicle."))
        others = Vehicle.select().where(Vehicle.id != (vehicle_id or 0))
        if others.where(Vehicle.plate == plate).exists():
            raise ValidationError(N_("A vehicle with the plate {plate} is already recorded."),
                                  field="plate", plate=plate)
        if vin and others.where(Vehicle.vin == vin).exists():
            raise ValidationError(N_("A vehicle with the VIN {vin} is already recorded."),
                                  field="vin", vin=vin)
        values = dict(plate=plate, plate_override=bool(plate_override), vin=vin,
                      make_model=make_model, vehicle_class=vehicle_class, updated_at=now)
        if existing is None:
            person = Complainant.create(**owner)
            v = Vehicle.create(owner=person.id, created_by=actor.id, created_at=now, **values)
        else:
            person = Complainant.get_by_id(existing.owner_id)
            if any(getattr(person, k) != val for k, val in owner.items()):
                if Complaint.select().where(Complaint.complainant == person.id).exists():
                    # The owner's complaints keep the details they were made with (rules.md §3:
                    # nothing is silently overwritten): new details, new row.
                    person = Complainant.create(**owner)
                else:
                    Complainant.update(**owner).where(Complainant.id == person.id).execute()
            Vehicle.update(owner=person.id, **values).where(Vehicle.id == existing.id).execute()
            v = existing
    return SavedVehicle(get_vehicle(actor=actor, vehicle_id=v.id), warnings)


# --- finished repairs ------------------------------------------------------------------------


@dataclass
class RepairInput:
    """What the finished-repair form (or the CLI) collects (rules.md §6 竣工出厂)."""

    repair_type: str = ""
    work_done: str = ""
    parts_used: str = ""
    labour_amount: Decimal | str | None = None
    material_amount: Decimal | str | None = None
    completed_on: date | None = None
    completed_km: int | None = None
    certificate_no: str = ""
    self_inspector: str = ""
    self_inspected_at: datetime | None = None
    team_inspector: str = ""
    team_inspected_at: datetime | None = None
    final_inspector: str = ""
    final_inspected_at: datetime | None = None


INSPECTIONS = (("self", N_("Self-inspection")), ("team", N_("Team inspection")),
               ("final", N_("Final inspection")))


@dataclass(frozen=True)
class RepairRow:
    id: int
    vehicle_id: int
    plate: str
    vehicle_class: str
    repair_type: str
    work_done: str
    parts_used: str
    labour_amount: Decimal
    material_amount: Decimal
    completed_on: date
    completed_km: int
    certificate_no: str
    inspections: tuple[tuple[str, datetime], ...]  # (who, when): self, team, final
    term_km: int
    term_days: int
    term_effective_from: date
    expires_on: date
    expires_at_km: int
    rework_of_id: int | None
    rework_of_certificate: str
    recorded_by: str
    recorded_at: datetime

    @property
    def terms(self) -> Terms:
        return Terms(self.term_km, self.term_days, self.term_effective_from)

    @property
    def total_amount(self) -> Decimal:
        return self.labour_amount + self.material_amount


def _repair_rows(repairs) -> list[RepairRow]:
    repairs = list(repairs)
    if not repairs:
        return []
    names = _user_names()
    vehicles = {v.id: v for v in Vehicle.select().where(
        Vehicle.id.in_({r.vehicle_id for r in repairs}))}
    parents = {r.id: r.certificate_no for r in FinishedRepair.select(
        FinishedRepair.id, FinishedRepair.certificate_no).where(
        FinishedRepair.id.in_({r.rework_of_id for r in repairs if r.rework_of_id}))}
    out = []
    for r in repairs:
        v = vehicles[r.vehicle_id]
        terms = Terms(r.term_km, r.term_days, r.term_effective_from)
        out.append(RepairRow(
            r.id, r.vehicle_id, v.plate, v.vehicle_class, r.repair_type, r.work_done,
            r.parts_used, r.labour_amount, r.material_amount, r.completed_on,
            r.completed_km, r.certificate_no,
            ((r.self_inspector, r.self_inspected_at), (r.team_inspector, r.team_inspected_at),
             (r.final_inspector, r.final_inspected_at)),
            terms.km, terms.days, terms.effective_from,
            check(v.vehicle_class, r.repair_type, r.completed_on, r.completed_km,
                  r.completed_on, r.completed_km, terms).expires_on,
            r.completed_km + terms.km, r.rework_of_id, parents.get(r.rework_of_id, ""),
            names.get(r.recorded_by_id, ""), r.recorded_at))
    return out


def get_repair(*, actor: User, repair_id: int) -> RepairRow:
    ready()
    r = found(FinishedRepair.get_or_none(FinishedRepair.id == repair_id), N_("No such repair."))
    return _repair_rows([r])[0]


def repair_by_certificate(*, actor: User, certificate_no: str) -> RepairRow:
    ready()
    r = found(FinishedRepair.get_or_none(
        FinishedRepair.certificate_no == (certificate_no or "").strip()),
        N_("No repair with the certificate no. {number}."), field="certificate_no",
        number=certificate_no)
    return _repair_rows([r])[0]


def _moment(value, *, field: str, label: str, now: datetime) -> datetime:
    if value is None:
        raise ValidationError(N_("{label}: give the time."), field=field, label=tr_param(label))
    if not isinstance(value, datetime):
        raise ValidationError(N_("{label}: {value} is not a date and time."), field=field,
                              label=tr_param(label), value=value)
    value = value.replace(microsecond=0, tzinfo=None)
    if value > now:
        raise ValidationError(N_("{label} cannot be in the future."), field=field,
                              label=tr_param(label))
    return value


def _day(value, *, field: str, label: str, today: date) -> date:
    if value is None:
        raise ValidationError(N_("{label} must not be empty."), field=field,
                              label=tr_param(label))
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise ValidationError(N_("{label}: {value} is not a date."), field=field,
                              label=tr_param(label), value=value)
    if value > today:
        raise ValidationError(N_("{label} cannot be in the future."), field=field,
                              label=tr_param(label))
    if value.year < 2000:
        raise ValidationError(N_("{label}: {year} is not a plausible year."), field=field,
                              label=tr_param(label), year=value.year)
    return value


def _money(value, *, field: str, label: str) -> Decimal:
    amount = clean_amount(value, field=field, label=label)
    return amount if amount is not None else ZERO


def _clean_repair(vehicle: Vehicle, data: RepairInput, *, now: datetime,
                  not_before: tuple[date, int] | None = None) -> dict:
    repair_type = clean_repair_type(data.repair_type)
    completed_on = _day(data.completed_on, field="completed_on", label=N_("Completion date"),
                        today=now.date())
    completed_km = clean_odometer(data.completed_km, field="completed_km",
                                  label=N_("Odometer at completion"))
    if not_before is not None:
        if completed_on < not_before[0]:
            raise ValidationError(N_("The rework cannot be completed before the claim "
                                     "({date})."), field="completed_on",
                                  date=not_before[0].isoformat())
        if completed_km < not_before[1]:
            raise ValidationError(N_("The odometer at completion of the rework cannot be lower "
                                     "than at the claim ({km} km)."), field="completed_km",
                                  km=not_before[1])
    earlier = (FinishedRepair.select(FinishedRepair.completed_on, FinishedRepair.completed_km)
               .where((FinishedRepair.vehicle == vehicle.id)
                      & (FinishedRepair.completed_on <= completed_on)
                      & (FinishedRepair.completed_km > completed_km))
               .order_by(FinishedRepair.completed_km.desc()).first())
    if earlier is not None:
        raise ValidationError(N_("The odometer reads {km} km, lower than at the repair of {date} "
                                 "({earlier} km): possible rollback. Check the reading."),
                              field="completed_km", km=completed_km,
                              date=earlier.completed_on.isoformat(),
                              earlier=earlier.completed_km)
    certificate = clean_text(data.certificate_no, field="certificate_no",
                             label=N_("Certificate no."), max_length=40)
    if FinishedRepair.select().where(FinishedRepair.certificate_no == certificate).exists():
        raise ValidationError(N_("The certificate no. {number} is already used by another "
                                 "repair."), field="certificate_no", number=certificate)
    values = dict(
        repair_type=repair_type, completed_on=completed_on, completed_km=completed_km,
        certificate_no=certificate,
        work_done=clean_text(data.work_done, field="work_done", label=N_("Work done"),
                             max_length=4000),
        parts_used=clean_text(data.parts_used, field="parts_used", label=N_("Parts used"),
                              max_length=4000, required=False),
        labour_amount=_money(data.labour_amount, field="labour_amount",
                             label=N_("Labour amount")),
        material_amount=_money(data.material_amount, field="material_amount",
                               label=N_("Material amount")))
    # 三级检验: self, then team, then the final inspector, by the end of the completion day.
    previous = None
    for key, label in INSPECTIONS:
        who = clean_text(getattr(data, f"{key}_inspector"), field=f"{key}_inspector",
                         label=label, max_length=100)
        when = _moment(getattr(data, f"{key}_inspected_at"), field=f"{key}_inspected_at",
                       label=label, now=now)
        if when.date() > completed_on:
            raise ValidationError(N_("{label} cannot be after the completion date."),
                                  field=f"{key}_inspected_at", label=tr_param(label))
        if previous is not None and when < previous[1]:
            raise ValidationError(N_("{label} cannot come before {before}."),
                                  field=f"{key}_inspected_at", label=tr_param(label),
                                  before=tr_param(previous[0]))
        values[f"{key}_inspector"] = who
        values[f"{key}_inspected_at"] = when
        previous = (label, when)
    # rules.md §6: the repair keeps the terms in force on its completion day.
    terms = terms_on(vehicle.vehicle_class, repair_type, completed_on)
    values.update(term_km=terms.km, term_days=terms.days,
                  term_effective_from=terms.effective_from)
    return values


def _create_repair(actor: User, vehicle: Vehicle, values: dict, *,
                   rework_of: int | None = None) -> FinishedRepair:
    now = clock.now()
    r = FinishedRepair.create(vehicle=vehicle.id, rework_of=rework_of, recorded_by=actor.id,
                              recorded_at=now, **values)
    Vehicle.update(updated_at=now).where(Vehicle.id == vehicle.id).execute()
    return r


def record_repair(*, actor: User, vehicle_id: int, data: RepairInput) -> RepairRow:
    """Record a finished repair with its certificate and inspections; it gets the warranty
    terms in force on its completion date (rules.md §6)."""
    ready()
    require_role(actor, *RECORDERS)
    vehicle = found(Vehicle.get_or_none(Vehicle.id == vehicle_id), N_("No such vehicle."))
    with database.atomic():
        values = _clean_repair(vehicle, data, now=clock.now())
        r = _create_repair(actor, vehicle, values)
    return _repair_rows([r])[0]
