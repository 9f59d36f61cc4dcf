"""What several documents print the same way: values in the document's language, the rows
that describe a complaint, a vehicle or a warranty, and a penalty entry's status.

Call these inside the document's ``with language(lang):`` block (see base.py).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from services import penalties, warranty
from services.complaints import ComplaintDetail, EventView
from services.complaints import register as complaints
from services.errors import ValidationError
from services.firm import CHANNEL_NAMES
from services.i18n import (
    N_,
    _,
    babel_locale,
    current_language,
    format_date,
    format_money,
    format_number,
    format_written,
)

DASH = "—"  # a report figure with no data

# --- values -------------------------------------------------------------------------------------


def fmt_datetime(value: datetime | None) -> str:
    """A date and time as running text writes it, never ISO: "2026年9月25日11时22分",
    "25 September 2026, 11:22" (docs/rules.md §8)."""
    return format_written(value, current_language())


def fmt_date(value: date | None) -> str:
    return format_date(value, current_language())


def fmt_money(value: Decimal | None) -> str:
    return format_money(value, current_language())


def fmt_figure(value, *, money: bool = False) -> str:
    """A report's figure as printed: locale digits, money in CNY, a dash for no data."""
    if value is None:
        return DASH
    lang = current_language()
    if money:
        return format_money(Decimal(value), lang)
    if isinstance(value, datetime):
        return format_date(value.date(), lang)
    if isinstance(value, date):
        return format_date(value, lang)
    if isinstance(value, Decimal) and value.as_tuple().exponent == -1:  # rates, hours
        from babel.numbers import format_decimal  # babel loads on first use, as in services.i18n

        return format_decimal(value, format="#,##0.0", locale=babel_locale(lang))
    if isinstance(value, Decimal | int | float):
        return format_number(value, lang)
    return str(value)


def fmt_change(value, *, money: bool = False) -> str:
    """A change from the previous month, signed: "+3", "-1.5", "0"."""
    if value is None:
        return DASH
    sign = "+" if value > 0 else "-" if value < 0 else ""
    return sign + fmt_figure(abs(value), money=money)


# --- the complaint letters: receipt, transfer slip, reply, extension notice -------------------


def latest(d: ComplaintDetail, action: str) -> EventView | None:
    """The complaint's latest timeline event of ``action`` (events are newest first)."""
    return next((e for e in d.events if e.action == action), None)


def made_from(ticket, actor, action: str, missing: str) -> tuple[ComplaintDetail, EventView]:
    """The complaint and its latest ``action`` event, which the document is made from;
    ``missing`` (marked with N_) says why there is no such document yet."""
    d = complaints.detail(ticket, actor=actor)
    event = latest(d, action)
    if event is None:
        raise ValidationError(missing, field="kind")
    return d, event


def dated(page, at: datetime | None):
    """``page`` headed with the date ``at`` (a letter dated the day its step was taken)
    rather than today's; None keeps today's."""
    if at is not None:
        page.letterhead = replace(page.letterhead, date=at)
    return page


def complainant_rows(d: ComplaintDetail, *, category: bool = True) -> list[tuple[str, str]]:
    """Who complained and how; ``category`` (internal) is left out of an outgoing letter
    (docs/rules.md §8)."""
    c, person = d.complaint, d.complainant
    rows = [(_("Ticket no."), c.ticket), (_("Received at"), fmt_datetime(c.received_at)),
            (_("Complainant"), c.complainant_name)]
    if c.complainant_phone:
        rows.append((_("Phone"), c.complainant_phone))
    if person.address:
        rows.append((_("Address"), person.address))
    if c.contract_no:
        rows.append((_("Contract / order no."), c.contract_no))
    rows.append((_("Channel"), _(CHANNEL_NAMES.get(c.channel, c.channel))
                 + (f" ({c.channel_detail})" if c.channel_detail else "")))
    if category:
        rows.append((_("Category"), d.category_name))
    return rows


def facts_rows(d: ComplaintDetail, *, respondent: bool) -> list[tuple[str, str]]:
    c = d.complaint
    rows = []
    if c.occurred_at:
        rows.append((_("Happened at"), fmt_datetime(c.occurred_at)))
    if c.location:
        rows.append((_("Place"), c.location))
    if respondent and d.respondent:
        rows.append((_("Respondent"), d.respondent))
    rows.append((_("What happened"), c.description))
    if c.request:
        rows.append((_("Request"), c.request))
    return rows


# --- the warranty papers: quality memo, claim form, warranty card ------------------------------


def claim_of(ticket, actor):
    """The complaint (visibility checked, docs/rules.md §2) and the warranty claim it came
    from."""
    d = complaints.detail(ticket, actor=actor)
    claim = warranty.claim_of_complaint(actor=actor, complaint_id=d.complaint.id)
    if claim is None:
        raise ValidationError(N_("This complaint did not come from a warranty claim."),
                              field="kind")
    return d, claim


def fmt_km(value: int) -> str:
    return _("{km} km").format(km=format_number(value, current_language()))


def fmt_days(value: int) -> str:
    return _("{days} days").format(days=value)


def vehicle_rows(vehicle) -> list[tuple[str, str]]:
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


def terms_text(km_limit: int, day_limit: int) -> str:
    return _("{km} or {days}, whichever comes first").format(km=fmt_km(km_limit),
                                                             days=fmt_days(day_limit))


def expiry_text(expires_on: date, expires_at_km: int) -> str:
    return _("{date} or an odometer reading of {km}, whichever comes first").format(
        date=fmt_date(expires_on), km=fmt_km(expires_at_km))


# --- the penalty papers: notice, month ledger ----------------------------------------------------


def status_name(code: str) -> str:
    """A penalty entry's status, translated."""
    return _(penalties.STATUS_NAMES.get(code, code))
