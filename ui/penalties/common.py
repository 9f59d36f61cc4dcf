"""Pieces the penalty screens share: names, money text, what a ledger change tells the
session, and the question before a decision (docs/design.md)."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QMessageBox, QWidget

from services import penalties
from services.changes import Changes
from services.i18n import N_, _, format_money
from services.penalties import APPLIES_TO_NAMES, CONDITION_NAMES, TRIGGER_NAMES

LEDGER_CHANGED = Changes(ledger=True)  # what the session hears after a ledger change
COUNTED = N_("Approved or deducted")
THE_PROGRAM = N_("the program")


def status_name(status: str) -> str:
    if status == "counted":
        return _(COUNTED)
    return _(penalties.STATUS_NAMES.get(status, status))


def applies_to_name(code: str) -> str:
    return _(APPLIES_TO_NAMES.get(code, code))


def trigger_name(code: str) -> str:
    return _(TRIGGER_NAMES.get(code, code))


def condition_name(code: str) -> str:
    return _(CONDITION_NAMES.get(code or "", code))


def money(value: Decimal | None) -> str:
    return format_money(value) if value is not None else ""


def entry_amount(value: Decimal | None, reward: bool) -> str:
    """An entry's amount as people read it: a reward is kept as a negative amount (it lowers
    what is deducted) but reads "Reward ¥100.00", never "-¥100.00"."""
    if value is None:
        return ""
    if reward and value < 0:
        return _("Reward {amount}").format(amount=format_money(-value))
    return format_money(value)


def range_text(low: Decimal, high: Decimal, plus_loss: bool = False) -> str:
    text = money(low) if low == high else _("{low} to {high}").format(low=money(low),
                                                                      high=money(high))
    return text + (" " + _("plus the loss") if plus_loss else "")


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """Ask before a decision that cannot be undone (only reversed)."""
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes
