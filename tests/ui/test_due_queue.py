"""Due & overdue as a work queue (docs/rules.md §5): mine by default, most urgent first, the
long overdue behind their chip, scopes and filters, true totals, every row reachable by
scrolling, Enter opens the complaint, refreshed on a change."""
from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from models.entities import Clock
from services import clock, timelimits
from services.changes import Changes
from services.timelimits import QueueFilter
from tests.helpers import register
from tests.services.test_queue import NOW, _expected, _fill
from ui import marks, prefs
from ui.due_view import COLUMN_KEYS, DueView, QueueModel

pytestmark = pytest.mark.usefixtures("english")
PAGE = 20


@pytest.fixture
def queue(monkeypatch, sqlite_firm):
    monkeypatch.setattr(QueueModel, "page_size", PAGE)
    monkeypatch.setattr(QueueModel, "row_page_size", 10)
    return sqlite_firm, _fill(sqlite_firm)


def shown(qtbot, view):
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    return view


def ids(view) -> list[int]:
    return [view.model.item_id(r) for r in range(view.model.rowCount())]


def cell(view, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    m = view.model
    return m.data(m.index(row, COLUMN_KEYS.index(key)), role)


def choose(box, data) -> None:
    box.setCurrentIndex(box.findData(data))
    box.activated.emit(box.currentIndex())


def test_mine_most_urgent_first_with_true_totals(qtbot, queue, session_for):
    firm, clocks = queue
    view = shown(qtbot, DueView(session_for(firm, "han")))
    assert view.scope.currentData() == "mine"
    mine = [i for i in _expected(clocks, {firm.han.id})
            if timelimits.queue.rows(firm.han, [i])]
    assert ids(view) == mine and mine
    first = clocks[mine[0]]
    assert first.due_at == max(c.due_at for c in (clocks[i] for i in mine)
                               if c.status == "running" and c.due_at < NOW)
    assert cell(view, 0, "left").startswith("overdue")
    assert cell(view, 0, "ticket", Qt.ItemDataRole.ForegroundRole) == marks.OVERDUE
    t = timelimits.queue.totals(firm.han, QueueFilter())
    assert view.summary.text().startswith(
        f"Overdue {t.overdue} · due within 3 days {t.due_soon} · due later {t.later} · "
        f"paused {t.paused}")
    assert view.long_chip.text() == f"Long overdue ({t.long_overdue})" and t.long_overdue
    # the long overdue: a queue of their own, missed most recently first
    view.long_chip.click()
    assert ids(view) == [i for i in _expected(clocks, {firm.han.id}, long_overdue=True)
                         if timelimits.queue.rows(firm.han, [i])]
    assert all(clocks[i].due_at < NOW - timedelta(days=365) for i in ids(view))
    view.long_chip.click()
    assert ids(view) == mine


def test_scopes_and_filters(qtbot, queue, session_for):
    firm, clocks = queue
    view = shown(qtbot, DueView(session_for(firm, "owner")))
    assert view.model.total == 0 and view.hint.isVisible()  # the owner runs no limit himself
    choose(view.scope, "all")
    assert ids(view) == _expected(clocks) and not view.hint.isVisible()
    assert view.model.total == timelimits.queue.totals(firm.owner,
                                                       QueueFilter(scope="all")).shown
    choose(view.person, "han2")
    assert ids(view) == _expected(clocks, {firm.han2.id})
    choose(view.person, "")
    choose(view.kind, "employee")
    assert ids(view) and all(clocks[i].complaint.kind == "employee" for i in ids(view))
    assert {cell(view, r, "kind") for r in range(view.model.rowCount())} == {"Employee"}
    choose(view.kind, "")
    choose(view.state, "paused")
    assert ids(view) and all(cell(view, r, "status") == "Paused"
                             for r in range(view.model.rowCount()))
    choose(view.state, "")
    rule = view.rule.itemData(1)
    choose(view.rule, rule)
    assert all(clocks[i].rule.code == rule for i in ids(view))
    # the choice of scope is remembered on this PC
    assert prefs.get(prefs.Pref("due/scope", "mine", str)) == "all"


def test_ctrl_end_and_the_scroll_bar_reach_the_last_row(qtbot, queue, session_for):
    firm, clocks = queue
    session = session_for(firm, "owner")
    prefs.put(prefs.Pref("due/scope", "mine", str), "all")
    view = shown(qtbot, DueView(session))
    expected = _expected(clocks)
    model = view.model
    assert model.rowCount() == len(expected) > 10 * PAGE
    view.table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    assert view.table.currentIndex().row() == len(expected) - 1
    assert model.item_id(len(expected) - 1) == expected[-1]
    assert model.fetched_rows <= 5 * PAGE  # the top and the end, not the pages between
    qtbot.keyClick(view.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    bar = view.table.verticalScrollBar()
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    last = view.table.rowAt(view.table.viewport().height() - 2)
    assert last in (len(expected) - 1, -1)
    assert view.table.rowAt(view.table.viewport().height() // 2) > len(expected) - 40
    assert ids(view) == expected  # the same as the order computed by hand
    # sorted by ticket (a click on its header), and back to urgency
    header = view.table.horizontalHeader()
    header.setSortIndicator(COLUMN_KEYS.index("ticket"), Qt.SortOrder.AscendingOrder)
    tickets = [cell(view, r, "ticket") for r in range(model.rowCount())]
    assert tickets == sorted(tickets) and model.sort_key == "ticket"
    header.setSortIndicator(COLUMN_KEYS.index("rule"), Qt.SortOrder.AscendingOrder)
    assert model.sort_key == "ticket"  # not sortable: the indicator goes back
    assert header.sortIndicatorSection() == COLUMN_KEYS.index("ticket")
    header.setSortIndicator(COLUMN_KEYS.index("left"), Qt.SortOrder.AscendingOrder)
    assert ids(view) == expected


def test_enter_opens_and_a_change_refreshes(qtbot, sqlite_firm, session_for):
    from services.complaints import path as workflow

    clock.freeze(NOW)
    late = register(sqlite_firm.rec, category="grumble", received_at=NOW - timedelta(hours=2))
    soon = register(sqlite_firm.rec, category="grumble",
                    received_at=NOW - timedelta(minutes=1))
    session = session_for(sqlite_firm, "rec")  # the receiver runs the transfer limits
    view = shown(qtbot, DueView(session))
    assert [view.model.complaint_id(r) for r in (0, 1)] == [late.complaint_id,
                                                             soon.complaint_id]
    assert cell(view, 0, "rule") == "Transfer to a handler within 30 minutes"
    assert cell(view, 0, "due") == "2025-06-02 08:30"
    assert cell(view, 0, "left") == "overdue 1 h 30 min"
    assert cell(view, 1, "left") == "29 min"
    assert cell(view, 1, "status") == "Due soon"
    view.table.setCurrentIndex(view.model.index(1, 0))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [soon.complaint_id]
    result = workflow.act(soon.complaint_id, "pause", actor=sqlite_firm.rec, note="等客户照片")
    session.notify(Changes.of_complaint(result.complaint_id))
    assert view.model.complaint_id(1) == soon.complaint_id
    assert cell(view, 1, "status") == "Paused" and cell(view, 1, "left") == "—"
    assert view.table.currentIndex().row() == 1  # still on the same limit
    assert "paused 1" in view.summary.text()
    Clock.update(status="met").where(Clock.complaint == late.complaint_id).execute()
    session.notify(Changes.of_complaint(late.complaint_id))
    assert [view.model.complaint_id(r) for r in range(view.model.rowCount())] == [
        soon.complaint_id]


def test_refreshes_on_its_timer_only_while_shown(qtbot, sqlite_firm, session_for):
    prefs.put(prefs.DUE_REFRESH_SECONDS, 5)
    view = DueView(session_for(sqlite_firm, "owner"))
    qtbot.addWidget(view)
    assert not view.timer.isActive()
    shown(qtbot, view)
    assert view.timer.isActive() and view.timer.interval() == 5000
    view.hide()
    assert not view.timer.isActive()
