"""Input fields the forms share: text of a limited length, money, multi-line text, phone
numbers, dates and times, and combo boxes filled with (data, text) pairs."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QRegularExpression, QSize, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from services.i18n import _

DATE_FORMAT = "yyyy-MM-dd"
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


class MoneyEdit(QLineEdit):
    """Yuan to the fen, typed as text: a float never holds money (docs/design.md); the
    service checks the range. ``negative`` allows a minus sign (rewards, reversals)."""

    def __init__(self, value: str = "", parent: QWidget | None = None, *,
                 negative: bool = False):
        super().__init__(value, parent)
        pattern = r"\d{0,9}([.]\d{0,2})?"
        if negative:
            pattern = "-?" + pattern
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("0.00")
        self.setMaximumWidth(160)

    def amount_text(self) -> str | None:
        """None when empty (the service keeps the amount it has)."""
        text = self.text().strip()
        return text or None


class TextEdit(QPlainTextEdit):
    """Multi-line text whose preferred height is its minimum: it grows into free room but
    never pushes a form into scrolling (QPlainTextEdit asks for 192 px by default)."""

    def __init__(self, text: str = "", *, height: int = 80, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.setMinimumHeight(height)
        self.setTabChangesFocus(True)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.minimumHeight())


def line_edit(max_length: int, text: str = "") -> QLineEdit:
    """A one-line text field that takes at most ``max_length`` characters (the column's)."""
    edit = QLineEdit(text)
    edit.setMaxLength(max_length)
    return edit


def phone_edit() -> QLineEdit:
    """A phone field that only takes what a phone number is written with (docs/rules.md)."""
    edit = line_edit(50)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9+\-() ]*"), edit))
    edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
    return edit


class DateTimeEdit(QDateTimeEdit):
    """One Tab stop per date-time: Tab leaves the field instead of walking through its five
    sections (the arrow keys and a click still choose a section)."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name
        return QWidget.focusNextPrevChild(self, forward)


class DateEdit(QDateEdit):
    """As DateTimeEdit, for a date."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt's name
        return QWidget.focusNextPrevChild(self, forward)


class ChoiceList(QListWidget):
    """Several choices out of a short list, each a check box (e.g. a decision's remedies).
    ``values()`` are the checked items' data, in the list's order."""

    def __init__(self, items: Iterable[tuple[str, str]] = (), parent: QWidget | None = None,
                 *, columns_height: int = 6):
        super().__init__(parent)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setSpacing(2)
        self._rows = columns_height
        self.set_items(items)

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        checked = set(self.values())
        self.clear()
        for data, text in items:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, data)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if data in checked
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
        rows = max(1, -(-self.count() // 4))
        self.setFixedHeight(min(rows, self._rows) * (self.sizeHintForRow(0) + 6) + 8
                            if self.count() else 30)

    def values(self) -> list:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def set_values(self, values: Iterable) -> None:
        wanted = set(values)
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)


def datetime_edit(value: datetime) -> QDateTimeEdit:
    edit = DateTimeEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setMinimumDateTime(QDateTime(2000, 1, 1, 0, 0, 0))
    edit.setDateTime(value)
    return edit


def edit_value(edit: QDateTimeEdit) -> datetime:
    return edit.dateTime().toPython().replace(microsecond=0)


def date_edit(value: date) -> QDateEdit:
    edit = DateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setDate(value)
    return edit


def date_value(edit: QDateEdit) -> date:
    return edit.date().toPython()


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
    So an unset combo is answered without asking Qt.
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


def fill_combo(combo: QComboBox, items: Iterable[tuple[object, str]], *,
               unset: bool = False) -> None:
    """Replace a combo's items by (data, shown text), keeping the chosen data where it is
    still there; else the first item is chosen, or with ``unset`` none (the placeholder text
    shows). No signal is sent for the change."""
    current = combo_value(combo)
    combo.blockSignals(True)
    combo.clear()
    for data, text in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(index if index >= 0 or unset else 0)
    combo.blockSignals(False)


def select_data(combo: QComboBox, data) -> None:
    """Choose the item carrying ``data``, if there is one."""
    index = combo.findData(data)
    if index >= 0:
        combo.setCurrentIndex(index)
