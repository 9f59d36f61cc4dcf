"""Cells of exported files that a spreadsheet would run as formulas (docs/design.md,
Credentials; docs/rules.md §10).

A reason, a name or a category typed by a user may start with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return): Excel and WPS read such a cell of a .csv as a formula, and
openpyxl writes such a string into an .xlsx as one. Every export passes its text through
here: in a .csv the cell gets a leading apostrophe (what spreadsheets themselves write for
"text that looks like a formula"), in an .xlsx it is stored as text with the quote prefix
set. Numbers (amounts, counts, even negative ones) are never touched, so payroll can still
add them up.
"""
from __future__ import annotations

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def csv_cell(value):
    """A text cell as written to a .csv: an apostrophe before a formula-like start."""
    return "'" + value if is_risky(value) else value


def xlsx_as_text(sheet, *, min_row: int = 1) -> int:
    """Turn every formula-like text cell of an openpyxl sheet back into text; how many."""
    done = 0
    for row in sheet.iter_rows(min_row=min_row):
        for cell in row:
            if is_risky(cell.value) or cell.data_type == "f":
                cell.value = str(cell.value)
                cell.data_type = "s"  # openpyxl made "=…" a formula: it is the user's text
                cell.quotePrefix = True  # and stays text when someone edits it in Excel
                done += 1
    return done
