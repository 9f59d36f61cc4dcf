"""The Warranty screens with pytest-qt: the live verdict panel, vehicles,
the claim → memo → decision forms, the terms table, roles, and a language switch."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from services import clock, warranty
from services.changes import Changes
from services.i18n import set_language
from services.warranty import RepairInput
from tests.conftest import firm_of
from ui.warranty import WarrantyStatusPanel, WarrantyView
from ui.warranty.claim_dialogs import ClaimDialog, DecisionDialog, MemoDialog
from ui.warranty.link_dialog import LinkDialog
from ui.warranty.repair_form import RepairDialog
from ui.warranty.terms_dialog import TermsDialog
from ui.warranty.vehicle_dialog import VehicleDialog
from ui.widgets.fields import edit_value, select_data

NOW = datetime(2025, 9, 26, 10, 0)


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def shop(sqlite_backend):
    """A repair shop on SQLite (the screens do not depend on the backend)."""
    with firm_of(sqlite_backend, "repair-shop") as f:
        clock.freeze(NOW)
        yield f


@pytest.fixture
def session_of(shop, session_for):
    return lambda login: session_for(shop, login)


def _set_km(qtbot, spin, text: str) -> None:
    """Type an odometer reading as a user would: select what is there, type over it."""
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)


def _ime(widget, text: str) -> None:
    """Type Chinese as an input method commits it (QTest.keyClicks takes ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _recorded(shop, *, plate="浙A12345", day=date(2025, 9, 20), km=52_000):
    v = warranty.save_vehicle(actor=shop.rec, plate=plate, vehicle_class="car",
                              owner_name="张三", owner_phone="13800138000").vehicle
    at = datetime.combine(day, datetime.min.time())
    r = warranty.record_repair(actor=shop.rec, vehicle_id=v.id, data=RepairInput(
        repair_type="level2-maintenance", work_done="二级维护", labour_amount="300",
        material_amount="0", completed_on=day, completed_km=km, certificate_no="HZ-0001",
        self_inspector="李军", self_inspected_at=at + timedelta(hours=9),
        team_inspector="孙海涛", team_inspected_at=at + timedelta(hours=10),
        final_inspector="黄凯", final_inspected_at=at + timedelta(hours=11)))
    return v, r


# --- the live verdict ------------------------------------------------------------------------


def test_verdict_follows_the_claim_date_and_odometer_as_typed(qtbot):
    panel = WarrantyStatusPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.verdict is None
    panel.set_repair(vehicle_class="car", repair_type="minor-repair",
                     completed=date(2025, 11, 1), completed_km=10_000)
    panel.claim_date.setDate(QDate(2025, 11, 11))
    assert panel.verdict is None  # no odometer yet: not judged, and not an error either
    assert panel.errors.text_for("claim_km") == ""
    assert "odometer" in panel.headline.text()

    seen = []
    panel.verdict_changed.connect(seen.append)
    _set_km(qtbot, panel.claim_km, "12000")
    assert len(seen) == 5  # one verdict per keystroke: 1, 12, 120, 1200, 12000
    assert seen[0] is None  # 1 km: below completion, not judged
    assert seen[-1].in_warranty  # day 10 and exactly 2,000 km: both inclusive
    assert panel.headline.text() == "In warranty"
    assert panel.values["left"].text() == "0 days, 0 km"
    assert "Nov 11, 2025" in panel.values["expires"].text()
    assert "12,000" in panel.values["expires"].text()

    _set_km(qtbot, panel.claim_km, "12001")  # one km too far
    assert not panel.verdict.in_warranty and panel.verdict.ended_by == "distance"
    assert panel.headline.text() == "Out of warranty"
    assert panel.values["ended_by"].text().startswith("the distance limit")
    assert panel.values["ended_by"].isVisible()

    panel.claim_date.setDate(QDate(2025, 11, 12))  # and a day too late: both passed
    assert panel.verdict.ended_by == "days"  # 2,000 km were reached only on day 11
    assert "both limits" in panel.values["ended_by"].text()

    _set_km(qtbot, panel.claim_km, "11000")
    assert panel.verdict.ended_by == "days"
    assert panel.values["used"].text() == "11 days, 1,000 km"

    _set_km(qtbot, panel.claim_km, "9000")  # below completion: possible rollback
    assert panel.verdict is None
    assert "rollback" in panel.errors.text_for("claim_km")

    panel.claim_date.setDate(QDate(2025, 10, 30))
    _set_km(qtbot, panel.claim_km, "10500")
    assert panel.verdict is None and "before the repair" in panel.errors.text_for("claim_date")


def test_verdict_uses_the_repairs_own_terms(qtbot):
    panel = WarrantyStatusPanel()
    qtbot.addWidget(panel)
    panel.set_repair(vehicle_class="car", repair_type="minor-repair",
                     completed=date(2025, 11, 1), completed_km=0,
                     terms=warranty.Terms(3000, 15))
    panel.set_claim(date(2025, 11, 16), 3000)
    assert panel.verdict.in_warranty
    assert panel.values["terms"].text().startswith("3,000 km or 15 days")


def test_panel_says_when_the_table_has_no_row(qtbot, monkeypatch):
    # every class and type has a national row now; a shop's table may still lack one
    from services.warranty import rules as warranty_rules
    monkeypatch.delitem(warranty_rules.PRESET_TERMS, ("motorcycle", "parts-repair"))
    panel = WarrantyStatusPanel()
    qtbot.addWidget(panel)
    panel.set_repair(vehicle_class="motorcycle", repair_type="parts-repair",
                     completed=date(2025, 11, 1), completed_km=0)
    panel.set_claim(date(2025, 11, 2), 10)
    assert panel.verdict is None and "no row" in panel.headline.text()


# --- the screen --------------------------------------------------------------------------------


def test_claim_memo_and_rework_from_the_screen(qtbot, shop, session_of):
    v, repair = _recorded(shop)
    session = session_of("rec")
    view = WarrantyView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.current_vehicle().plate == "浙A12345"
    assert view.repairs.rowCount() == 1 and view.claims.rowCount() == 0
    assert view.claim_button.isEnabled() and not view.memo_button.isEnabled()

    qtbot.mouseClick(view.claim_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, ClaimDialog)
    dialog.panel.claim_date.setDate(QDate(2025, 9, 26))
    _set_km(qtbot, dialog.panel.claim_km, "51000")
    assert "rollback" in dialog.panel.errors.text_for("claim_km")
    _set_km(qtbot, dialog.panel.claim_km, "53000")
    assert dialog.panel.headline.text() == "In warranty"
    assert not dialog.submit()  # nothing said about what is wrong
    assert dialog.errors.text_for("description")
    qtbot.keyClicks(dialog.description, "Brake noise")
    assert dialog.submit()
    ticket, complaint_id = dialog.result_value.ticket, dialog.result_value.complaint_id
    assert view.claims.rowCount() == 1
    assert view.claims.item(0, 0).text() == ticket
    assert view.claims.item(0, 4).text() == "In warranty"
    assert view.claims.item(0, 5).text().startswith("due")  # the memo clock runs

    view.claims.selectRow(0)
    assert view.memo_button.isEnabled()
    qtbot.mouseClick(view.memo_button, Qt.MouseButton.LeftButton)
    memo = view.dialog
    assert isinstance(memo, MemoDialog)
    qtbot.keyClicks(memo.findings, "Pads not seated")
    memo.shop_percent.setValue(60)
    assert memo.customer_percent.value() == 40  # follows the shop's share
    memo.customer_percent.setValue(50)
    assert "110 %" in memo.shares.text()
    qtbot.keyClicks(memo.cost_estimate, "250")
    qtbot.keyClicks(memo.delivery_promise, "today 17:00")
    assert not memo.submit()
    assert "100 %" in memo.errors.text_for("customer_percent")
    memo.customer_percent.setValue(40)
    assert "150.00" in memo.shares.text() and "100.00" in memo.shares.text()
    assert memo.submit()
    assert view.claims.item(0, 5).text() == "shop 60 % / customer 40 %"

    view.claims.selectRow(0)
    qtbot.mouseClick(view.decide_button, Qt.MouseButton.LeftButton)
    decide = view.dialog
    assert isinstance(decide, DecisionDialog)
    assert decide.fields.group.isVisibleTo(decide)
    assert not decide.override_reason.isVisibleTo(decide)  # in warranty: no reason needed
    assert not decide.submit()  # the rework's certificate and inspectors are missing
    assert decide.errors.text_for("work_done") or decide.errors.text_for("certificate_no")
    f = decide.fields
    f.work_done.setPlainText("返修：重装制动片")
    f.certificate_no.setText("HZ-0002")
    for who, _when in f.inspections.values():
        who.setText("黄凯")
    assert decide.submit(), decide.errors.text_for(None)
    assert view.repairs.rowCount() == 2
    assert view.repairs.item(0, 6).text() == "HZ-0001"  # rework of
    assert view.claims.item(0, 6).text() == "Free rework"
    assert not view.decide_button.isEnabled()
    with qtbot.waitSignal(view.open_requested) as opened:  # the main window opens it
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [complaint_id]


def test_out_of_warranty_decision_asks_for_a_quote(qtbot, shop, session_of):
    _v, repair = _recorded(shop, day=date(2025, 8, 1), km=40_000)
    warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                            claim_km=41_000, description="异响")
    view = WarrantyView(session_of("rec"))
    qtbot.addWidget(view)
    view.show()
    view.claims.selectRow(0)
    decide = view.decide()
    assert not decide.fields.group.isVisibleTo(decide)
    assert decide.quote_amount.isVisibleTo(decide)
    assert not decide.submit()
    assert decide.errors.text_for("quote_amount")
    qtbot.keyClicks(decide.quote_amount, "480")
    assert decide.submit()
    assert view.claims.item(0, 6).text().startswith("Quote")
    assert view.current_claim().quote_amount == 480
    assert not view.decide_button.isEnabled()  # a quote is final


def test_vehicle_dialog_checks_plate_and_vin_as_typed(qtbot, shop, session_of):
    session = session_of("rec")
    dialog = VehicleDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    _ime(dialog.plate, "京I12345")
    dialog.check_plate()
    assert "I and O" in dialog.errors.text_for("plate")
    dialog.plate.setText("粤b 12345d")
    dialog.check_plate()
    assert dialog.errors.text_for("plate") == "" and dialog.plate.text() == "粤B12345D"
    dialog.plate.setText("ABC123")
    dialog.check_plate()
    assert "province" in dialog.errors.text_for("plate")
    dialog.other_plate.setChecked(True)  # foreign plate: accepted, and recorded as such
    assert dialog.errors.text_for("plate") == ""
    dialog.vin.setText("1M8GDM9A1KP042788")
    dialog.check_vin()
    assert not dialog.vin_warning.isHidden() and "should be X" in dialog.vin_warning.text()
    assert not dialog.submit()  # no owner yet
    assert dialog.errors.text_for("owner_name")
    qtbot.keyClicks(dialog.owner_name, "Li Si")
    select_data(dialog.vehicle_class, "motorcycle")
    assert dialog.submit()
    saved = dialog.result_value
    assert saved.vehicle.plate_override and saved.vehicle.vehicle_class == "motorcycle"
    assert len(saved.warnings) == 1


def test_search_and_roles(qtbot, shop, session_of):
    _recorded(shop)
    warranty.save_vehicle(actor=shop.rec, plate="沪AD12345", vehicle_class="car",
                          owner_name="李四")
    view = WarrantyView(session_of("han"))  # a handler may look, not record
    qtbot.addWidget(view)
    view.show()
    assert view.model.rowCount() == 2
    assert not view.new_vehicle_button.isEnabled() and not view.claim_button.isEnabled()
    _ime(view.search, "李四")
    view.apply_search()
    assert view.model.rowCount() == 1 and view.current_vehicle().plate == "沪AD12345"
    view.search.setText("nothing like it")
    view.apply_search()
    assert view.model.rowCount() == 0
    assert "Choose a vehicle" in view.vehicle_header.text()


def test_terms_dialog_changes_a_row_from_a_day_on(qtbot, shop, session_of):
    dialog = TermsDialog(session_of("mgr"))
    qtbot.addWidget(dialog)
    assert dialog.current.rowCount() == 21
    assert dialog.current.item(0, 5).text() == "national rule"
    dialog.current.selectRow(1)  # car, level-2 maintenance
    dialog.km.setValue(6000)
    dialog.days.setValue(45)
    dialog.effective_from.setDate(QDate(2025, 9, 1))
    assert dialog.apply_change()
    assert warranty.terms_on("car", "level2-maintenance", date(2025, 9, 2)).km == 6000
    assert dialog.history.rowCount() == 22
    receiver = TermsDialog(session_of("rec"))
    qtbot.addWidget(receiver)
    assert not receiver.apply_button.isEnabled()
    assert "Only the owner" in receiver.note.text()


def test_language_switch_keeps_what_was_typed(qtbot, shop, session_of):
    _v, repair = _recorded(shop)
    session = session_of("rec")
    dialog = ClaimDialog(session, warranty.get_repair(actor=shop.rec, repair_id=repair.id))
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.description, "Brake noise")
    _set_km(qtbot, dialog.panel.claim_km, "53000")
    assert dialog.channel.currentText() == "Walk-in"
    set_language("zh_CN")
    session.notify(Changes(language=True))
    assert dialog.channel.currentText() == "上门"
    assert dialog.description.toPlainText() == "Brake noise"
    assert dialog.panel.claim_values()[1] == 53_000 and dialog.panel.verdict.in_warranty


# --- the repair desk: one complaint per matter, inspection times -----------------------------


def _answer(view, words: str):
    """Click the button of the open question whose text holds ``words``."""
    box = view.question
    assert box is not None
    button = next(b for b in box.buttons() if words in b.text().replace("&", ""))
    button.click()


def test_registering_again_from_a_repair_offers_its_complaint(qtbot, shop, session_of):
    _v, repair = _recorded(shop)
    first = warranty.register_claim(actor=shop.rec, repair_id=repair.id, claim_date=NOW.date(),
                                    claim_km=53_000, description="刹车异响")
    view = WarrantyView(session_of("rec"))
    qtbot.addWidget(view)
    view.show()
    view.repairs.selectRow(0)
    assert view.claim_button.text().replace("&", "") == "Register complaint…"
    qtbot.mouseClick(view.claim_button, Qt.MouseButton.LeftButton)
    assert view.dialog is None and first.ticket in view.question.text()
    with qtbot.waitSignal(view.open_requested) as opened:
        _answer(view, f"Open {first.ticket}")
    assert opened.args == [first.complaint_id]
    assert view.question is None and view.dialog is None

    qtbot.mouseClick(view.claim_button, Qt.MouseButton.LeftButton)
    _answer(view, "Register another")
    dialog = view.dialog
    assert isinstance(dialog, ClaimDialog) and dialog.another
    assert "张三" in dialog.summary.text()  # prefilled: the owner, vehicle and certificate
    dialog.panel.claim_date.setDate(QDate(2025, 9, 26))
    _set_km(qtbot, dialog.panel.claim_km, "53100")
    qtbot.keyClicks(dialog.description, "Oil leak")
    assert dialog.submit(), dialog.errors.text_for(None)
    assert view.claims.rowCount() == 2


def test_an_unlinked_complaint_is_linked_from_the_screen(qtbot, shop, session_of):
    from tests.helpers import register

    _v, repair = _recorded(shop)
    earlier = register(shop.rec, category="repair_quality", description="保养后刹车异响")
    view = WarrantyView(session_of("rec"))
    qtbot.addWidget(view)
    view.show()
    view.repairs.selectRow(0)
    qtbot.mouseClick(view.claim_button, Qt.MouseButton.LeftButton)
    assert earlier.ticket in view.question.text()
    _answer(view, "Link existing")
    dialog = view.dialog
    assert isinstance(dialog, LinkDialog)
    assert [c.ticket for c in dialog.candidates] == [earlier.ticket]
    assert not dialog.submit()  # no odometer yet
    assert dialog.errors.text_for("claim_km")
    _set_km(qtbot, dialog.claim_km, "53000")
    assert dialog.submit(), dialog.errors.text_for(None)
    assert view.claims.rowCount() == 1 and view.claims.item(0, 0).text() == earlier.ticket
    # by the button, a search for a number that fits nothing says so next to the list
    qtbot.mouseClick(view.link_button, Qt.MouseButton.LeftButton)
    again = view.dialog
    assert isinstance(again, LinkDialog) and again.candidates == []
    assert again.errors.text_for("complaint") == "No open complaint fits."
    again.reject()


def test_inspection_times_follow_the_completion_date_unless_edited(qtbot, shop, session_of):
    _recorded(shop)
    view = WarrantyView(session_of("rec"))
    qtbot.addWidget(view)
    view.show()
    qtbot.mouseClick(view.repair_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, RepairDialog)
    f = dialog.fields

    def times():
        return [edit_value(when) for _who, when in f.inspections.values()]

    assert times() == list(warranty.inspection_times(NOW.date(), NOW))  # today: up to now
    f.completed_on.setDate(QDate(2025, 9, 20))
    assert times() == [datetime(2025, 9, 20, 16), datetime(2025, 9, 20, 16, 30),
                       datetime(2025, 9, 20, 17)]
    assert not any(f.edited.values()) and f.edited_marks["team"].isHidden()
    team = f.inspections["team"][1]
    team.setDateTime(datetime(2025, 9, 20, 15, 10))  # set by hand
    assert f.edited["team"] and not f.edited_marks["team"].isHidden()
    assert f.edited_marks["team"].text() == "edited"
    f.completed_on.setDate(QDate(2025, 9, 22))
    assert times() == [datetime(2025, 9, 22, 16), datetime(2025, 9, 20, 15, 10),
                       datetime(2025, 9, 22, 17)]
    qtbot.mouseClick(f.reset_buttons["team"], Qt.MouseButton.LeftButton)
    assert times()[1] == datetime(2025, 9, 22, 16, 30)
    assert not f.edited["team"] and f.reset_buttons["team"].isHidden()
    # saved through the worker with the times shown
    f.work_done.setPlainText("二级维护")
    f.labour_amount.setText("100")
    f.material_amount.setText("0")
    f.certificate_no.setText("HZ-0009")
    _set_km(qtbot, f.completed_km, "52500")
    for who, _when in f.inspections.values():
        who.setText("黄凯")
    assert dialog.submit(), dialog.errors.text_for(None)
    saved = warranty.vehicle_history(actor=shop.rec, vehicle_id=view.current_vehicle().id)
    assert saved.repairs[0].inspections[1][1] == datetime(2025, 9, 22, 16, 30)
