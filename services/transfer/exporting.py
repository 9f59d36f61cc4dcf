"""Exporting the register as .xlsx (docs/design.md, Data in and out): the complaints the
actor may see (rules.md §2), in a filter the register screen uses, oldest first. Every text
cell that a spreadsheet would take for a formula is escaped (a leading quote), so an exported
register never runs what a complainant typed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from models.entities import Complaint
from services.cells import is_risky
from services.complaints import STATE_NAMES, ComplaintFilter
from services.complaints import register as complaints
from services.errors import Cancelled, ValidationError
from services.firm import CHANNEL_NAMES, KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _
from services.transfer.mapping import FIELD_NAMES

PAGE = 500

# The columns, as (header msgid, what fills it); the headers are the import's field names, so
# an exported register imports back with the mapping guessed.
COLUMNS = (
    (N_("Ticket"), "ticket"), (FIELD_NAMES["received_at"], "received"),
    (FIELD_NAMES["kind"], "kind"), (FIELD_NAMES["channel"], "channel"),
    (FIELD_NAMES["complainant_name"], "complainant"), (FIELD_NAMES["complainant_phone"], "phone"),
    (FIELD_NAMES["category"], "category"), (FIELD_NAMES["severity"], "severity"),
    (FIELD_NAMES["description"], "description"), (FIELD_NAMES["request"], "request"),
    (FIELD_NAMES["respondent_text"], "respondent"), (N_("Handler"), "handler"),
    (N_("State"), "state"), (N_("Next due"), "next_due"), (N_("Closed at"), "closed_at"),
)


@dataclass(frozen=True)
class ExportResult:
    path: str
    rows: int


def escape(value, sheet=None):
    """A cell safe from formula injection: text starting with = + - @ tab or CR is written
    as text with the quote prefix set (a write-only cell of ``sheet``); anything else as is."""
    if not is_risky(value):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would store "=…" as a formula: it is the user's text
    cell.quotePrefix = True  # and stays text when someone edits it in Excel
    return cell


def _name(names: dict, code: str) -> str:
    return _(names[code]) if code in names else code


def export_register(file: str | Path, *, actor, filter: ComplaintFilter | None = None,
                    year: int | None = None,
                    progress: Callable[[float], None] | None = None,
                    cancelled: Callable[[], bool] | None = None) -> ExportResult:
    """Write the register (what ``actor`` may see, in ``filter``, received in ``year`` when
    given) to ``file`` (.xlsx); nothing is written when cancelled."""
    from openpyxl import Workbook

    target = Path(file)
    if target.suffix.lower() != ".xlsx":
        raise ValidationError(N_("Give a file name ending in .xlsx."), field="file")
    f = filter or ComplaintFilter()
    if year is not None:
        if not 2000 <= int(year) <= 2100:
            raise ValidationError(N_("The year must be a number such as 2026."), field="year")
        f = ComplaintFilter(**{**f.__dict__, "received_from": date(int(year), 1, 1),
                               "received_to": date(int(year), 12, 31)})
    total = complaints.count(actor, f)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Register"))
    sheet.append([_(h) for h, _key in COLUMNS])
    written = 0
    while written < total:
        if cancelled is not None and cancelled():
            raise Cancelled(N_("The export was cancelled; no file was written."))
        page = complaints.ids(actor, f, sort="received", descending=False, offset=written,
                              limit=PAGE)
        if not page:
            break
        extra = {c.id: c for c in Complaint.select(
            Complaint.id, Complaint.channel, Complaint.complainant_phone, Complaint.description,
            Complaint.request, Complaint.closed_at).where(Complaint.id.in_(page))}
        for row in complaints.rows(actor, page):
            c = extra[row.id]
            values = dict(
                ticket=row.ticket, received=row.received, kind=_name(KIND_NAMES, row.kind),
                channel=_name(CHANNEL_NAMES, c.channel), complainant=row.complainant,
                phone=c.complainant_phone, category=row.category,
                severity=_name(SEVERITY_NAMES, row.severity), description=c.description,
                request=c.request, respondent=row.respondent, handler=row.handler,
                state=_name(STATE_NAMES, row.state), next_due=row.next_due,
                closed_at=c.closed_at)
            sheet.append([escape(values[key], sheet) for _h, key in COLUMNS])
        written += len(page)
        if progress is not None:
            progress(written / max(1, total))
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return ExportResult(str(target), written)
