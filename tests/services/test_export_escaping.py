"""Exports never hand a spreadsheet a formula typed by a user (docs/rules.md §10): a reason or
a name starting with = + - @ (or a tab or CR) is text in the .xlsx (read back with openpyxl)
and starts with an apostrophe in the .csv; amounts stay numbers."""
from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from services import cells, clock, penalties, reports
from services.i18n import language

START = datetime(2026, 10, 12, 9, 0)
MONTH = "2026-10"
NASTY = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", NASTY)
def test_the_rule_for_one_cell(value):
    assert cells.csv_cell(value) == "'" + value
    assert cells.csv_cell("普通的理由 = 1") == "普通的理由 = 1"
    assert cells.csv_cell(Decimal("-50.00")) == Decimal("-50.00")  # a number stays a number


def test_a_formula_in_a_reason_stays_text_in_the_payroll_files(firm, tmp_path):
    clock.freeze(START)
    reasons = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(1)", "-3+4", "正常的理由"]
    for reason in reasons:
        penalties.propose(actor=firm.owner, rule_code="staff_misconduct", person="han",
                          amount="30", reason=reason)
    penalties.propose(actor=firm.owner, rule_code="dealer_bad_handling", unit="=2*3",
                      amount="200", reason="+1")
    penalties.approve(actor=firm.owner, entry_ids=penalties.ids(firm.owner))
    with language("en"):
        penalties.export_month(firm.owner, MONTH, tmp_path / "m.xlsx")
        penalties.export_month(firm.owner, MONTH, tmp_path / "m.csv")

    book = load_workbook(tmp_path / "m.xlsx")
    sheet = book["Entries"]
    header = [c.value for c in sheet[1]]
    reason_col, person_col = header.index("Reason"), header.index("Person or unit")
    amount_col = header.index("Amount")
    seen = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in (row[reason_col], row[person_col]):
            assert cell.data_type == "s", (cell.value, cell.data_type)
            seen[cell.value] = cell
        assert row[amount_col].data_type == "n"  # amounts are still numbers
    assert {"=1+1", "@SUM(1)", "-3+4", "=2*3", "+1"} <= set(seen)
    assert seen["=1+1"].quotePrefix and not seen["正常的理由"].quotePrefix
    for name in book.sheetnames:  # no formula anywhere in the workbook
        assert all(c.data_type != "f" for row in book[name].iter_rows() for c in row)
    per_person = [c.value for c in book["Per person"]["A"]]
    assert "=2*3" in per_person

    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    reason_col = rows[0].index("Reason")
    person_col = rows[0].index("Person or unit")
    written = {r[reason_col] for r in rows[1:]} | {r[person_col] for r in rows[1:]}
    assert {"'=1+1", "'@SUM(1)", "'-3+4", "'=2*3", "'+1", "正常的理由"} <= written
    assert not any(v.startswith(tuple(cells.RISKY_STARTS)) for v in written)
    amounts = [r[rows[0].index("Amount")] for r in rows[1:]]
    assert all(Decimal(a) for a in amounts)  # numbers, no apostrophe


def test_the_monthly_summary_workbook_writes_names_as_text(firm, tmp_path, monkeypatch):
    """The writer of the summary's .xlsx (a department or category name typed by the owner)."""
    from services.reports import summary as summary_module

    clock.freeze(START)
    s = reports.monthly_summary(actor=firm.owner, month=MONTH)
    monkeypatch.setattr(summary_module, "sheet_tables", lambda _s: [
        ("By department", ("Department", "Count"),
         [["=1+1", 3], ["+cmd|' /C calc'!A0", 1], ["@x", 2], ["售后部", -1]])])
    reports.export_xlsx(s, tmp_path / "s.xlsx", language="en")
    sheet = load_workbook(tmp_path / "s.xlsx")["By department"]
    values = [(c.value, c.data_type) for c in sheet["A"]][1:]
    assert values == [("=1+1", "s"), ("+cmd|' /C calc'!A0", "s"), ("@x", "s"), ("售后部", "s")]
    assert [c.value for c in sheet["B"]][1:] == [3, 1, 2, -1]
    assert sheet["A2"].quotePrefix
