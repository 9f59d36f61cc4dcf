"""A month of the penalty ledger as files for payroll: CSV and XLSX (rules.md §7, §8.7).

Amounts are written as numbers (not formatted text) so payroll can add them up; headers are
in the program's language. openpyxl is imported here only, on first use (rules.md §10).
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from models.entities import User
from services.cells import csv_cell, xlsx_as_text
from services.errors import ValidationError
from services.i18n import N_, _
from services.penalties.ledger import STATUS_NAMES, clean_month, month_entries, month_totals
from services.people import NO_DEPARTMENT, require_role

ENTRY_COLUMNS = (
    N_("Entry no."), N_("Status date"), N_("Person or unit"), N_("Login"), N_("Department"),
    N_("Rule"), N_("Reason"), N_("Complaint"), N_("Status"), N_("Amount"), N_("Loss"),
    N_("Total"), N_("Reverses entry"),
)
PERSON_COLUMNS = (N_("Person or unit"), N_("Login"), N_("Department"), N_("Fines"),
                  N_("Rewards"), N_("Net"), N_("Entries"))
DEPARTMENT_COLUMNS = (N_("Department"), N_("Fines"), N_("Rewards"), N_("Net"), N_("Entries"),
                      N_("People"))
MONEY_FORMAT = "#,##0.00"


def entry_values(row) -> list:
    """One entry as the cells of a row: text, and Decimal amounts."""
    return [row.id, row.status_at.strftime("%Y-%m-%d %H:%M"), row.person, row.login,
            row.department, row.rule_name, row.reason, row.ticket, _(STATUS_NAMES[row.status]),
            row.amount, row.loss, row.total, row.reverses or ""]


def person_values(p) -> list:
    return [p.name, p.login, p.department or _(NO_DEPARTMENT), p.fines, p.rewards, p.total,
            p.entries]


def department_values(d) -> list:
    return [d.department or _(NO_DEPARTMENT), d.fines, d.rewards, d.total, d.entries, d.people]


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def write_csv(path: Path, entries: Sequence) -> None:
    # utf-8-sig: the BOM makes Excel on a Chinese Windows read the file as UTF-8.
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([_(c) for c in ENTRY_COLUMNS])
        for row in entries:
            # docs/rules.md §10: a reason "=…" stays text in Excel (services/cells.py)
            writer.writerow([csv_cell(v) if isinstance(v, str) else _text(v)
                             for v in entry_values(row)])


def _sheet(book, title: str, headers: Sequence[str], rows: Sequence[list], *,
           total: list | None = None, widths: Sequence[int] = ()):
    from openpyxl.styles import Font

    sheet = book.create_sheet(title[:31])
    sheet.append([_(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    if total is not None:
        sheet.append(total)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = MONEY_FORMAT
    xlsx_as_text(sheet)  # docs/rules.md §10: names and reasons are text, never formulas
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = width
    sheet.freeze_panes = "A2"
    return sheet


def write_xlsx(path: Path, month: str, entries: Sequence, totals) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    _sheet(book, _("Per person"), PERSON_COLUMNS, [person_values(p) for p in totals.per_person],
           total=[_("Total"), "", "", totals.fines, totals.rewards, totals.total,
                  totals.entries], widths=(18, 12, 16, 12, 12, 12, 8))
    _sheet(book, _("Per department"), DEPARTMENT_COLUMNS,
           [department_values(d) for d in totals.per_department],
           total=[_("Total"), totals.fines, totals.rewards, totals.total, totals.entries,
                  len(totals.per_person)], widths=(18, 12, 12, 12, 8, 8))
    _sheet(book, _("Entries"), ENTRY_COLUMNS, [entry_values(r) for r in entries],
           widths=(8, 17, 16, 10, 14, 36, 48, 12, 10, 11, 11, 11, 8))
    book.properties.title = _("Penalty ledger {month}").format(month=month)
    book.save(path)


@dataclass(frozen=True)
class ExportResult:
    path: str
    month: str
    entries: int
    total: Decimal


def export_month(actor: User, month: str, path: str | Path) -> ExportResult:
    """Write a month for payroll: .csv (the entries, UTF-8 with BOM for Excel) or .xlsx (the
    entries, and the totals per person and per department). Managers and the owner only."""
    require_role(actor, "manager", "owner")
    month = clean_month(month)
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise ValidationError(N_("Export to a .csv or an .xlsx file."), field="path")
    entries = month_entries(actor, month)
    totals = month_totals(actor, month)
    if kind == ".csv":
        write_csv(target, entries)
    else:
        write_xlsx(target, month, entries, totals)
    return ExportResult(str(target), month, len(entries), totals.total)
