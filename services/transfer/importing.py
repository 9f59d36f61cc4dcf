"""Importing an office's existing complaint register from Excel (docs/design.md, Data in and
out): read a sheet, map its columns, preview, dry-run, then register each row through the
complaints service (rules.md §3, §4 登记), never around it.

Ticket numbers: every imported complaint gets a new number from the firm's own gap-free count
(rules.md §3), dated by its day of receipt; an old register's numbers follow no such rule and
could collide, so the original number is kept on the registration's note ("Original number:
…") together with the old status, outcome and remarks, and a tag ``[import:KEY]`` that makes a
second run skip the rows already imported (KEY: the original number, or a fingerprint of the
row when it has none).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import services.transfer.mapping as m
from models.db import database
from models.entities import Category, Complaint, Event
from services.changes import ALL, Changes
from services.complaints import ComplaintInput, path
from services.complaints import register as complaints
from services.errors import Cancelled, DomainError, ValidationError, tr_param
from services.i18n import N_, _, format_datetime, language, localized
from services.people import require_role

BATCH = 50  # rows registered per transaction in a real run
REQUIRED = ("received_at", "complainant_name", "description", "category")
TAG = "[import:{key}]"
_TAG_RE = re.compile(r"\[import:([^\]\n]+)\]")
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Sheet:
    """One worksheet as read: its header row and the data rows below it, each with the
    spreadsheet's own row number (what the report names)."""

    path: str
    name: str
    sheet_names: tuple[str, ...]
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple], ...]


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: its number in the spreadsheet, the column at fault (its header,
    or the field's name when no column holds it) and the sentence, in the reader's language."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class PreviewRow:
    row: int
    values: dict  # field → the text as it will be registered
    problem: Problem | None


@dataclass(frozen=True)
class ImportedRow:
    row: int
    original: str
    ticket: str  # the new number ("" in a dry run)


@dataclass(frozen=True)
class SkippedRow:
    row: int
    original: str
    ticket: str  # the complaint it was imported as earlier


@dataclass
class ImportReport:
    file: str
    sheet: str
    dry_run: bool
    rows: int
    mapping: dict[str, str]  # header → field
    imported: list[ImportedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    cancelled: bool = False
    changes: Changes | None = None


@dataclass(frozen=True)
class _Planned:
    row: int
    original: str
    key: str
    data: ComplaintInput | None
    extra: tuple[tuple[str, str], ...]  # (field, text) kept on the note
    problem: Problem | None
    texts: dict  # field → the cell as text (what a refused row's preview shows)


# --- reading -------------------------------------------------------------------------------


def read_sheet(path: str | Path, sheet: str | None = None) -> Sheet:
    """The header row (the first of the top ten rows with two or more cells filled: a title
    row above it is passed over) and every non-empty row below it."""
    from openpyxl import load_workbook

    p = Path(path)
    if not p.is_file():
        raise ValidationError(N_("There is no file {path}."), field="file", path=str(p))
    try:
        book = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's to fix
        raise ValidationError(N_("{path} is not an Excel workbook (.xlsx): {error}"),
                              field="file", path=p.name, error=str(exc)) from exc
    try:
        names = tuple(book.sheetnames)
        if sheet and sheet not in names:
            raise ValidationError(N_("The workbook has no sheet {sheet}; it has: {names}."),
                                  field="sheet", sheet=sheet, names=", ".join(names))
        ws = book[sheet] if sheet else book.worksheets[0]
        headers: tuple[str, ...] = ()
        rows: list[tuple[int, tuple]] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            if not headers:
                filled = [v for v in values if v not in (None, "")]
                if len(filled) >= 2:
                    headers = tuple(m.text_of(v) for v in values)
                elif number >= 10:
                    break
                continue
            if any(v not in (None, "") and str(v).strip() for v in values):
                rows.append((number, tuple(values)))
                if len(rows) > MAX_ROWS:
                    raise ValidationError(N_("The sheet has more than {n} rows; split it."),
                                          field="file", n=MAX_ROWS)
        if not headers:
            raise ValidationError(N_("Sheet {sheet} has no header row in its first ten rows."),
                                  field="sheet", sheet=ws.title)
        width = len(headers)
        while width and not headers[width - 1]:
            width -= 1
        return Sheet(str(p), ws.title, names, headers[:width], tuple(rows))
    finally:
        book.close()


def guess(sheet: Sheet) -> dict[int, str]:
    """The mapping guessed from the headers (Chinese and English words, and the field names
    of an export in either language)."""
    extra = {}
    for lang in ("zh_CN", "en"):
        with language(lang):
            extra.update({_(label): f for f, label in m.FIELD_NAMES.items()})
            extra[_("Ticket")] = "original_no"
    return m.guess_mapping(sheet.headers, extra)


def parse_map_options(sheet: Sheet, options: list[str], start: dict[int, str] | None = None
                      ) -> dict[int, str]:
    """``col=field`` options (the command line's ``--map``) over a mapping: a column named by
    its header, its letter (A, B, …) or its number from 1; ``field`` empty or "-" leaves the
    column out."""
    mapping = dict(start or {})
    for option in options:
        col, sep, fld = option.partition("=")
        col, fld = col.strip(), fld.strip()
        if not sep or not col:
            raise ValidationError(N_("Give the mapping as COLUMN=FIELD, not {text}."),
                                  field="map", text=option)
        index = _column_index(sheet, col)
        if fld in ("", "-"):
            mapping.pop(index, None)
            continue
        if fld not in m.FIELDS:
            raise ValidationError(N_("{name} is not a field; the fields are: {fields}."),
                                  field="map", name=fld, fields=", ".join(m.FIELDS))
        for i, f in list(mapping.items()):
            if f == fld:
                del mapping[i]
        mapping[index] = fld
    return mapping


def _column_index(sheet: Sheet, col: str) -> int:
    for i, h in enumerate(sheet.headers):
        if h == col:
            return i
    if col.isdigit() and 1 <= int(col) <= len(sheet.headers):
        return int(col) - 1
    if col.isalpha() and col.isascii():
        n = 0
        for ch in col.upper():
            n = n * 26 + ord(ch) - 64
        if 1 <= n <= len(sheet.headers):
            return n - 1
    raise ValidationError(N_("The sheet has no column {column}."), field="map", column=col)


def check_mapping(mapping: dict[int, str]) -> None:
    fields = list(mapping.values())
    for f in fields:
        if f not in m.FIELDS:
            raise ValidationError(N_("{name} is not a field; the fields are: {fields}."),
                                  field="map", name=f, fields=", ".join(m.FIELDS))
    twice = sorted({f for f in fields if fields.count(f) > 1})
    if twice:
        raise ValidationError(N_("Two columns are mapped to {name}."), field="map",
                              name=tr_param(m.FIELD_NAMES[twice[0]]))
    for f in REQUIRED:
        if f not in fields:
            raise ValidationError(N_("Map a column to {name}: every complaint needs it."),
                                  field="map", name=tr_param(m.FIELD_NAMES[f]))


# --- planning: cells → ComplaintInput ------------------------------------------------------


def _categories() -> dict[str, str]:
    """Every way a category may be written (code, Chinese or English name) → its code."""
    out: dict[str, str] = {}
    for c in Category.select().where(Category.active == True):  # noqa: E712
        for word in (c.code, c.name_zh, c.name_en):
            if word:
                out.setdefault(word.strip().lower(), c.code)
    return out


def _column_label(sheet: Sheet, mapping: dict[int, str], fld: str | None) -> str:
    for i, f in mapping.items():
        if f == fld:
            return sheet.headers[i]
    if fld in m.FIELD_NAMES:
        return _(m.FIELD_NAMES[fld])
    return ""


def _plan(sheet: Sheet, mapping: dict[int, str], rows=None) -> list[_Planned]:
    categories = _categories()
    out = []
    for number, values in (sheet.rows if rows is None else rows):
        cells = {f: (values[i] if i < len(values) else None) for i, f in mapping.items()}
        original = m.text_of(cells.get("original_no"))
        extra = tuple((f, m.text_of(cells.get(f))) for f in m.NOTE_FIELDS
                      if m.text_of(cells.get(f)))
        texts = {f: m.text_of(v) for f, v in cells.items()}
        try:
            cat = texts.get("category", "")
            data = ComplaintInput(
                kind=m.kind_of(cells.get("kind")),
                channel=m.channel_of(cells.get("channel")),
                severity=m.severity_of(cells.get("severity")),
                complainant_name=texts.get("complainant_name", ""),
                complainant_phone=texts.get("complainant_phone", ""),
                complainant_address=texts.get("complainant_address", ""),
                complainant_email=texts.get("complainant_email", ""),
                contract_no=texts.get("contract_no", ""),
                respondent_text=texts.get("respondent_text", ""),
                received_at=m.moment_of(cells.get("received_at"), field="received_at"),
                occurred_at=m.moment_of(cells.get("occurred_at"), field="occurred_at"),
                location=texts.get("location", ""),
                description=texts.get("description", ""),
                request=texts.get("request", ""),
                category=categories.get(cat.strip().lower(), cat),
            )
            if data.received_at is None:
                raise ValidationError(N_("{label} must not be empty."), field="received_at",
                                      label=tr_param(N_("Received at")))
            problem = None
        except DomainError as exc:
            data = None
            problem = Problem(number, _column_label(sheet, mapping, exc.field), exc.message())
        key = original or "#" + _fingerprint(values)
        out.append(_Planned(number, original, key, data, extra, problem, texts))
    return out


def _fingerprint(values) -> str:
    text = "\x1f".join(m.text_of(v) for v in values)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def preview(sheet: Sheet, mapping: dict[int, str], *, limit: int = 20) -> list[PreviewRow]:
    """The first ``limit`` rows as they will be registered (codes shown by their names), each
    with the problem the cells themselves show (the dry run finds the rest)."""
    from services.firm import CHANNEL_NAMES, KIND_NAMES, SEVERITY_NAMES

    names = {c.code: localized(c.name_zh, c.name_en) for c in Category.select()}
    out = []
    for p in _plan(sheet, mapping, sheet.rows[:limit]):
        values = dict(p.texts)
        if p.data is not None:
            d = p.data
            values.update(
                received_at=format_datetime(d.received_at), kind=_(KIND_NAMES[d.kind]),
                channel=_(CHANNEL_NAMES[d.channel]), severity=_(SEVERITY_NAMES[d.severity]),
                complainant_name=d.complainant_name, complainant_phone=d.complainant_phone,
                category=names.get(d.category, d.category), description=d.description,
                request=d.request, complainant_address=d.complainant_address,
                complainant_email=d.complainant_email, contract_no=d.contract_no,
                occurred_at=format_datetime(d.occurred_at), location=d.location,
                respondent_text=d.respondent_text)
        values.update(dict(p.extra))
        problem = p.problem
        if problem is None and p.data is not None and p.data.category not in names:
            # seen already here rather than only by the dry run
            problem = Problem(p.row, _column_label(sheet, mapping, "category"),
                              _("Unknown category: {code}.").format(code=p.data.category))
        out.append(PreviewRow(p.row, values, problem))
    return out


# --- importing -----------------------------------------------------------------------------


def imported_keys() -> dict[str, str]:
    """The import tags already on the register (KEY → the complaint's ticket): one query."""
    q = (Event.select(Event.note, Complaint.ticket)
         .join(Complaint, on=(Event.complaint == Complaint.id))
         .where((Event.action == "register") & Event.note.contains("[import:")).tuples())
    out = {}
    for note, ticket in q:
        for key in _TAG_RE.findall(note or ""):
            out.setdefault(key, ticket)
    return out


def _note(p: _Planned, sheet: Sheet, firm_language: str) -> str:
    # docs/rules.md §9: what the program writes into a record is written in the firm's language
    with language(firm_language):
        lines = [_("Imported from {file}, sheet {sheet}, row {row}.").format(
            file=Path(sheet.path).name, sheet=sheet.name, row=p.row)]
        if p.original:
            lines.append(_("Original number: {number}").format(number=p.original))
        for f, text in p.extra:
            lines.append(f"{_(m.FIELD_NAMES[f])}: {text}")
    lines.append(TAG.format(key=p.key))
    return "\n".join(lines)


def run_import(file: str | Path, *, actor, sheet: str | None = None,
               mapping: dict[int, str] | None = None, dry_run: bool = False,
               progress: Callable[[float], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Validate every row through ``complaints.register`` and, unless ``dry_run``, register
    the good ones, BATCH rows a transaction, oldest received first (so new numbers follow the
    days of receipt). A dry run registers inside one transaction that is rolled back: it
    refuses exactly what the real run would, and writes nothing. Rows already imported (the
    same tag) are skipped. Cancel stops between batches: what was committed stays, and a
    second run skips it. Owners and managers only."""
    require_role(actor, "owner", "manager")
    s = read_sheet(file, sheet)
    mapping = guess(s) if mapping is None else dict(mapping)
    check_mapping(mapping)
    report = ImportReport(file=str(file), sheet=s.name, dry_run=dry_run, rows=len(s.rows),
                          mapping={s.headers[i] or str(i + 1): f
                                   for i, f in sorted(mapping.items())})
    planned = _plan(s, mapping)
    done = imported_keys()
    firm_language = path.firm().language
    todo: list[_Planned] = []
    seen: dict[str, int] = {}
    for p in planned:
        if p.key in done:
            report.skipped.append(SkippedRow(p.row, p.original, done[p.key]))
        elif p.problem is not None:
            report.refused.append(p.problem)
        elif p.key in seen:
            report.refused.append(Problem(
                p.row, _column_label(s, mapping, "original_no"),
                _("The same number {number} is already on row {row}.").format(
                    number=p.original, row=seen[p.key]) if p.original else
                _("The same row is already on row {row}.").format(row=seen[p.key])))
        else:
            seen[p.key] = p.row
            todo.append(p)
    todo.sort(key=lambda p: (p.data.received_at, p.row))
    ids: list[int] = []

    def register(p: _Planned) -> None:
        try:
            r = complaints.register(p.data, actor=actor, note=_note(p, s, firm_language))
        except DomainError as exc:
            report.refused.append(Problem(p.row, _column_label(
                s, mapping, "result" if exc.field == "note" else exc.field), exc.message()))
        else:
            ids.append(r.complaint_id)
            report.imported.append(ImportedRow(p.row, p.original, r.ticket))

    if dry_run:
        # docs/design.md, Data in and out: a dry run writes nothing. Each batch is registered
        # and rolled back, so no lock (SQLite's write lock, the year's ticket counter row on
        # PostgreSQL) is held for long while other PCs work.
        for start in range(0, len(todo), BATCH):
            if cancelled is not None and cancelled():
                raise Cancelled(N_("The dry run was cancelled."))
            with database.atomic() as txn:
                for p in todo[start:start + BATCH]:
                    register(p)
                txn.rollback()
            if progress is not None:
                progress(min(1.0, (start + BATCH) / max(1, len(todo))))
        # the numbers a dry run took were given back: it names none
        report.imported = [ImportedRow(x.row, x.original, "") for x in report.imported]
    else:
        for start in range(0, len(todo), BATCH):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            with database.atomic():
                for p in todo[start:start + BATCH]:
                    register(p)
            if progress is not None:
                progress(min(1.0, (start + BATCH) / max(1, len(todo))))
        report.changes = Changes(complaints=ALL, ledger=True) if ids else None
    report.refused.sort(key=lambda x: x.row)
    report.imported.sort(key=lambda x: x.row)
    if progress is not None:
        progress(1.0)
    return report

