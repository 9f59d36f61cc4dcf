"""The one handler for anything unexpected: a dialog with "Copy details", and every error
written to complaintdesk.log in the data folder (docs/design.md).

Domain errors normally stop at the form that caused them (shown inline); one that gets this
far is shown with just its message. Everything else gets the traceback, on the clipboard
at one click, and in the log.
"""
from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from services.errors import DomainError, database_failure
from services.i18n import _

LOG_FILE = "complaintdesk.log"
log = logging.getLogger("complaintdesk")

_log_path: Path | None = None
_open_dialogs: list[QDialog] = []


def setup_logging(folder: Path | str | None = None) -> Path:
    """Append to ``complaintdesk.log`` in ``folder`` (default: the data folder), rotating at
    1 MB with three old files kept."""
    global _log_path
    # logging.handlers (and the data folder's database layer) only when the log is opened:
    # not before the first paint (docs/design.md, Start-up)
    from logging.handlers import RotatingFileHandler

    if folder is None:
        from services.firm import data_folder

        folder = data_folder()
    path = Path(folder) / LOG_FILE
    if _log_path == path:
        return path
    for h in list(log.handlers):
        if isinstance(h, RotatingFileHandler):
            log.removeHandler(h)
            h.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8",
                                  delay=True)
    handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    _log_path = path
    return path


class _Redacting(logging.Formatter):
    """Every line as logged, with a server URL's password as *** (docs/design.md,
    Credentials): whatever a message or a traceback carries, the log never has it."""

    def format(self, record: logging.LogRecord) -> str:
        from services.firm import credentials

        return credentials.redact_text(super().format(record))


def log_path() -> Path:
    return _log_path or setup_logging()


def install(tasks=None, *, log_file: bool = True) -> Path | None:
    """Route uncaught exceptions (GUI thread, other threads, background jobs) here.
    ``log_file=False``: the log file is opened later by ``start_log`` (the window opens it
    in the worker, after its first paint; docs/design.md, Start-up)."""
    sys.excepthook = excepthook
    threading.excepthook = _thread_excepthook
    if tasks is not None:
        tasks.error_handler = handle
    return start_log() if log_file else None


def start_log() -> Path:
    """Open the log file and note the start in it."""
    path = setup_logging()
    log.info("ComplaintDesk started (Python %s)", sys.version.split()[0])
    return path


def excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    handle(exc, "".join(traceback.format_exception(exc_type, exc, tb)))


def _thread_excepthook(args) -> None:
    # No dialog from a foreign thread; background jobs go through the TaskManager instead.
    log.error("Uncaught exception in thread %s\n%s", getattr(args.thread, "name", "?"),
              "".join(traceback.format_exception(args.exc_type, args.exc_value,
                                                 args.exc_traceback)))


def handle(exc: BaseException, details: str = "", parent: QWidget | None = None) -> QDialog | None:
    """Show ``exc`` to the user and log it. Returns the dialog (shown non-blocking)."""
    if not details:
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    exc = database_failure(exc) or exc  # a locked or full database: its sentence, no traceback
    if isinstance(exc, DomainError):
        log.warning("%s: %s", type(exc).__name__, exc.message())
        if exc.__cause__ is not None:
            log.warning("caused by: %s", details)
        if QApplication.instance() is None:
            return None
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, _("ComplaintDesk"), exc.message(),
                          QMessageBox.StandardButton.Ok, parent or _active_window())
        return _show(box)
    log.error("Unexpected error: %s\n%s", exc, details)
    if QApplication.instance() is None:
        return None
    if any(d.isVisible() for d in _open_dialogs):
        return None  # one at a time: a burst of the same failure would bury the window
    return _show(ErrorDialog(str(exc) or type(exc).__name__, details, log_path(),
                             parent or _active_window()))


def _active_window() -> QWidget | None:
    return QApplication.activeWindow()


def _show(dialog: QDialog) -> QDialog:
    from PySide6.QtCore import Qt

    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.append(dialog)
    dialog.destroyed.connect(lambda *_a, d=dialog: _forget(d))
    dialog.open()
    return dialog


def _forget(dialog: QDialog) -> None:
    if dialog in _open_dialogs:
        _open_dialogs.remove(dialog)


class ErrorDialog(QDialog):
    """"Something went wrong": the message, where the log is, and the details to copy."""

    def __init__(self, message: str, details: str, log_file: Path,
                 parent: QWidget | None = None):
        # Qt's namespace, QStyle and QMessageBox are imported where used: each costs
        # milliseconds the first time, and the log-in's first paint needs none of them
        # (docs/design.md, Start-up).
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import (
            QDialogButtonBox,
            QHBoxLayout,
            QLabel,
            QPlainTextEdit,
            QPushButton,
            QStyle,
            QVBoxLayout,
        )

        super().__init__(parent)
        self.details = details
        self.setWindowTitle(_("Unexpected error"))
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(
            QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(_("Something unexpected went wrong, and the last step was not "
                        "completed:") + f"\n\n{message}")
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label = QLabel(_("The details were written to the log file {path}.").format(
            path=str(log_file)))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setVisible(False)
        self.details_box.setMinimumHeight(160)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("Copy details"))
        self.show_button = QPushButton(_("Show details"))
        self.show_button.setCheckable(True)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy_details)
        self.show_button.toggled.connect(self.details_box.setVisible)

        top = QHBoxLayout()
        top.addWidget(icon)
        right = QVBoxLayout()
        right.addWidget(text)
        right.addWidget(self.log_label)
        right.addStretch(1)
        top.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_box, 1)
        layout.addWidget(buttons)
        self.resize(max(520, self.sizeHint().width()), self.sizeHint().height())

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details)
        self.copy_button.setText(_("Copied"))
