"""Data in and out (docs/design.md, Data in and out): an office's old Excel register in, the
register out as .xlsx, and the whole database moved from its SQLite file to a PostgreSQL server.

One import for callers (``from services import transfer``); the parts:
- ``mapping``: the fields a column can hold, guessing them from Chinese and English headers,
  reading one cell (pure);
- ``importing``: reading a sheet, the preview, the dry run and the import, each row registered
  through ``services.complaints`` (rules.md §3, §4);
- ``exporting``: the register as .xlsx, escaped against formula injection;
- ``migrate``: SQLite → PostgreSQL, copied and verified table by table.
"""
from __future__ import annotations

from services.transfer.exporting import ExportResult, escape, export_register
from services.transfer.importing import (
    ImportedRow,
    ImportReport,
    PreviewRow,
    Problem,
    Sheet,
    SkippedRow,
    check_mapping,
    guess,
    parse_map_options,
    preview,
    read_sheet,
    run_import,
)
from services.transfer.mapping import FIELD_NAMES, FIELDS
from services.transfer.migrate import MoveReport, TableCount, move_to_postgresql, redact

__all__ = [
    "FIELD_NAMES", "FIELDS", "ExportResult", "ImportReport", "ImportedRow", "MoveReport",
    "PreviewRow", "Problem", "Sheet", "SkippedRow", "TableCount", "check_mapping", "escape",
    "export_register", "guess", "move_to_postgresql", "parse_map_options", "preview",
    "read_sheet", "redact", "run_import",
]
