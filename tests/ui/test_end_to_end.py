"""End to end, through the widgets: the first-start wizard, then one customer
complaint from the register form to the archive, by three people logging in and out of one
running program. Services are called only to set up the staff and to assert."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard

from services.complaints import detail
from services.people import users
from tests.conftest import PASSWORD
from tests.helpers import fill_wizard

REPLY_RULE = "Reply within 15 working days"  # the law-firm profile's one time limit

pytestmark = pytest.mark.usefixtures("english")


def click(qtbot, widget):
    assert widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def choose(combo, data):
    index = combo.findData(data)
    assert index >= 0, (data, [combo.itemData(i) for i in range(combo.count())])
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def type_into(qtbot, edit, text: str):
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:  # QTest cannot synthesize Chinese keys; an input method inserts the text
        edit.insertPlainText(text) if hasattr(edit, "insertPlainText") else edit.insert(text)


class Desk:
    """One running program (the Shell) and the things a user looks at in it."""

    def __init__(self, qtbot, shell):
        self.qtbot = qtbot
        self.shell = shell

    @property
    def window(self):
        return self.shell.window

    def log_in(self, login: str) -> None:
        self.window.switch_user_action.trigger()  # File › Switch user…
        dialog = self.shell.login_dialog
        assert dialog.isVisible()
        dialog.login_edit.clear()
        self.qtbot.keyClicks(dialog.login_edit, login)
        self.qtbot.keyClicks(dialog.password_edit, PASSWORD)
        click(self.qtbot, dialog.buttons.button(QDialogButtonBox.StandardButton.Ok))
        assert self.window.session.user.login == login
        self.qtbot.addWidget(self.window)

    def register_row(self, complaint_id: int) -> dict[str, str]:
        from ui.register.model import COLUMN_KEYS

        view = self.window.show_section("complaints")
        model = view.model
        row = model.row_of(complaint_id)
        assert row is not None, "the complaint is not in this user's register"
        return {key: model.index(row, col).data() or "" for col, key in enumerate(COLUMN_KEYS)}

    def open_from_register(self, complaint_id: int):
        """Double-click the complaint's row; returns its ComplaintView."""
        view = self.window.show_section("complaints")
        row = view.model.row_of(complaint_id)
        index = view.model.index(row, 0)
        view.table.scrollTo(index)
        where = view.table.visualRect(index).center()
        # A real double-click starts with a press (QTest's DClick alone sends no press).
        self.qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        self.qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        window = self.window.complaint_windows[complaint_id]
        self.qtbot.addWidget(window)
        assert window.isVisible()
        return window.view

    def act(self, view, action: str, **fields) -> None:
        """Click the action's button, fill its dialog, press its OK button."""
        button = view.buttons[action]  # a next-step button, or an item of "More actions"
        if hasattr(button, "trigger"):
            button.trigger()
        else:
            click(self.qtbot, button)
        dialog = view.dialog
        assert dialog is not None and dialog.action == action
        for name, value in fields.items():
            widget = dialog.fields[name]
            if hasattr(widget, "set_values"):  # several choices (a decision's remedies)
                widget.set_values([value])
            elif hasattr(widget, "isEditable") and widget.isEditable() and widget.findData(
                    value) < 0:  # a list that also takes another value ("Other: …")
                widget.setEditText(value)
            elif hasattr(widget, "findData"):
                choose(widget, value)
            else:
                widget.clear()
                type_into(self.qtbot, widget, value)
        click(self.qtbot, dialog.save_button)
        assert dialog.errors.general.isHidden(), dialog.errors.general.text()
        assert not dialog.isVisible()


def timeline(view) -> list[tuple[str, str, str]]:
    """(who, action, state change) of each event, newest first."""
    return [(who, action, state) for _when, who, action, state, _details in
            view.timeline.rows()]


def clocks(view) -> list[tuple[str, str, str, bool, str]]:
    """(time limit, limit, due, whether time left is shown, status) of each clock."""
    return [(rule, limit, due, bool(left), status)
            for rule, limit, due, left, status in view.clocks.rows()]


def enabled_actions(view) -> set[str]:
    return {a for a, b in view.buttons.items() if b.isEnabled()}


def test_a_customer_complaint_from_first_start_to_the_archive(qtbot, fresh_db, tasks):
    from ui.app import Shell

    shell = Shell(location=fresh_db, tasks=tasks)
    shell.start()
    fill_wizard(qtbot, shell.wizard, profile="law-firm", login="boss")
    click(qtbot, shell.wizard.button(QWizard.WizardButton.FinishButton))
    desk = Desk(qtbot, shell)
    qtbot.addWidget(desk.window)
    assert desk.window.session.user.login == "boss"

    # The staff, made through the services as an owner would in Settings.
    boss = users.get_user("boss")
    users.create_user(login="han", name="张律师", password=PASSWORD, roles=["handler"],
                      department="litigation", actor=boss)
    users.create_user(login="mgr", name="王主任", password=PASSWORD, roles=["manager"],
                      actor=boss)

    # --- the owner, at the front desk, registers a letter of complaint (Ctrl+N) ---------
    desk.window.new_customer_action.trigger()
    dialog = desk.window.dialogs[-1]
    form = dialog.form
    choose(form.channel, "letter")
    type_into(qtbot, form.name, "李四")
    qtbot.keyClicks(form.phone, "13912345678")
    type_into(qtbot, form.description, "律师多次未按约定时间回复案件进展。")
    type_into(qtbot, form.request, "更换承办律师并书面说明")
    choose(form.category, "communication")
    click(qtbot, form.save_button)
    result = dialog.result_value
    assert result is not None and not dialog.isVisible()
    cid, ticket = result.complaint_id, result.ticket

    row = desk.register_row(cid)
    assert (row["ticket"], row["kind"], row["complainant"], row["category"], row["state"]) == (
        ticket, "Customer", "李四", "Slow communication", "Registered")
    assert row["next_due"] and row["overdue"] == ""
    view = desk.open_from_register(cid)
    assert ticket in view.header.text()
    assert timeline(view) == [("周主任", "Register", "Registered")]
    due = detail(cid, actor=boss).clocks[0].due_at.strftime("%Y-%m-%d %H:%M")
    assert row["next_due"] == due  # 15 working days (docs/rules.md), shown in the register
    running = (REPLY_RULE, "15 working days", due, True, "running")
    assert clocks(view) == [running]

    desk.act(view, "acknowledge")
    assert desk.register_row(cid)["state"] == "Acknowledged"
    assert timeline(view)[0] == ("周主任", "Acknowledge", "Registered → Acknowledged")
    assert clocks(view) == [running]

    assert "approve" not in enabled_actions(view)  # nothing decided yet
    desk.act(view, "transfer", to="han")
    row = desk.register_row(cid)
    assert (row["state"], row["handler"]) == ("Assigned", "张律师")
    assert timeline(view)[0] == ("周主任", "Transfer", "Acknowledged → Assigned")

    # --- the handler investigates ---------------------------------------------------------
    desk.log_in("han")
    assert "张律师" in desk.window.user_label.text()
    assert desk.register_row(cid)["state"] == "Assigned"
    view = desk.open_from_register(cid)
    assert "start_investigation" in enabled_actions(view)
    assert not {"approve", "archive", "reply"} & enabled_actions(view)
    desk.act(view, "start_investigation")
    desk.act(view, "record_findings", findings="承办律师因出庭未及时回复，属实。",
             responsibility="诉讼部")
    desk.act(view, "decide", decision="更换承办律师，并书面致歉", reasons="沟通不及时属实",
             remedy="apology")
    assert desk.register_row(cid)["state"] == "Decided"
    assert [a for _w, a, _s in timeline(view)[:3]] == ["Decide", "Record findings",
                                                        "Start investigation"]
    assert timeline(view)[0] == ("张律师", "Decide", "Investigating → Decided")
    assert clocks(view) == [running]  # the reply is what stops it
    assert "approve" not in enabled_actions(view)  # a handler does not approve

    # --- the manager approves, replies, follows up and archives ---------------------------
    desk.log_in("mgr")
    view = desk.open_from_register(cid)
    # No promise before the decision is approved (law-firm profile, docs/rules.md).
    assert "reply" not in enabled_actions(view)
    desk.act(view, "approve")
    assert desk.register_row(cid)["state"] == "Approved"
    assert timeline(view)[0] == ("王主任", "Approve", "Decided → Approved")

    desk.act(view, "reply")  # the reply text is the approved decision
    row = desk.register_row(cid)
    assert row["state"] == "Replied" and row["next_due"] == "" and row["overdue"] == ""
    assert timeline(view)[0] == ("王主任", "Reply", "Approved → Replied")
    assert clocks(view) == [(REPLY_RULE, "15 working days", due, False, "met")]
    assert detail(cid, actor=boss).clocks[0].late is False

    assert "archive" not in enabled_actions(view)  # satisfaction first
    desk.act(view, "record_satisfaction", satisfied="yes")
    assert timeline(view)[0][1] == "Record satisfaction"
    desk.act(view, "visit", result="客户表示满意，新律师已联系")
    assert desk.register_row(cid)["state"] == "Visited"
    assert timeline(view)[0] == ("王主任", "Record follow-up visit", "Replied → Visited")

    desk.act(view, "archive", root_cause="律师工作量过大")
    assert desk.register_row(cid)["state"] == "Archived"
    assert timeline(view)[0] == ("王主任", "Archive", "Visited → Archived")
    assert enabled_actions(view) == set()  # archived complaints are read-only
    assert clocks(view) == [(REPLY_RULE, "15 working days", due, False, "met")]
    assert len(timeline(view)) == 11
    assert desk.window.overdue_button.text() == "Nothing overdue"
