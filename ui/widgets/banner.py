"""A slim, non-modal message bar over a screen ("Complaint 251203001 saved · Print receipt ·
Open · ×"). It stays until its close button, or until the screen hides it because the user
did something else; it never hides on a timer (docs/design.md, ui/)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from services.i18n import _

STYLE = ("QFrame#banner { background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 4px; }"
         " QLabel { color: #1b5e20; }")


class Banner(QFrame):
    """``show_message(text, [(button text, callback), …])``; ``dismiss()`` hides it."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(STYLE)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._buttons: list[QPushButton] = []
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.dismiss)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(8, 3, 3, 3)
        self._row.addWidget(self.label, 1)
        self._row.addWidget(self.close_button)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setToolTip(_("Close"))

    def show_message(self, text: str,
                     buttons: list[tuple[str, Callable[[], None]]] = ()) -> None:
        for button in self._buttons:
            self._row.removeWidget(button)
            button.deleteLater()
        self._buttons = []
        self.label.setText(text)
        for at, (caption, callback) in enumerate(buttons, start=1):
            button = QPushButton(caption)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, cb=callback: cb())
            self._row.insertWidget(at, button)
            self._buttons.append(button)
        self.show()

    def buttons(self) -> list[QPushButton]:
        return list(self._buttons)

    def dismiss(self) -> None:
        if not self.isHidden():
            self.hide()
            self.dismissed.emit()


__all__ = ["Banner"]
