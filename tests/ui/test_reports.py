"""The Reports section (docs/rules.md §8.8) with pytest-qt on SQLite: the screen shows exactly what
``reports.monthly_summary`` counts, for any month; the XLSX export holds the screen's tables;
only the owner and managers may see it; the charts paint."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from services import clock, reports
from tests.helpers import register, views_on_screen, walk_to
from ui.qt_i18n import apply_language
from ui.reports import ReportsView
from ui.reports.view import RAW, cell_text, recent_months

MONTH, PREVIOUS = "2026-10", "2026-09"

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def firm(sqlite_firm):
    """Complaints in September and October 2026; now is mid-November."""
    f = sqlite_firm
    clock.freeze(datetime(2026, 9, 14, 10, 0))
    register(f.rec, category="service_quality")
    walk_to(f, "replied")
    clock.freeze(datetime(2026, 10, 6, 9, 30))
    for _i in range(3):
        register(f.rec)
    register(f.rec, category="service_quality", channel="walk_in")
    walk_to(f, "replied")
    clock.freeze(datetime(2026, 10, 20, 15, 0))
    walk_to(f, "investigating", channel="letter")
    clock.freeze(datetime(2026, 11, 10, 9, 0))
    return f


@pytest.fixture
def view_of(qtbot, firm, session_for):
    """A user's Reports section on screen: it counts the default month."""
    return views_on_screen(qtbot, session_for, firm, ReportsView, (1200, 800), login="owner")


def table_rows(table) -> list[list]:
    model = table.model()
    return [[model.data(model.index(r, c), RAW) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def table_headers(table) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_months_offered_end_with_the_previous_one():
    months = recent_months(datetime(2026, 1, 15).date())
    assert months[:3] == ["2025-12", "2025-11", "2025-10"]
    assert len(months) == 24 and months[-1] == "2024-01"


def test_the_screen_shows_the_services_numbers(view_of, firm):
    view = view_of("owner")
    assert view.current_month() == MONTH  # the previous month by default
    summary = reports.monthly_summary(actor=firm.owner, month=MONTH)
    assert summary.received.current == 6 and summary.received.previous == 2
    # the headline: every figure, this month, the month before, the change
    headline = view.tables[0]
    rows = table_rows(headline)
    assert [r[0] for r in rows] == [label for _k, label, _f in summary.headline()]
    assert [r[1:] for r in rows] == [[f.current, f.previous, f.change]
                                     for _k, _l, f in summary.headline()]
    assert table_headers(headline) == ["Figure", "This month", "Previous month", "Change"]
    # every other table is the spreadsheet's, cell for cell, under the same title
    tables = reports.sheet_tables(summary)
    assert len(view.tables) == len(tables)
    for (title, headers, expected), table, box in zip(tables, view.tables, view.boxes,
                                                      strict=True):
        assert box.title() == title
        assert table_headers(table) == list(headers)
        assert table_rows(table) == expected
    # the text shown is the value formatted, changes signed
    received = headline.item(0, 3)
    assert received.text() == "+4" and received.data(RAW) == 4
    categories = dict((r.code, r.count) for r in summary.by_category)
    assert categories["product_quality"] == 5 and categories["service_quality"] == 1
    assert view.export_button.isEnabled()
    assert not view.note.isVisible()


def test_changing_the_month_reloads(view_of, firm):
    view = view_of("owner")
    view.month.setCurrentIndex(view.month.findText(PREVIOUS))
    assert view.summary.month == PREVIOUS
    expected = reports.monthly_summary(actor=firm.owner, month=PREVIOUS)
    assert view.tables[0].item(0, 1).data(RAW) == expected.received.current == 2
    assert table_rows(view.tables[1]) == reports.sheet_tables(expected)[1][2]
    # an older month than the list holds is added and counted (nothing in it)
    view.set_month("2023-05")
    assert view.current_month() == "2023-05" and view.summary.month == "2023-05"
    assert view.tables[0].item(0, 1).data(RAW) == 0
    # Refresh counts again: a complaint registered meanwhile shows up
    view.set_month(MONTH)
    clock.freeze(datetime(2026, 10, 25, 11, 0))
    register(firm.rec)
    clock.freeze(datetime(2026, 11, 10, 9, 0))
    view.refresh_button.click()
    assert view.tables[0].item(0, 1).data(RAW) == 7


def _same(cell, shown) -> bool:
    if isinstance(shown, Decimal):
        return cell == pytest.approx(float(shown))
    return cell == shown


def test_export_writes_the_screens_tables(view_of, firm, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    view = view_of("owner")
    target = tmp_path / "summary.xlsx"
    monkeypatch.setattr(view, "ask_path", lambda: str(target))
    view.export_button.click()
    assert target.exists()
    assert "summary.xlsx" in view.info.text() and view.info.isVisible()
    book = load_workbook(target)
    sheet = book.worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == table_headers(view.tables[0])
    shown = table_rows(view.tables[0])
    assert len(values) - 1 == len(shown)
    for cells, row in zip(values[1:], shown, strict=True):
        assert all(_same(c, s) for c, s in zip(cells, row, strict=True)), (cells, row)
    assert book.sheetnames == [box.title()[:31] for box in view.boxes]
    # a cancelled dialog writes nothing
    monkeypatch.setattr(view, "ask_path", lambda: "")
    view.info.clear()
    view.export_button.click()
    assert not view.info.isVisible()


def test_a_receiver_sees_the_refusal(view_of):
    view = view_of("rec")
    assert view.note.isVisible()
    assert "This needs the role" in view.note.text()
    assert view.summary is None
    assert not view.export_button.isEnabled()
    assert not view.body.isVisible() and not view.scroll.isVisible()
    assert not view.month.isEnabled() and not view.refresh_button.isEnabled()
    # no Print menu whose every entry would be refused the same way: it is absent
    assert not view.print_button.isVisible() and not view.export_button.isVisible()


def test_a_manager_may_use_it(view_of, firm):
    view = view_of("mgr")
    assert not view.note.isVisible()
    summary = reports.monthly_summary(actor=firm.mgr, month=MONTH)
    assert table_rows(view.tables[0])[0][1] == summary.received.current


def test_charts_paint_with_data_and_without(view_of, firm):
    view = view_of("owner")
    summary = view.summary
    # each bar with the month before beside it (docs/rules.md §8.8)
    assert view.category_chart.bars == [(r.name, r.count, r.previous)
                                        for r in summary.by_category if r.count or r.previous]
    assert [v for _d, v in view.intake_chart.points] == [d.count for d in
                                                         summary.daily_intake]
    assert [(v, p) for _n, v, p in view.on_time_chart.bars] == [
        (r.rate, r.previous_rate) for r in summary.on_time]
    for chart in view.charts():
        image = chart.grab().toImage()
        assert not image.isNull() and image.width() > 200 and image.height() >= 200
        assert not chart.is_empty()
    view.set_month("2023-05")  # nothing counted: the charts say so
    for chart in view.charts():
        assert chart.is_empty()
        assert not chart.grab().toImage().isNull()


def test_bar_labels_are_whole_and_wrap(qtbot):
    """A long name is never cut: the chart grows to hold it over several lines."""
    from ui.reports.charts import BarChart

    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(300, 240)
    short = chart.needed_height()
    chart.set_bars([("Employee complaint the receiver cannot handle: reported the same day "
                     "and passed on to the department head", 80, 60)] * 6)
    chart.set_previous_label("Previous month")
    assert chart.needed_height() > short
    assert "Previous month 60" in chart._text(80, 60)
    assert not chart.grab().toImage().isNull()


def test_language_switch_keeps_the_numbers(view_of):
    view = view_of("owner")
    before = [table_rows(t) for t in view.tables]
    apply_language("zh_CN")
    view.retranslate()
    assert [table_rows(t)[0][1:] for t in view.tables[:1]] == [before[0][0][1:]]
    assert view.tables[0].item(0, 1).data(RAW) == before[0][0][1]


def test_cell_text():
    assert cell_text(None) == "–"
    assert cell_text(1234) == "1,234"
    assert cell_text(5, signed=True) == "+5"
    assert cell_text(-5, signed=True) == "-5"
    assert cell_text(0, signed=True) == "0"
    assert cell_text(Decimal("12.5")) == "12.5"
    assert cell_text(Decimal("480.00")) == "480.00"
    assert cell_text("x") == "x"


def test_main_window_opens_reports_for_the_owner(qtbot, firm, session_for):
    from ui.main_window import MainWindow

    window = MainWindow(session_for(firm, "owner"))
    qtbot.addWidget(window)
    window.show()
    item = window.nav_items["reports"]
    assert item.flags() & Qt.ItemFlag.ItemIsEnabled
    view = window.show_section("reports")
    assert isinstance(view, ReportsView)
    assert view.summary is not None and view.summary.month == MONTH


def test_owner_sets_the_schedule_in_a_dialog(qtbot, sqlite_firm, tmp_path, session_for):
    from services import documents
    from ui.reports.schedule_dialog import ScheduleDialog

    dialog = ScheduleDialog(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(dialog)
    dialog.enabled.setChecked(True)
    assert not dialog.submit()  # no folder yet: refused under the folder
    assert dialog.errors.text_for("folder") and not documents.schedule.get_schedule().enabled
    dialog.folder.setText(str(tmp_path))
    dialog.day.setValue(5)
    assert dialog.submit()
    saved = documents.schedule.get_schedule()
    assert saved.enabled and saved.day == 5 and saved.folder == str(tmp_path)


def test_print_menu_opens_the_monthly_summary_and_the_register(qtbot, sqlite_firm,
                                                               session_for):
    from datetime import datetime

    from pypdf import PdfReader

    from services import clock
    from tests.helpers import register as make_complaint
    from ui.reports.view import ReportsView

    clock.freeze(datetime(2026, 11, 5, 10, 0))
    make_complaint(sqlite_firm.rec, received_at=datetime(2026, 10, 12, 9, 0))
    view = ReportsView(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(view)
    view.print_button.monthly()
    preview = view.print_button.preview
    assert preview is not None
    import io

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(preview.pdf)).pages)
    assert "2026-10" in text
    view.print_button.register()
    text = "".join(p.extract_text() for p in PdfReader(
        io.BytesIO(view.print_button.preview.pdf)).pages)
    assert "2026" in text
    clock.freeze(None)


# --- weekly classification statistics and the bank's half-year reminder -----------------------


def test_weekly_table_shows_the_services_numbers(view_of, firm):
    view = view_of("owner")
    box = view.weekly
    assert box.current_week() == "2026-W45"  # last week: 2 to 8 November
    assert box.isVisibleTo(view)  # on the Reports screen, under the summary
    box.set_week("2026-W41")  # 5 to 11 October: the four complaints of 6 October
    stats = reports.weekly_statistics(actor=firm.owner, week="2026-W41")
    assert stats.received == 5
    headers, rows = stats.table()
    assert table_headers(box.table) == list(headers)
    assert table_rows(box.table) == rows
    assert "Weekly classification statistics" == box.title()
    assert box.table.item(len(rows) - 1, 3).text() == "5"
    box.print_week()  # the same week as a printed page, in the preview (docs/rules.md §8.8)
    import io

    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(box.previews.dialog.pdf)).pages)
    assert "2026-W41" in text and "每周分类统计" in text  # the firm's document language
    apply_language("zh_CN")
    try:
        view.retranslate()
        assert box.title() == "每周分类统计"
        assert table_headers(box.table)[3] == "本周"
    finally:
        apply_language("en")


def test_weekly_table_is_refused_to_a_receiver(view_of):
    view = view_of("rec")
    assert view.weekly.stats is None and not view.body.isVisible()


def test_half_year_reminder_only_for_banks(view_of):
    view = view_of("owner")
    assert not view.half_year.isVisibleTo(view)


@pytest.fixture
def bank(sqlite_backend):
    from models.entities import Firm
    from tests.conftest import firm_of

    with firm_of(sqlite_backend, "bank") as f:
        Firm.update(created_at=datetime(2025, 1, 2, 9, 0)).execute()
        clock.freeze(datetime(2026, 2, 2, 9, 0))
        yield f


def test_half_year_reminder_on_the_reports_screen(qtbot, bank, session_for):
    from tests.helpers import on_screen

    view = on_screen(qtbot, ReportsView(session_for(bank, "owner")), 1200, 800)
    reminder = view.half_year
    assert reminder.isVisibleTo(view)
    assert reminder.label.text() == ("The half-year statistics report 2025-H2 was due on "
                                     "Jan 30, 2026: 3 days overdue.")
    assert "#b3261e" in reminder.label.styleSheet()  # overdue: red
    assert reminder.filed_button.isVisibleTo(view)
    reminder.filed_button.click()
    assert reminder.due.period == "2026-H1"
    assert reminder.label.text().startswith("Next half-year statistics report: 2026-H1")
    assert not reminder.filed_button.isVisibleTo(view)  # the half is still running
    assert reports.half_year_due(actor=bank.owner).period == "2026-H1"  # saved
