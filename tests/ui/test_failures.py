"""What the window does when a call fails unexpectedly, or is still running when the user
wants to close what asked for it (docs/design.md, ui/).

Most cases run on the inline worker of the other UI tests. Those about a call still running
use a real worker whose job is held on a ``threading.Event`` until the test lets it go; they
wait for the worker and for the signals it sends, never on the clock."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from services import settings
from services.changes import Changes
from services.complaints import path as workflow
from services.complaints import register as complaints
from tests.helpers import register
from ui.complaint.form import NewComplaintDialog
from ui.complaint.view import ComplaintView, ComplaintWindow
from ui.session import Session
from ui.settings.firm_page import FirmPage
from ui.tasks import TaskManager
from ui.widgets.fields import select_data
from ui.widgets.freshness import Freshness
from ui.widgets.lazy_table import Column, LazyTableModel

pytestmark = pytest.mark.usefixtures("english")

STILL_SAVING = "Still saving. Wait until it is done."


@pytest.fixture(autouse=True)
def _discard_on_close(monkeypatch):
    """A form closed with typing in it asks; never with a real, modal, message box here
    (the widgets are closed after a failed test too)."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def session_of(sqlite_firm, session_for):
    return lambda login: session_for(sqlite_firm, login)


@pytest.fixture
def errors_seen(tasks) -> list[BaseException]:
    """What reached the global error handler of the inline worker."""
    seen: list[BaseException] = []
    tasks.error_handler = lambda exc, _details: seen.append(exc)
    return seen


def _broken(**_kwargs):
    raise OSError("No space left on device")


def _ime(widget, text: str) -> None:
    """Type Chinese as an input method commits it."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _fill(qtbot, form) -> None:
    _ime(form.name, "王五")
    qtbot.keyClicks(form.phone, "139 0000 1111")
    select_data(form.category, "product_quality")
    form.category.activated.emit(form.category.currentIndex())
    _ime(form.description, "空调安装后漏水")


def _heard(session) -> list[Changes]:
    heard: list[Changes] = []
    session.changed.connect(heard.append)
    return heard


# --- an unexpected error -------------------------------------------------------------------


def test_an_unexpected_error_leaves_a_form_dialog_usable(qtbot, sqlite_firm, session_of,
                                                         errors_seen, monkeypatch):
    session = session_of("rec")
    r = register(sqlite_firm.rec)
    view = ComplaintView(session, r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("note")
    _ime(dialog.fields["note"], "客户来电催促")
    monkeypatch.setattr(dialog, "service", _broken)
    heard = _heard(session)

    assert not dialog.submit()
    assert [type(e) for e in errors_seen] == [OSError]
    assert heard == []
    assert not dialog.busy
    assert dialog.save_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert dialog.isVisible()

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_a_form_dialog_can_be_saved_after_an_unexpected_error(qtbot, sqlite_firm, session_of,
                                                              errors_seen, monkeypatch):
    session = session_of("rec")
    r = register(sqlite_firm.rec)
    view = ComplaintView(session, r.complaint_id)
    qtbot.addWidget(view)
    dialog = view.open_action("note")
    _ime(dialog.fields["note"], "客户来电催促")
    monkeypatch.setattr(dialog, "service", _broken)
    assert not dialog.submit()
    monkeypatch.setattr(dialog, "service", workflow.act)
    heard = _heard(session)

    assert dialog.submit()
    assert len(errors_seen) == 1 and not dialog.isVisible()
    assert heard == [Changes.of_complaint(r.complaint_id)]  # from the ActionResult itself


def test_an_unexpected_error_leaves_the_complaint_form_usable(qtbot, sqlite_firm, session_of,
                                                              errors_seen, monkeypatch):
    session = session_of("rec")
    dialog = NewComplaintDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog.form)
    real = complaints.register
    monkeypatch.setattr(complaints, "register", lambda *_a, **_k: _broken())
    heard = _heard(session)

    assert not dialog.form.save()
    assert [type(e) for e in errors_seen] == [OSError]
    assert heard == [] and complaints.count(sqlite_firm.owner) == 0
    assert not dialog.form.is_saving()
    assert dialog.form.save_button.isEnabled() and dialog.form.is_dirty()

    # It saves again once the trouble has passed ...
    monkeypatch.setattr(complaints, "register", real)
    assert dialog.form.save()
    assert complaints.count(sqlite_firm.owner) == 1
    assert heard == [Changes.of_complaint(dialog.result_value.complaint_id)]
    assert not dialog.isVisible()


def test_the_complaint_form_closes_after_an_unexpected_error(qtbot, session_of, errors_seen,
                                                             monkeypatch):
    dialog = NewComplaintDialog(session_of("rec"))
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog.form)
    monkeypatch.setattr(complaints, "register", lambda *_a, **_k: _broken())
    assert not dialog.form.save()
    asked = []

    def discard(*args, **_kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Discard

    monkeypatch.setattr(QMessageBox, "question", discard)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(asked) == 1  # the unsaved typing is asked about, as always
    assert not dialog.isVisible()


# --- closing while a call runs -------------------------------------------------------------


@contextmanager
def _held(monkeypatch, owner, name: str) -> Iterator[tuple[TaskManager, threading.Event]]:
    """A real worker, and ``owner.name`` held on the worker until the event is set."""
    tasks = TaskManager()
    release = threading.Event()
    real = getattr(owner, name)

    def held(*args, **kwargs):
        release.wait()
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    try:
        yield tasks, release
    finally:
        release.set()  # a failed assertion must not leave the worker waiting
        assert tasks.wait(60_000), "the worker never finished"
        QCoreApplication.processEvents()


def _finish(tasks: TaskManager) -> None:
    """Every job done, and its result (queued to the GUI thread) delivered."""
    assert tasks.wait(60_000), "the worker never finished"
    QCoreApplication.processEvents()


def test_discarding_a_complaint_while_it_is_saved_is_refused(qtbot, sqlite_firm, monkeypatch):
    with _held(monkeypatch, complaints, "register") as (tasks, release):
        session = Session(user=sqlite_firm.rec, location=sqlite_firm.location, tasks=tasks)
        tasks.error_handler = lambda exc, _details: pytest.fail(f"unexpected {exc!r}")
        dialog = NewComplaintDialog(session)
        qtbot.addWidget(dialog)
        dialog.show()
        _fill(qtbot, dialog.form)  # a question on closing would answer Discard

        assert not dialog.form.save()  # on the worker, held there
        assert dialog.form.is_saving()
        dialog.reject()  # Cancel; Esc and the title bar's close come here too
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        dialog.close()
        assert dialog.isVisible()
        assert dialog.form.errors.text_for(None) == STILL_SAVING

        release.set()
        assert tasks.wait(60_000), "the worker never finished"
        with qtbot.waitSignal(session.changed) as changed:
            pass  # the result, queued to the GUI thread
        assert complaints.count(sqlite_firm.owner) == 1
        new = dialog.result_value
        assert changed.args == [Changes.of_complaint(new.complaint_id)]
        assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
        assert dialog.form.errors.text_for(None) == ""


def test_a_complaint_saved_after_its_form_is_gone_is_still_announced(qtbot, sqlite_firm,
                                                                     monkeypatch):
    with _held(monkeypatch, complaints, "register") as (tasks, release):
        session = Session(user=sqlite_firm.rec, location=sqlite_firm.location, tasks=tasks)
        seen = []
        tasks.error_handler = lambda exc, _details: seen.append(exc)
        heard = _heard(session)
        dialog = NewComplaintDialog(session)
        dialog.show()
        _fill(qtbot, dialog.form)
        assert not dialog.form.save()
        form = dialog.form
        shiboken6.delete(dialog)  # gone however it went, its form with it
        assert not shiboken6.isValid(form)

        release.set()
        _finish(tasks)
        assert seen == []
        assert complaints.count(sqlite_firm.owner) == 1
        assert len(heard) == 1 and heard[0].complaints and not heard[0].ledger


def test_a_complaint_window_stays_while_its_step_is_saved(qtbot, sqlite_firm, monkeypatch):
    r = register(sqlite_firm.rec)
    with _held(monkeypatch, workflow, "act") as (tasks, release):
        session = Session(user=sqlite_firm.rec, location=sqlite_firm.location, tasks=tasks)
        tasks.error_handler = lambda exc, _details: pytest.fail(f"unexpected {exc!r}")
        window = ComplaintWindow(session, r.complaint_id)
        qtbot.addWidget(window)
        window.show()
        dialog = window.view.open_action("note")
        _ime(dialog.fields["note"], "客户来电催促")
        assert not dialog.submit()
        assert dialog.busy

        assert not window.close()
        assert window.isVisible() and dialog.isVisible()
        assert dialog.errors.info.text() == STILL_SAVING

        release.set()
        assert tasks.wait(60_000), "the worker never finished"
        with qtbot.waitSignal(session.changed) as changed:
            pass
        assert changed.args == [Changes.of_complaint(r.complaint_id)]
        assert not dialog.isVisible() and dialog.result_value.action == "note"
        assert window.close()


# --- the firm's details, read while the user types ---------------------------------------


def test_the_firm_page_keeps_typing_begun_while_it_reads(qtbot, sqlite_firm, monkeypatch):
    with _held(monkeypatch, settings, "firm_info") as (tasks, release):
        release.set()  # the first read goes through
        session = Session(user=sqlite_firm.owner, location=sqlite_firm.location, tasks=tasks)
        page = FirmPage(session)
        qtbot.addWidget(page)
        _finish(tasks)
        stored = page.name.text()
        assert stored and not page.has_unsaved_changes()

        release.clear()
        session.notify(Changes(settings=True))  # saved elsewhere: read again, held
        qtbot.keyClicks(page.name, " Ltd")
        release.set()
        _finish(tasks)
        assert page.name.text() == stored + " Ltd" and page.has_unsaved_changes()
        page.revert()
        assert page.name.text() == stored and not page.has_unsaved_changes()


def test_the_firm_page_does_not_read_again_after_its_own_save(qtbot, sqlite_firm, session_for,
                                                             monkeypatch):
    session = session_for(sqlite_firm, "owner")
    page = FirmPage(session)
    qtbot.addWidget(page)
    reads = []
    real = page.reload
    monkeypatch.setattr(page, "reload", lambda: reads.append(1) or real())
    heard = _heard(session)
    qtbot.keyClicks(page.name, " Ltd")
    page.save()
    assert heard and heard[0].settings
    assert reads == []
    assert page.name.text().endswith(" Ltd") and not page.has_unsaved_changes()
    session.notify(Changes(settings=True))  # someone else's save is still read
    assert reads == [1]


# --- the lazy table -------------------------------------------------------------------------


class _Row:
    def __init__(self, item_id: int):
        self.id = item_id


class _Numbers(LazyTableModel):
    """Items 1..n, in memory: pages of 3 ids, rows built 5 at a time."""

    columns = (Column("n", "Number"),)
    page_size = 3
    row_page_size = 5

    def __init__(self, n: int):
        super().__init__(None)
        self.n = n

    def count(self) -> int:
        return self.n

    def fetch_ids(self, offset: int, limit: int) -> list[int]:
        return list(range(1, self.n + 1))[offset:offset + limit]

    def fetch_rows(self, ids: list[int]) -> list:
        return [_Row(i) for i in ids]

    def cell(self, row, key: str, role: int):
        return str(row.id) if role == Qt.ItemDataRole.DisplayRole else None


def test_the_lazy_table_shows_rows_appended_to_a_page_it_built_partial(qapp):
    model = _Numbers(11)
    model.reset()

    def shown() -> list:
        return [model.data(model.index(r, 0)) for r in range(model.rowCount())]

    assert shown() == ["1", "2", "3"]  # row page 0 built with 3 of its 5 rows
    while model.canFetchMore():
        model.fetchMore()
        assert None not in shown()
    assert shown() == [str(i) for i in range(1, 12)]


# --- Freshness ------------------------------------------------------------------------------


class _Screen(QWidget):
    def __init__(self):
        super().__init__()
        self.reads = 0

    def read(self) -> None:
        self.reads += 1


def test_freshness_reads_through_a_bound_method_only(qtbot):
    screen = _Screen()
    qtbot.addWidget(screen)
    with pytest.raises(TypeError):
        Freshness(screen, lambda: screen.read())
    with pytest.raises(TypeError):
        Freshness(screen, print)
    fresh = Freshness(screen, screen.read)
    fresh.changed()  # hidden: read when next shown
    assert screen.reads == 0 and fresh.stale
    fresh.shown()
    assert screen.reads == 1
