"""Who is logged in, which database is open, and the signal screens refresh on."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from services.changes import Changes
from ui.tasks import TaskManager


class Session(QObject):
    """Shared by every screen of one window.

    ``changed`` carries a ``Changes``: what a call made from the window changed, or that the
    language switched, so each screen refreshes (or retranslates) only what it shows (as
    Anki's ``operation_did_execute`` with its ``OpChanges``).
    """

    changed = Signal(object)

    def __init__(self, *, user, location: str, tasks: TaskManager | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.user = user
        self.location = location
        self.tasks = tasks or TaskManager(self)

    def notify(self, changes: Changes) -> None:
        if not isinstance(changes, Changes):
            raise TypeError(f"session.notify takes a Changes, not {type(changes).__name__}")
        self.changed.emit(changes)
