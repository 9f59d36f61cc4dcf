"""One background worker for database and document work (docs/design.md).

Work is a plain function (it may accept ``progress`` and ``cancelled`` callables); results
come back on the GUI thread. A progress dialog appears only if the work lasts over half a
second. In tests, ``TaskManager(synchronous=True)`` runs everything inline.
"""
from __future__ import annotations

import inspect
import threading
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from services.errors import DatabaseUnreachable, DomainError, database_failure
from services.i18n import _

if TYPE_CHECKING:  # imported where used: not needed before the log-in's first paint
    from services.changes import Changes


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object, str)
    progress = Signal(float)


class _Job(QRunnable):
    def __init__(self, fn: Callable, kwargs: dict, signals: _Signals, cancel: threading.Event):
        super().__init__()
        self.fn, self.kwargs, self.signals, self.cancel = fn, kwargs, signals, cancel

    def run(self) -> None:
        try:
            result = call_with_retries(self.fn, self.kwargs, self.cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI thread
            self.signals.failed.emit(exc, traceback.format_exc())
        else:
            self.signals.done.emit(result)
        finally:
            _close_thread_connection()


# A busy (locked) database is tried again this many times, after these pauses in seconds, on
# the worker thread: the window stays responsive meanwhile (docs/design.md, When something
# fails). Each try already waited for the busy timeout. Tests set the pauses to 0.
RETRY_DELAYS: tuple[float, ...] = (0.5, 2.0)


def call_with_retries(fn: Callable, kwargs: dict, cancelled: Callable[[], bool] = lambda: False):
    """``fn(**kwargs)``; a low-level database error comes out as its sentence
    (services.errors.database_failure), after trying again while the database is busy. A
    step is one transaction (docs/design.md), so a step refused as busy saved nothing and
    may simply run again."""
    delays = list(RETRY_DELAYS)
    while True:
        try:
            return fn(**kwargs)
        except Exception as exc:
            failure = database_failure(exc)
            if failure is None or failure is exc:
                raise
            if failure.retry and delays and not cancelled():
                if isinstance(failure, DatabaseUnreachable):
                    release_thread_connection()  # a lost connection is opened afresh
                time.sleep(delays.pop(0))
                continue
            raise failure from exc


def release_thread_connection() -> None:
    # imported on first use: the database layer is not needed before the first paint
    # (docs/design.md, Start-up)
    from services.firm import release_thread_connection as release

    release()


def _close_thread_connection() -> None:
    # peewee keeps one connection per thread; the worker's is closed after each job so a
    # SQLite file is never held open by an idle thread.
    release_thread_connection()


class TaskManager(QObject):
    """Runs one job at a time off the GUI thread."""

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False):
        super().__init__(parent)
        self.synchronous = synchronous
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # a single writer
        self._keep: set[_Signals] = set()
        self.error_handler: Callable[[BaseException, str], None] | None = None

    def run(self, fn: Callable, *, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException, str], None] | None = None,
            label: str | None = None, parent: QWidget | None = None,
            cancellable: bool = False, quiet: bool = False, **kwargs) -> None:
        """Run ``fn(**kwargs)``; ``fn`` may take ``progress`` and ``cancelled`` parameters.
        ``quiet`` work (a background refresh, a scheduled report) never shows a dialog."""
        cancel = threading.Event()
        signals = _Signals()
        params = inspect.signature(fn).parameters
        if "progress" in params:
            kwargs["progress"] = signals.progress.emit
        if "cancelled" in params:
            kwargs["cancelled"] = cancel.is_set

        dialog: list = []  # the progress dialog, once shown

        def finish():
            self._keep.discard(signals)
            timer.stop()
            if dialog and isValid(dialog[0]):  # deleted with a closed parent
                dialog[0].close()

        def done(result):
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc, details):
            finish()
            handler = on_error or self.error_handler
            if handler is not None:
                handler(exc, details)
            else:
                raise exc

        def show_progress():
            # The widget that asked may have been closed (and deleted) meanwhile.
            from PySide6.QtWidgets import QProgressDialog

            owner = parent if parent is not None and isValid(parent) else None
            d = QProgressDialog(label or _("Working…"), _("Cancel") if cancellable else "",
                                0, 1000, owner)
            d.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
            # The title bar shows what is being done in full, not cut to the bar's width.
            title = (label or _("Working…")).splitlines()[0]
            d.setWindowTitle(title)
            d.setMinimumWidth(max(380, d.fontMetrics().horizontalAdvance(title) + 160))
            d.setMinimumDuration(0)
            if not cancellable:
                d.setCancelButton(None)
            d.canceled.connect(cancel.set)
            signals.progress.connect(lambda f: d.setValue(int(max(0.0, min(1.0, f)) * 1000)))
            d.show()
            dialog.append(d)

        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(show_progress)

        if self.synchronous:
            try:
                result = call_with_retries(fn, kwargs, cancel.is_set)
            except BaseException as exc:  # noqa: BLE001
                failed(exc, traceback.format_exc())
            else:
                done(result)
            return
        self._keep.add(signals)
        # QtCore.Qt, not Qt imported at the top: Qt's namespace takes milliseconds to make,
        # and the log-in's first paint does not need it (docs/design.md, Start-up)
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        signals.done.connect(done, queued)
        signals.failed.connect(failed, queued)
        if not quiet:
            timer.start(500)
        self.pool.start(_Job(fn, kwargs, signals, cancel))

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


def run_service(session, fn: Callable, *, on_done: Callable[[Any], None],
                on_domain_error: Callable[[BaseException], None],
                on_settled: Callable[[], None] | None = None,
                changes: Changes | Callable[[Any], Changes | None] | None = None,
                parent: QWidget | None = None, label: str | None = None, **kwargs) -> None:
    """One service call on the session's worker: domain errors go to ``on_domain_error``
    (shown inline by the screen), anything else to the global error handler
    (docs/design.md). After ``on_done`` the session is told what the call changed, even when
    ``on_done`` fails: the result's own ``changes`` when the service reports them
    (services/changes.py), else ``changes``, or what ``changes(result)`` makes of the result.

    ``on_settled`` runs last, after success or any failure: a screen that went busy for the
    call clears that there, so an unexpected error cannot leave it stuck. A callback whose
    widget has been deleted meanwhile (the object of a bound method, or ``parent``) is
    skipped; the session still hears what changed."""

    def alive(callback: Callable) -> bool:
        owner = getattr(callback, "__self__", None)  # isValid: True for a non-Qt object
        return isValid(owner) and (parent is None or isValid(parent))

    def settle() -> None:
        if on_settled is not None and alive(on_settled):
            on_settled()

    def done(result) -> None:
        try:
            if alive(on_done):
                on_done(result)
        finally:
            try:
                told = changes(result) if callable(changes) else changes
                from services.changes import Changes

                reported = getattr(result, "changes", None)
                if isinstance(reported, Changes):
                    told = reported | told if told else reported
                if told:
                    session.notify(told)
            finally:
                settle()

    def failed(exc: BaseException, details: str) -> None:
        if isinstance(exc, DomainError):
            try:
                if alive(on_domain_error):
                    on_domain_error(exc)
            finally:
                settle()
            return
        try:
            settle()  # before the handler, which may show a dialog
        finally:
            handler = session.tasks.error_handler
            if handler is None:
                raise exc
            handler(exc, details)

    session.tasks.run(fn, on_done=done, on_error=failed, label=label, parent=parent, **kwargs)
