"""Help (user guide on F1, keyboard shortcuts), the View menu, restored windows that fit the
screen, and the register's keys and empty hint (docs/design.md, Help; issue 12's polish)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QRect, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from services.changes import Changes
from services.i18n import LANGUAGES, _
from tests.conftest import firm_of
from tests.helpers import register
from ui import prefs
from ui.qt_i18n import apply_language
from ui.session import Session

pytestmark = pytest.mark.usefixtures("english")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(sqlite_firm, tasks):
    return Session(user=sqlite_firm.owner, location=sqlite_firm.location, tasks=tasks)


def main_window(qtbot, session):
    from ui.main_window import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


# --- the guide ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_image_of_the_guide_exists(lang):
    path = ROOT / "docs" / "guide" / f"{lang}.md"
    text = path.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text)
    assert len(images) >= 6
    for link in images:
        assert (path.parent / link).resolve().is_file(), link
    # the same structure in both languages: as many sections and pictures
    other = ROOT / "docs" / "guide" / f"{'en' if lang == 'zh_CN' else 'zh_CN'}.md"
    other_text = other.read_text(encoding="utf-8")
    assert len(re.findall(r"^#+ ", text, re.M)) == len(re.findall(r"^#+ ", other_text, re.M))
    assert len(images) == len(re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", other_text))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_f1_opens_the_guide_in_the_programs_language_with_its_pictures(qtbot, session, lang):
    apply_language(lang)
    window = main_window(qtbot, session)
    assert window.guide_action.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    from ui.guide import GuideDialog

    dialog = window.findChild(GuideDialog, "guide_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.path.name == f"{lang}.md"
    text = dialog.browser.toPlainText()
    assert ("Registering a complaint" if lang == "en" else "登记投诉") in text
    # the pictures resolved from the guide's folder: Qt has each one as an image resource
    document = dialog.browser.document()
    names = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", dialog.path.read_text(encoding="utf-8"))
    for name in names[:3]:
        image = document.resource(document.ResourceType.ImageResource.value,
                                  dialog.browser.source().resolved(name))
        assert image is not None and not image.isNull(), name


def test_keyboard_shortcuts_lists_the_windows_actions_in_its_language(qtbot, session):
    window = main_window(qtbot, session)
    dialog = window.keyboard_shortcuts()
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 1).text()
            for r in range(dialog.table.rowCount())}
    assert rows["User guide"] == "F1"
    assert rows["Complaints"] == "Ctrl+1"
    assert rows["Settings"] == "Ctrl+6, Ctrl+,"
    assert rows["New customer complaint"] == "Ctrl+N"
    assert "Warranty" not in rows  # not a repair shop: hidden, so no key either
    # the tool bar's tooltips teach the keys too
    assert window.find_action.toolTip().endswith("(Ctrl+F)")
    assert window.section_actions["due"].toolTip() == "Due & overdue (Ctrl+2)"
    dialog.close()
    apply_language("zh_CN")
    session.notify(Changes(language=True))
    dialog = window.keyboard_shortcuts()
    texts = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert _("Complaints") in texts and "Complaints" not in texts  # made again, in Chinese
    assert not any("(" in t for t in texts)  # no "(&N)" mnemonic marks


# --- the View menu ----------------------------------------------------------------------------


def test_view_menu_lists_each_section_with_its_key_and_warranty_only_for_repair_shops(
        qtbot, sqlite_backend, tasks):
    from ui.main_window import MainWindow

    with firm_of(sqlite_backend, "repair-shop") as shop:
        window = MainWindow(Session(user=shop.owner, location=shop.location, tasks=tasks))
        qtbot.addWidget(window)
        shown = [(a.text(), a.shortcut().toString()) for a in window.view_menu.actions()
                 if a.isVisible()]
        assert shown == [("Complaints", "Ctrl+1"), ("Due && overdue", "Ctrl+2"),
                         ("Warranty", "Ctrl+3"), ("Penalties", "Ctrl+4"),
                         ("Reports", "Ctrl+5"), ("Settings", "Ctrl+6")]
        assert not window.nav_items["warranty"].isHidden()
        window.section_actions["warranty"].trigger()
        assert window.stack.currentWidget() is window.views["warranty"]
        window.close()


# --- windows that fit the screen --------------------------------------------------------------


def test_a_restored_geometry_larger_than_the_screen_is_clamped_and_centred(qtbot, session):
    from ui.main_window import MainWindow

    area = QApplication.primaryScreen().availableGeometry()
    big = MainWindow(session)
    qtbot.addWidget(big)
    big.setGeometry(QRect(area.left() - 3000, area.top() - 2000, area.width() + 900,
                          area.height() + 700))
    prefs.put(prefs.MAIN_GEOMETRY, big.saveGeometry())
    prefs.put(prefs.MAIN_STATE, QByteArray())
    big.close()
    window = main_window(qtbot, session)
    frame = window.frameGeometry()
    assert frame.height() <= area.height()
    # (the test screen is 800 pixels wide: narrower than the window can be made)
    assert frame.width() <= max(area.width(), window.minimumSizeHint().width() + 50)
    assert frame.width() < area.width() + 900 and area.contains(frame.center())


# --- the register ---------------------------------------------------------------------------


def register_view(qtbot, session):
    from ui.register.view import RegisterView

    view = RegisterView(session)
    qtbot.addWidget(view)
    view.resize(1200, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_return_in_the_search_opens_the_only_hit_and_selects_the_first_of_several(
        qtbot, sqlite_firm, session):
    one = register(sqlite_firm.rec, complainant_name="Ada Lovelace",
                   complainant_phone="13900000001")
    register(sqlite_firm.rec, complainant_name="Bob One", complainant_phone="13900000002")
    register(sqlite_firm.rec, complainant_name="Bob Two", complainant_phone="13900000003")
    view = register_view(qtbot, session)
    view.filter_bar.search.setFocus()
    qtbot.keyClicks(view.filter_bar.search, "Ada")
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(view.filter_bar.search, Qt.Key.Key_Return)
    assert opened.args == [one.complaint_id]

    view.filter_bar.search.clear()
    qtbot.keyClicks(view.filter_bar.search, "Bob")
    with qtbot.assertNotEmitted(view.open_requested):
        qtbot.keyClick(view.filter_bar.search, Qt.Key.Key_Return)
    assert view.model.rowCount() == 2
    assert view.table.currentIndex().row() == 0 and view.focusWidget() is view.table


def test_down_arrow_in_the_search_moves_into_the_table(qtbot, sqlite_firm, session):
    register(sqlite_firm.rec)
    register(sqlite_firm.rec)
    view = register_view(qtbot, session)
    view.filter_bar.search.setFocus()
    qtbot.keyClick(view.filter_bar.search, Qt.Key.Key_Down)
    assert view.focusWidget() is view.table and view.table.currentIndex().row() == 0


def test_the_empty_register_says_what_to_do_over_the_table(qtbot, sqlite_firm, session):
    view = register_view(qtbot, session)
    assert view.model.rowCount() == 0
    assert view.empty_hint.isVisible()
    assert view.empty_hint.text() == ("No complaints yet — press Ctrl+N to register the first "
                                      "one")
    assert view.empty_hint.parent() is view.table.viewport()
    register(sqlite_firm.rec, complainant_name="Ada Lovelace")
    view.model.refresh()
    assert not view.empty_hint.isVisible()
    with qtbot.waitSignal(view.filter_bar.filter_changed):
        view.filter_bar.search.setText("nobody by this name")
    assert view.empty_hint.isVisible()
    assert view.empty_hint.text() == "No complaint matches — clear the filter"
