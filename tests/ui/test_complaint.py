"""The complaint form, the complaint view and its action dialogs, with pytest-qt."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from services import clock
from services.changes import Changes
from services.complaints import path as workflow
from services.complaints import register as complaints
from services.i18n import set_language
from tests.helpers import register, walk_to
from ui import prefs
from ui.complaint.form import ComplaintForm, NewComplaintDialog
from ui.complaint.view import BUTTON_ACTIONS, ComplaintView, ComplaintWindow
from ui.widgets.fields import select_data

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login: session_for(sqlite_firm, login)


def _ime(widget, text: str) -> None:
    """Type Chinese as an input method commits it (QTest.keyClicks takes ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _choose(combo, data) -> None:
    select_data(combo, data)
    combo.activated.emit(combo.currentIndex())


def _fill(qtbot, form, *, name="王五", phone="139 0000 1111", description="空调安装后漏水"):
    if name:
        _ime(form.name, name)
    if phone:
        qtbot.keyClicks(form.phone, phone)
    _choose(form.category, "product_quality")
    if description:
        qtbot.keyClicks(form.description, "Water leaks ")
        _ime(form.description, description)


# --- the form ------------------------------------------------------------------------------


def test_form_registers_a_customer_complaint_with_the_values_typed(qtbot, sqlite_firm,
                                                                   session_of):
    session = session_of("rec")
    form = ComplaintForm(session)
    qtbot.addWidget(form)
    _fill(qtbot, form)
    _choose(form.channel, "authority")
    assert not form._boxes["channel_detail"].isHidden()
    _ime(form.channel_detail, "市场监管局")
    qtbot.keyClicks(form.contract_no, "HT-2025-01")
    _ime(form.request, "上门维修")
    qtbot.keyClicks(form.location, "Room 301")
    _choose(form.respondent_user, "han")
    _choose(form.severity, "major")
    assert form.is_dirty()
    with qtbot.waitSignal(form.saved) as saved, qtbot.waitSignal(session.changed):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    result = saved.args[0]
    assert result.action == "register" and result.state == "registered"
    d = complaints.detail(result.complaint_id, actor=sqlite_firm.mgr)
    c = d.complaint
    assert (c.complainant_name, c.complainant_phone) == ("王五", "139 0000 1111")
    assert (c.channel, c.channel_detail, c.contract_no) == ("authority", "市场监管局",
                                                            "HT-2025-01")
    assert (c.description, c.request, c.location) == ("Water leaks 空调安装后漏水", "上门维修",
                                                      "Room 301")
    assert (c.severity, c.respondent_user_id) == ("major", sqlite_firm.han.id)
    assert d.category_name == "Product quality"
    assert not form.is_dirty() and not form.save_button.isEnabled()


def test_ctrl_s_saves_and_employee_variant_asks_for_the_department(qtbot, sqlite_firm,
                                                                   session_of):
    form = ComplaintForm(session_of("mgr"), kind="employee")
    qtbot.addWidget(form)
    with qtbot.waitActive(form):
        form.show()
        form.activateWindow()
    assert form._boxes["contract_no"].isHidden()
    assert not form._boxes["complainant_department"].isHidden()
    codes = [form.category.itemData(i) for i in range(form.category.count())]
    assert "pay_benefits" in codes and "product_quality" not in codes
    _ime(form.name, "员工甲")
    _choose(form.category, "pay_benefits")
    _ime(form.description, "加班费未发放")
    qtbot.keyClick(form.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.errors.text_for("complainant_department") == "Give the employee's department."
    assert complaints.count(sqlite_firm.owner) == 0
    _choose(form.department, "sales")
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.keyClick(form.description, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    c = complaints.detail(saved.args[0].complaint_id, actor=sqlite_firm.owner)
    assert c.complaint.kind == "employee" and c.complainant.department_id is not None


def test_invalid_form_shows_the_message_beside_the_field_and_saves_nothing(qtbot, sqlite_firm,
                                                                           session_of):
    form = ComplaintForm(session_of("rec"))
    qtbot.addWidget(form)
    form.show()
    _fill(qtbot, form, name="")
    assert not form.save()
    assert form.errors.text_for("complainant_name") == "Complainant must not be empty."
    assert form.focusWidget() is form.name

    _ime(form.name, "王五")
    form.phone.clear()
    qtbot.keyClicks(form.phone, "12abc3")  # the validator keeps letters out
    assert form.phone.text() == "123"
    assert not form.save()
    assert form.errors.text_for("complainant_phone") == "123 is not a phone number."
    assert form.errors.text_for("complainant_name") == ""

    form.phone.setText("13800138000")
    form.received_at.setDateTime(clock.now() + timedelta(days=2))
    assert not form.save()
    assert form.errors.text_for("received_at") == "Received at cannot be in the future."
    assert complaints.count(sqlite_firm.owner) == 0

    form.received_at.setDateTime(clock.now() - timedelta(hours=1))
    assert form.save()
    assert complaints.count(sqlite_firm.owner) == 1


def test_phone_is_checked_when_leaving_the_field(qtbot, session_of):
    form = ComplaintForm(session_of("rec"))
    qtbot.addWidget(form)
    qtbot.keyClicks(form.phone, "12")
    form.phone.editingFinished.emit()
    assert form.errors.text_for("complainant_phone") == "12 is not a phone number."
    qtbot.keyClicks(form.phone, "3456")
    form.phone.editingFinished.emit()
    assert form.errors.text_for("complainant_phone") == ""


def test_save_and_acknowledge_leaves_it_acknowledged(qtbot, sqlite_firm, session_of):
    session = session_of("rec")
    form = ComplaintForm(session)
    qtbot.addWidget(form)
    _fill(qtbot, form)
    seen = []
    session.changed.connect(seen.append)
    with qtbot.waitSignal(form.saved) as saved:
        qtbot.mouseClick(form.save_ack_button, Qt.MouseButton.LeftButton)
    assert saved.args[0].action == "acknowledge"
    assert seen == [Changes.of_complaint(saved.args[0].complaint_id)]  # told once
    d = complaints.detail(saved.args[0].complaint_id, actor=sqlite_firm.rec)
    assert d.complaint.state == "acknowledged"


def test_save_and_acknowledge_is_hidden_for_who_may_not_acknowledge(qtbot, session_of):
    form = ComplaintForm(session_of("head"))
    qtbot.addWidget(form)
    assert form.save_ack_button.isHidden()


def test_closing_with_edits_asks_and_cancel_keeps_the_dialog(qtbot, sqlite_firm, session_of,
                                                             monkeypatch):
    dialog = NewComplaintDialog(session_of("rec"))
    qtbot.addWidget(dialog)
    dialog.show()
    asked = []

    def answer(button):
        def question(*args, **kwargs):
            asked.append(args[2])
            return button
        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    qtbot.keyClicks(dialog.form.name, "Wang Wu")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible()
    dialog.close()
    assert len(asked) == 2 and dialog.isVisible()

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    dialog.close()
    assert not dialog.isVisible()
    assert complaints.count(sqlite_firm.owner) == 0


def test_closing_asks_save_which_saves(qtbot, sqlite_firm, session_of, monkeypatch):
    dialog = NewComplaintDialog(session_of("rec"))
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog.form)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Save)
    dialog.reject()
    assert not dialog.isVisible() and dialog.result() == 1
    assert dialog.result_value.state == "registered"
    assert complaints.count(sqlite_firm.owner) == 1


def test_closing_without_edits_does_not_ask(qtbot, session_of, monkeypatch):
    dialog = NewComplaintDialog(session_of("rec"))
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: pytest.fail("asked without edits"))
    dialog.reject()
    assert not dialog.isVisible()


# --- the view ------------------------------------------------------------------------------


def _enabled(view) -> set[str]:
    """The steps the view offers (forbidden ones are not shown at all)."""
    return view.shown_actions()


def test_view_shows_the_timeline_newest_first_and_the_facts(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "approved")
    workflow.act(r.complaint_id, "note", actor=sqlite_firm.mgr, note="客户来电催促")
    view = ComplaintView(session_of("mgr"), r.complaint_id)
    qtbot.addWidget(view)
    rows = view.timeline.rows()
    actions = [row[2] for row in rows]
    assert actions == ["Add note", "Approve", "Decide", "Start investigation", "Transfer",
                       "Acknowledge", "Register"]
    assert rows[0][1] == "王经理" and rows[0][4] == "客户来电催促"
    assert rows[1][3] == "Decided → Approved"
    assert "Decision: 免费更换" in rows[2][4] and "Remedy: Return" in rows[2][4]
    assert rows[4][4] == "To: 张处理"
    assert view.facts.shown["Decision"] == "免费更换"
    assert view.facts.shown["Handler"] == "张处理"
    assert r.ticket in view.header.text() and "Approved" in view.header.text()


def test_only_the_allowed_actions_are_enabled_for_each_user(qtbot, sqlite_firm, session_of):
    r = register(sqlite_firm.rec)
    cid = r.complaint_id
    # One button per step of §4; the steps without one are taken elsewhere.
    assert set(workflow.ACTIONS) - set(BUTTON_ACTIONS) <= {"attach", "document",
                                                             "quality_memo", "merge"}
    receiver = ComplaintView(session_of("rec"), cid)
    qtbot.addWidget(receiver)
    assert {"acknowledge", "withdraw", "note"} <= _enabled(receiver)
    assert _enabled(receiver) == set(receiver.detail.allowed) & set(BUTTON_ACTIONS)
    assert "approve" not in receiver.buttons
    assert "not possible while the complaint is Registered" in receiver.disabled_reason(
        "approve")

    workflow.act(cid, "acknowledge", actor=sqlite_firm.rec)
    workflow.act(cid, "transfer", actor=sqlite_firm.rec, to="han")
    handler = ComplaintView(session_of("han"), cid)
    qtbot.addWidget(handler)
    assert "start_investigation" in _enabled(handler)
    assert "approve" not in _enabled(handler) and "withdraw" not in _enabled(handler)
    assert handler.disabled_reason("withdraw") == (
        "You may not 'Withdraw' this complaint (it needs: Receiver / Manager / Owner).")

    workflow.act(cid, "start_investigation", actor=sqlite_firm.han)
    workflow.act(cid, "decide", actor=sqlite_firm.han, decision="退款", reasons="质量问题")
    manager = ComplaintView(session_of("mgr"), cid)
    qtbot.addWidget(manager)
    assert {"approve", "send_back", "hold_meeting"} <= _enabled(manager)
    receiver.reload()
    assert "approve" not in _enabled(receiver)
    assert "reply" in _enabled(receiver)  # company profile: no approval needed (docs/rules.md)


def test_transfer_dialog_lists_candidates_but_not_the_respondent(qtbot, sqlite_firm,
                                                                 session_of):
    r = register(sqlite_firm.rec, respondent_user="han")
    workflow.act(r.complaint_id, "acknowledge", actor=sqlite_firm.rec)
    session = session_of("rec")
    view = ComplaintView(session, r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("transfer")
    combo = dialog.fields["to"]
    logins = [combo.itemData(i) for i in range(combo.count())]
    assert "han2" in logins and "head" in logins
    assert "han" not in logins and "rec" not in logins
    assert not dialog.submit()  # nobody chosen yet
    assert dialog.errors.text_for("to") == "Choose a person."
    select_data(combo, "han2")
    _ime(dialog.fields["note"], "请尽快处理")
    with qtbot.waitSignal(session.changed):
        qtbot.mouseClick(dialog.save_button,
                         Qt.MouseButton.LeftButton)
    assert dialog.result_value.state == "assigned"
    assert view.detail.complaint.state == "assigned"  # reloaded on session.changed
    top = view.timeline.rows()[0]
    assert top[2] == "Transfer" and "To: 赵处理" in top[4] and "请尽快处理" in top[4]
    assert ("transfer" in view.buttons) == ("transfer" in view.detail.allowed)


def test_decide_dialog_with_a_bad_amount_shows_it_inline_and_changes_nothing(
        qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "investigating")
    view = ComplaintView(session_of("han"), r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("decide")
    assert dialog is not None and dialog.isVisible()
    _ime(dialog.fields["decision"], "赔偿")
    _ime(dialog.fields["reasons"], "安装不当")
    dialog.fields["remedy"].set_values(["compensation"])
    qtbot.keyClicks(dialog.fields["amount"], "12.345")
    assert not dialog.submit()
    assert dialog.errors.text_for("amount") == "Amount: 12.345 is not a plausible amount."
    assert dialog.isVisible() and dialog.result_value is None
    c = complaints.detail(r.complaint_id, actor=sqlite_firm.mgr).complaint
    assert c.state == "investigating" and c.compensation is None

    dialog.fields["amount"].setText("200")
    dialog.fields["firm_share"].setValue(70)
    assert dialog.submit()
    c = complaints.detail(r.complaint_id, actor=sqlite_firm.mgr).complaint
    assert (c.state, c.compensation, c.remedy) == ("decided", Decimal("200.00"), "compensation")
    assert "Firm's share: 70%" in view.timeline.rows()[0][4]


def test_reason_is_required_for_extend_and_the_current_limit_is_shown(qtbot, sqlite_firm,
                                                                      session_of):
    r = walk_to(sqlite_firm, "investigating", category="grumble")  # one limit runs
    view = ComplaintView(session_of("mgr"), r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("extend")
    assert "Current limit: 30 minutes" in dialog.current_limit.text()
    qtbot.keyClicks(dialog.fields["limit"], "60 minutes")
    assert not dialog.submit()
    assert dialog.errors.text_for("note").startswith("Give the reason for the extension")
    _ime(dialog.fields["note"], "等待厂家检测")
    assert dialog.submit()
    top = view.timeline.rows()[0]
    assert top[2] == "Extend time limit" and "30 minutes → 60 minutes" in top[4]
    assert any(row[1] == "60 minutes" for row in view.clocks.rows())


def test_clocks_show_time_left_and_marks(qtbot, sqlite_firm, session_of):
    clock.freeze(clock.now())
    r = register(sqlite_firm.rec)
    view = ComplaintView(session_of("rec"), r.complaint_id)
    qtbot.addWidget(view)
    rows = view.clocks.rows()
    assert rows and rows[0][1] == "30 minutes"
    # 25 minutes left, inside the firm's 4-hour warning window
    assert rows[0][3] == "25 min" and rows[0][4] == "running · due soon"
    workflow.act(r.complaint_id, "pause", actor=sqlite_firm.rec, note="等客户提供照片")
    view.reload()
    assert view.clocks.rows()[0][3] == "—" and "paused" in view.clocks.rows()[0][4]


@pytest.fixture
def rec_panel(qtbot, sqlite_firm, session_of):
    """A complaint just registered, in the receiver's panel."""
    view = ComplaintView(session_of("rec"), register(sqlite_firm.rec).complaint_id)
    qtbot.addWidget(view)
    return view


def _attach(view, path, data: bytes) -> None:
    path.write_bytes(data)
    view.attachments.add_paths([str(path)])


def test_attachment_added_by_path_shows_size_and_hash(rec_panel, tmp_path):
    view = rec_panel
    _attach(view, tmp_path / "发票.txt", b"hello world")
    rows = view.attachments.rows()
    assert rows == [["发票.txt", "11 bytes", "b94d27b9934d…", "陈前台", rows[0][4]]]
    item = view.attachments.tree.topLevelItem(0)
    assert item.toolTip(2) == ("b94d27b9934d3e08a52e52d7da7dabfa"
                               "c484efe37a5380ee9088f7ace2efcde9")
    assert view.timeline.rows()[0][2] == "Add attachment"


def test_attachment_dropped_on_the_panel_is_added(rec_panel, tmp_path):
    from PySide6.QtGui import QDropEvent

    view = rec_panel
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8" + b"x" * 3000)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo)), QUrl("https://example.invalid/x.png")])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.attachments.dropEvent(event)
    rows = view.attachments.rows()
    assert [row[0] for row in rows] == ["photo.jpg"] and rows[0][1] == "2.9 KB"


def test_attachment_opens_through_the_system_viewer(rec_panel, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    view = rec_panel
    _attach(view, tmp_path / "letter.pdf", b"%PDF-1.4 test")
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    view.attachments.tree.setCurrentItem(view.attachments.tree.topLevelItem(0))
    view.attachments.open_selected()
    assert len(opened) == 1
    from pathlib import Path
    assert Path(opened[0].toLocalFile()).read_bytes() == b"%PDF-1.4 test"


def test_empty_file_error_is_shown_in_the_panel(rec_panel, tmp_path):
    view = rec_panel
    _attach(view, tmp_path / "empty.txt", b"")
    assert view.attachments.error.text() == "The file empty.txt is empty."
    assert view.attachments.rows() == []


def test_the_respondent_cannot_open_their_own_complaint(qtbot, sqlite_firm, session_of):
    r = register(sqlite_firm.rec, respondent_user="han")
    view = ComplaintView(session_of("han"), r.complaint_id)
    qtbot.addWidget(view)
    assert view.detail is None
    assert view.pages.currentWidget() is view.denied
    assert "not yours to see" in view.denied.text()  # the same answer as a missing ticket
    assert view.timeline.rows() == [] and view.open_action("note") is None


def test_complaint_window_remembers_its_geometry(qtbot, sqlite_firm, session_of):
    r = register(sqlite_firm.rec)
    window = ComplaintWindow(session_of("rec"), r.complaint_id)
    qtbot.addWidget(window)
    assert r.ticket in window.windowTitle()
    window.show()
    window.resize(window.minimumSizeHint().width() + 13, window.minimumSizeHint().height() + 7)
    size = window.size()
    window.close()
    assert not prefs.get(prefs.COMPLAINT_GEOMETRY).isEmpty()
    again = ComplaintWindow(session_of("rec"), r.complaint_id)
    qtbot.addWidget(again)
    assert again.size() == size


def _act(view, action: str, **values):
    """Take a step through its dialog, as a user would fill it in."""
    from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QSpinBox

    from ui.widgets.fields import ChoiceList

    view.reload()  # each user is on another PC: they see the others' steps when they look
    assert action in view.shown_actions(), (action, view.detail.allowed)
    view.trigger(action)  # its next-step button, or its item under "More actions"
    dialog = view.dialog
    assert dialog is not None and dialog.action == action
    for name, value in values.items():
        widget = dialog.fields[name]
        if isinstance(widget, ChoiceList):
            widget.set_values(value)
        elif isinstance(widget, QComboBox) and widget.isEditable() and widget.findData(
                value) < 0:
            widget.setEditText(value)
        elif isinstance(widget, QComboBox):
            select_data(widget, value)
            assert widget.currentData() == value, (name, value)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
        elif isinstance(widget, QSpinBox):
            widget.setValue(value)
    ok = dialog.submit()
    assert ok, (action, dialog.errors.text_for(None),
                {n: dialog.errors.text_for(n) for n in dialog.fields
                 if dialog.errors.text_for(n)})
    return dialog.result_value


def test_a_complaint_walks_its_whole_path_through_the_dialogs(qtbot, sqlite_firm, session_of):
    r = register(sqlite_firm.rec, respondent_user="han2")
    cid = r.complaint_id
    rec, han, mgr, owner = (ComplaintView(session_of(u), cid)
                            for u in ("rec", "han", "mgr", "owner"))
    for v in (rec, han, mgr, owner):
        qtbot.addWidget(v)
    _act(rec, "acknowledge")
    _act(rec, "transfer", to="han")
    han.reload()
    _act(han, "start_investigation")
    _act(han, "record_findings", findings="配件批次问题", responsibility="采购部")
    _act(han, "pause", note="等待检测")
    _act(han, "resume")
    _act(mgr, "hold_meeting", meeting="投诉处理小组会议", attendees="王经理，李主管、刘总",
         decision="更换", reasons="批次缺陷", remedy=["return"])
    _act(mgr, "send_back", note="理由不充分")
    _act(han, "decide", decision="更换并道歉", reasons="批次缺陷",
         remedy=["apology", "compensation"], amount="50", firm_share=60)
    _act(owner, "approve", note="同意")
    _act(rec, "reply", method="phone")
    _act(rec, "record_satisfaction", satisfied="no")
    _act(mgr, "review", note="复审", outcome="change")  # by the next level up: not the approver
    _act(mgr, "decide", decision="全额退款", reasons="复审结论", remedy=["refund"], amount="300")
    _act(mgr, "reply", text="全额退款")
    _act(rec, "record_satisfaction", satisfied="yes")
    _act(rec, "visit", result="已退款", satisfied="yes")
    _act(rec, "external_route", route="mediation", outcome="无需调解")
    _act(rec, "amend", complainant_phone="010-12345678", category="service_quality",
         note="电话记错")
    _act(rec, "note", note="客户致谢")
    _act(rec, "archive", root_cause="配件供应商")  # not on the list: "Other: …"
    rec.reload()
    c = rec.detail.complaint
    assert (c.state, c.remedy, c.compensation, c.root_cause) == (
        "archived", "refund", Decimal("300.00"), "Other: 配件供应商")
    assert not rec.shown_actions() and rec.more.isHidden()
    assert rec.disabled_reason("note") == "Archived complaints are read-only."
    assert not rec.attachments.add_button.isEnabled()
    rows = rec.timeline.rows()
    details = {row[2]: row[4] for row in reversed(rows)}  # the newest of each action
    assert "Attendees: 王经理, 李主管, 刘总" in details["Record meeting decision"]
    assert "Phone: 13800138000 → 010-12345678" in details["Correct details"]
    assert "Category: Product quality → Service quality" in details["Correct details"]
    replies = [row[4] for row in rows if row[2] == "Reply"]
    assert replies == ["Reply (In writing): 全额退款",
                       "Reply (By phone): 更换并道歉\nReasons: 批次缺陷"]  # prefilled
    assert "Route: Mediation by the road transport authority" in details[
        "Record external route"]
    assert details["Review"] == ("Note: 复审\nReview by the next level up\n"
                                 "Change the decision (back to deciding)")


def test_every_action_dialog_opens_for_the_states_it_belongs_to(qtbot, sqlite_firm,
                                                                session_of):
    opened = set()
    for state in ("registered", "investigating", "decided", "replied"):
        r = walk_to(sqlite_firm, state)
        view = ComplaintView(session_of("owner"), r.complaint_id)
        qtbot.addWidget(view)
        for action in view.detail.allowed:
            if action in BUTTON_ACTIONS:
                dialog = view.open_action(action)
                assert dialog is not None and dialog.isVisible(), action
                assert dialog.windowTitle().endswith(r.ticket)
                dialog.reject()
                opened.add(action)
    assert {"acknowledge", "answer_on_spot", "transfer", "record_findings", "escalate",
            "decide", "hold_meeting", "approve", "send_back", "extend", "pause", "withdraw",
            "amend", "note", "visit", "external_route", "reopen", "archive"} <= opened


def test_language_switch_keeps_what_was_typed(qtbot, sqlite_firm, session_of):
    from services.i18n import _

    session = session_of("rec")
    r = register(sqlite_firm.rec)
    view = ComplaintView(session, r.complaint_id)
    dialog = NewComplaintDialog(session)
    qtbot.addWidget(view)
    qtbot.addWidget(dialog)
    _fill(qtbot, dialog.form)
    _choose(dialog.form.channel, "letter")
    set_language("zh_CN")
    session.notify(Changes(language=True))
    assert dialog.windowTitle() == _("New customer complaint")
    assert dialog.form.channel.currentData() == "letter"
    assert dialog.form.channel.currentText() == _("Letter")
    assert dialog.form.category.currentData() == "product_quality"
    assert dialog.form.name.text() == "王五" and dialog.form.is_dirty()
    assert view.timeline.tree.headerItem().text(0) == _("When")
    assert view.timeline.rows()[0][2] == _("Register")


def test_a_closed_view_no_longer_listens_to_the_session(qtbot, sqlite_firm, session_of):
    from PySide6.QtCore import QEvent

    session = session_of("rec")
    r = register(sqlite_firm.rec)
    window = ComplaintWindow(session, r.complaint_id)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    gone = []
    window.destroyed.connect(lambda: gone.append(True))
    window.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gone
    session.notify(Changes(language=True))
    workflow.act(r.complaint_id, "acknowledge", actor=sqlite_firm.rec)
    session.notify(Changes.of_complaint(r.complaint_id))


def test_window_says_why_a_review_is_refused_in_the_cli_sentence(qtbot, sqlite_firm, session_of):
    """docs/rules.md §4 review by the next level up: the owner who approved the decision sees
    the review button off, and its tooltip is the sentence the command line prints."""
    f = sqlite_firm
    r = walk_to(f, "decided")
    cid = r.complaint_id
    workflow.act(cid, "approve", actor=f.owner)
    workflow.act(cid, "reply", actor=f.rec, text="答复")
    workflow.act(cid, "record_satisfaction", actor=f.rec, satisfied=False)
    owner = ComplaintView(session_of("owner"), cid)
    qtbot.addWidget(owner)
    assert "review" not in owner.shown_actions()
    expected = workflow.refusal(workflow.load(cid, f.owner), f.owner, "review").message()
    assert owner.disabled_reason("review") == expected
    assert expected.startswith("Review by the next level up:")


def test_review_dialog_asks_for_the_outcome(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "decided")
    cid = r.complaint_id
    workflow.act(cid, "approve", actor=f.owner)
    workflow.act(cid, "reply", actor=f.rec, text="答复")
    workflow.act(cid, "record_satisfaction", actor=f.rec, satisfied=False)
    session = session_of("mgr")
    view = ComplaintView(session, cid)
    qtbot.addWidget(view)
    dialog = view.open_action("review")
    combo = dialog.fields["outcome"]
    select_data(combo, "keep_reply")
    with qtbot.waitSignal(session.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert view.detail.complaint.state == "approved"  # the decision stands: reply again
    assert "reply" in view.shown_actions() and "decide" not in view.shown_actions()


def test_link_dialog_suggests_the_earlier_complaint(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    clock.freeze(clock.now())
    first = register(f.rec, received_at=clock.now() - timedelta(hours=2))
    second = register(f.rec, received_at=clock.now() - timedelta(hours=1))
    session = session_of("rec")
    view = ComplaintView(session, second.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("link")
    assert dialog.fields["earlier"].itemData(0) == first.ticket
    with qtbot.waitSignal(session.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert view.timeline.rows()[0][2] == "Link to an earlier complaint"


def test_a_stale_step_is_refused_in_the_dialog_and_its_input_kept(qtbot, sqlite_firm,
                                                                   session_of):
    """Two PCs: the handler's dialog was opened before the manager took a step; saving says
    what changed and keeps the input; saving again applies it (docs/design.md)."""
    f = sqlite_firm
    r = walk_to(f, "investigating")
    session = session_of("han")
    view = ComplaintView(session, r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("record_findings")
    dialog.fields["findings"].setPlainText("外壳来料缺陷")
    workflow.act(r.complaint_id, "pause", actor=f.mgr, note="等待检测")  # the other PC
    assert not dialog.submit()
    assert "Someone else changed this complaint" in dialog.errors.text_for(None)
    assert dialog.fields["findings"].toPlainText() == "外壳来料缺陷"  # kept
    with qtbot.waitSignal(session.changed):
        assert dialog.submit()
    assert [e.action for e in complaints.detail(r.complaint_id, actor=f.han).events][0] == \
        "record_findings"


def test_a_complaint_changed_outside_the_program_says_so(qtbot, sqlite_firm, session_of):
    """docs/design.md, Tamper evidence: a timeline note edited in the file directly."""
    from models.db import database

    r = walk_to(sqlite_firm, "investigating")
    workflow.act(r.complaint_id, "note", actor=sqlite_firm.han, note="客户同意等待")
    view = ComplaintView(session_of("mgr"), r.complaint_id)
    qtbot.addWidget(view)
    assert view.tampered.isHidden()
    for sql in ("DROP TRIGGER event_no_update",
                "UPDATE event SET note = '客户同意不赔偿' WHERE action = 'note'"):
        database.execute_sql(sql)
    view.reload()
    assert not view.tampered.isHidden()
    assert "changed outside ComplaintDesk" in view.tampered.text()
