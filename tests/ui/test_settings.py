"""Settings screens: each page saves through one service call, shows refusals inline,
is read-only for users who may not change it, and retranslates live."""
from __future__ import annotations

import gettext
from datetime import date

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, Qt, QTime  # noqa: E402

import services.timelimits.workcalendar as workcalendar  # noqa: E402
from services import settings
from services.changes import Changes  # noqa: E402
from services.i18n import current_language  # noqa: E402
from services.people import users
from services.timelimits import WorkCalendar  # noqa: E402

KEY = Qt.ItemDataRole.UserRole  # where the tables keep each row's code


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch):
    """qtbot closes the views after each test; a view left with unsaved typing would ask."""
    from PySide6.QtWidgets import QMessageBox

    import ui.settings.view as view_module

    monkeypatch.setattr(view_module, "ask_unsaved",
                        lambda parent: QMessageBox.StandardButton.Discard)


@pytest.fixture
def make_view(sqlite_firm, qtbot, session_for):
    from ui.settings import SettingsView

    made = []  # qtbot holds its widgets weakly: keep them for the whole test

    def make(login: str = "owner"):
        session = session_for(sqlite_firm, login)
        notes: list = []  # every Changes the session hears
        session.changed.connect(notes.append)
        view = SettingsView(session)
        qtbot.addWidget(view)
        view.notes = notes
        made.append(view)
        return view

    return make


# --- firm ---------------------------------------------------------------------------------


def test_firm_page_saves_through_the_service(make_view):
    view = make_view()
    page = view.firm_page
    assert page.name.text() == "测试公司" and not page.save_button.isEnabled()
    page.name.setText("新名称有限公司")
    page.phone.setText("010-12345678")
    page.approval.setChecked(True)
    page.office_start.setTime(QTime(8, 30))
    page.office_end.setTime(QTime(18, 0))
    page.due_soon.setValue(60)
    page.document_language.setCurrentIndex(page.document_language.findData("en"))
    assert page.has_unsaved_changes() and view.has_unsaved_changes()
    page.save_button.click()

    info = settings.firm_info()
    assert (info.name, info.phone, info.approval_required) == ("新名称有限公司", "010-12345678",
                                                              True)
    assert (info.office_start, info.office_end, info.due_soon_minutes) == ("08:30", "18:00", 60)
    assert info.document_language == "en"
    assert info.language == "zh_CN"  # the firm's own language is passed through untouched
    assert any(c.settings for c in view.notes)
    assert not page.has_unsaved_changes() and page.errors.info.text()


def test_firm_page_shows_a_bad_office_day_next_to_the_field(make_view):
    page = make_view().firm_page
    page.office_start.setTime(QTime(9, 0))
    page.office_end.setTime(QTime(8, 0))
    page.save()
    assert page.errors.text_for("office_end")  # "The office day must end after it starts."
    assert page.errors.text_for(None) == ""
    assert settings.firm_info().office_end == "17:30"  # nothing written
    assert page.has_unsaved_changes()  # the user's typing is kept to correct it

    page.office_end.setTime(QTime(17, 0))
    page.name.setText("  ")
    page.save()
    assert page.errors.text_for("name") and not page.errors.text_for("office_end")


def test_closing_with_unsaved_firm_details_asks(make_view, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import ui.settings.view as view_module

    view = make_view()
    view.show()
    view.tabs.setCurrentIndex(3)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    monkeypatch.setattr(view_module, "ask_unsaved", lambda parent: answers.pop(0))
    view.firm_page.address.setText("北京市东城区1号")
    assert not view.close() and view.isVisible()
    assert view.tabs.currentWidget() is view.firm_page  # shown where the changes are
    assert view.close()
    assert settings.firm_info().address == "北京市东城区1号"


# --- categories and rules -----------------------------------------------------------------


def test_adding_a_category_saves_it_and_lists_it(make_view):
    view = make_view()
    page = view.categories_page
    rows = page.table.rowCount()
    dialog = page.open_add_dialog()
    dialog.code.setText("Bad Code")
    dialog.name_zh.setText("交付延迟")
    dialog.name_en.setText("Late delivery")
    dialog.submit()
    assert dialog.isVisible() and dialog.errors.text_for("code")  # refused, shown inline

    dialog.code.setText("late_delivery")
    dialog.simple.setChecked(True)
    dialog.submit()
    assert not dialog.isVisible()
    saved = next(c for c in settings.categories() if c.code == "late_delivery")
    assert (saved.name_zh, saved.name_en, saved.kind, saved.simple) == (
        "交付延迟", "Late delivery", "customer", True)
    assert page.table.rowCount() == rows + 1
    assert any(c.settings for c in view.notes)


def test_a_category_is_deactivated_never_deleted(make_view):
    page = make_view().categories_page
    page.table.selectRow(0)
    code = page.table.item(0, 0).text()
    dialog = page.edit_selected()
    assert dialog.code.isReadOnly() and dialog.code.text() == code
    dialog.active.setChecked(False)
    dialog.submit()
    assert code not in {c.code for c in settings.categories()}
    assert code in {c.code for c in settings.categories(include_inactive=True)}
    assert page.table.rowCount() == len(settings.categories(include_inactive=True))


def test_editing_a_rule_changes_its_length(make_view):
    page = make_view().rules_page
    codes = [page.table.item(r, 0).data(KEY) for r in range(page.table.rowCount())]
    page.table.selectRow(codes.index("transfer_30m"))
    dialog = page.edit_selected()
    assert dialog.start_on.value() == "register"
    assert dialog.stop_on.value() == "answer_on_spot,transfer"
    assert dialog.unit.currentData() == "minutes"
    dialog.length.setValue(45)
    dialog.submit()
    rule = next(r for r in settings.rules() if r.code == "transfer_30m")
    assert (rule.length, rule.unit) == (45, "minutes")
    row = [page.table.item(r, 0).data(KEY) for r in range(page.table.rowCount())].index(
        "transfer_30m")
    assert page.table.item(row, 3).text() == rule.limit


def test_a_rule_without_a_stop_step_is_refused_inline(make_view):
    page = make_view().rules_page
    dialog = page.open_add_dialog()
    dialog.code.setText("visit_2d")
    dialog.name_zh.setText("交车后第2天回访")
    dialog.name_en.setText("Visit on the 2nd day")
    dialog.start_on.set_value("reply")
    dialog.submit()
    assert dialog.isVisible() and dialog.errors.text_for("stop_on")
    dialog.stop_on.set_value("visit")
    dialog.length.setValue(2)
    dialog.unit.setCurrentIndex(dialog.unit.findData("working_days"))
    dialog.submit()
    assert not dialog.isVisible()
    rule = next(r for r in settings.rules() if r.code == "visit_2d")
    assert (rule.start_on, rule.stop_on, rule.length, rule.unit) == (
        "reply", "visit", 2, "working_days")


def _new_rule(page, code: str = "decision_15d"):
    dialog = page.open_add_dialog()
    dialog.code.setText(code)
    dialog.name_zh.setText("15日内作出处理决定")
    dialog.name_en.setText("Decision within 15 days")
    dialog.start_on.set_value("register")
    dialog.stop_on.set_value("decide")
    dialog.length.setValue(15)
    dialog.unit.setCurrentIndex(dialog.unit.findData("days"))
    dialog.max_total.setValue(60)
    return dialog


def test_a_rule_saves_its_category_senior_step_and_workday_roll(make_view):
    page = make_view().rules_page
    dialog = _new_rule(page)
    assert dialog.roll_to_workday.isChecked() and dialog.roll_to_workday.isEnabled()
    assert dialog.category.currentData() == "" and dialog.senior_above.value() == 0
    dialog.senior_above.setValue(30)
    dialog.roll_to_workday.setChecked(False)
    dialog.category.setCurrentIndex(dialog.category.findData("product_quality"))
    dialog.submit()
    assert not dialog.isVisible()
    rule = next(r for r in settings.rules() if r.code == "decision_15d")
    assert (rule.senior_above, rule.roll_to_workday, rule.category) == (
        30, False, "product_quality")
    codes = [page.table.item(r, 0).data(KEY) for r in range(page.table.rowCount())]
    row = codes.index("decision_15d")
    category = next(c for c in settings.categories() if c.code == "product_quality")
    assert page.table.item(row, 6).text() == category.name
    assert "30" in page.table.item(row, 7).text() and "60" in page.table.item(row, 7).text()
    general = codes.index("transfer_30m")
    assert page.table.item(general, 6).text() == "所有类别"

    page.table.selectRow(row)
    again = page.edit_selected()
    assert (again.senior_above.value(), again.roll_to_workday.isChecked(),
            again.category.currentData()) == (30, False, "product_quality")


def test_the_workday_roll_is_offered_for_calendar_days_only(make_view):
    dialog = _new_rule(make_view().rules_page)
    assert dialog.roll_to_workday.isEnabled()
    dialog.unit.setCurrentIndex(dialog.unit.findData("working_days"))
    assert not dialog.roll_to_workday.isEnabled()


def test_a_senior_step_past_the_longest_extension_is_refused_inline(make_view):
    dialog = _new_rule(make_view().rules_page)
    dialog.senior_above.setValue(61)
    dialog.submit()
    assert dialog.isVisible() and dialog.errors.text_for("senior_above")
    assert "decision_15d" not in [r.code for r in settings.rules()]


# --- staff --------------------------------------------------------------------------------


def test_adding_a_user_with_roles_and_a_department(make_view):
    view = make_view()
    page = view.staff_page
    dialog = page.open_add_user()
    dialog.login.setText("wu")
    dialog.name.setText("吴接待")
    dialog.password.setText("secret9")
    dialog.confirm.setText("secret8")
    dialog.roles.boxes["receiver"].setChecked(True)
    dialog.roles.boxes["handler"].setChecked(True)
    dialog.department.setCurrentIndex(dialog.department.findData("sales"))
    dialog.phone.setText("13900001111")
    dialog.submit()
    assert dialog.errors.text_for("confirm")  # checked in the form: nothing sent
    assert "wu" not in {u.login for u in users.list_users()}

    dialog.confirm.setText("secret9")
    dialog.submit()
    assert not dialog.isVisible()
    info = next(u for u in users.list_users() if u.login == "wu")
    assert info.roles == ("receiver", "handler") and info.name == "吴接待"
    assert users.get_user("wu").phone == "13900001111"
    assert users.authenticate("wu", "secret9").login == "wu"
    logins = [page.user_table.item(r, 0).text() for r in range(page.user_table.rowCount())]
    assert "wu" in logins
    assert page.user_table.item(logins.index("wu"), 3).text() == "销售部"


def test_editing_a_user_and_giving_a_new_password(make_view):
    page = make_view().staff_page
    logins = [page.user_table.item(r, 0).text() for r in range(page.user_table.rowCount())]
    page.user_table.selectRow(logins.index("han"))
    dialog = page.edit_user()
    assert dialog.login.isReadOnly() and dialog.department.currentData() == "service"
    dialog.roles.boxes["head"].setChecked(True)
    dialog.submit()
    assert next(u for u in users.list_users() if u.login == "han").roles == ("handler", "head")
    assert users.get_user("han").department_id is not None  # department left as it was

    page.user_table.selectRow(logins.index("han"))
    password = page.reset_password()
    password.password.setText("abc")
    password.confirm.setText("abc")
    password.submit()
    assert password.isVisible() and password.errors.text_for("password")  # too short
    password.password.setText("newpass1")
    password.confirm.setText("newpass1")
    password.submit()
    assert users.authenticate("han", "newpass1").login == "han"


def test_adding_a_department(make_view):
    page = make_view().staff_page
    dialog = page.open_add_department()
    dialog.code.setText("quality")
    dialog.name.setText("质量部")
    dialog.submit()
    assert "quality" in {d.code for d in users.list_departments()}
    codes = [page.department_table.item(r, 0).text()
             for r in range(page.department_table.rowCount())]
    assert "quality" in codes


def test_a_receiver_sees_read_only_pages_and_cannot_save(make_view):
    view = make_view("rec")
    for page in (view.firm_page, view.categories_page, view.rules_page, view.staff_page,
                 view.calendar_page):
        assert not page.note.isHidden(), type(page).__name__
        assert not page.editable
    firm = view.firm_page
    assert not firm.name.isEnabled() and not firm.save_button.isEnabled()
    assert not view.categories_page.add_button.isEnabled()
    assert view.categories_page.open_add_dialog() is None
    assert view.rules_page.open_add_dialog() is None
    assert view.staff_page.open_add_user() is None
    assert not view.calendar_page.import_button.isEnabled()
    assert view.calendar_page.edit_day(date(2026, 3, 4)) is None
    assert view.language_page.isEnabled()  # the language of one's own PC is anyone's

    # Even with the screen forced open, the service refuses, and says so inline.
    firm.editable = True
    firm.name.setEnabled(True)
    firm.name.setText("改名")
    firm.save()
    assert firm.errors.text_for(None)
    assert settings.firm_info().name == "测试公司"


def test_a_manager_may_change_categories_and_the_calendar_but_not_the_firm(make_view):
    view = make_view("mgr")
    assert view.categories_page.editable and view.calendar_page.editable
    assert not view.firm_page.editable and not view.rules_page.editable
    assert not view.staff_page.editable


# --- holiday calendar ---------------------------------------------------------------------


def _show_day(page, day: date) -> None:
    page.year.setValue(day.year)
    page.calendar.setSelectedDate(QDate(day.year, day.month, day.day))


def test_marking_a_day_as_a_holiday_changes_the_working_days(make_view):
    view = make_view()
    page = view.calendar_page
    day = date(2026, 3, 4)  # an ordinary Wednesday
    assert WorkCalendar.from_database().is_workday(day)
    _show_day(page, day)
    dialog = page.edit_day()
    dialog.choose("holiday")
    dialog.name.setText("公司庆典")
    dialog.submit()
    assert not WorkCalendar.from_database().is_workday(day)
    assert any(c.calendar for c in view.notes)
    shown = {page.table.item(r, 0).data(KEY): page.table.item(r, 3).text()
             for r in range(page.table.rowCount())}
    assert shown[day.isoformat()] == "公司庆典"
    assert page.calendar.dateTextFormat(QDate(2026, 3, 4)).background().color().name() == \
        "#ffd6d6"

    # A weekday cannot be a make-up working day: refused next to the choice.
    dialog = page.edit_day()
    dialog.choose("workday")
    dialog.submit()
    assert dialog.isVisible() and dialog.errors.text_for("kind")
    dialog.choose(None)
    dialog.submit()
    assert WorkCalendar.from_database().is_workday(day)


def test_a_provisional_year_says_so_and_lists_the_statutory_holidays(make_view):
    page = make_view().calendar_page
    page.year.setValue(2030)
    assert not page.data.official
    kinds = {page.table.item(r, 2).text() for r in range(page.table.rowCount())}
    assert len(kinds) == 1 and page.table.rowCount() == len(
        workcalendar.statutory_holidays(2030))
    assert "2030" in page.status.text()


def test_importing_a_file_with_a_bad_line_names_it_and_writes_nothing(make_view, tmp_path):
    page = make_view().calendar_page
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-30,holiday,春节\n",
                    encoding="utf-8")
    page.import_file(str(path))
    message = page.errors.text_for(None)
    assert "3" in message and "2027-02-30" in message
    assert not WorkCalendar.from_database().is_official(2027)
    assert workcalendar.year_days(2027) == []


def test_importing_a_good_file_makes_the_year_official(make_view, tmp_path):
    view = make_view()
    page = view.calendar_page
    path = tmp_path / "2027.csv"
    path.write_text("\ufeff2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n"
                    "2027-02-07,workday,春节调休\n", encoding="utf-8")
    page.import_file(str(path))
    assert WorkCalendar.from_database().is_official(2027)
    assert not WorkCalendar.from_database().is_workday(date(2027, 2, 6))
    assert page.year.value() == 2027 and page.data.official
    assert page.table.rowCount() == 3
    assert "2027" in page.errors.info.text() and "3" in page.errors.info.text()
    assert any(c.calendar for c in view.notes)

    exported = tmp_path / "out.csv"
    page.export_file(str(exported))
    assert exported.read_text(encoding="utf-8") == workcalendar.export_calendar(2027)


def test_a_file_that_is_not_utf8_is_refused_inline(make_view, tmp_path):
    page = make_view().calendar_page
    path = tmp_path / "gbk.csv"
    path.write_bytes("2027-01-01,holiday,元旦\n".encode("gbk"))
    page.import_file(str(path))
    assert page.errors.text_for(None)
    assert not WorkCalendar.from_database().is_official(2027)


# --- language -----------------------------------------------------------------------------


class _Chinese(gettext.NullTranslations):
    """A stand-in catalog, so this test checks the switching, not the catalog's contents
    (tests/test_i18n.py checks those)."""

    WORDS = {"Firm": "公司", "Categories": "类别", "Language": "语言"}

    def gettext(self, message):
        return self.WORDS.get(message, message)


@pytest.fixture
def private_prefs(tmp_path, monkeypatch):
    from ui import prefs

    monkeypatch.setattr(prefs, "_store", None)
    prefs.use_file(str(tmp_path / "prefs.ini"))
    return prefs


def test_switching_language_retranslates_every_page(make_view, qtbot, private_prefs,
                                                    monkeypatch):
    from services import i18n
    from ui.qt_i18n import apply_language

    monkeypatch.setitem(i18n._catalogs, "zh_CN", _Chinese())
    view = make_view()
    assert current_language() == "zh_CN" and view.tabs.tabText(0) == "公司"
    page = view.language_page
    firm = view.firm_page
    firm.office_end.setTime(QTime(8, 0))
    firm.save()  # an error on screen is shown again in the new language
    try:
        with qtbot.waitSignal(view.session.changed) as signal:
            page.radios["en"].setChecked(True)
        assert signal.args == [Changes(language=True)] and current_language() == "en"
        assert private_prefs.get(private_prefs.LANGUAGE) == "en"
        assert [view.tabs.tabText(i) for i in range(4)] == ["Firm", "Categories",
                                                            "Root causes", "Time limits"]
        assert firm.errors.text_for("office_end") == "The office day must end after it starts."
        assert firm.office_end.time() == QTime(8, 0)  # nothing typed is lost

        page.radios["zh_CN"].setChecked(True)
        assert current_language() == "zh_CN" and view.tabs.tabText(0) == "公司"
        assert private_prefs.get(private_prefs.LANGUAGE) == "zh_CN"
    finally:
        apply_language("zh_CN")


# --- root causes ------------------------------------------------------------------------------


def test_root_causes_page_saves_the_list_the_archive_dialog_offers(make_view):
    from services import complaints

    view = make_view()
    page = view.causes_page
    presets = complaints.root_causes()
    assert page.causes() == presets and page.save_button.isEnabled()
    page.editor.setPlainText("服务态度\n\n  收费不透明  \n服务态度\n维修质量")
    page.save_button.click()
    assert complaints.root_causes() == ["服务态度", "收费不透明", "维修质量"]
    assert page.causes() == ["服务态度", "收费不透明", "维修质量"]
    assert "3" in page.errors.info.text()
    assert any(n.settings for n in view.notes)
    page.editor.setPlainText("")
    page.save_button.click()  # refused inline, the list kept
    assert page.errors.text_for("root_causes")
    assert complaints.root_causes() == ["服务态度", "收费不透明", "维修质量"]


def test_root_causes_page_is_read_only_for_a_handler(make_view):
    view = make_view("han")
    page = view.causes_page
    assert page.editor.isReadOnly() and not page.save_button.isEnabled()
    assert page.note.isVisibleTo(page)
