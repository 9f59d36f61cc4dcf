"""Inline messages: an error shown next to the field it is about, never a pop-up
(docs/design.md, as Orange's widgets show their errors inside the widget)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from services.errors import DomainError
from services.i18n import _

ERROR_STYLE = "color: #b3261e;"
INFO_STYLE = "color: #1b5e20;"  # what an operation did, where errors would show
WARNING_STYLE = "color: #8a5300;"  # worth a look, not refused


class InlineError(QLabel):
    """A red line under a field; hidden while there is nothing to say. It keeps how to
    build its text, so ``retranslate()`` shows the same message in the new language."""

    style = ERROR_STYLE

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        # a long message wraps and the line grows to show all of it, never clipped
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setStyleSheet(self.style)
        self.setVisible(False)
        self._text: Callable[[], str] | None = None

    def show_text(self, text: Callable[[], str] | None) -> None:
        self._text = text
        self.setText(text() if text else "")
        self.setVisible(text is not None)
        self.updateGeometry()

    def show_error(self, err: DomainError) -> None:
        self.show_text(err.message)

    def show_message(self, msgid: str, **params) -> None:
        """``msgid`` marked with N_() by the caller; translated now and on every switch."""
        self.show_text(lambda: _(msgid).format(**params))

    def clear(self) -> None:
        self.show_text(None)

    def retranslate(self) -> None:
        if self._text is not None:
            self.setText(self._text())


class InfoLine(InlineError):
    """What an operation did ("Approved 3 entries.", "saved"), where errors would show, in
    green."""

    style = INFO_STYLE
