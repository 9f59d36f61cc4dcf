"""The complaint window's path: the step bar, the next steps, "More actions", what the path
waits for (docs/rules.md §4), and the decision dialogs' remedies, approval summary and root
cause."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from services.complaints import path as workflow
from services.complaints import register as complaints
from services.complaints import root_causes
from services.errors import ValidationError
from tests.helpers import register, walk_to
from ui.complaint.view import BUTTON_ACTIONS, ComplaintView, next_step_text, with_mnemonic
from ui.widgets.fields import ChoiceList, DateTimeEdit, datetime_edit

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login: session_for(sqlite_firm, login)


def _view(qtbot, session, cid) -> ComplaintView:
    view = ComplaintView(session, cid)
    qtbot.addWidget(view)
    return view


def _bar(view) -> list[tuple[str, str]]:
    return [(s.key, s.status) for s in view.step_bar.steps()]


def test_step_bar_shows_where_the_complaint_stands(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    view = _view(qtbot, session_of("owner"), r.complaint_id)
    assert _bar(view) == [
        ("registered", "done"), ("acknowledged", "done"), ("assigned", "done"),
        ("investigating", "current"), ("decided", "ahead"), ("replied", "ahead"),
        ("visited", "ahead"), ("archived", "ahead")]  # company: no approval step
    assert view.step_bar.current().text == "Investigating"

    replied = walk_to(f, "replied")
    view = _view(qtbot, session_of("owner"), replied.complaint_id)
    assert [k for k, st in _bar(view) if st == "done"][-2:] == ["decided", "approved"]
    assert view.step_bar.current().key == "replied"


def test_step_bar_shows_the_branch_taken(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    # withdrawn: the branch, then archiving ahead
    r = walk_to(f, "acknowledged")
    workflow.act(r.complaint_id, "withdraw", actor=f.rec, note="客户撤回")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    assert _bar(view) == [("registered", "done"), ("acknowledged", "done"),
                          ("withdrawn", "current"), ("archived", "ahead")]
    assert view.step_bar.steps()[1].marks == ("Withdraw",)

    # escalated, then sent back: marked on the state each was taken from
    r = walk_to(f, "investigating")
    cid = r.complaint_id
    workflow.act(cid, "escalate", actor=f.han, to="head")
    workflow.act(cid, "decide", actor=f.head, decision="退款", reasons="质量问题")
    workflow.act(cid, "send_back", actor=f.mgr, note="理由不足")
    view = _view(qtbot, session_of("mgr"), cid)
    steps = {s.key: s for s in view.step_bar.steps()}
    assert steps["investigating"].status == "current"
    assert steps["investigating"].marks == ("Escalate",)
    assert steps["decided"].status == "ahead" and steps["decided"].marks == ("Send back",)

    # answered on the spot: registered straight to replied
    r = register(f.rec, category="grumble")
    workflow.act(r.complaint_id, "answer_on_spot", actor=f.rec, answer="已解释")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    assert _bar(view) == [("registered", "done"), ("replied", "current"), ("visited", "ahead"),
                          ("archived", "ahead")]
    assert view.step_bar.steps()[0].marks == ("Answer on the spot",)


@pytest.mark.parametrize("state", ["registered", "investigating", "decided"])
def test_allowed_actions_shown_and_forbidden_ones_absent(qtbot, sqlite_firm, session_of,
                                                         state):
    f = sqlite_firm
    r = walk_to(f, state)
    for login in ("rec", "han", "mgr"):
        user = getattr(f, login)
        allowed = set(workflow.allowed_in(workflow.load(r.complaint_id, user), user))
        view = _view(qtbot, session_of(login), r.complaint_id)
        assert view.shown_actions() == allowed & set(BUTTON_ACTIONS), (state, login)
        menu = {a.objectName().removeprefix("more_") for a in view.more_menu.actions()}
        assert menu | set(view.next_actions) == view.shown_actions()
        assert not menu & set(view.next_actions)
        assert all(b.isEnabled() for b in view.buttons.values())  # nothing greyed


def test_next_step_buttons_say_the_time_left_and_take_the_shortcut(qtbot, sqlite_firm,
                                                                   session_of):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    view = _view(qtbot, session_of("han"), r.complaint_id)
    assert view.next_actions[0] == "decide"
    limit = view.detail.outlook.limit
    assert limit is not None and limit.status == "running"
    button = view.buttons["decide"]
    assert button.text() == next_step_text("decide", limit)
    assert button.text().startswith("Decide — ") and button.text().endswith(" left")
    assert "Ctrl+Return" in button.toolTip().replace("Ctrl+Enter", "Ctrl+Return")
    from PySide6.QtGui import QKeySequence

    assert view.next_shortcut.key() == QKeySequence("Ctrl+Return")
    view.next_shortcut.activated.emit()  # what pressing it does (no window is active here)
    assert view.dialog is not None and view.dialog.action == "decide"
    view.dialog.reject()


def test_more_actions_items_have_mnemonics():
    used: set[str] = set()
    assert with_mnemonic("Withdraw", used) == "&Withdraw"
    assert with_mnemonic("Add note", used) == "&Add note"
    assert with_mnemonic("Archive", used) == "A&rchive"
    assert with_mnemonic("撤回", used) == "撤回(&B)"


def test_the_step_bar_says_what_the_path_waits_for(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "assigned")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    assert view.step_bar.toolTip() == "Waiting for 张处理 to start the investigation."
    r = walk_to(f, "decided")
    from models.entities import Firm

    Firm.update(approval_required=True).execute()  # as a repair shop or a law firm
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    assert view.step_bar.toolTip() == "Waiting for the approval of a manager or the owner."
    assert view.next_actions == ()  # no promise before approval: the receiver waits
    assert view.waiting.text() == view.step_bar.toolTip()
    manager = _view(qtbot, session_of("mgr"), r.complaint_id)
    assert manager.next_actions == ("approve",)
    assert manager.buttons["approve"].toolTip().startswith("Waiting for the approval")


def test_a_refused_step_shows_inline_and_keeps_the_input(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    session = session_of("han")
    view = _view(qtbot, session, r.complaint_id)
    dialog = view.trigger("decide")
    dialog.fields["decision"].setPlainText("道歉")
    dialog.fields["reasons"].setPlainText("态度问题")
    dialog.fields["remedy"].set_values(["apology"])
    dialog.fields["amount"].setText("80")
    assert not dialog.submit()
    assert dialog.errors.text_for("amount").startswith(
        "An amount goes only with a remedy that pays money")
    assert dialog.isVisible() and dialog.fields["decision"].toPlainText() == "道歉"
    assert dialog.fields["amount"].text() == "80"
    assert complaints.detail(r.complaint_id, actor=f.mgr).complaint.state == "investigating"


def test_several_remedies_round_trip(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    session = session_of("han")
    view = _view(qtbot, session, r.complaint_id)
    dialog = view.trigger("decide")
    assert isinstance(dialog.fields["remedy"], ChoiceList)
    dialog.fields["decision"].setPlainText("维修并退款")
    dialog.fields["reasons"].setPlainText("质量问题")
    dialog.fields["remedy"].set_values(["repair", "refund", "apology"])
    dialog.fields["amount"].setText("120")
    with qtbot.waitSignal(session.changed):
        assert dialog.submit()
    c = view.detail.complaint
    assert (c.state, c.remedy, c.compensation) == ("decided", "repair", Decimal("120.00"))
    assert view.facts.shown["Remedy"] == "Repair, Refund, Apology"
    assert "Remedy: Repair, Refund, Apology" in view.timeline.rows()[0][4]
    # sent back: the meeting's dialog starts from the remedies decided
    workflow.act(r.complaint_id, "send_back", actor=f.mgr, note="再议")
    mgr = _view(qtbot, session_of("mgr"), r.complaint_id)
    meeting = mgr.trigger("hold_meeting")
    assert meeting.fields["remedy"].values() == ["repair", "refund", "apology"]


def test_amount_needs_a_money_remedy_in_the_service(sqlite_firm):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    with pytest.raises(ValidationError) as refused:
        workflow.act(r.complaint_id, "decide", actor=f.han, decision="道歉", reasons="态度",
                     remedy=["apology", "explanation"], amount="10")
    assert refused.value.field == "amount"
    result = workflow.act(r.complaint_id, "decide", actor=f.han, decision="赔偿",
                          reasons="损坏", remedy="apology,compensation", amount="10")
    assert result.data["remedies"] == ["apology", "compensation"]


def test_approval_dialog_shows_what_is_approved(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "investigating")
    workflow.act(r.complaint_id, "decide", actor=f.han, decision="退款并道歉",
                 reasons="质量问题", remedy=["refund", "apology"], amount="99.50",
                 responsibility="采购部")
    view = _view(qtbot, session_of("mgr"), r.complaint_id)
    dialog = view.trigger("approve")
    shown = dialog.summary_rows
    assert shown["Decision"] == "退款并道歉" and shown["Reasons"] == "质量问题"
    assert shown["Remedies"] == "Refund, Apology" and "99.50" in shown["Amount"]
    assert shown["Responsibility"] == "采购部" and shown["Decided by"] == "张处理"
    assert shown["Reply to send"] == "退款并道歉"
    assert "退款并道歉" in dialog.summary.text() and dialog.summary.isVisibleTo(dialog)


def test_satisfaction_and_visit_dialogs_name_their_field(qtbot, sqlite_firm, session_of):
    from PySide6.QtWidgets import QLabel

    f = sqlite_firm
    r = walk_to(f, "approved")
    workflow.act(r.complaint_id, "reply", actor=f.rec, text="答复")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    dialog = view.trigger("record_satisfaction")
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Satisfaction *" in texts
    dialog.reject()
    dialog = view.trigger("visit")
    texts = [w.text() for w in dialog.findChildren(QLabel)]
    assert "Satisfaction" in texts and "Visited by: 陈前台" in texts
    assert not any(t.startswith("The complainant is") for t in texts)


def test_root_cause_is_picked_from_the_firms_list(qtbot, sqlite_firm, session_of):
    f = sqlite_firm
    r = walk_to(f, "visited")
    causes = root_causes()
    assert len(causes) >= 5
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    dialog = view.trigger("archive")
    combo = dialog.fields["root_cause"]
    assert [combo.itemData(i) for i in range(1, combo.count())] == causes
    combo.setCurrentIndex(2)
    assert dialog.submit()
    assert complaints.detail(r.complaint_id, actor=f.mgr).complaint.root_cause == causes[1]


def test_root_causes_are_editable_by_a_manager(sqlite_firm):
    from services.complaints import set_root_causes
    from services.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        set_root_causes(["配件"], actor=sqlite_firm.rec)
    assert set_root_causes(["配件", "培训", "配件"], actor=sqlite_firm.mgr) == ["配件", "培训"]
    assert root_causes() == ["配件", "培训"]


def test_time_limit_column_is_not_crushed(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "investigating")
    view = _view(qtbot, session_of("han"), r.complaint_id)
    view.resize(900, 700)
    view.show()
    tree = view.clocks.tree
    header = tree.header()
    metrics = header.fontMetrics()
    for column in range(tree.columnCount()):
        title = tree.headerItem().text(column)
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), title


def test_a_date_time_is_one_tab_stop(qtbot):
    """Tab leaves the field: it does not walk through year, month, day, hour and minute as
    a plain QDateTimeEdit does."""
    from PySide6.QtWidgets import QDateTimeEdit

    from services import clock

    plain = QDateTimeEdit(clock.now())
    plain.setDisplayFormat("yyyy-MM-dd HH:mm")
    ours = datetime_edit(clock.now())
    assert isinstance(ours, DateTimeEdit)
    for edit in (plain, ours):
        qtbot.addWidget(edit)
        edit.setCurrentSectionIndex(0)
        QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert plain.currentSectionIndex() == 1  # Qt's own: the next section
    assert ours.currentSectionIndex() == 0  # ours: on to the next field


def test_a_step_moment_before_the_receipt_is_refused_inline(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "registered")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    dialog = view.trigger("acknowledge")
    received = view.detail.complaint.received_at
    dialog.fields["at"].setDateTime(received - timedelta(days=2))
    assert not dialog.submit()
    assert dialog.errors.text_for("at") and dialog.isVisible()


def test_an_inline_error_wraps_grows_and_goes_when_the_input_changes(qtbot, session_of):
    from PySide6.QtWidgets import QLineEdit

    from ui.widgets.form_dialog import FormDialog

    dialog = FormDialog(session_of("rec"))
    qtbot.addWidget(dialog)
    vin = dialog.field("vin", "VIN", QLineEdit("LSVAB4BR0NN12345"))
    dialog.resize(320, 200)
    dialog.show()
    long = ("VIN: a VIN has 17 characters: letters and digits, without I, O and Q; "
            "the check digit (the 9th) does not match the others.")
    dialog.errors.show_text("vin", lambda: long)
    line = dialog.errors._lines["vin"]
    dialog.layout().activate()
    assert line.wordWrap() and not line.isHidden()
    assert line.height() >= line.heightForWidth(line.width())  # all of it shown
    assert line.width() <= dialog.width()
    QTest.keyClick(vin, Qt.Key.Key_Backspace)  # the user corrects the input
    assert line.isHidden() and dialog.errors.text_for("vin") == ""


def test_step_bar_shows_a_merged_duplicate(qtbot, sqlite_firm, session_of):
    from services.complaints import merge

    f = sqlite_firm
    original = register(f.rec)
    duplicate = register(f.rec, description="又登记一次")
    merge(duplicate.complaint_id, original.ticket, actor=f.mgr, reason="重复")
    view = _view(qtbot, session_of("mgr"), duplicate.complaint_id)
    assert _bar(view) == [("registered", "done"), ("merged", "current")]
    assert view.step_bar.steps()[0].marks == ("Merge into another complaint",)
    assert view.step_bar.toolTip() == "Merged into another complaint: it is handled there."
