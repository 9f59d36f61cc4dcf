"""Pieces shared by the settings pages: read-only notes, names, table helpers and what a
saved page changed."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QTableWidget, QTableWidgetItem, QWidget

from services.changes import ALL, Changes
from services.complaints import ACTION_NAMES, TRANSITIONS
from services.firm import KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _
from services.people import ROLE_NAMES

# What a saved page changed. Each may alter how every complaint reads (names, the approval
# step, office hours, due times), so they name them all.
SETTINGS_CHANGED = Changes(settings=True, complaints=ALL)
STAFF_CHANGED = Changes(users=True, complaints=ALL)
CALENDAR_CHANGED = Changes(calendar=True, complaints=ALL)

ANY = N_("Any")
# Category and rule "kind" also allows "any" (docs/rules.md: categories per kind).
KIND_CHOICES = ("customer", "employee", "any")
SEVERITY_CHOICES = ("any", "normal", "major")

# The unit words of services.deadlines.UNITS, as a user picks them in a rule.
UNIT_NAMES = {
    "minutes": N_("Minutes"),
    "hours": N_("Hours (clock time)"),
    "office_hours": N_("Office hours"),
    "days": N_("Calendar days"),
    "working_days": N_("Working days"),
}
# Escalation goes to the department head first, then to the top (docs/rules.md).
LEVEL_TRIGGER_NAMES = {
    "escalate:1": N_("Escalate to department head"),
    "escalate:2": N_("Escalate to the top"),
    "warranty_claim": N_("Register a warranty claim"),
}

# Each language by its translated name, with its own name added where that differs, so a user
# who cannot read the current language still finds theirs.
_LANGUAGE_NAMES = {"zh_CN": (N_("Simplified Chinese"), "简体中文"),
                   "en": (N_("English"), "English")}


def language_label(lang: str) -> str:
    msgid, native = _LANGUAGE_NAMES[lang]
    shown = _(msgid)
    return shown if shown == native else f"{shown} ({native})"


OWNER_ONLY = N_("Only the owner may change these settings.")
OWNER_OR_MANAGER = N_("Only the owner or a manager may change these settings.")


def kind_name(kind: str) -> str:
    return _(ANY) if kind == "any" else _(KIND_NAMES.get(kind, kind))


def severity_name(severity: str) -> str:
    return _(ANY) if severity == "any" else _(SEVERITY_NAMES.get(severity, severity))


def role_name(role: str) -> str:
    return _(ROLE_NAMES.get(role, role))


def trigger_order() -> list[str]:
    """Every step a rule may start or stop on, in the order of the complaint's path."""
    out: list[str] = []
    for action in TRANSITIONS:
        out.append(action)
        if action == "escalate":
            out += list(LEVEL_TRIGGER_NAMES)
    return out


def trigger_name(trigger: str) -> str:
    if trigger in LEVEL_TRIGGER_NAMES:
        return _(LEVEL_TRIGGER_NAMES[trigger])
    return _(ACTION_NAMES.get(trigger, trigger))


def triggers_text(value: str) -> str:
    return ", ".join(trigger_name(t) for t in value.split(",") if t)


class ReadOnlyNote(QLabel):
    """One line saying who may change a page, shown to everyone else."""

    def __init__(self, msgid: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.msgid = msgid
        self.setWordWrap(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#fff4d6"))
        palette.setColor(QPalette.ColorRole.WindowText, QColor("#5a4500"))
        self.setPalette(palette)
        self.setContentsMargins(6, 4, 6, 4)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_(self.msgid))


def text_item(text: str, *, key: str | None = None, enabled: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if key is not None:
        item.setData(Qt.ItemDataRole.UserRole, key)
    if not enabled:
        item.setForeground(QColor("#888888"))
    return item


def check_item(checked: bool, *, enabled: bool = True) -> QTableWidgetItem:
    """A read-only check mark (the flags leave out ItemIsUserCheckable)."""
    item = QTableWidgetItem()
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    if not enabled:
        item.setForeground(QColor("#888888"))
    return item


def set_headers(table: QTableWidget, msgids: Iterable[str]) -> None:
    table.setHorizontalHeaderLabels([_(m) for m in msgids])


def selected_key(table: QTableWidget) -> str | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def select_key(table: QTableWidget, key: str | None) -> None:
    if key is None:
        return
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
            table.selectRow(row)
            return


def set_enabled(widgets: Iterable[QWidget], enabled: bool) -> None:
    for w in widgets:
        w.setEnabled(enabled)


def lay_out_table_page(page, above) -> None:
    """A settings page that is a table with Add and Edit under it (categories, time limits):
    ``above`` (notes) on top, then the page's errors, the table and the buttons. The page
    provides ``table``, ``errors``, ``editable``, ``open_add_dialog`` and ``edit_selected``."""
    from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout

    page.add_button = QPushButton()
    page.add_button.clicked.connect(page.open_add_dialog)
    page.edit_button = QPushButton()
    page.edit_button.clicked.connect(page.edit_selected)
    buttons = QHBoxLayout()
    for b in (page.add_button, page.edit_button):
        b.setEnabled(page.editable)
        buttons.addWidget(b)
    buttons.addStretch(1)
    layout = QVBoxLayout(page)
    for widget in above:
        layout.addWidget(widget)
    layout.addWidget(page.errors.general)
    layout.addWidget(page.errors.info)
    layout.addWidget(page.table, 1)
    layout.addLayout(buttons)
