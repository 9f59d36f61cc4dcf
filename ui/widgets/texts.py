"""Labels that show a msgid, re-applied in the new language by ``retranslate()``."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from services.i18n import _


class Texts:
    """Remembers which msgid each label shows, so ``apply()`` can re-apply them all."""

    def __init__(self):
        self._items: list[tuple[Callable[[str], None], str, str]] = []

    def add(self, setter: Callable[[str], None], msgid: str, suffix: str = "") -> None:
        self._items.append((setter, msgid, suffix))
        setter(_(msgid) + suffix)

    def apply(self) -> None:
        for setter, msgid, suffix in self._items:
            setter(_(msgid) + suffix)

    def tip(self, widget: QWidget, msgid: str) -> None:
        """``widget``'s tooltip."""
        self.add(widget.setToolTip, msgid)

    def label(self, msgid: str = "", *, wrap: bool = False) -> QLabel:
        """A label showing ``msgid`` ("": its text is set elsewhere); ``wrap``: long texts wrap."""
        label = QLabel()
        label.setWordWrap(wrap)
        if msgid:
            self.add(label.setText, msgid)
        return label

    def button(self, msgid: str, slot: Callable[[], object] | None = None, *,
               tip: str = "") -> QPushButton:
        """A push button showing ``msgid`` ("": its text is set elsewhere) and the tooltip
        ``tip``; a click calls ``slot``."""
        button = QPushButton()
        if msgid:
            self.add(button.setText, msgid)
        if tip:
            self.tip(button, tip)
        if slot is not None:
            button.clicked.connect(lambda _checked=False: slot())
        return button
