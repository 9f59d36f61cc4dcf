"""Pieces the penalty screens share: names, money text and input, service calls whose domain
errors are shown inline (STYLE practices 4, 6, 10)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QWidget

from services import penalties
from services.i18n import N_, _, format_money
from services.penalties.rules import APPLIES_TO_NAMES, TRIGGER_NAMES
from ui.inline import InlineError
from ui.tasks import run_service as call_service  # noqa: F401 (the pages import it from here)

CHANGED = "penalties"  # what session.notify() carries after a ledger change
COUNTED = N_("Approved or deducted")
NO_DEPARTMENT = N_("(no department)")
THE_PROGRAM = N_("the program")


def status_name(status: str) -> str:
    if status == "counted":
        return _(COUNTED)
    return _(penalties.STATUS_NAMES.get(status, status))


def applies_to_name(code: str) -> str:
    return _(APPLIES_TO_NAMES.get(code, code))


def trigger_name(code: str) -> str:
    return _(TRIGGER_NAMES.get(code, code))


def money(value: Decimal | None) -> str:
    return format_money(value) if value is not None else ""


def range_text(low: Decimal, high: Decimal, plus_loss: bool = False) -> str:
    text = money(low) if low == high else _("{low} to {high}").format(low=money(low),
                                                                      high=money(high))
    return text + (" " + _("plus the loss") if plus_loss else "")


class InfoLine(InlineError):
    """What an operation did ("Approved 3 entries."), where errors would show, in green."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet("color: #1b5e20;")


class MoneyEdit(QLineEdit):
    """Yuan to the fen, typed as text (a float never holds money, STYLE practice 6); the
    service checks the range."""

    def __init__(self, parent: QWidget | None = None, *, negative: bool = True):
        super().__init__(parent)
        pattern = r"-?\d{0,9}([.]\d{0,2})?" if negative else r"\d{0,9}([.]\d{0,2})?"
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.setMaximumWidth(140)

    def amount_text(self) -> str | None:
        """None when empty (the service keeps the amount it has)."""
        text = self.text().strip()
        return text or None


def fill_combo(combo: QComboBox, items: list[tuple[str, Any]], *, keep: bool = True) -> None:
    """Replace a combo's items (text, data), keeping the chosen data where it still exists."""
    current = combo.currentData() if keep else None
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else -1
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)




def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask before a decision that cannot be undone (only reversed)."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
