"""Tamper evidence in the window (docs/design.md): the check right after log-in, and
Help ▸ Verify records."""
from __future__ import annotations

import pytest

from models.db import database
from services.complaints import path as workflow
from tests.helpers import walk_to
from ui import verify_records
from ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("english")


def _window(qtbot, session):
    window = MainWindow(session)
    qtbot.addWidget(window)
    return window


def test_the_check_after_log_in_warns_of_a_record_changed_outside(qtbot, sqlite_firm,
                                                                   session_for, monkeypatch):
    r = walk_to(sqlite_firm, "investigating")
    workflow.act(r.complaint_id, "note", actor=sqlite_firm.han, note="客户同意等待")
    shown = []
    monkeypatch.setattr(verify_records.QMessageBox, "open",
                        lambda box: shown.append((box.text(), box.detailedText())))
    window = _window(qtbot, session_for(sqlite_firm, "owner"))
    verify_records.check_at_start(window)
    assert shown == []  # nothing changed: nothing said
    # a note slipped into the timeline behind the program's back (the incremental check sees
    # what was added since the last clean check; a change to an old row needs the full one)
    database.execute_sql(
        "INSERT INTO event (complaint_id, action, from_state, to_state, actor_id, at, "
        "recorded_at, note) SELECT complaint_id, 'note', to_state, to_state, actor_id, at, "
        "recorded_at, '客户同意不赔偿' FROM event WHERE action = 'note'")
    verify_records.check_at_start(window)
    assert len(shown) == 1
    text, details = shown[0]
    assert "changed outside the program" in text and r.ticket in details


def test_verify_records_from_the_help_menu(qtbot, sqlite_firm, session_for, monkeypatch):
    said = []
    monkeypatch.setattr(verify_records.QMessageBox, "information",
                        lambda _parent, _title, text: said.append(text))
    window = _window(qtbot, session_for(sqlite_firm, "owner"))
    assert window.verify_action in window.help_menu.actions()
    window.verify_action.trigger()
    assert said and said[0].startswith("All records")
