"""The complaint register and the Due & overdue screen, with pytest-qt."""
from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt

from services import clock
from services.changes import Changes
from services.timelimits import time_left_text
from tests.helpers import register, walk_to
from ui import marks, prefs
from ui.due_view import DueView
from ui.qt_i18n import apply_language
from ui.register.model import COLUMN_KEYS, RegisterModel
from ui.register.view import RegisterView

NOW = datetime(2026, 11, 24, 10, 0)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login="owner": session_for(sqlite_firm, login)


def shown(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1200, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ids_shown(view) -> list[int]:
    m = view.model
    return [m.item_id(row) for row in range(m.rowCount())]


def cell(view, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    m = view.model
    return m.data(m.index(row, COLUMN_KEYS.index(key)), role)


def double_click(qtbot, table, index) -> None:
    # An item view opens on a double-click only over the index the button went down on.
    point = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def search(qtbot, view, text: str) -> None:
    """Type into the search field: the filter follows (no debounce in tests)."""
    with qtbot.waitSignal(view.filter_bar.filter_changed):
        view.filter_bar.search.setText(text)


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


@pytest.fixture
def three(sqlite_firm):
    """Three customer complaints received an hour apart; the newest is 张三's."""
    clock.freeze(NOW)
    old = register(sqlite_firm.rec, complainant_name="李四", complainant_phone="13911112222",
                   description="包装破损", category="packaging",
                   received_at=NOW - timedelta(hours=3))
    mid = register(sqlite_firm.rec, complainant_name="王五", complainant_phone="13700001111",
                   contract_no="HT-2026-88", description="送货晚了两天",
                   received_at=NOW - timedelta(hours=2))
    new = register(sqlite_firm.rec, complainant_name="张三", received_at=NOW - timedelta(hours=1))
    return old, mid, new


def test_register_shows_the_newest_first_with_a_count(qtbot, session_of, three):
    old, mid, new = three
    view = shown(qtbot, RegisterView(session_of("owner")))
    assert ids_shown(view) == [new.complaint_id, mid.complaint_id, old.complaint_id]
    assert view.count_label.text() == "3 complaints"
    assert cell(view, 0, "ticket") == new.ticket
    assert cell(view, 0, "complainant") == "张三"
    assert cell(view, 0, "kind") == "Customer"
    assert cell(view, 0, "state") == "Registered"
    assert cell(view, 0, "category") == "Product quality"
    assert cell(view, 2, "received") == "2026-11-24 07:00"
    assert view.table.isSortingEnabled()
    header = view.model.headerData(COLUMN_KEYS.index("ticket"), Qt.Orientation.Horizontal)
    assert header == "Ticket no."


def test_text_search_finds_by_name_ticket_phone_and_contract(qtbot, session_of, three):
    old, mid, new = three
    view = shown(qtbot, RegisterView(session_of("owner")))
    search(qtbot, view, "王五")
    assert ids_shown(view) == [mid.complaint_id]
    search(qtbot, view, old.ticket)
    assert ids_shown(view) == [old.complaint_id]
    search(qtbot, view, "139111")
    assert ids_shown(view) == [old.complaint_id]
    search(qtbot, view, "HT-2026")
    assert ids_shown(view) == [mid.complaint_id]
    search(qtbot, view, "送货")  # the text of the complaint
    assert ids_shown(view) == [mid.complaint_id]
    search(qtbot, view, "nobody")
    assert ids_shown(view) == []
    assert view.count_label.text() == "No complaint matches the filter."
    view.filter_bar.clear_button.click()
    assert len(ids_shown(view)) == 3


def test_kind_category_state_and_handler_filters(qtbot, sqlite_firm, session_of, three):
    old, mid, new = three
    assigned = walk_to(sqlite_firm, "assigned", complainant_name="赵六",
                       received_at=NOW - timedelta(minutes=30))
    staff = register(sqlite_firm.rec, kind="employee", complainant_department="service",
                     category="pay_benefits", received_at=NOW - timedelta(minutes=20))
    replied = walk_to(sqlite_firm, "replied", received_at=NOW - timedelta(minutes=40))
    view = shown(qtbot, RegisterView(session_of("owner")))
    bar = view.filter_bar
    choose(bar.kind, "employee")
    assert ids_shown(view) == [staff.complaint_id]
    choose(bar.kind, "")
    choose(bar.category, "packaging")
    assert ids_shown(view) == [old.complaint_id]
    choose(bar.category, "")
    choose(bar.state, "assigned")
    assert ids_shown(view) == [assigned.complaint_id]
    choose(bar.state, "closed")
    assert ids_shown(view) == [replied.complaint_id]
    choose(bar.state, "open")
    assert replied.complaint_id not in ids_shown(view) and len(ids_shown(view)) == 5
    choose(bar.state, "")
    choose(bar.handler, "han")
    assert set(ids_shown(view)) == {assigned.complaint_id, replied.complaint_id}
    assert cell(view, view.model.row_of(assigned.complaint_id), "handler") == "张处理"


def test_received_date_range_filter(qtbot, session_of, sqlite_firm, three):
    earlier = register(sqlite_firm.rec, received_at=NOW - timedelta(days=3))
    view = shown(qtbot, RegisterView(session_of("owner")))
    bar = view.filter_bar
    bar.to_date.setDate(NOW.date() - timedelta(days=1))
    assert len(ids_shown(view)) == 4  # the date counts only once its box is ticked
    bar.to_check.setChecked(True)
    assert ids_shown(view) == [earlier.complaint_id]
    bar.to_check.setChecked(False)
    bar.from_date.setDate(NOW.date())
    bar.from_check.setChecked(True)
    assert len(ids_shown(view)) == 3 and earlier.complaint_id not in ids_shown(view)


def test_overdue_only_and_the_overdue_mark(qtbot, sqlite_firm, session_of):
    clock.freeze(NOW)
    late = register(sqlite_firm.rec, received_at=NOW - timedelta(hours=2))  # 30-minute limit
    fresh = register(sqlite_firm.rec, received_at=NOW - timedelta(minutes=1))
    view = shown(qtbot, RegisterView(session_of("owner")))
    row = view.model.row_of(late.complaint_id)
    assert cell(view, row, "overdue") == "Overdue"
    assert cell(view, row, "overdue", Qt.ItemDataRole.ForegroundRole) == marks.OVERDUE
    assert cell(view, row, "next_due", Qt.ItemDataRole.ForegroundRole) == marks.OVERDUE
    assert cell(view, row, "next_due") == "2026-11-24 08:30"
    assert "Transfer to a handler within 30 minutes" in cell(
        view, row, "overdue", Qt.ItemDataRole.ToolTipRole)
    other = view.model.row_of(fresh.complaint_id)
    assert cell(view, other, "overdue") == ""
    assert cell(view, other, "next_due", Qt.ItemDataRole.ForegroundRole) is None
    view.filter_bar.overdue.setChecked(True)
    assert ids_shown(view) == [late.complaint_id]


def test_sorting_by_received_and_by_ticket(qtbot, sqlite_firm, session_of):
    clock.freeze(NOW)
    # Registered out of order: ticket numbers follow registration, not the time received.
    a = register(sqlite_firm.rec, received_at=NOW - timedelta(hours=1))
    b = register(sqlite_firm.rec, received_at=NOW - timedelta(hours=3))
    c = register(sqlite_firm.rec, received_at=NOW - timedelta(hours=2))
    view = shown(qtbot, RegisterView(session_of("owner")))
    received, ticket = COLUMN_KEYS.index("received"), COLUMN_KEYS.index("ticket")
    assert ids_shown(view) == [a.complaint_id, c.complaint_id, b.complaint_id]
    view.table.sortByColumn(received, Qt.SortOrder.AscendingOrder)
    assert ids_shown(view) == [b.complaint_id, c.complaint_id, a.complaint_id]
    view.table.sortByColumn(ticket, Qt.SortOrder.AscendingOrder)
    assert [cell(view, r, "ticket") for r in range(3)] == sorted([a.ticket, b.ticket, c.ticket])
    assert view.model.sort_key == "ticket" and not view.model.descending
    view.table.sortByColumn(ticket, Qt.SortOrder.DescendingOrder)
    assert ids_shown(view) == [c.complaint_id, b.complaint_id, a.complaint_id]

    # A click on a column SQL cannot sort by keeps the order and the indicator.
    header = view.table.horizontalHeader()
    respondent = COLUMN_KEYS.index("respondent")
    x = header.sectionViewportPosition(respondent) + header.sectionSize(respondent) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))
    assert header.sortIndicatorSection() == ticket
    assert ids_shown(view) == [c.complaint_id, b.complaint_id, a.complaint_id]


def test_enter_and_double_click_open_the_complaint(qtbot, session_of, three):
    old, mid, new = three
    view = shown(qtbot, RegisterView(session_of("owner")))
    table = view.table
    table.setFocus()
    table.selectRow(1)
    assert view.selected_complaint_id() == mid.complaint_id
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args == [mid.complaint_id]
    with qtbot.waitSignal(view.open_requested) as opened:
        double_click(qtbot, table, view.model.index(2, COLUMN_KEYS.index("complainant")))
    assert opened.args == [old.complaint_id]


def test_ctrl_f_focuses_the_search_field(qtbot, session_of, three):
    view = shown(qtbot, RegisterView(session_of("owner")))
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.focusWidget() is view.filter_bar.search  # (offscreen windows are not active)


def test_the_person_complained_about_does_not_see_the_complaint(qtbot, sqlite_firm, session_of):
    clock.freeze(NOW)
    about_han = register(sqlite_firm.rec, respondent_user="han")
    about_mgr = register(sqlite_firm.rec, respondent_user="mgr")
    for_han = walk_to(sqlite_firm, "assigned")  # transferred to han: he may see this one
    as_han = shown(qtbot, RegisterView(session_of("han")))
    assert ids_shown(as_han) == [for_han.complaint_id]
    assert as_han.count_label.text() == "1 complaint"
    # A manager sees everything, except what is about them (docs/rules.md: recusal).
    as_mgr = shown(qtbot, RegisterView(session_of("mgr")))
    assert set(ids_shown(as_mgr)) == {about_han.complaint_id, for_han.complaint_id}
    assert about_mgr.complaint_id not in ids_shown(as_mgr)


def test_refresh_keeps_the_selection_on_the_same_complaint(qtbot, sqlite_firm, session_of,
                                                           three):
    old, mid, new = three
    session = session_of("owner")
    view = shown(qtbot, RegisterView(session))
    view.table.selectRow(1)
    assert view.selected_complaint_id() == mid.complaint_id
    added = register(sqlite_firm.rec, complainant_name="钱七",
                     received_at=NOW - timedelta(minutes=10))
    session.notify(Changes.of_complaint(added.complaint_id))
    assert ids_shown(view)[0] == added.complaint_id
    assert view.selected_complaint_id() == mid.complaint_id
    assert view.table.currentIndex().row() == 2
    assert view.table.verticalHeader().count() == 4  # the view took in the new row
    assert view.count_label.text() == "4 complaints"


def test_a_change_while_hidden_is_read_when_shown_again(qtbot, sqlite_firm, session_of, three):
    session = session_of("owner")
    view = shown(qtbot, RegisterView(session))
    view.hide()
    added = register(sqlite_firm.rec, received_at=NOW - timedelta(minutes=10))
    session.notify(Changes.of_complaint(added.complaint_id))
    assert added.complaint_id not in ids_shown(view)
    view.show()
    assert ids_shown(view)[0] == added.complaint_id


def test_ids_and_rows_are_read_a_page_at_a_time(qtbot, sqlite_firm, session_of, monkeypatch):
    clock.freeze(NOW)
    monkeypatch.setattr(RegisterModel, "page_size", 4)
    monkeypatch.setattr(RegisterModel, "row_page_size", 2)
    monkeypatch.setattr(RegisterModel, "cached_row_pages", 2)
    made = [register(sqlite_firm.rec, received_at=NOW - timedelta(minutes=n)).complaint_id
            for n in range(1, 11)]
    view = RegisterView(session_of("owner"))
    qtbot.addWidget(view)  # not shown: nothing paints, so nothing but the first ids is read
    model = view.model
    assert (model.total, model.fetched_rows, model.row_cache_size) == (10, 4, 0)
    assert model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.fetched_rows == 10 and not model.canFetchMore()
    assert ids_shown(view) == made
    for row in range(10):
        assert cell(view, row, "ticket")
    assert model.row_cache_size == 4  # the two most recent pages of two rows


def test_language_switch_reads_names_again(qtbot, session_of, three):
    view = shown(qtbot, RegisterView(session_of("owner")))
    assert cell(view, 0, "category") == "Product quality"
    apply_language("zh_CN")
    view.retranslate()
    assert cell(view, 0, "category") == "产品质量类"


def test_header_state_survives_recreating_the_view(qtbot, session_of, three):
    session = session_of("owner")
    view = shown(qtbot, RegisterView(session))
    header = view.table.horizontalHeader()
    complainant, ticket = COLUMN_KEYS.index("complainant"), COLUMN_KEYS.index("ticket")
    header.resizeSection(complainant, 277)
    header.moveSection(header.visualIndex(complainant), 0)
    view.table.sortByColumn(ticket, Qt.SortOrder.AscendingOrder)
    assert not view.header_memory.pending()  # saved by itself (no debounce in tests)
    view.close()

    again = shown(qtbot, RegisterView(session))
    header = again.table.horizontalHeader()
    assert header.sectionSize(complainant) == 277
    assert header.visualIndex(complainant) == 0
    assert header.sortIndicatorSection() == ticket
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert again.model.sort_key == "ticket" and not again.model.descending


# --- Due & overdue ------------------------------------------------------------------------


def due_cell(view, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    m = view.model
    return m.data(m.index(row, column), role)


def test_due_view_refreshes_on_its_timer_only_while_shown(qtbot, sqlite_firm, session_of):
    prefs.put(prefs.DUE_REFRESH_SECONDS, 5)
    view = DueView(session_of("owner"))
    qtbot.addWidget(view)
    assert not view.timer.isActive()
    shown(qtbot, view)
    assert view.timer.isActive() and view.timer.interval() == 5000
    view.hide()
    assert not view.timer.isActive()


def test_time_left_texts():
    assert time_left_text(timedelta(hours=2, minutes=10, seconds=30)) == "2 h 10 min"
    assert time_left_text(-timedelta(days=1, hours=3, minutes=5)) == "overdue 1 d 3 h"
    assert time_left_text(timedelta(seconds=20)) == "less than a minute"
    assert time_left_text(timedelta(days=2)) == "2 d"
    assert time_left_text(None) == "—"


# --- 100,000 complaints -------------------------------------------------------------------


@pytest.mark.slow
def test_register_with_100000_complaints_reads_only_a_few_pages(qtbot, tmp_path):
    from services import demo
    from services.firm import close_database, open_database

    location = str(tmp_path / "big.sqlite3")
    open_database(location)
    try:
        demo.generate(profile="company", complaints=100_000, seed=3)
        check_big_register(qtbot, location)
    finally:
        close_database()


def check_big_register(qtbot, location: str) -> None:
    from PySide6.QtWidgets import QApplication

    from services.people import users
    from ui.session import Session
    from ui.tasks import TaskManager

    session = Session(user=users.get_user("owner"), location=location,
                      tasks=TaskManager(synchronous=True))
    page, row_page = RegisterModel.page_size, RegisterModel.row_page_size
    began = time.perf_counter()
    view = shown(qtbot, RegisterView(session))
    model = view.model
    qtbot.waitUntil(lambda: model.row_cache_size > 0)  # painted
    opened_ms = (time.perf_counter() - began) * 1000
    assert model.total == 100_000
    assert model.fetched_rows == page
    assert model.row_cache_size <= 2 * row_page  # what one screen shows
    assert model.rowCount() == 100_000  # every row is there from the start (keyset paging)
    # Ctrl+End lands on the last row after reading a few pages, not the 499 between
    view.table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert view.table.currentIndex().row() == 100_000 - 1
    assert model.fetched_rows <= 5 * page
    assert 0 < model.row_cache_size <= row_page * RegisterModel.cached_row_pages
    bar = view.table.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)  # dragged to the middle: the page under the viewport
    QApplication.processEvents()
    middle = view.table.rowAt(view.table.viewport().height() // 2)
    assert model.item_id(middle) is not None
    search(qtbot, view, "张")
    assert 0 < model.total < 100_000 and model.fetched_rows <= page
    print(f"\nregister on 100,000 complaints: open and first paint {opened_ms:.0f} ms")

    from services.timelimits import QueueFilter

    due = shown(qtbot, DueView(session))
    due.set_filter(QueueFilter(scope="all"))
    assert 0 < due.model.total and due.model.fetched_rows <= page


# --- a new complaint is announced (issue: "saving a new complaint shows nothing") -----------


def test_a_new_complaint_is_announced_and_its_row_selected(qtbot, sqlite_firm, session_of,
                                                           monkeypatch):
    from ui.complaint.form import NewComplaintDialog
    from ui.main_window import MainWindow
    from ui.widgets.fields import select_data

    for minutes in (30, 20, 10):
        register(sqlite_firm.rec, received_at=clock.now() - timedelta(minutes=minutes))
    session = session_of("rec")
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    view = window.show_section("complaints")
    view.table.setCurrentIndex(view.model.index(2, 0))  # the user was looking elsewhere
    dialog = window.new_complaint()
    assert isinstance(dialog, NewComplaintDialog)
    form = dialog.form
    form.name.setText("王五")
    form.phone.setText("13900001111")
    select_data(form.category, "product_quality")
    form.description.setPlainText("空调安装后漏水")
    with qtbot.waitSignal(form.saved) as saved, qtbot.waitSignal(session.changed):
        form.save_button.click()
    result = saved.args[0]
    assert result.ticket
    assert result.ticket in window.statusBar().currentMessage()
    assert window.stack.currentWidget() is view
    assert not view.banner.isHidden() and result.ticket in view.banner.label.text()
    assert [b.text() for b in view.banner.buttons()] == ["Print receipt", "Open"]
    assert view.selected_complaint_id() == result.complaint_id
    assert view.table.selectionModel().isRowSelected(view.model.row_of(result.complaint_id))

    # "Open" opens the complaint, and that hides the banner
    opened = []
    view.open_requested.connect(opened.append)
    view.banner.buttons()[1].click()
    assert result.complaint_id in opened and view.banner.isHidden()


def test_the_banner_goes_when_something_else_happens_or_is_closed(qtbot, sqlite_firm,
                                                                  session_of):
    from services.complaints import path as workflow

    session = session_of("rec")
    view = shown(qtbot, RegisterView(session))
    r = register(sqlite_firm.rec)
    text = view.announce_registered(r)
    assert r.ticket in text and not view.banner.isHidden()
    session.notify(Changes.of_complaint(r.complaint_id))  # the registration's own news
    assert not view.banner.isHidden()
    other = register(sqlite_firm.rec)
    workflow.act(other.complaint_id, "acknowledge", actor=sqlite_firm.rec)
    session.notify(Changes.of_complaint(other.complaint_id))  # another action
    assert view.banner.isHidden()

    view.announce_registered(r)
    view.banner.close_button.click()
    assert view.banner.isHidden()
    view.announce_registered(r)
    search(qtbot, view, "张三")  # a new filter is another action too
    assert view.banner.isHidden()


def test_print_receipt_from_the_banner_opens_the_receipt(qtbot, sqlite_firm, session_of):
    session = session_of("rec")
    view = shown(qtbot, RegisterView(session))
    r = register(sqlite_firm.rec)
    view.announce_registered(r)
    with qtbot.waitSignal(session.changed):
        view.banner.buttons()[0].click()
    assert view._receipts.preview is not None
    assert r.ticket in view._receipts.preview.windowTitle()
    view._receipts.preview.close()
