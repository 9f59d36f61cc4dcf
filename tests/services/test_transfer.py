"""Data in and out (docs/design.md): the Excel import with its dry run, the .xlsx export, and
moving an office from SQLite to PostgreSQL."""
from __future__ import annotations

from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from services import transfer
from services.complaints import ComplaintFilter
from services.complaints import register as complaints
from services.errors import Cancelled, PermissionDenied, StateError, ValidationError
from tests.conftest import Backend
from tests.helpers import register

HEADERS = ["单号", "受理时间", "投诉人", "电话", "类别", "事情经过", "诉求", "处理结果", "状态"]
GOOD = [
    ["240301001", datetime(2024, 3, 1, 9, 30), "张三", 13800138000, "产品质量类", "外壳开裂",
     "换货", "已换货", "已结案"],
    ["240302002", "2024/3/2 10:00", "李四", "0571-8888888", "service_quality", "'=SUM(A1)",
     "", "", "处理中"],
    [None, "2024-03-05", "王五", "", "Service quality", "态度不好", "道歉", "", ""],
]
BAD = [  # spreadsheet rows 5, 6, 7: what is wrong, in which column
    ["240303003", "2024-03-03 08:00", "赵六", "13900139000", "产品质量类", "", "", "", ""],
    ["240304004", "2024-13-45", "钱七", "", "产品质量类", "床垫塌陷", "", "", ""],
    ["240305005", "2024-03-05 11:00", "孙八", "", "不存在的类别", "沙发开线", "", "", ""],
]


def make_register(path, rows=None, *, title: str | None = "2024年投诉台账"):
    book = Workbook()
    ws = book.active
    ws.title = "台账"
    if title:
        ws.append([title])
    ws.append(HEADERS)
    for row in rows if rows is not None else GOOD + BAD:
        ws.append(row)
    book.save(path)
    return str(path)


def test_mapping_is_guessed_from_chinese_and_english_headers():
    guessed = transfer.mapping.guess_mapping(HEADERS)
    assert [guessed[i] for i in range(len(HEADERS))] == [
        "original_no", "received_at", "complainant_name", "complainant_phone", "category",
        "description", "request", "result", "status"]
    english = transfer.mapping.guess_mapping(["No.", "Date received", "Customer", "Tel",
                                              "Category", "Details", "Remarks", "序号"])
    assert english == {0: "original_no", 1: "received_at", 2: "complainant_name",
                       3: "complainant_phone", 4: "category", 5: "description", 6: "remarks"}


def test_dry_run_reports_exactly_the_bad_rows_and_writes_nothing(firm, tmp_path, monkeypatch):
    monkeypatch.setattr("services.transfer.importing.BATCH", 2)  # several rolled-back batches
    path = make_register(tmp_path / "old.xlsx")
    before = complaints.count(firm.owner)
    report = transfer.run_import(path, actor=firm.owner, dry_run=True)
    assert report.sheet == "台账" and report.rows == 6
    assert [(p.row, p.column) for p in report.refused] == [
        (6, "事情经过"), (7, "受理时间"), (8, "类别")]
    assert "2024-13-45" in report.refused[1].message
    assert "不存在的类别" in report.refused[2].message
    assert sorted(r.row for r in report.imported) == [3, 4, 5]
    assert complaints.count(firm.owner) == before
    # the numbers a dry run took were given back: the real run starts at 001
    real = transfer.run_import(path, actor=firm.owner)
    assert sorted(r.ticket for r in real.imported)[0] == "240301001"


def test_import_registers_the_good_rows_and_a_second_run_skips_them(firm, tmp_path):
    path = make_register(tmp_path / "old.xlsx")
    report = transfer.run_import(path, actor=firm.owner)
    assert len(report.imported) == 3 and len(report.refused) == 3 and not report.skipped
    assert report.changes is not None
    tickets = {r.row: r.ticket for r in report.imported}
    # new numbers follow the days of receipt (rules.md §3); the old one is on the note
    assert tickets[3] == "240301001" and tickets[4] == "240302002"
    assert tickets[5] == "240305003"
    d = complaints.detail(tickets[4], actor=firm.owner)
    c = d.complaint
    assert (c.complainant_name, c.description, c.category.code) == (
        "李四", "=SUM(A1)", "service_quality")
    assert c.received_at == datetime(2024, 3, 2, 10, 0)
    note = d.events[-1].note
    assert "240302002" in note and "处理中" in note and "[import:240302002]" in note
    again = transfer.run_import(path, actor=firm.owner)
    assert not again.imported
    assert sorted((s.row, s.ticket) for s in again.skipped) == sorted(tickets.items())
    assert complaints.count(firm.owner) == 3


def test_mapping_options_and_required_fields(firm, tmp_path):
    path = make_register(tmp_path / "old.xlsx", GOOD)
    sheet = transfer.read_sheet(path)
    mapping = transfer.parse_map_options(sheet, ["事情经过=remarks", "G=description"],
                                         transfer.guess(sheet))
    assert mapping[5] == "remarks" and mapping[6] == "description"
    with pytest.raises(ValidationError, match="类别|Category"):
        transfer.check_mapping({i: f for i, f in mapping.items() if f != "category"})
    with pytest.raises(ValidationError):
        transfer.parse_map_options(sheet, ["Z=description"])
    rows = transfer.preview(sheet, transfer.guess(sheet), limit=2)
    assert [r.values["complainant_name"] for r in rows] == ["张三", "李四"]
    assert rows[0].values["received_at"].startswith("2024-03-01 09:30")
    assert rows[0].problem is None


def test_the_preview_already_flags_an_unknown_category(firm, tmp_path):
    sheet = transfer.read_sheet(make_register(tmp_path / "old.xlsx", GOOD + BAD))
    rows = {r.row: r for r in transfer.preview(sheet, transfer.guess(sheet))}
    unknown = next(r for r in rows.values() if r.values["complainant_name"] == "孙八")
    assert unknown.problem is not None and "不存在的类别" in unknown.problem.message
    assert all(r.problem is None for r in rows.values()
               if r.values["complainant_name"] in ("张三", "李四"))


def test_import_needs_a_manager_or_the_owner(firm, tmp_path):
    path = make_register(tmp_path / "old.xlsx", GOOD)
    with pytest.raises(PermissionDenied):
        transfer.run_import(path, actor=firm.rec, dry_run=True)


def test_cancel_keeps_what_was_committed(firm, tmp_path, monkeypatch):
    monkeypatch.setattr("services.transfer.importing.BATCH", 1)
    path = make_register(tmp_path / "old.xlsx", GOOD)
    calls = iter([False, True])
    report = transfer.run_import(path, actor=firm.owner, cancelled=lambda: next(calls, True))
    assert report.cancelled and len(report.imported) == 1
    rest = transfer.run_import(path, actor=firm.owner)
    assert len(rest.imported) == 2 and len(rest.skipped) == 1


def test_export_round_trips_and_escapes_formulas(firm, tmp_path):
    register(firm.rec, description="=SUM(A1)", complainant_name="+cmd|' /C calc'!A0")
    register(firm.rec)
    register(firm.mgr, complainant_name="王经理登记")
    out = tmp_path / "register.xlsx"
    result = transfer.export_register(out, actor=firm.owner)
    assert result.rows == 3 == complaints.count(firm.owner)
    ws = load_workbook(out).active
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row}
    for typed in ("=SUM(A1)", "+cmd|' /C calc'!A0"):  # kept as typed, stored as text
        assert cells[typed].data_type == "s" and cells[typed].quotePrefix
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # a receiver's export holds what the receiver may see (rules.md §2)
    mine = transfer.export_register(tmp_path / "mine.xlsx", actor=firm.rec)
    assert mine.rows == complaints.count(firm.rec) == 2
    year = transfer.export_register(tmp_path / "y.xlsx", actor=firm.owner, year=2001)
    assert year.rows == 0
    filtered = transfer.export_register(tmp_path / "f.xlsx", actor=firm.owner,
                                        filter=ComplaintFilter(text="王经理"))
    assert filtered.rows == 1
    # and it imports back: the mapping is guessed from its headers, every row passes
    back = transfer.run_import(out, actor=firm.owner, dry_run=True)
    assert not back.refused and len(back.imported) == 3
    assert transfer.escape(5) == 5 and transfer.escape("-5") != "-5"


def test_redact_hides_the_password():
    assert transfer.redact("postgresql://bob:s3cret@db.local:5433/office") == \
        "postgresql://bob:***@db.local:5433/office"
    assert transfer.redact("postgresql://bob@db/office") == "postgresql://bob@db/office"


@pytest.fixture
def empty_pg(tmp_path):
    pg = Backend("postgres", tmp_path)
    url = pg.new_location()  # skips (or fails in CI) when the server is unreachable
    yield url
    from services.firm import close_database

    close_database()
    pg.drop(url)


def test_move_to_postgresql_copies_and_verifies_a_demo_firm(sqlite_firm, empty_pg):
    from services import demo
    from services.firm import open_database

    demo.generate(profile="company", complaints=200, seed=3)
    owner = sqlite_firm.owner
    seen = complaints.count(owner)
    with pytest.raises(PermissionDenied):
        transfer.move_to_postgresql(empty_pg, actor=sqlite_firm.mgr)
    with pytest.raises(Cancelled):
        transfer.move_to_postgresql(empty_pg, actor=owner, cancelled=lambda: True)
    report = transfer.move_to_postgresql(empty_pg, actor=owner)  # left empty by the cancel
    counts = {t.table: t for t in report.tables}
    assert counts["complaint"].source == counts["complaint"].target >= 200
    assert counts["event"].target > counts["complaint"].target
    assert all(t.source == t.target and t.checksum_equal for t in report.tables)
    with pytest.raises(StateError):  # a second time: the target is no longer empty
        transfer.move_to_postgresql(empty_pg, actor=owner)
    # the office works on the server: same register, and new numbers follow on
    open_database(empty_pg)
    from models.entities import User

    owner_pg = User.get(User.login == "owner")
    assert complaints.count(owner_pg) == seen
    register(owner_pg)  # the id sequences were set past the copied rows
    assert complaints.count(owner_pg) == seen + 1
