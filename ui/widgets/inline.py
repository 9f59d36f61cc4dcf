"""Inline messages: an error shown next to the field it is about, never a pop-up
(docs/design.md, as Orange's widgets show their errors inside the widget)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from services.errors import DomainError
from services.i18n import _

ERROR_COLOR, INFO_COLOR, WARNING_COLOR = "#b3261e", "#1b5e20", "#8a5300"
ERROR_STYLE = f"color: {ERROR_COLOR};"
INFO_STYLE = f"color: {INFO_COLOR};"  # what an operation did, where errors would show
WARNING_STYLE = f"color: {WARNING_COLOR};"  # worth a look, not refused


def set_text_color(label: QLabel, color: QColor | str) -> None:
    """A label's text in ``color``, by its palette: a style sheet would give the window
    Qt's style-sheet style, which costs milliseconds to set up and to paint (the log-in's
    first paint; docs/design.md, Start-up)."""
    palette = label.palette()
    # QColor(a QColor) would try Qt.GlobalColor among its overloads: Qt's whole namespace
    palette.setColor(QPalette.ColorRole.WindowText,
                     color if isinstance(color, QColor) else QColor(color))
    label.setPalette(palette)


class InlineError(QLabel):
    """A red line under a field; hidden while there is nothing to say. It keeps how to
    build its text, so ``retranslate()`` shows the same message in the new language."""

    color = ERROR_COLOR

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        # a long message wraps and the line grows to show all of it, never clipped
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        set_text_color(self, self.color)
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

    color = INFO_COLOR
