"""The register reaches any row of a long list (rules.md §10): every matching row is there
from the start, Ctrl+End and the scroll bar land on the last row, and the pages under the
viewport are read by key, not all the pages before them; the count is capped until the
worker has counted exactly. On both backends."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from services.changes import Changes
from services.complaints import register as complaints
from tests.helpers import register
from tests.services.test_keyset_paging import NOW, N, _fill
from ui.register.model import COLUMN_KEYS, RegisterModel
from ui.register.view import RegisterView

pytestmark = pytest.mark.usefixtures("english")
PAGE = 20


@pytest.fixture
def paged(monkeypatch, firm):
    monkeypatch.setattr(RegisterModel, "page_size", PAGE)
    monkeypatch.setattr(RegisterModel, "row_page_size", 10)
    _fill(firm)
    return firm


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def ctrl(qtbot, view, key) -> None:
    if not view.table.currentIndex().isValid():  # as a click into the table (focus) does
        view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, key, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()


def test_ctrl_end_lands_on_the_last_row_reading_a_few_pages(qtbot, paged, session_for):
    owner = paged.owner
    expected = complaints.ids(owner)
    view = shown(qtbot, RegisterView(session_for(paged)))
    model = view.model
    assert model.rowCount() == model.total == len(expected) == N + 3
    assert view.count_label.text() == f"{N + 3:,} complaints"
    ctrl(qtbot, view, Qt.Key.Key_End)
    current = view.table.currentIndex()
    assert current.row() == len(expected) - 1
    assert view.selected_complaint_id() == expected[-1]
    ticket = model.data(model.index(current.row(), COLUMN_KEYS.index("ticket")))
    assert ticket == complaints.rows(owner, [expected[-1]])[0].ticket
    assert model.fetched_rows <= 5 * PAGE  # near the top and the end: not the 70 between
    # back to the top, and a row in the middle, from the page next to it or by position
    ctrl(qtbot, view, Qt.Key.Key_Home)
    assert view.selected_complaint_id() == expected[0]
    for row in (len(expected) // 2, len(expected) // 2 + PAGE + 3, len(expected) - PAGE - 1):
        assert model.item_id(row) == expected[row]
    assert [model.item_id(r) for r in range(model.rowCount())] == expected


def test_the_scroll_bar_reaches_the_last_row(qtbot, paged, session_for):
    expected = complaints.ids(paged.owner)
    view = shown(qtbot, RegisterView(session_for(paged)))
    bar = view.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    # the last row is on screen, its bottom edge at the viewport's
    last = len(expected) - 1
    row_bottom = view.table.rowViewportPosition(last) + view.table.rowHeight(last)
    assert 0 < row_bottom <= view.table.viewport().height()
    assert view.model.item_id(len(expected) - 1) == expected[-1]
    assert view.model.row_cache_size > 0  # the end was painted
    assert view.model.fetched_rows <= 5 * PAGE


@pytest.mark.parametrize("key", ["handler", "next_due", "state", "complainant"])
def test_sorted_by_any_column_the_last_row_is_the_last_of_that_order(qtbot, paged,
                                                                      session_for, key):
    view = shown(qtbot, RegisterView(session_for(paged)))
    column = COLUMN_KEYS.index(key)
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    expected = complaints.ids(paged.owner, sort=key, descending=False)
    ctrl(qtbot, view, Qt.Key.Key_End)
    assert view.selected_complaint_id() == expected[-1]
    assert view.model.item_id(len(expected) // 3) == expected[len(expected) // 3]


def test_a_refresh_keeps_the_selection_on_the_last_row(qtbot, paged, session_for):
    session = session_for(paged)
    view = shown(qtbot, RegisterView(session))
    ctrl(qtbot, view, Qt.Key.Key_End)
    last = view.selected_complaint_id()
    added = register(paged.rec, received_at=NOW - timedelta(minutes=1))
    session.notify(Changes.of_complaint(added.complaint_id))
    QApplication.processEvents()
    view.model.refresh()
    assert view.model.total == N + 4
    assert view.selected_complaint_id() == last
    assert view.table.currentIndex().row() == N + 3
    model = view.model
    assert [model.item_id(r) for r in range(model.rowCount())] == complaints.ids(paged.owner)


def test_a_refresh_beyond_a_capped_count_keeps_the_selection(qtbot, paged, session_for,
                                                             monkeypatch):
    """The register counts up to its cap at once; a refresh while the selection is on a row
    past the cap counts exactly then, so the selection stays on its complaint."""
    monkeypatch.setattr(RegisterModel, "count_cap", 50)
    session = session_for(paged)
    view = shown(qtbot, RegisterView(session))
    ctrl(qtbot, view, Qt.Key.Key_End)
    last = view.selected_complaint_id()
    assert view.table.currentIndex().row() == N + 2 > 50
    added = register(paged.rec, received_at=NOW - timedelta(minutes=1))
    session.notify(Changes.of_complaint(added.complaint_id))
    QApplication.processEvents()
    view.model.refresh()
    assert view.model.total == N + 4 and view.model.total_is_exact
    assert view.selected_complaint_id() == last
    assert view.table.currentIndex().row() == N + 3


class _LaterTasks:
    """A worker that keeps its jobs until told to run them (the count made off the GUI)."""

    def __init__(self):
        self.jobs = []

    def run(self, fn, *, on_done=None, **_kwargs):
        self.jobs.append((fn, on_done))

    def finish(self):
        while self.jobs:
            fn, on_done = self.jobs.pop(0)
            on_done(fn())


def test_a_refresh_beyond_a_capped_count_waits_for_the_worker(qtbot, paged, session_for,
                                                              monkeypatch):
    """With the worker busy, the refresh leaves the list as it was (nothing counted on the GUI
    thread), then reads it again once the exact count is in."""
    monkeypatch.setattr(RegisterModel, "count_cap", 50)
    session = session_for(paged)
    view = shown(qtbot, RegisterView(session))
    ctrl(qtbot, view, Qt.Key.Key_End)
    last = view.selected_complaint_id()
    later = _LaterTasks()
    session.tasks = later
    added = register(paged.rec, received_at=NOW - timedelta(minutes=1))
    counted = []
    monkeypatch.setattr(RegisterModel, "count", lambda self: counted.append(1) or 0)
    view.model.refresh()
    assert counted == [] and later.jobs  # not on the GUI thread: on the worker
    assert view.model.total == N + 3 and view.selected_complaint_id() == last
    monkeypatch.undo()
    monkeypatch.setattr(RegisterModel, "count_cap", 50)
    later.finish()
    assert view.model.total == N + 4 and view.model.total_is_exact
    assert view.selected_complaint_id() == last
    assert view.table.currentIndex().row() == N + 3
    model = view.model
    assert added.complaint_id in [model.item_id(r) for r in range(model.rowCount())]
    assert [model.item_id(r) for r in range(model.rowCount())] == complaints.ids(paged.owner)


def test_a_long_count_shows_a_cap_until_the_worker_counts(qtbot, paged, session_for,
                                                          monkeypatch):
    monkeypatch.setattr(RegisterModel, "count_cap", 500)
    session = session_for(paged)
    later = _LaterTasks()
    session.tasks = later
    view = shown(qtbot, RegisterView(session))
    model = view.model
    assert not model.total_is_exact and model.rowCount() == 501
    assert view.count_label.text() == "500+ complaints"
    assert later.jobs
    later.finish()
    assert model.total_is_exact and model.rowCount() == N + 3
    assert view.count_label.text() == f"{N + 3:,} complaints"
    ctrl(qtbot, view, Qt.Key.Key_End)
    assert view.selected_complaint_id() == complaints.ids(paged.owner)[-1]


# --- the ledger and the vehicles list reach their end the same way -----------------------------


def _reaches_the_end(qtbot, table, model, expected: list[int]) -> None:
    """Ctrl+End selects the true last row, reading a few pages; the scroll bar at its maximum
    shows it; every row is the plain order's."""
    assert model.rowCount() == model.total == len(expected)
    table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert table.currentIndex().row() == len(expected) - 1
    assert model.item_id(len(expected) - 1) == expected[-1]
    assert model.fetched_rows <= 5 * PAGE
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert table.currentIndex().row() == 0
    bar = table.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    bottom = table.rowAt(table.viewport().height() - 3)
    assert bottom in (len(expected) - 1, -1)  # -1: the last row ends above the bottom edge
    assert table.rowAt(table.viewport().height() // 2) >= len(expected) - 40
    assert [model.item_id(r) for r in range(model.rowCount())] == expected


def test_the_ledger_reaches_its_last_entry(qtbot, monkeypatch, firm, session_for):
    from services import penalties
    from tests.services.test_keyset_paging import fill_ledger
    from ui.penalties.model import LedgerModel
    from ui.penalties.view import PenaltiesView

    monkeypatch.setattr(LedgerModel, "page_size", PAGE)
    monkeypatch.setattr(LedgerModel, "row_page_size", 10)
    fill_ledger(firm, 900)
    view = shown(qtbot, PenaltiesView(session_for(firm, "owner")))
    tab = view.ledger_tab
    view.tabs.setCurrentWidget(tab)
    model = tab.model
    expected = penalties.ids(firm.owner, sort=model.sort_key, descending=model.descending)
    assert len(expected) > 900
    _reaches_the_end(qtbot, tab.table, model, expected)


def test_the_vehicles_list_reaches_its_last_vehicle(qtbot, monkeypatch, firm_factory,
                                                     session_for):
    from services import warranty
    from tests.services.test_keyset_paging import fill_vehicles
    from ui.warranty import WarrantyView
    from ui.warranty.vehicles_model import VehicleModel

    monkeypatch.setattr(VehicleModel, "page_size", PAGE)
    monkeypatch.setattr(VehicleModel, "row_page_size", 10)
    shop = firm_factory("repair-shop")
    fill_vehicles(shop, 700)
    view = shown(qtbot, WarrantyView(session_for(shop, "rec")))
    view.model.set_filter("")
    expected = [v.id for v in warranty.find_vehicles(actor=shop.rec, limit=None)]
    _reaches_the_end(qtbot, view.vehicles, view.model, expected)
