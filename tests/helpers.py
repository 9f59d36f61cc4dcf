"""Small builders shared by the tests."""
from __future__ import annotations

from datetime import datetime, timedelta

from services import clock
from services.complaints import ComplaintInput
from services.complaints import path as workflow
from services.complaints import register as complaints


def register(actor, **overrides):
    data = dict(kind="customer", channel="phone", complainant_name="张三",
                complainant_phone="13800138000", description="收到的产品外壳开裂",
                request="换货", category="product_quality",
                received_at=clock.now() - timedelta(minutes=5))
    data.update(overrides)
    return complaints.register(ComplaintInput(**data), actor=actor)


def walk_to(firm, target: str, **register_overrides):
    """Register a complaint and walk it with the company firm's staff up to ``target``."""
    r = register(firm.rec, **register_overrides)
    cid = r.complaint_id
    steps = [
        ("acknowledged", firm.rec, "acknowledge", {}),
        ("assigned", firm.rec, "transfer", {"to": "han"}),
        ("investigating", firm.han, "start_investigation", {}),
        ("decided", firm.han, "decide", {"decision": "免费更换", "reasons": "外壳来料缺陷",
                                          "remedy": "return"}),
        ("approved", firm.mgr, "approve", {}),
        ("replied", firm.rec, "reply", {"text": "为您免费更换"}),
        ("visited", firm.rec, "visit", {"result": "客户满意"}),
    ]
    for state, actor, action, params in steps:
        if _state(cid) == target:
            break
        workflow.act(cid, action, actor=actor, **params)
        if state == "replied":
            workflow.act(cid, "record_satisfaction", actor=firm.rec, satisfied=True)
    assert _state(cid) == target
    return r


def head_misses_the_hour(firm, start: datetime, *, head: str = "head",
                        complained_again: bool = False):
    """A complaint escalated to ``head`` at ``start`` and decided two hours later: the head's
    one-hour limit is missed. Its penalty rule proposes a fine only when the customer
    complained again (docs/rules.md §7): ``complained_again`` registers that repeat and links
    it before the late decision. Returns the registration."""
    return head_decides_late(firm, start, head=head, complained_again=complained_again)[0]


def head_decides_late(firm, start: datetime, *, head: str = "head",
                      complained_again: bool = False):
    """As head_misses_the_hour; returns the registration and the late ``decide`` step's
    result (what the step says it changed)."""
    clock.freeze(start)
    r = walk_to(firm, "investigating")
    workflow.act(r.complaint_id, "escalate", actor=firm.han, to=head)
    clock.freeze(start + timedelta(hours=2))
    if complained_again:
        again = register(firm.rec, description="一直没人答复，再次投诉")
        workflow.act(again.complaint_id, "link", actor=firm.rec, earlier=r.ticket)
    late = workflow.act(r.complaint_id, "decide", actor=getattr(firm, head), decision="换新",
                        reasons="来料缺陷", remedy="return")
    return r, late


def _state(cid: int) -> str:
    from models.entities import Complaint

    return Complaint.get_by_id(cid).state


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def on_screen(qtbot, widget, width: int = 1200, height: int = 600):
    """``widget`` shown on screen at that size, as a window's section is (the UI tests)."""
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def views_on_screen(qtbot, session_for, firm, view_class, size: tuple[int, int], login: str):
    """``make(login)``: a ``view_class`` of that user's window session (``login`` unless
    told), on screen at ``size``."""
    default = login

    def make(login: str = default):
        return on_screen(qtbot, view_class(session_for(firm, login)), *size)

    return make


# --- driving the first-start wizard (the UI tests) -------------------------------------------


def click(qtbot, button):
    from PySide6.QtCore import Qt

    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def choose_radio(qtbot, radio):
    """Click a radio button on its indicator (its middle may be past the end of its text)."""
    from PySide6.QtCore import QPoint, Qt

    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def type_line(qtbot, edit, text):
    """Type ``text`` into a line edit; QTest cannot synthesize keys for Chinese, so that goes
    in as input from an input method would (inserted at the cursor)."""
    if text.isascii():
        qtbot.keyClicks(edit, text)
    else:
        edit.insert(text)


def next_page(qtbot, wizard):
    from PySide6.QtWidgets import QWizard

    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))


def fill_wizard(qtbot, wizard, *, profile="law-firm", login="boss"):
    """Drive the wizard's pages as a user would, checking the inline errors on the way."""
    from tests.conftest import PASSWORD
    from ui.first_start import FIRM_PAGE, OWNER_PAGE, PROFILE_PAGE

    choose_radio(qtbot, wizard.language_page.buttons["en"])
    next_page(qtbot, wizard)
    assert wizard.currentId() == PROFILE_PAGE
    choose_radio(qtbot, wizard.profile_page.buttons[profile])
    assert "approv" in wizard.profile_page.descriptions[profile].text()
    next_page(qtbot, wizard)

    assert wizard.currentId() == FIRM_PAGE
    next_page(qtbot, wizard)  # the name is required
    assert wizard.currentId() == FIRM_PAGE
    assert wizard.firm_page.errors["firm_name"].text() == "Give the firm's name."
    type_line(qtbot, wizard.firm_page.name_edit, "明理律师事务所")
    type_line(qtbot, wizard.firm_page.address_edit, "北京市东城区1号")
    qtbot.keyClicks(wizard.firm_page.phone_edit, "010-12345678")
    next_page(qtbot, wizard)

    assert wizard.currentId() == OWNER_PAGE
    page = wizard.owner_page
    page.login_edit.clear()
    qtbot.keyClicks(page.login_edit, login)
    type_line(qtbot, page.name_edit, "周主任")
    qtbot.keyClicks(page.password_edit, "abc")
    next_page(qtbot, wizard)
    assert wizard.currentId() == OWNER_PAGE
    assert "at least 6 characters" in page.errors["password"].text()
    page.password_edit.clear()
    qtbot.keyClicks(page.password_edit, PASSWORD)
    qtbot.keyClicks(page.again_edit, PASSWORD + "x")
    next_page(qtbot, wizard)
    assert page.errors["password_again"].text() == "The two passwords are not the same."
    assert page.errors["password"].isHidden()
    page.again_edit.clear()
    qtbot.keyClicks(page.again_edit, PASSWORD)
    next_page(qtbot, wizard)
