"""The Penalties section with pytest-qt on SQLite: bulk decisions on the Proposals tab, the
ledger's filters, an entry's detail and reversal, the month's export reopened, and the ledger's
dialogs (an entry by hand, a rule's terms)."""
from __future__ import annotations

import csv
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

import services.penalties.rules as penalty_rules
from services import clock, penalties
from services.changes import Changes
from services.penalties import LedgerFilter
from tests.helpers import views_on_screen
from tests.services.test_penalty_conditions import head_missed_and_complained_again
from ui.penalties import PenaltiesView
from ui.penalties.dialogs import PenaltyRuleDialog, ProposeDialog
from ui.penalties.model import COLUMN_KEYS, LedgerModel
from ui.penalties.rules_tab import HEADERS
from ui.qt_i18n import apply_language
from ui.widgets.fields import select_data

NOW = datetime(2026, 10, 12, 9, 0)
MONTH = "2026-10"


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def firm(sqlite_firm):
    clock.freeze(NOW)
    return sqlite_firm


@pytest.fixture
def view_of(qtbot, firm, session_for):
    """A user's Penalties section on screen: it scans for missed limits and reads every tab."""
    return views_on_screen(qtbot, session_for, firm, PenaltiesView, (1300, 760), login="mgr")


def propose(firm, person: str, amount: str, rule: str = "staff_misconduct") -> int:
    return penalties.propose(actor=firm.owner, rule_code=rule, person=person, amount=amount,
                             reason="服务态度差").entry_ids[0]


def shown_ids(model) -> list[int]:
    return [model.item_id(row) for row in range(model.rowCount())]


def cell(model, row: int, key: str):
    return model.data(model.index(row, COLUMN_KEYS.index(key)))


def test_bulk_approve_from_the_proposals_tab(view_of, firm, qtbot, monkeypatch):
    a = propose(firm, "han", "30")
    b = propose(firm, "han2", "40")
    c = propose(firm, "rec", "30", rule="receiver_late")
    about_me = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="owner",
                                 amount="50", reason="迟到").entry_ids[0]
    view = view_of("owner")  # docs/rules.md §7: the owner approves
    tab = view.proposals_tab
    view.tabs.setCurrentWidget(tab)
    assert view.tabs.tabText(1) == "Proposals (3)"
    # the owner's list holds what they may decide: never the entry about themselves
    assert sorted(shown_ids(tab.model)) == sorted([a, b, c])
    assert about_me not in shown_ids(tab.model)
    assert not tab.approve_button.isEnabled()

    asked = []
    monkeypatch.setattr(tab, "confirm", lambda title, text: asked.append(text) or True)
    qtbot.mouseClick(tab.all_button, Qt.MouseButton.LeftButton)
    assert tab.model.checked == {a, b, c} and tab.approve_button.isEnabled()
    assert "Several rules" in tab.range_label.text()
    # an amount outside one of the rules' ranges: refused inline, nothing approved
    tab.amount.setText("60")
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert "between" in tab.errors.text_for("amount")
    assert penalties.count(firm.owner, LedgerFilter(status="approved")) == 0
    # uncheck the receiver's entry (its rule is 30–50): the other two get 60 each
    index = tab.model.index(tab.model.row_of(c), 0)
    assert tab.model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert tab.model.checked == {a, b}
    assert "CN¥30.00 to CN¥200.00" in tab.range_label.text()
    tab.note.setText("经核实")
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert asked[-1] == "Approve 2 entries, CN¥120.00 in all?"
    assert tab.errors.info.isVisible() and tab.errors.info.text() == "Approved 2 entries."
    assert shown_ids(tab.model) == [c]
    assert view.tabs.tabText(1) == "Proposals (1)"
    totals = penalties.month_totals(firm.owner, MONTH)
    assert totals.total == Decimal("120.00")
    detail = penalties.entry_detail(firm.owner, a)
    assert detail.history[-1].note == "经核实" and detail.history[-1].actor == "刘总"
    # rejecting needs the reason; then it goes with it
    tab.model.set_all_checked(True)
    tab.note.clear()
    qtbot.mouseClick(tab.reject_button, Qt.MouseButton.LeftButton)
    assert tab.errors.text_for("note") == "Say why the entries are rejected."
    tab.note.setText("客户同意延期")
    qtbot.mouseClick(tab.reject_button, Qt.MouseButton.LeftButton)
    assert shown_ids(tab.model) == []
    assert penalties.entry_detail(firm.owner, c).row.status == "rejected"
    # a cancelled confirmation changes nothing
    d = propose(firm, "han", "35")
    view.reload()
    monkeypatch.setattr(tab, "confirm", lambda title, text: False)
    tab.model.set_all_checked(True)
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert penalties.entry_detail(firm.owner, d).row.status == "proposed"


def test_the_ledger_filters(view_of, firm, qtbot):
    a = propose(firm, "han", "30")
    b = propose(firm, "han2", "40")
    reward = propose(firm, "han", "-100", rule="written_praise")
    penalties.approve(actor=firm.owner, entry_ids=[a, reward])
    dealer = penalties.propose(actor=firm.owner, rule_code="dealer_bad_handling",
                               unit="东方经销商", amount="200", reason="态度恶劣").entry_ids[0]
    clock.freeze(NOW + timedelta(days=31))  # November
    late = propose(firm, "han", "50")
    penalties.approve(actor=firm.owner, entry_ids=[late])
    view = view_of("mgr")
    tab = view.ledger_tab
    bar, model = tab.filter_bar, tab.model
    assert model.total == 5 and tab.count_label.text() == "5 entries"
    bar.select(bar.person, "person:han")
    assert sorted(shown_ids(model)) == sorted([a, reward, late])
    bar.select(bar.month, MONTH)
    assert sorted(shown_ids(model)) == sorted([a, reward])
    bar.select(bar.rule, "written_praise")
    assert shown_ids(model) == [reward]
    # a reward reads as one, never as a negative amount (kept negative in the database)
    assert cell(model, 0, "amount") == "Reward CN¥100.00" and cell(model, 0, "status") == "Approved"
    bar.clear()
    assert model.total == 5
    bar.select(bar.department, "sales")
    assert shown_ids(model) == [b]
    bar.select(bar.department, None)
    bar.select(bar.status, "proposed")
    assert sorted(shown_ids(model)) == sorted([b, dealer]) and model.total == 2
    bar.select(bar.person, "unit:东方经销商")
    assert shown_ids(model) == [dealer] and cell(model, 0, "person") == "东方经销商"
    bar.clear()
    bar.select(bar.status, "counted")
    assert sorted(shown_ids(model)) == sorted([a, reward, late])
    # double-click opens the entry
    with qtbot.waitSignal(tab.entry_requested) as signal:
        tab.table.doubleClicked.emit(model.index(0, 0))
    assert view.tabs.currentWidget() is view.entry_tab
    assert view.entry_tab.detail.row.id == signal.args[0]


def test_an_entry_shows_its_complaint_and_clock_and_is_reversed(view_of, firm, qtbot,
                                                                monkeypatch):
    r, entry = head_missed_and_complained_again(firm, NOW)
    view = view_of("owner")
    view.show_entry(entry.id)
    tab = view.entry_tab
    values = {k: v.text() for k, v in tab.values.items()}
    assert values["person"] == "李主管 (head)" and values["complaint"] == r.ticket
    assert "due 2026-10-12 10:00, done 2026-10-12 11:00" in values["clock"]
    assert tab.open_button.isEnabled()
    with qtbot.waitSignal(view.open_requested) as signal:
        qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [r.complaint_id]
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    assert tab.detail.row.status == "approved" and tab.reverse_button.isVisible()
    qtbot.mouseClick(tab.reverse_button, Qt.MouseButton.LeftButton)
    assert tab.error.isVisible()  # the reason first
    monkeypatch.setattr(tab, "confirm", lambda title, text: True)
    tab.note.setText("客户撤诉")
    qtbot.mouseClick(tab.reverse_button, Qt.MouseButton.LeftButton)
    assert tab.detail.row.reversed_by is not None and not tab.reverse_button.isVisible()
    assert penalties.month_totals(firm.owner, MONTH).total == 0
    qtbot.mouseClick(tab.link_button, Qt.MouseButton.LeftButton)
    assert tab.detail.row.reverses == entry.id and tab.detail.row.total == Decimal("-30.00")


def test_the_month_s_export_reopened_cell_by_cell(view_of, firm, qtbot, tmp_path,
                                                   monkeypatch):
    from openpyxl import load_workbook

    ids = [propose(firm, "han", "30.10"), propose(firm, "han2", "45.55"),
           propose(firm, "han2", "-50.05", rule="written_praise"),
           propose(firm, "rec", "33.33", rule="receiver_late")]
    penalties.approve(actor=firm.owner, entry_ids=ids)
    view = view_of("owner")
    tab = view.totals_tab
    view.tabs.setCurrentWidget(tab)
    assert tab.month.currentText() == MONTH
    assert "net CN¥58.93 (4 entries)" in tab.total_label.text()
    shown = [[tab.people.item(r, c).text() for c in range(tab.people.columnCount())]
             for r in range(tab.people.rowCount())]
    assert shown[0][0] == "张处理 (han)" and shown[0][4] == "CN¥30.10"

    target = tmp_path / "october.xlsx"
    monkeypatch.setattr(tab, "ask_path", lambda suffix: str(target.with_suffix(suffix)))
    qtbot.mouseClick(tab.xlsx_button, Qt.MouseButton.LeftButton)
    assert tab.info.isVisible() and "4 entries" in tab.info.text()
    book = load_workbook(target)
    people = list(book["Per person"].iter_rows(values_only=True))
    assert len(people) == len(shown) + 2  # headers, people, total
    for row, texts in zip(people[1:-1], shown, strict=True):
        assert f"{row[0]} ({row[1]})" == texts[0] and row[2] == texts[1]
        fines, rewards, total = (Decimal(str(v)) for v in row[3:6])
        # rewards are kept negative; the screen's Rewards column reads them as given
        for value, text in zip((fines, -rewards, total), texts[2:5], strict=True):
            assert f"CN¥{value:,.2f}".replace("CN¥-", "-CN¥") == text
        assert str(row[6]) == texts[5]
    assert Decimal(str(people[-1][5])).quantize(Decimal("0.01")) == Decimal("58.93")
    entries = list(book["Entries"].iter_rows(values_only=True))
    ledger = penalties.month_entries(firm.owner, MONTH)
    assert [r[0] for r in entries[1:]] == [e.id for e in ledger]
    for row, e in zip(entries[1:], ledger, strict=True):
        assert Decimal(str(row[11])).quantize(Decimal("0.01")) == e.total

    qtbot.mouseClick(tab.csv_button, Qt.MouseButton.LeftButton)
    with open(target.with_suffix(".csv"), encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert [int(line[0]) for line in lines[1:]] == [e.id for e in ledger]
    assert [Decimal(line[11]) for line in lines[1:]] == [e.total for e in ledger]
    # another month, typed: empty, nothing to export
    tab.month.setCurrentText("2026-09")
    tab.show_month("2026-09")
    assert tab.people.rowCount() == 0 and not tab.xlsx_button.isEnabled()
    tab.show_month("2026-13")
    assert tab.error.isVisible() and "YYYY-MM" in tab.error.text()


def test_others_see_only_their_own_entries_and_decide_nothing(view_of, firm):
    mine = propose(firm, "han", "30")
    propose(firm, "han2", "40")
    # isHidden(), not isVisible(): the tabs not shown are invisible whoever looks
    decider = view_of("mgr")
    deciding = (decider.proposals_tab.decision, decider.ledger_tab.new_button,
                decider.totals_tab.xlsx_button)
    assert not any(w.isHidden() for w in deciding)
    view = view_of("han")
    assert shown_ids(view.ledger_tab.model) == [mine]
    assert view.proposals_tab.decision.isHidden()
    assert view.ledger_tab.new_button.isHidden()
    assert view.totals_tab.xlsx_button.isHidden()
    assert view.rules_tab.edit_button.isHidden() and view.rules_tab.new_button.isHidden()
    view.show_entry(mine)
    assert view.entry_tab.body.isVisible()  # the entry is on screen, without its actions
    assert view.entry_tab.actions_box.isHidden()


def test_switching_language_keeps_the_screen(view_of, firm):
    entry = propose(firm, "han", "30")
    view = view_of("mgr")
    view.show_entry(entry)
    apply_language("zh_CN")
    view.retranslate()
    assert view.entry_tab.detail.row.id == entry
    assert view.ledger_tab.model.rowCount() == 1
    assert "¥30.00" in view.entry_tab.values["amount"].text()
    rules = view.rules_tab.table
    assert rules.item(0, 0).text() == "员工投诉3日内未答复，导致重复投诉或越级投诉"


def test_the_ledger_reads_pages_as_it_scrolls(view_of, firm):
    page = LedgerModel.page_size
    for _i in range(page + 50):
        propose(firm, "han", "30")
    view = view_of("mgr")
    model = view.ledger_tab.model
    assert model.total == page + 50
    assert model.fetched_rows == page and model.canFetchMore()
    assert model.row_cache_size <= LedgerModel.row_page_size  # only what was painted
    model.fetchMore()
    assert model.fetched_rows == model.total and not model.canFetchMore()


def test_opening_the_section_proposes_what_was_missed(view_of, firm):
    from tests.helpers import register

    register(firm.rec, received_at=NOW - timedelta(hours=1))  # 30 minutes to transfer: late
    view = view_of("owner")
    assert view.ledger_tab.model.total == 1
    assert cell(view.ledger_tab.model, 0, "person") == "陈前台"
    assert view.tabs.tabText(1) == "Proposals (1)"


# --- the ledger's dialogs -----------------------------------------------------------------


def test_a_new_entry_by_hand_from_the_ledger_tab(view_of, firm, qtbot):
    view = view_of("mgr")
    tab = view.ledger_tab
    assert tab.new_button.isVisible() and tab.model.total == 0
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(ProposeDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "New ledger entry"
    logins = [dialog.person.itemData(i) for i in range(dialog.person.count())]
    assert "han" in logins and "mgr" not in logins  # nobody proposes about themselves
    select_data(dialog.rule, "staff_misconduct")
    select_data(dialog.person, "han")
    dialog.reason.setPlainText("服务态度差")
    # refusals stay in the dialog, under their field, and nothing is written
    dialog.amount.setText("1000")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "between" in dialog.errors.text_for("amount")
    dialog.amount.setText("30")
    dialog.complaint.setText("9999999999")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors.text_for("complaint")
    assert dialog.errors.text_for("amount") == ""
    assert penalties.count(firm.owner, LedgerFilter()) == 0
    dialog.complaint.clear()
    with qtbot.waitSignal(view.session.changed) as changed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert changed.args == [Changes(ledger=True)]
    assert not dialog.isVisible()
    entry = dialog.result_value.entry_ids[0]
    # the ledger changed, and the section read its tabs again
    row = penalties.entry_detail(firm.owner, entry).row
    assert (row.login, row.amount, row.status) == ("han", Decimal("30.00"), "proposed")
    assert shown_ids(tab.model) == [entry] and cell(tab.model, 0, "person") == "张处理"
    assert view.tabs.tabText(1) == "Proposals"  # it waits for the owner, not for a manager
    assert penalties.pending_count(firm.owner) == 1


def test_the_owner_adds_and_changes_a_rule(view_of, firm, qtbot):
    view = view_of("owner")
    tab = view.rules_tab
    view.tabs.setCurrentWidget(tab)
    before = tab.table.rowCount()
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = view.findChild(PenaltyRuleDialog)
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "New rule"
    dialog.code.setText("late_report")
    dialog.name_zh.setText("月报迟交")
    dialog.name_en.setText("Monthly report handed in late")
    select_data(dialog.applies_to, "person")
    dialog.min_amount.setText("80")
    dialog.max_amount.setText("50")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    # shown on the amounts' row (the lowest and the highest share it)
    assert dialog.errors.text_for("max_amount") == ("The highest amount cannot be below the "
                                                    "lowest.")
    assert dialog.errors.text_for("min_amount") == dialog.errors.text_for("max_amount")
    dialog.max_amount.setText("120")
    select_data(dialog.trigger, "missed_clock")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Name the time limits" in dialog.errors.text_for("clock_rules")
    assert dialog.errors.text_for("max_amount") == ""
    assert "late_report" not in {r.code for r in penalty_rules.rules()}
    select_data(dialog.trigger, "manual")
    with qtbot.waitSignal(view.session.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    saved = next(r for r in penalty_rules.rules() if r.code == "late_report")
    assert (saved.min_amount, saved.max_amount, saved.trigger) == (
        Decimal("80.00"), Decimal("120.00"), "manual")
    assert tab.table.rowCount() == before + 1  # the tab read the rules again
    row = next(r for r in range(tab.table.rowCount())
               if tab.table.item(r, 0).text() == "Monthly report handed in late")

    # changing it: the code is fixed, the terms are not
    tab.table.selectRow(row)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    edit = next(d for d in view.findChildren(PenaltyRuleDialog) if d.isVisible())
    assert edit.windowTitle() == "Edit rule" and edit.code.isReadOnly()
    assert (edit.min_amount.text(), edit.max_amount.text()) == ("80.00", "120.00")
    edit.max_amount.setText("150")
    edit.active.setChecked(False)
    with qtbot.waitSignal(view.session.changed):
        qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    changed = penalty_rules.get_rule("late_report")
    assert changed.max_amount == Decimal("150.00") and not changed.active
    assert tab.table.item(row, HEADERS.index("In use")).text() == "no"


def test_only_the_owner_edits_rules_and_only_deciders_enter_by_hand(view_of, firm, qtbot):
    # isHidden(), not isVisible(): the tabs not shown are invisible whoever looks
    owner = view_of("owner")
    assert not owner.rules_tab.edit_button.isHidden()
    assert not owner.rules_tab.new_button.isHidden()
    view = view_of("mgr")
    assert view.rules_tab.edit_button.isHidden() and view.rules_tab.new_button.isHidden()
    assert view.rules_tab.edit(None) is None  # no dialog for a manager
    assert view.findChild(PenaltyRuleDialog) is None
    assert not view.ledger_tab.new_button.isHidden()
    han = view_of("han")
    assert han.ledger_tab.new_button.isHidden()


# --- docs/rules.md §7: the owner alone approves; conditions on the rules ----------------------


def test_a_manager_sees_approval_disabled_with_the_owner_s_reason(view_of, firm, qtbot):
    entry = penalties.propose(actor=firm.mgr, rule_code="staff_misconduct", person="han",
                              amount="30", reason="态度差").entry_ids[0]
    view = view_of("mgr")
    tab = view.proposals_tab
    view.tabs.setCurrentWidget(tab)
    refusal = "Only the owner approves, rejects or reverses ledger entries; managers propose them."
    assert view.tabs.tabText(1) == "Proposals"  # nothing waits for a manager's decision
    assert shown_ids(tab.model) == [entry]  # a manager sees the proposals…
    assert tab.intro.text() == refusal
    assert not tab.decision.isHidden()  # …and the decision, disabled, with the reason
    tab.model.set_all_checked(True)
    assert not tab.approve_button.isEnabled() and not tab.reject_button.isEnabled()
    assert tab.approve_button.toolTip() == refusal == tab.reject_button.toolTip()
    view.show_entry(entry)
    detail = view.entry_tab
    assert detail.approve_button.isVisible() and not detail.approve_button.isEnabled()
    assert not detail.reject_button.isEnabled()
    assert detail.refusal.isVisible() and detail.refusal.text() == refusal
    assert detail.approve_button.toolTip() == refusal
    # the same sentence the service (and the command line) gives when asked anyway
    from services.errors import PermissionDenied

    with pytest.raises(PermissionDenied) as info:
        penalties.approve(actor=firm.mgr, entry_ids=[entry])
    assert info.value.message() == refusal
    # approved by the owner: the manager records the deduction, the reversal is the owner's
    penalties.approve(actor=firm.owner, entry_ids=[entry])
    view.show_entry(entry)
    assert detail.deduct_button.isVisible() and detail.deduct_button.isEnabled()
    assert detail.reverse_button.isVisible() and not detail.reverse_button.isEnabled()
    owner = view_of("owner")
    owner.show_entry(entry)
    assert owner.entry_tab.reverse_button.isEnabled()
    assert owner.entry_tab.refusal.isHidden()


def test_the_rule_dialog_shows_and_edits_the_condition(view_of, firm, qtbot):
    view = view_of("owner")
    tab = view.rules_tab
    view.tabs.setCurrentWidget(tab)
    column = HEADERS.index("Only if")
    assert tab.table.horizontalHeaderItem(column).text() == "Only if"
    codes = [tab.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
             for r in range(tab.table.rowCount())]
    row = codes.index("head_no_answer_1h")
    assert tab.table.item(row, column).text() == "A repeat complaint is linked to it"
    assert tab.table.item(codes.index("hr_no_reply_3d"), column).text() == (
        "A repeat or skip-level complaint is linked to it")
    assert tab.table.item(codes.index("receiver_late"), column).text() == "No condition"
    assert tab.table.item(codes.index("staff_misconduct"), column).text() == "—"
    tab.table.selectRow(row)
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in view.findChildren(PenaltyRuleDialog) if d.isVisible())
    assert dialog.condition.currentData() == "repeat" and dialog.condition.isEnabled()
    assert [dialog.condition.itemText(i) for i in range(dialog.condition.count())] == [
        "No condition", "A repeat complaint is linked to it",
        "A repeat or skip-level complaint is linked to it"]
    select_data(dialog.condition, "repeat_or_skip")
    with qtbot.waitSignal(view.session.changed):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert penalty_rules.get_rule("head_no_answer_1h").condition == "repeat_or_skip"
    assert tab.table.item(row, column).text() == (
        "A repeat or skip-level complaint is linked to it")
    # a rule entered by hand has no condition: the choice is off
    tab.table.selectRow(codes.index("staff_misconduct"))
    qtbot.mouseClick(tab.edit_button, Qt.MouseButton.LeftButton)
    manual = next(d for d in view.findChildren(PenaltyRuleDialog)
                  if d.isVisible() and d.code.text() == "staff_misconduct")
    assert not manual.condition.isEnabled()
    select_data(manual.trigger, "missed_clock")
    assert manual.condition.isEnabled()
    # in Chinese, the names are translated
    apply_language("zh_CN")
    view.retranslate()
    assert tab.table.item(row, column).text() == "已关联重复投诉或越级投诉"
    manual.retranslate()  # the dialog keeps what was chosen
    assert manual.condition.itemText(0) == "无条件" and manual.condition.currentData() == ""
    assert manual.trigger.currentData() == "missed_clock" and manual.condition.isEnabled()
