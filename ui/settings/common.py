"""Pieces shared by the settings pages: inline errors, read-only notes, service calls, names."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.complaints.path import ACTION_NAMES, TRANSITIONS
from services.errors import DomainError
from services.firm.profiles import KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _
from services.people.permissions import ROLE_NAMES
from ui.inline import InlineError
from ui.tasks import run_service  # noqa: F401 (the pages import it from here)

ANY = N_("Any")
# Category and rule "kind" also allows "any" (SPEC §3 categories per kind of complaint).
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
# SPEC §4: escalation goes to the department head first, then to the top.
LEVEL_TRIGGER_NAMES = {
    "escalate:1": N_("Escalate to department head"),
    "escalate:2": N_("Escalate to the top"),
    "warranty_claim": N_("Register a warranty claim"),
}
DAY_KIND_NAMES = {"holiday": N_("Holiday"), "workday": N_("Make-up working day")}

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


class InfoLine(InlineError):
    """A result that is not an error (what an import wrote, "saved"), in the same place."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet("color: #1b5e20;")


class FieldErrors:
    """Shows a DomainError under the field it names (STYLE practice 10), else in ``general``.

    ``general`` and ``info`` are for the page or dialog to place; every line keeps how to
    build its text, so ``retranslate()`` shows the same message in the new language.
    """

    def __init__(self):
        self.general = InlineError()
        self.info = InfoLine()
        self._labels: dict[str, InlineError] = {}
        self._widgets: dict[str, QWidget] = {}

    def wrap(self, field: str, widget: QWidget, *aliases: str) -> QWidget:
        """A container holding ``widget`` with its error line under it, for a form row."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        label = InlineError(box)
        layout.addWidget(label)
        for name in (field, *aliases):
            self._labels[name] = label
            self._widgets[name] = widget
        return box

    def _all(self) -> list[InlineError]:
        return [self.general, self.info, *set(self._labels.values())]

    def clear(self) -> None:
        for label in self._all():
            label.clear()

    def show(self, err: DomainError) -> None:
        """A service refused: its message under its field."""
        self.show_text(err.field, err.message)

    def show_text(self, field: str | None, make_text: Callable[[], str]) -> None:
        """Also for a check made in the form itself (e.g. two passwords that differ)."""
        self.clear()
        self._labels.get(field or "", self.general).show_text(make_text)
        widget = self._widgets.get(field or "")
        if widget is not None and widget.isEnabled():
            widget.setFocus()

    def show_info(self, make_text: Callable[[], str]) -> None:
        self.clear()
        self.info.show_text(make_text)

    def retranslate(self) -> None:
        for label in self._all():
            label.retranslate()

    def text_for(self, field: str | None) -> str:
        """The error shown for ``field`` (None: the general line), "" if none."""
        label = self._labels.get(field or "", self.general)
        return "" if label.isHidden() else label.text()




class ServiceDialog(QDialog):
    """A small form whose Save makes exactly one service call (STYLE practice 3).

    Errors stay in the dialog, next to their field; on success ``result_value`` holds what
    the service returned and the dialog is accepted.
    """

    title: str = ""  # an N_() msgid

    def __init__(self, session, service: Callable, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.service = service
        self.result_value: Any = None
        self.busy = False
        self.errors = FieldErrors()
        self.form = QFormLayout()
        self._row_labels: list[tuple[QLabel, str]] = []
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.errors.general)
        self.body.addLayout(self.form)
        self.extra = QVBoxLayout()
        self.body.addLayout(self.extra)
        self.body.addWidget(self.buttons)

    def add_row(self, msgid: str, field: str | None, widget: QWidget, *aliases: str) -> QLabel:
        label = QLabel()
        label.setBuddy(widget)
        self._row_labels.append((label, msgid))
        self.form.addRow(label, self.errors.wrap(field, widget, *aliases) if field else widget)
        return label

    def kwargs(self) -> dict | None:
        """The service's arguments, or None when a check in the form failed (shown)."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.busy:
            return
        kwargs = self.kwargs()
        if kwargs is None:
            return
        self.errors.clear()
        self._set_busy(True)

        def done(result) -> None:
            self._set_busy(False)
            self.result_value = result
            self.accept()

        def failed(err: DomainError) -> None:
            self._set_busy(False)
            self.errors.show(err)

        run_service(self.session, self.service, on_done=done, on_domain_error=failed,
                    parent=self, actor=self.session.user, **kwargs)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.setEnabled(not busy)

    def reject(self) -> None:
        # Esc while the service runs: the result must still find the dialog.
        if not self.busy:
            super().reject()

    def retranslate(self) -> None:
        self.setWindowTitle(_(self.title))
        for label, msgid in self._row_labels:
            label.setText(_(msgid))
        self.errors.retranslate()


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


def make_table(columns: int, *, stretch: int) -> QTableWidget:
    """A small read-only list (a QTableWidget suits tens of rows); ``stretch`` is the column
    that takes the spare width."""
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    rows = table.verticalHeader()
    rows.setVisible(False)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    return table


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


def fill_combo(combo: QComboBox, items: Iterable[tuple[str, str]]) -> None:
    """Replace the entries by (key, shown text), keeping the selected key."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for key, text in items:
        combo.addItem(text, key)
    index = combo.findData(current)
    combo.setCurrentIndex(index if index >= 0 else 0)
    combo.blockSignals(False)


def select_data(combo: QComboBox, key) -> None:
    index = combo.findData(key)
    if index >= 0:
        combo.setCurrentIndex(index)


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
