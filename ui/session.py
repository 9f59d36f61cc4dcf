"""Who is logged in, which database is open, and the signals screens refresh on."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ui.tasks import TaskManager


class Session(QObject):
    """Shared by every screen of one window.

    ``changed`` carries what a service call changed (an ``ActionResult``, or a short string
    such as "settings" or "calendar"), so each screen refreshes only what it shows
    (as Anki's ``on_operation_did_execute``).
    """

    changed = Signal(object)
    language_changed = Signal(str)

    def __init__(self, *, user, location: str, tasks: TaskManager | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.user = user
        self.location = location
        self.tasks = tasks or TaskManager(self)

    def notify(self, what) -> None:
        self.changed.emit(what)
