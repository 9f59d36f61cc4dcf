"""When a screen reads its data again: at once while it is shown, else when it is next shown,
so a hidden screen costs nothing however often the data changes (docs/design.md)."""
from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable

from PySide6.QtWidgets import QWidget


class Freshness:
    """Whether ``screen`` shows the data as it is now. ``changed()`` when something it shows
    has changed; ``shown()`` from its ``showEvent``; ``read`` reads and shows the data.

    ``read`` must be a bound method (of the screen, or of a part of it); anything else, a
    lambda or a plain function, is refused with a TypeError. The screen keeps this object, so
    it holds the screen and ``read`` weakly: a cycle back (a lambda closing over the screen
    is one) would leave deleting the screen to Python's garbage collector, at whatever
    moment it runs, even in the middle of Qt's event handling."""

    def __init__(self, screen: QWidget, read: Callable[[], None], *, stale: bool = False):
        if not inspect.ismethod(read):
            raise TypeError(f"Freshness reads through a bound method, not {read!r}")
        self._screen = weakref.ref(screen)
        self._read = weakref.WeakMethod(read)
        self.stale = stale  # the data changed while the screen was hidden

    def read(self) -> None:
        read = self._read()
        if read is not None:
            read()

    def changed(self) -> None:
        screen = self._screen()
        if screen is not None and screen.isVisible():
            self.read()
        else:
            self.stale = True

    def shown(self) -> None:
        if self.stale:
            self.stale = False
            self.read()
