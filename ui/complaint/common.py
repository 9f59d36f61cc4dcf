"""Pieces the complaint form and the action dialogs share: translated labels, fields with an
inline error line under them, phone and date-time inputs."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDateTime, QRegularExpression, QSize, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from services.errors import DomainError
from services.i18n import _

ERROR_STYLE = "color: #b3261e;"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


class Texts:
    """Remembers which msgid each label shows, so ``retranslate()`` can re-apply them all."""

    def __init__(self):
        self._items: list[tuple[Callable[[str], None], str, str]] = []

    def add(self, setter: Callable[[str], None], msgid: str, suffix: str = "") -> None:
        self._items.append((setter, msgid, suffix))
        setter(_(msgid) + suffix)

    def apply(self) -> None:
        for setter, msgid, suffix in self._items:
            setter(_(msgid) + suffix)


class FieldErrors:
    """Shows a DomainError's message under the field it names, else in a general label."""

    def __init__(self, general: QLabel):
        self.general = general
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}
        general.setStyleSheet(ERROR_STYLE)
        general.setWordWrap(True)
        general.hide()

    def register(self, name: str, widget: QWidget, label: QLabel) -> None:
        self.fields[name] = (widget, label)

    def clear(self) -> None:
        for _widget, label in self.fields.values():
            label.clear()
            label.hide()
        self.general.clear()
        self.general.hide()

    def show(self, err: DomainError) -> str:
        """Display ``err``; returns the field it was shown at ("" for the general label)."""
        self.clear()
        if err.field in self.fields:
            widget, label = self.fields[err.field]
            label.setText(err.message())
            label.show()
            if widget.isEnabled():
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return err.field
        self.show_general(err.message())
        return ""

    def set_field(self, name: str, text: str) -> None:
        """Show (or, with "", clear) one field's message without touching the others."""
        label = self.fields[name][1]
        label.setText(text)
        label.setVisible(bool(text))

    def show_general(self, text: str) -> None:
        self.general.setText(text)
        self.general.show()

    def message(self, name: str) -> str:
        """The error shown at a field (tests and accessibility), "" if none."""
        if name not in self.fields:
            return ""
        label = self.fields[name][1]
        return label.text() if not label.isHidden() else ""


def with_error_line(widget: QWidget) -> tuple[QWidget, QLabel]:
    """``widget`` with a red, normally hidden, message line right under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(widget)
    error = QLabel()
    error.setStyleSheet(ERROR_STYLE)
    error.setWordWrap(True)
    error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    error.hide()
    layout.addWidget(error)
    return box, error


class TextEdit(QPlainTextEdit):
    """Multi-line text whose preferred height is its minimum: it grows into free room but
    never pushes a form into scrolling (QPlainTextEdit asks for 192 px by default)."""

    def __init__(self, text: str = "", *, height: int = 80, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setMinimumHeight(height)
        self.setTabChangesFocus(True)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())


def phone_edit() -> QLineEdit:
    """A phone field that only takes what a phone number is written with (SPEC §3)."""
    edit = QLineEdit()
    edit.setMaxLength(50)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9+\-() ]*"), edit))
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
    return edit


def datetime_edit(value: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setMinimumDateTime(QDateTime(2000, 1, 1, 0, 0, 0))
    edit.setDateTime(value)
    return edit


def edit_value(edit: QDateTimeEdit) -> datetime:
    return edit.dateTime().toPython().replace(microsecond=0)


class OptionalDateTime(QWidget):
    """A date-time that may be left out: a check box turns the picker on."""

    def __init__(self, value: datetime, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.known = QCheckBox()
        self.edit = datetime_edit(value)
        self.edit.setEnabled(False)
        self.known.toggled.connect(self.edit.setEnabled)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)
        self.setFocusProxy(self.edit)

    def value(self) -> datetime | None:
        return edit_value(self.edit) if self.known.isChecked() else None

    def retranslate(self) -> None:
        self.known.setText(_("Known"))


def combo_value(combo: QComboBox):
    """The chosen item's data, or None when nothing is chosen.

    Never read an empty QVariant through PySide6: 6.12 hands back None without taking a
    reference to it, and enough of those crash the interpreter at exit ("none_dealloc").
    So every item here carries data, and an unset combo is answered without asking Qt.
    """
    index = combo.currentIndex()
    return None if index < 0 else combo.itemData(index)


def text_value(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        data = combo_value(widget)
        return "" if data is None else str(data)
    raise TypeError(type(widget).__name__)


def fill_combo(combo: QComboBox, items: list[tuple[str, str]], *, unset: bool = False) -> None:
    """Replace a combo's items (data, text), keeping the chosen value if it is still there;
    with ``unset`` nothing is chosen otherwise (the placeholder text shows)."""
    current = combo_value(combo)
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(index if index >= 0 or unset else 0)
    combo.blockSignals(False)


def select_data(combo: QComboBox, data) -> None:
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
