"""The repair warranty rule of rules.md §6, as pure arithmetic: the national table of terms and the
verdict on a claim. No database: the command line and the live panel call it as often as
they like."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.errors import ValidationError, tr_param
from services.i18n import N_, _, format_date, format_number

VEHICLE_CLASS_NAMES = {
    "car": N_("Car or dangerous-goods vehicle"),
    "motorcycle": N_("Motorcycle"),
    "other": N_("Other motor vehicle"),
}
VEHICLE_CLASSES = tuple(VEHICLE_CLASS_NAMES)
# Short names for narrow places (a table column).
VEHICLE_CLASS_SHORT = {"car": N_("Car"), "motorcycle": N_("Motorcycle"), "other": N_("Other")}
REPAIR_TYPE_NAMES = {
    "level1-maintenance": N_("Level-1 maintenance"),
    "level2-maintenance": N_("Level-2 maintenance"),
    "minor-repair": N_("Minor repair"),
    "parts-repair": N_("Parts repair"),
    "special-repair": N_("Special repair"),
    "vehicle-overhaul": N_("Whole-vehicle overhaul"),
    "assembly-overhaul": N_("Assembly overhaul"),
}
REPAIR_TYPES = tuple(REPAIR_TYPE_NAMES)
ENDED_BY_NAMES = {"days": N_("the day limit"), "distance": N_("the distance limit")}

# rules.md §6 / 机动车维修管理规定: (km, days) per vehicle class and repair type, whichever is
# reached first. Maintenance and minor work share one term per class (a car's level-2
# maintenance has its own), and so do the two overhauls. Parts repair (零件修理) is special
# repair (专项修理) by another name, so every class has its row: the vehicle class picks it.
_CAR_MINOR_WORK = ("level1-maintenance", "minor-repair", "parts-repair", "special-repair")
_OTHER_MINOR_WORK = ("level1-maintenance", "level2-maintenance", "minor-repair", "parts-repair",
                     "special-repair")
_OVERHAULS = ("vehicle-overhaul", "assembly-overhaul")
PRESET_TERMS: dict[tuple[str, str], tuple[int, int]] = {
    **{("car", t): (2000, 10) for t in _CAR_MINOR_WORK},
    ("car", "level2-maintenance"): (5000, 30),
    **{("car", t): (20000, 100) for t in _OVERHAULS},
    **{("motorcycle", t): (800, 10) for t in _OTHER_MINOR_WORK},
    **{("motorcycle", t): (7000, 80) for t in _OVERHAULS},
    **{("other", t): (700, 7) for t in _OTHER_MINOR_WORK},
    **{("other", t): (6000, 60) for t in _OVERHAULS},
}
# The presets apply from this day: earlier than any repair the program will be told about.
PRESET_SINCE = date(2000, 1, 1)
MAX_TERM_KM = 1_000_000
MAX_TERM_DAYS = 3650
MAX_ODOMETER = 10_000_000


@dataclass(frozen=True)
class Terms:
    """One row of the table: the distance and the days, from a day on."""

    km: int
    days: int
    effective_from: date | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether a claim falls in the warranty of a repair, and how much of it was used."""

    in_warranty: bool
    ended_by: str | None  # "days" | "distance" | None while in warranty
    expires_on: date  # the last day a claim is in warranty
    expires_at_km: int  # the last odometer reading in warranty
    days_used: int
    km_used: int
    days_left: int
    km_left: int
    km_limit: int
    day_limit: int


def clean_vehicle_class(value) -> str:
    if value not in VEHICLE_CLASSES:
        raise ValidationError(N_("Unknown vehicle class: {value}. Choose car, motorcycle or "
                                 "other."), field="vehicle_class", value=value)
    return value


def clean_repair_type(value) -> str:
    if value not in REPAIR_TYPES:
        raise ValidationError(N_("Unknown repair type: {value}."), field="repair_type",
                              value=value)
    return value


def preset_terms(vehicle_class: str, repair_type: str) -> Terms:
    """The national row for this class and type; ValidationError if the table has none."""
    vehicle_class = clean_vehicle_class(vehicle_class)
    repair_type = clean_repair_type(repair_type)
    row = PRESET_TERMS.get((vehicle_class, repair_type))
    if row is None:
        raise no_terms(vehicle_class, repair_type)
    return Terms(row[0], row[1], PRESET_SINCE)


def no_terms(vehicle_class: str, repair_type: str) -> ValidationError:
    return ValidationError(N_("The warranty table has no row for {type} on a {vehicle_class}."),
                           field="repair_type", type=tr_param(REPAIR_TYPE_NAMES[repair_type]),
                           vehicle_class=tr_param(VEHICLE_CLASS_NAMES[vehicle_class]))


def clean_odometer(value, *, field: str, label: str) -> int:
    """A whole number of km; "missing odometer" is refused, never taken as 0."""
    if value is None or value == "":
        raise ValidationError(N_("Give the odometer reading ({label})."), field=field,
                              label=tr_param(label))
    if isinstance(value, bool):
        raise ValidationError(N_("{label}: {value} is not a whole number of km."), field=field,
                              label=tr_param(label), value=value)
    try:
        km = int(str(value).replace(",", "").strip())
    except ValueError:
        raise ValidationError(N_("{label}: {value} is not a whole number of km."), field=field,
                              label=tr_param(label), value=value) from None
    if not 0 <= km <= MAX_ODOMETER:
        raise ValidationError(N_("{label}: {value} km is not a plausible odometer reading."),
                              field=field, label=tr_param(label), value=value)
    return km


def _clean_day(value, *, field: str, label: str) -> date:
    if value is None:
        raise ValidationError(N_("{label} must not be empty."), field=field,
                              label=tr_param(label))
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise ValidationError(N_("{label}: {value} is not a date."), field=field,
                              label=tr_param(label), value=value)
    return value


def check(vehicle_class: str, repair_type: str, completed: date, completed_km: int,
          claim_date: date, claim_km: int, terms: Terms | tuple[int, int] | None = None
          ) -> Verdict:
    """The rules.md §6 verdict on a claim. ``terms`` are the repair's own (km, days); by default
    the national table's row for the class and type.

    Raises ValidationError for a claim before completion, a claim odometer below the
    completion odometer (possible rollback, never taken as 0 km), a missing odometer, or a
    class/type without a row in the table.
    """
    vehicle_class = clean_vehicle_class(vehicle_class)
    repair_type = clean_repair_type(repair_type)
    if terms is None:
        terms = preset_terms(vehicle_class, repair_type)
    elif isinstance(terms, tuple):
        terms = Terms(*terms)
    completed = _clean_day(completed, field="completed", label=N_("Completion date"))
    claim_date = _clean_day(claim_date, field="claim_date", label=N_("Claim date"))
    completed_km = clean_odometer(completed_km, field="completed_km",
                                  label=N_("Odometer at completion"))
    claim_km = clean_odometer(claim_km, field="claim_km", label=N_("Odometer at claim"))
    if claim_date < completed:
        raise ValidationError(N_("The claim date {claim} is before the repair was completed "
                                 "({completed})."), field="claim_date",
                              claim=claim_date.isoformat(), completed=completed.isoformat())
    if claim_km < completed_km:
        raise ValidationError(N_("The odometer at the claim ({claim} km) is lower than at "
                                 "completion ({completed} km): possible rollback. Check the "
                                 "reading; it is not taken as 0 km."), field="claim_km",
                              claim=claim_km, completed=completed_km)
    # rules.md §6 / 民法典 §201: days are counted from the day after completion, so a claim on
    # completion + N days is still in; the distance limit itself is in too.
    days_used = (claim_date - completed).days
    km_used = claim_km - completed_km
    days_over = days_used > terms.days
    km_over = km_used > terms.km
    if days_over and km_over:
        # Both limits passed: the one reached first ended it. We only know two odometer
        # readings, so we assume even driving between completion and claim: the distance
        # limit was then reached on day km_limit × days_used / km_used. If that is before
        # the last day of the period, the distance ended it; if the car reached exactly the
        # km limit on the last day it was still in warranty that day, so the days ended it.
        # (Compared in whole numbers: km_limit × days_used < day_limit × km_used.)
        ended_by = "distance" if terms.km * days_used < terms.days * km_used else "days"
    elif days_over:
        ended_by = "days"
    elif km_over:
        ended_by = "distance"
    else:
        ended_by = None
    return Verdict(
        in_warranty=ended_by is None, ended_by=ended_by,
        expires_on=completed + timedelta(days=terms.days),
        expires_at_km=completed_km + terms.km, days_used=days_used, km_used=km_used,
        days_left=max(0, terms.days - days_used), km_left=max(0, terms.km - km_used),
        km_limit=terms.km, day_limit=terms.days)


def describe_verdict(v: Verdict) -> str:
    """The verdict in a sentence, in the current language."""
    values = dict(days_used=v.days_used, day_limit=v.day_limit,
                  km_used=format_number(v.km_used), km_limit=format_number(v.km_limit),
                  days_left=v.days_left, km_left=format_number(v.km_left),
                  expires_on=format_date(v.expires_on),
                  expires_at_km=format_number(v.expires_at_km))
    if v.in_warranty:
        return _("In warranty: {days_used} of {day_limit} days and {km_used} of {km_limit} km "
                 "used; {days_left} days and {km_left} km left (until {expires_on} or "
                 "{expires_at_km} km, whichever comes first).").format(**values)
    if v.ended_by == "days":
        text = _("Out of warranty: the {day_limit} days ended on {expires_on} ({days_used} days "
                 "since completion, {km_used} km driven).").format(**values)
    else:
        text = _("Out of warranty: the {km_limit} km ended at {expires_at_km} km ({km_used} km "
                 "driven in {days_used} days).").format(**values)
    if v.days_used > v.day_limit and v.km_used > v.km_limit:
        text += " " + _("Both limits are passed; {limit} was reached first, assuming even "
                        "driving.").format(limit=_(ENDED_BY_NAMES[v.ended_by]))
    return text


# 三级检验 (rules.md §6): self, team and final inspection, in that order, by the end of the
# completion day. Proposed at half-hour steps ending at FINAL_HOUR on a past completion day,
# or now when the repair is completed today.
FINAL_HOUR = 17
INSPECTION_STEP = timedelta(minutes=30)


def inspection_times(completed_on: date, now: datetime) -> tuple[datetime, datetime, datetime]:
    """The proposed self, team and final inspection times for a repair completed on
    ``completed_on``: the form shows them and moves them with the completion date until the
    user sets one by hand. Pure."""
    if completed_on < now.date():
        final = datetime.combine(completed_on, datetime.min.time()).replace(hour=FINAL_HOUR)
    else:
        final = now.replace(second=0, microsecond=0)
    return (final - 2 * INSPECTION_STEP, final - INSPECTION_STEP, final)
