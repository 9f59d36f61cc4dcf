"""The yearly register (台账, docs/rules.md §8.9): every complaint the actor may see received
in a year, oldest first, with when it was closed. services.documents prints it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from models.entities import Complaint
from services.complaints import register as complaints
from services.errors import Cancelled, ValidationError
from services.i18n import N_
from services.people import require_role

REGISTER_PAGE = 500  # complaints read per query


@dataclass(frozen=True)
class RegisterLine:
    ticket: str
    received: datetime
    kind: str  # code
    complainant: str
    category: str  # name, in the language current when read
    respondent: str
    handler: str
    state: str  # code
    closed_at: datetime | None


@dataclass(frozen=True)
class YearlyRegister:
    year: int
    lines: tuple[RegisterLine, ...]


def clean_year(year) -> int:
    """A register's or report's year, from what a user typed."""
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not 2000 <= value <= 2100:
        raise ValidationError(N_("The year must be a number such as 2026."), field="year")
    return value


def _closed_at(ids: list[int]) -> dict[int, datetime | None]:
    return dict(Complaint.select(Complaint.id, Complaint.closed_at)
                .where(Complaint.id.in_(ids)).tuples())


def yearly_register(year, *, actor, progress=None, cancelled=None) -> YearlyRegister:
    """The complaints received in ``year``, read in pages of REGISTER_PAGE. Owner and manager
    only. ``progress(f)`` (up to 0.8) and ``cancelled()`` let a window show a progress bar
    with Cancel: a year can be thousands of complaints."""
    require_role(actor, "owner", "manager")
    year = clean_year(year)
    f = complaints.ComplaintFilter(received_from=date(year, 1, 1),
                                   received_to=date(year, 12, 31))
    total = complaints.count(actor, f) if progress else 0
    out, offset = [], 0
    while True:
        if cancelled is not None and cancelled():
            raise Cancelled(N_("Cancelled."))
        if progress and total:
            progress(0.8 * offset / total)
        page_ids = complaints.ids(actor, f, sort="received", descending=False,
                                  offset=offset, limit=REGISTER_PAGE)
        if not page_ids:
            break
        closed = _closed_at(page_ids)
        out += [RegisterLine(r.ticket, r.received, r.kind, r.complainant, r.category,
                             r.respondent, r.handler, r.state, closed.get(r.id))
                for r in complaints.rows(actor, page_ids)]
        if len(page_ids) < REGISTER_PAGE:
            break
        offset += REGISTER_PAGE
    return YearlyRegister(year, tuple(out))
