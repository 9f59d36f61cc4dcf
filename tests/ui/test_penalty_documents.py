"""The penalty documents from the Penalties section with pytest-qt on SQLite: an
entry's notice from the Entry tab and a month's ledger from the Month totals tab, each in the
preview; an entry the user may not see gives no preview, only the message inline."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from services import penalties, settings
from services.documents.names import file_name
from services.i18n import format_money, normalize
from tests.ui.test_penalties import MONTH, firm, propose, view_of  # noqa: F401
from ui.widgets.preview import DocumentPreviewDialog

pytestmark = pytest.mark.usefixtures("english")


def _flat(pdf: bytes) -> str:
    """The PDF's text without spaces or line breaks, so wrapped text still matches."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return "".join(text.split())


def _preview(qtbot, documents) -> DocumentPreviewDialog:
    preview = documents.preview
    assert isinstance(preview, DocumentPreviewDialog)
    qtbot.addWidget(preview)
    return preview


def test_the_entry_tab_opens_the_penalty_notice(view_of, firm, qtbot):  # noqa: F811
    entry = propose(firm, "han", "30")
    penalties.approve(actor=firm.owner, entry_ids=[entry])
    view = view_of("mgr")
    tab = view.entry_tab
    assert not tab.notice_button.isEnabled()  # nothing shown yet
    view.show_entry(entry)
    assert tab.notice_button.isEnabled() and tab.notice_button.text() == "Penalty notice…"
    qtbot.mouseClick(tab.notice_button, Qt.MouseButton.LeftButton)
    preview = _preview(qtbot, tab.documents)
    assert not tab.error.isVisible()
    assert len(preview.images) >= 1 and not preview.images[0].isNull()
    assert preview.file_name == file_name(
        "penalty_notice", entry, settings.firm_info().document_language)
    assert str(entry) in preview.windowTitle()
    lang = normalize(settings.firm_info().document_language)
    text = _flat(preview.pdf)
    assert "".join(format_money(penalties.entry_detail(firm.owner, entry).row.amount,
                                lang).split()) in text
    assert "30.00" in text
    # a second notice replaces the first preview
    qtbot.mouseClick(tab.notice_button, Qt.MouseButton.LeftButton)
    assert tab.documents.preview is not preview
    qtbot.addWidget(tab.documents.preview)


def test_the_totals_tab_prints_the_month_s_ledger(view_of, firm, qtbot):  # noqa: F811
    ids = [propose(firm, "han", "30.10"), propose(firm, "han2", "45.55")]
    penalties.approve(actor=firm.owner, entry_ids=ids)
    view = view_of("owner")
    tab = view.totals_tab
    view.tabs.setCurrentWidget(tab)
    assert tab.month.currentText() == MONTH
    assert tab.print_button.isVisible() and tab.print_button.isEnabled()
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    preview = _preview(qtbot, tab.documents)
    assert not tab.error.isVisible()
    assert len(preview.images) >= 1
    assert preview.file_name == file_name(
        "month_ledger", MONTH, settings.firm_info().document_language)
    assert MONTH in preview.windowTitle()
    text = _flat(preview.pdf)
    assert MONTH in text and "30.10" in text and "45.55" in text
    # a month that is not one: no button, the message stays under the month
    tab.show_month("2026-13")
    assert tab.error.isVisible() and not tab.print_button.isEnabled()


def test_someone_else_s_entry_gives_no_preview(view_of, firm, qtbot):  # noqa: F811
    mine = propose(firm, "han", "30")
    theirs = propose(firm, "han2", "40")
    view = view_of("han")
    tab = view.entry_tab
    view.show_entry(theirs)  # not shown at all: nothing to print
    assert tab.detail is None and not tab.notice_button.isEnabled()
    tab.print_notice()
    assert tab.documents.preview is None
    # shown, then no longer visible to them (as if it changed meanwhile): refused inline
    view.show_entry(mine)
    assert tab.notice_button.isEnabled()
    tab.detail = penalties.entry_detail(firm.owner, theirs)
    qtbot.mouseClick(tab.notice_button, Qt.MouseButton.LeftButton)
    assert tab.documents.preview is None
    assert tab.error.isVisible() and "may see this entry" in tab.error.text()


def test_a_staff_member_s_ledger_holds_only_their_entries(view_of, firm, qtbot):  # noqa: F811
    mine = propose(firm, "han", "30.10")
    other = propose(firm, "han2", "45.55")
    penalties.approve(actor=firm.owner, entry_ids=[mine, other])
    view = view_of("han")
    tab = view.totals_tab
    qtbot.mouseClick(tab.print_button, Qt.MouseButton.LeftButton)
    text = _flat(_preview(qtbot, tab.documents).pdf)
    assert "30.10" in text and "45.55" not in text
