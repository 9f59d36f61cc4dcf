"""Documents in the program (docs/rules.md §8): produce from the complaint view, the preview
with its page images, Print (QPrinter) and Save as PDF, and reprint from the timeline, with
pytest-qt."""
from __future__ import annotations

import dataclasses
import hashlib
import io

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from services.changes import Changes
from services.complaints import register as complaints
from services.documents import KINDS, file_name, reprint
from services.i18n import set_language
from tests.helpers import walk_to
from ui import prefs
from ui.complaint.view import ComplaintView
from ui.documents.menu import KIND_LABELS
from ui.session import Session
from ui.tasks import TaskManager
from ui.widgets.pdf_pages import page_count, pdf_to_images
from ui.widgets.preview import DocumentPreviewDialog

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login: session_for(sqlite_firm, login)


def _view(qtbot, session, complaint_id: int) -> ComplaintView:
    view = ComplaintView(session, complaint_id)
    qtbot.addWidget(view)
    return view


def _documents(complaint_id: int, actor) -> list:
    events = complaints.detail(complaint_id, actor=actor).events
    return [e for e in events if e.action == "document"]


def _produce(qtbot, view, kind: str) -> DocumentPreviewDialog:
    view.documents.kind_actions[kind].trigger()
    preview = view.documents.preview
    assert preview is not None
    qtbot.addWidget(preview)
    return preview


def test_the_menu_offers_every_kind_and_both_languages(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    button = view.documents
    assert button.isEnabled()
    assert set(KINDS) <= set(button.kind_actions) and set(button.kind_actions) <= set(KIND_LABELS)
    assert button.kind_actions["receipt"].text() == "Acknowledgement receipt…"
    labels = [a.text() for a in button.language_actions.values()]
    assert labels == ["Simplified Chinese (简体中文)", "English"]
    # The firm's document language is the default (the test firm's is Chinese).
    assert button.language() == "zh_CN"
    assert button.language_actions["zh_CN"].isChecked()
    button.language_actions["en"].trigger()
    assert button.language() == "en" and button.language_actions["en"].isChecked()


def test_producing_a_receipt_opens_the_preview_and_records_the_event(qtbot, sqlite_firm,
                                                                      session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    session = session_of("rec")
    view = _view(qtbot, session, r.complaint_id)
    before = view.timeline.rows()
    with qtbot.waitSignal(session.changed) as changed:  # the inline worker: at once
        preview = _produce(qtbot, view, "receipt")
    assert changed.args == [Changes.of_complaint(r.complaint_id)]  # a "document" event
    assert len(preview.images) >= 1 and not preview.images[0].isNull()
    assert len(preview.page_labels) == len(preview.images)
    assert preview.page_labels[0].pixmap() is not None
    assert not preview.page_labels[0].pixmap().isNull()
    assert preview.count_label.text() in ("1 page", f"{len(preview.images)} pages")
    assert "Acknowledgement receipt" in preview.windowTitle()
    assert r.ticket in preview.windowTitle()
    # One new "document" event, in the timeline the view shows (newest first).
    documents = _documents(r.complaint_id, sqlite_firm.rec)
    assert len(documents) == 1
    assert documents[0].data["kind"] == "receipt"
    assert documents[0].data["language"] == "zh_CN"
    rows = view.timeline.rows()
    assert len(rows) == len(before) + 1
    assert rows[0][2] == "Produce document"
    # The preview shows exactly the bytes kept in the database.
    assert preview.pdf == reprint(documents[0].id, actor=sqlite_firm.rec)
    assert hashlib.sha256(preview.pdf).hexdigest() == documents[0].data["sha256"]
    assert view.message.isHidden()


def test_the_chosen_language_is_the_document_language(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    view.documents.set_language("en")
    _produce(qtbot, view, "receipt")
    assert _documents(r.complaint_id, sqlite_firm.rec)[0].data["language"] == "en"
    view.reload()  # a reload keeps the user's choice
    assert view.documents.language() == "en"


def test_a_reply_without_a_decision_shows_the_error_inline_and_produces_nothing(
        qtbot, sqlite_firm, session_of, monkeypatch):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    view.show()
    popups = []
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.exec", lambda *a: popups.append(a))
    view.documents.kind_actions["reply"].trigger()
    assert view.documents.preview is None
    assert view.message.isVisible()
    assert view.message.text() == "There is no decision to reply with yet."
    assert popups == []
    assert _documents(r.complaint_id, sqlite_firm.rec) == []
    # The next attempt clears the message.
    preview = _produce(qtbot, view, "receipt")
    assert preview is not None and view.message.isHidden()


def test_the_menu_is_disabled_when_documents_are_not_allowed(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    detail = view.detail
    assert "document" in detail.allowed
    view.documents.set_detail(dataclasses.replace(detail, allowed=()))
    assert not view.documents.isEnabled()
    view.documents.produce("receipt")  # not offered: nothing happens
    assert view.documents.preview is None
    assert _documents(r.complaint_id, sqlite_firm.rec) == []


def test_save_as_pdf_writes_the_stored_bytes(qtbot, sqlite_firm, session_of, monkeypatch,
                                              tmp_path):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    preview = _produce(qtbot, view, "receipt")
    asked = []

    def choose(parent, caption, suggested, filters, *_rest):
        asked.append(suggested)
        return str(tmp_path / "out" / "receipt"), filters

    (tmp_path / "out").mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "out" / "receipt.pdf"  # the suffix is added
    event = _documents(r.complaint_id, sqlite_firm.rec)[0]
    assert saved.read_bytes() == reprint(event.id, actor=sqlite_firm.rec)
    assert asked[0].endswith(file_name("receipt", r.ticket, "zh_CN"))  # "…-受理回执.pdf"
    assert not preview.note.isHidden() and str(saved) in preview.note.text()
    assert prefs.get(prefs.Pref("documents/save_folder", "", str)) == str(saved.parent)


def test_save_as_pdf_cancelled_or_failing_writes_nothing(qtbot, sqlite_firm, session_of,
                                                          monkeypatch, tmp_path):
    r = walk_to(sqlite_firm, "acknowledged")
    preview = _produce(qtbot, _view(qtbot, session_of("rec"), r.complaint_id), "receipt")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert preview.save_as_pdf() is None
    missing = tmp_path / "no" / "such" / "folder" / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: (str(missing), "")))
    assert preview.save_as_pdf() is None
    assert not missing.exists()
    assert not preview.note.isHidden()
    assert preview.note.text().startswith("The file could not be saved")


def test_print_sends_every_page_to_the_printer(qtbot, sqlite_firm, session_of, monkeypatch,
                                               tmp_path):
    r = walk_to(sqlite_firm, "assigned")
    preview = _produce(qtbot, _view(qtbot, session_of("rec"), r.complaint_id),
                       "transfer_slip")
    out = tmp_path / "printed.pdf"
    printers = []

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printers.append(printer)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    assert printers, "the printer dialog was not asked"
    assert out.stat().st_size > 0
    assert page_count(out.read_bytes()) == page_count(preview.pdf) == len(preview.images)
    assert preview.print_button.isEnabled()
    assert "to the printer" in preview.note.text()
    # The printed sheet is the page, not a blank one.
    printed = pdf_to_images(out.read_bytes(), 36)[0]
    assert any(printed.pixelColor(x, y).lightness() < 128
               for x in range(0, printed.width(), 3) for y in range(0, printed.height(), 3))


def test_print_cancelled_prints_nothing(qtbot, sqlite_firm, session_of, monkeypatch):
    r = walk_to(sqlite_firm, "acknowledged")
    preview = _produce(qtbot, _view(qtbot, session_of("rec"), r.complaint_id), "receipt")
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    assert preview.print_document() is False
    assert preview.printer is None and preview.note.isHidden()


def test_reprint_from_the_timeline_opens_the_same_bytes(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    session = session_of("rec")
    view = _view(qtbot, session, r.complaint_id)
    first = _produce(qtbot, view, "receipt").pdf
    first_preview = view.documents.preview
    event = _documents(r.complaint_id, sqlite_firm.rec)[0]
    tree = view.timeline.tree
    assert not view.timeline.reprint_button.isHidden()
    assert not view.timeline.reprint_button.isEnabled()
    # Select the document's row: the Reprint button becomes available.
    row = next(i for i in range(tree.topLevelItemCount())
               if tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == event.id)
    tree.setCurrentItem(tree.topLevelItem(row))
    assert view.timeline.reprint_button.isEnabled()
    qtbot.mouseClick(view.timeline.reprint_button, Qt.MouseButton.LeftButton)
    preview = view.documents.preview
    qtbot.addWidget(preview)
    assert preview is not first_preview
    assert preview.pdf == first
    assert len(preview.images) == page_count(first)
    # A reprint records nothing new.
    assert len(_documents(r.complaint_id, sqlite_firm.rec)) == 1
    # Another event's row offers no reprint.
    other = next(i for i in range(tree.topLevelItemCount()) if i != row)
    tree.setCurrentItem(tree.topLevelItem(other))
    assert not view.timeline.reprint_button.isEnabled()


def test_reprint_of_a_missing_copy_shows_the_error_inline(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    view.show()
    view.documents.reprint(10**9)
    assert view.documents.preview is None
    assert view.message.isVisible()
    assert view.message.text() == "No document was produced with this number."


def test_zoom_and_fit_width(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    preview = _produce(qtbot, _view(qtbot, session_of("rec"), r.complaint_id), "receipt")
    preview.resize(700, 800)
    preview.show()
    qtbot.waitExposed(preview)
    assert preview.fit and preview.fit_button.isChecked()
    fitted = preview.page_labels[0].pixmap().deviceIndependentSize().width()
    assert fitted <= preview.scroll.viewport().width()
    preview.zoom_in.click()
    assert not preview.fit and not preview.fit_button.isChecked()
    bigger = preview.page_labels[0].pixmap().deviceIndependentSize().width()
    assert bigger > fitted
    preview.set_zoom(1.0)
    assert preview.zoom_label.text() == "100 %"
    preview.zoom_out.click()
    assert preview.zoom < 1.0
    preview.fit_button.click()
    assert preview.fit
    assert preview.page_labels[0].pixmap().deviceIndependentSize().width() == pytest.approx(
        fitted, abs=1)
    preview.set_zoom(100)
    assert not preview.zoom_in.isEnabled()


def test_the_preview_speaks_the_users_language(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    session = session_of("rec")
    preview = _produce(qtbot, _view(qtbot, session, r.complaint_id), "receipt")
    assert preview.close_button.text() == "Close"
    set_language("zh_CN")
    session.notify(Changes(language=True))
    assert preview.close_button.text() == "关闭"


def test_preview_escape_closes(qtbot, sqlite_firm, session_of):
    r = walk_to(sqlite_firm, "acknowledged")
    view = _view(qtbot, session_of("rec"), r.complaint_id)
    preview = _produce(qtbot, view, "receipt")
    qtbot.waitExposed(preview)
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    assert view.documents.preview is None


def _two_pages() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=(595.27, 841.89))
    c.drawString(72, 720, "one")
    c.showPage()
    c.drawString(72, 720, "two")
    c.save()
    return buffer.getvalue()


def test_pdf_to_images_sets_the_resolution():
    images = pdf_to_images(_two_pages(), 72)
    assert len(images) == 2
    assert abs(images[0].width() - 595) <= 1 and abs(images[0].height() - 842) <= 1
    assert round(images[0].dotsPerMeterX() * 0.0254) == 72


def test_print_puts_one_page_on_each_sheet(qtbot, sqlite_firm, session_of, monkeypatch,
                                           tmp_path):
    pdf = _two_pages()
    preview = DocumentPreviewDialog(session_of("rec"), pdf, "Two pages")
    qtbot.addWidget(preview)
    assert preview.count_label.text() == "2 pages"
    out = tmp_path / "two.pdf"

    def accept(dialog):
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert preview.print_document() is True
    assert page_count(out.read_bytes()) == 2
    assert preview.note.text() == "Sent 2 pages to the printer."


def test_producing_runs_on_the_worker_thread(qtbot, sqlite_firm):
    """The one UI test on the real worker thread (the others run it inline)."""
    r = walk_to(sqlite_firm, "acknowledged")
    tasks = TaskManager()
    session = Session(user=sqlite_firm.rec, location=sqlite_firm.location, tasks=tasks)
    view = _view(qtbot, session, r.complaint_id)
    view.documents.kind_actions["receipt"].trigger()
    assert view.documents.preview is None  # not yet: the worker is producing it
    # Wait until the worker is done, then for its result, queued to the GUI thread, which
    # only the event loop delivers. The minute is no timing assumption, only a bound on a
    # hang: the worker takes a fraction of it, and a stuck one fails instead of blocking CI.
    assert tasks.wait(60_000), "the worker never finished"
    assert view.documents.preview is None
    with qtbot.waitSignal(session.changed) as changed:
        pass
    assert changed.args == [Changes.of_complaint(r.complaint_id)]
    qtbot.addWidget(view.documents.preview)
    assert len(view.documents.preview.images) >= 1
    assert len(_documents(r.complaint_id, sqlite_firm.rec)) == 1
