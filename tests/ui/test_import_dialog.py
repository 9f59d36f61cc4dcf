"""File ▸ Import register… and Export register… with pytest-qt on SQLite (docs/design.md, Data
in and out): the guessed mapping in combo boxes, the preview, the dry run's report, the import
and a second import that skips, and the export in the register's filter."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook

from services.complaints import ComplaintFilter
from services.complaints import register as complaints
from tests.helpers import register
from tests.services.test_transfer import GOOD, make_register
from ui.transfer.import_dialog import ImportDialog

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def dialog(qtbot, sqlite_firm, session_for):
    d = ImportDialog(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(d)
    return d


def _column(table, col: int) -> list[str]:
    return [table.item(r, col).text() for r in range(table.rowCount())]


def test_mapping_preview_dry_run_import_and_skip(dialog, sqlite_firm, tmp_path):
    owner = sqlite_firm.owner
    dialog.load_file(make_register(tmp_path / "old.xlsx"))
    assert dialog.sheet_combo.currentText() == "台账"
    assert dialog.mapping_table.rowCount() == 9
    assert dialog.mapping_table.cellWidget(5, 1).currentText() == "What happened"
    assert dialog.mapping()[0] == "original_no"
    assert _column(dialog.preview_table, 0) == ["3", "4", "5", "6", "7", "8"]
    problems = _column(dialog.preview_table, dialog.preview_table.columnCount() - 1)
    assert problems[0] == "" and "2024-13-45" in problems[4]
    assert dialog.import_button.isEnabled()

    changed = []
    dialog.session.changed.connect(changed.append)
    dialog.dry_run_button.click()
    assert _column(dialog.report_table, 0) == ["6", "7", "8"]
    assert _column(dialog.report_table, 1) == ["事情经过", "受理时间", "类别"]
    assert "Nothing was written" in dialog.info.text()
    assert complaints.count(owner) == 0 and not changed

    dialog.import_button.click()
    assert complaints.count(owner) == 3
    assert "Imported 3 rows" in dialog.info.text()
    assert changed and changed[-1].complaints == "all"  # the register refreshes

    dialog.import_button.click()
    assert complaints.count(owner) == 3
    assert "skipped 3" in dialog.info.text()


def test_changing_the_mapping_moves_a_field_and_refreshes_the_preview(dialog, tmp_path):
    dialog.load_file(make_register(tmp_path / "old.xlsx", GOOD))
    dialog.set_field(6, "description")  # 诉求 now holds what happened; 事情经过 gives it up
    assert dialog.mapping().get(5) is None and dialog.mapping()[6] == "description"
    headers = [dialog.preview_table.horizontalHeaderItem(c).text()
               for c in range(dialog.preview_table.columnCount())]
    col = headers.index("What happened")
    assert _column(dialog.preview_table, col)[0] == "换货"
    dialog.set_field(4, "")  # no category: refused before any row is tried
    dialog.dry_run_button.click()
    assert "Category" in dialog.error.text()


def test_a_receiver_cannot_import(qtbot, sqlite_firm, session_for, tmp_path):
    d = ImportDialog(session_for(sqlite_firm, "rec"))
    qtbot.addWidget(d)
    d.load_file(make_register(tmp_path / "old.xlsx", GOOD))
    d.dry_run_button.click()
    assert "role" in d.error.text() and complaints.count(sqlite_firm.owner) == 0


def test_file_menu_exports_the_register_in_its_filter(qtbot, sqlite_firm, session_for,
                                                       tmp_path):
    from ui.main_window import MainWindow

    register(sqlite_firm.rec, complainant_name="=HYPERLINK(\"x\")")
    register(sqlite_firm.rec, complainant_name="李四")
    window = MainWindow(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(window)
    texts = [a.text() for a in window.file_menu.actions()]
    assert "&Import register…" in texts and "E&xport register…" in texts
    window.transfer.register_filter = lambda: ComplaintFilter(text="李四")
    out = tmp_path / "out.xlsx"
    window.transfer.export_register(str(out))
    assert load_workbook(out).active.max_row == 2
    window.transfer.register_filter = lambda: None
    window.transfer.export_register(str(out))
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row]
    typed = next(c for c in cells if c.value == '=HYPERLINK("x")')
    assert typed.data_type == "s" and typed.quotePrefix
    dialog = window.transfer.import_register()
    assert isinstance(dialog, ImportDialog)
    dialog.close()
