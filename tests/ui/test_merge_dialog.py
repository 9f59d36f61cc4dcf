"""Merge into… from the complaint window (docs/rules.md, Merging duplicates), with pytest-qt
and the synchronous worker: offered to a manager in the menu of steps, the same customer's
earlier complaint proposed, a refusal shown at the number, the merge saved."""
from __future__ import annotations

import pytest

from models.entities import Complaint
from services.complaints import resolve_number
from tests.helpers import register
from ui.complaint.merge_dialog import MergeDialog
from ui.complaint.view import ComplaintView

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login: session_for(sqlite_firm, login)


def test_merge_from_the_complaint_window(qtbot, sqlite_firm, session_of):
    original = register(sqlite_firm.rec)
    duplicate = register(sqlite_firm.rec, description="外壳开裂，又登记一次")
    receiver = ComplaintView(session_of("rec"), duplicate.complaint_id)
    qtbot.addWidget(receiver)
    assert "merge" not in receiver.detail.allowed  # a manager's or the owner's step
    view = ComplaintView(session_of("mgr"), duplicate.complaint_id)
    qtbot.addWidget(view)
    assert "merge" in view.detail.allowed
    dialog = view.open_action("merge")
    assert isinstance(dialog, MergeDialog)
    assert dialog.windowTitle().endswith(duplicate.ticket)
    assert dialog.into.text() == original.ticket  # the same caller's earlier complaint
    dialog.show_target()
    assert original.ticket in dialog.target.text() and "Registered" in dialog.target.text()

    dialog.into.setText(duplicate.ticket)
    assert not dialog.submit()
    assert dialog.errors.text_for("into") == "A complaint cannot be merged into itself."
    dialog.into.setText("999999999")
    dialog.show_target()
    assert "999999999" in dialog.target.text()
    assert not dialog.submit() and "999999999" in dialog.errors.text_for("into")

    dialog.into.setText(original.ticket)
    dialog.reason.setPlainText("同一位客户同一件事")
    assert dialog.submit(), dialog.errors.text_for(None)
    assert dialog.result_value.original_ticket == original.ticket
    assert Complaint.get_by_id(duplicate.complaint_id).state == "merged"
    assert resolve_number(duplicate.ticket) == original.ticket
    assert view.detail.complaint.state == "merged"  # the window heard the change
    assert "merge" not in view.detail.allowed
