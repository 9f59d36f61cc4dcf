"""Calls made once the user pauses: typing in a search field, dragging a column wider.

Every wait comes from here, so one setting changes them all: tests set it to 0 and the call
happens at once, with no timer (docs/design.md).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

SEARCH_MS = 250  # typing pauses shorter than this do not query
SAVE_MS = 500  # a drag resizes a column many times; write the preferences once

_override: int | None = None


def set_delay(ms: int | None) -> None:
    """Make every debouncer wait ``ms`` (0: call at once); None: each its own delay."""
    global _override
    _override = ms


class Debouncer(QObject):
    """``trigger()`` as often as you like; ``slot`` runs once, ``ms`` after the last one."""

    def __init__(self, ms: int, slot: Callable[[], None], parent: QObject | None = None):
        super().__init__(parent)
        self.ms = ms
        self.slot = slot
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def trigger(self, *_args) -> None:
        wait = self.ms if _override is None else _override
        if wait <= 0:
            self.flush()
        else:
            self._timer.start(wait)

    def pending(self) -> bool:
        """A call is waiting for the pause to end."""
        return self._timer.isActive()

    def cancel(self) -> None:
        self._timer.stop()

    def flush(self) -> None:
        """Make the call now (also when nothing is pending)."""
        self._timer.stop()
        self.slot()
