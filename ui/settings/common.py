"""Pieces shared by the settings pages: read-only notes, names, table helpers, what a saved
page changed, and the bases of the pages and of the dialogs that add or change a coded item."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QCheckBox, QFrame, QLabel, QTableWidget, QTableWidgetItem, QWidget

from services.changes import ALL, Changes
from services.complaints import ACTION_NAMES, TRANSITIONS
from services.firm import KIND_NAMES, SEVERITY_NAMES
from services.i18n import N_, _
from services.people import ROLE_NAMES, has_role
from services.settings import LEVEL_TRIGGER_NAMES
from ui.tasks import run_service
from ui.widgets.fields import line_edit
from ui.widgets.form_dialog import FieldErrors, FormDialog
from ui.widgets.layouts import STRETCH, hbox, vbox
from ui.widgets.tables import small_table
from ui.widgets.texts import Texts

# What a saved page changed. Each may alter how every complaint reads (names, the approval
# step, office hours, due times), so they name them all.
SETTINGS_CHANGED = Changes(settings=True, complaints=ALL)
STAFF_CHANGED = Changes(users=True, complaints=ALL)
CALENDAR_CHANGED = Changes(calendar=True, complaints=ALL)

ANY = N_("Any")
# Category and rule "kind" also allows "any" (docs/rules.md: categories per kind).
KIND_CHOICES = ("customer", "employee", "any")
SEVERITY_CHOICES = ("any", "normal", "major")


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


def fill_rows(table: QTableWidget, items, cells: Callable[[Any], tuple], *,
              key: Callable[[Any], str] = attrgetter("code"),
              enabled: Callable[[Any], bool] = attrgetter("active"),
              tooltips: bool = False) -> None:
    """One row per item, its cells from ``cells(item)``: texts, and True or False as a check
    mark. The first cell keeps ``key(item)`` (``select_key`` finds the row by it); an item not
    ``enabled`` shows greyed; ``tooltips``: each text is its own tooltip (long texts)."""
    table.setRowCount(len(items))
    for r, item in enumerate(items):
        on = enabled(item)
        for c, value in enumerate(cells(item)):
            if isinstance(value, bool):
                cell = check_item(value, enabled=on)
            else:
                cell = text_item(value, key=key(item) if c == 0 else None, enabled=on)
                if tooltips:
                    cell.setToolTip(value)
            table.setItem(r, c, cell)


# The note a page shows to those who may not change it, by the roles who may.
_WHO_MAY = {("owner",): OWNER_ONLY, ("owner", "manager"): OWNER_OR_MANAGER}


class SettingsPage(QWidget):
    """A page of Settings: who may change it (``roles``; everyone else reads ``note``), the
    page's messages (``errors``) and its data, read through a service on the session's worker.
    ``follows`` names the ``Changes`` flag after which the page reads its data again."""

    roles: tuple[str, ...] = ("owner",)
    follows = "settings"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editable = has_role(session.user, *self.roles)
        self.note = ReadOnlyNote(_WHO_MAY[self.roles], self)
        self.note.setVisible(not self.editable)
        self.errors = FieldErrors()
        self.texts = Texts()

    def start(self) -> None:
        """The last step of a page's set-up: its texts, then its data; from then on the page
        follows the session's changes."""
        self.session.changed.connect(self._on_session_changed)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError

    def read(self, service: Callable, on_done: Callable, **kwargs) -> None:
        """Call ``service`` on the worker: ``on_done`` gets what it returns, a refusal shows
        on the page."""
        run_service(self.session, service, on_done=on_done, on_domain_error=self.errors.show,
                    parent=self, **kwargs)

    def _on_session_changed(self, changes: Changes) -> None:
        if getattr(changes, self.follows):
            self.reload()

    def retranslate(self) -> None:
        self.texts.apply()
        self.note.retranslate()
        self.errors.retranslate()


class TablePage(SettingsPage):
    """A page that is a table of items with Add and Edit under it (categories, time limits).

    A subclass says its ``columns`` (the one that ``stretch``es), the ``hint`` above the table,
    how to ``load`` its items (each with a ``code`` and ``active``), the ``cells`` of one and
    the ``dialog`` that adds or changes one: ``dialog(session, item or None, parent)``.
    """

    roles = ("owner", "manager")
    columns: tuple[str, ...] = ()  # N_() msgids
    stretch = 0
    tooltips = False  # each cell's text is its tooltip
    hint = ""  # N_() msgid
    dialog: type[FormDialog] | None = None

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.rows: list = []
        self._select_next: str | None = None
        self.table = small_table(len(self.columns), stretch=self.stretch)
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())
        self.add_button = self.texts.button(N_("&Add…"), self.open_add_dialog)
        self.edit_button = self.texts.button(N_("&Edit…"), self.edit_selected)
        for b in (self.add_button, self.edit_button):
            b.setEnabled(self.editable)
        vbox(self.note, self.texts.label(self.hint, wrap=True), self.errors.general,
             self.errors.info, (self.table, 1), hbox(self.add_button, self.edit_button, STRETCH),
             parent=self)

    def load(self) -> list:
        """The items, on the worker."""
        raise NotImplementedError

    def cells(self, item) -> tuple:
        raise NotImplementedError

    def reload(self) -> None:
        self.read(self.load, self._loaded)

    def _loaded(self, rows: list) -> None:
        self.rows = rows
        self._fill()

    def _fill(self) -> None:
        keep = self._select_next or selected_key(self.table)
        self._select_next = None
        fill_rows(self.table, self.rows, self.cells, tooltips=self.tooltips)
        select_key(self.table, keep)

    def open_add_dialog(self) -> FormDialog | None:
        return self._open(None)

    def edit_selected(self) -> FormDialog | None:
        code = selected_key(self.table)
        item = next((x for x in self.rows if x.code == code), None)
        return self._open(item) if item is not None else None

    def _open(self, item) -> FormDialog | None:
        if not self.editable:
            return None
        dialog = self.dialog(self.session, item, self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_value))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _saved(self, item) -> None:
        self._select_next = item.code  # the dialog tells the session: this page reloads

    def retranslate(self) -> None:
        super().retranslate()
        set_headers(self.table, self.columns)
        self._fill()


class CodedDialog(FormDialog):
    """Adds an item (``item`` None) or changes one, through ``service``. The item is known by
    a code the rest of the data refers to (complaints to their category, running clocks to
    their rule), so the code is fixed once made. ``names``: the longest Chinese and English
    name, for an item that has both. A subclass adds its other fields after these."""

    titles = ("", "")  # N_() msgids: adding one, changing one
    changes = SETTINGS_CHANGED

    def __init__(self, session, item, parent: QWidget | None = None, *, service: Callable,
                 code_length: int = 40, names: tuple[int, int] | None = None):
        super().__init__(session, parent)
        self.service = service
        self.item = item
        self.title = self.titles[item is not None]
        self.code = self.field("code", N_("Code:"), line_edit(code_length, self._of("code")))
        self.code.setReadOnly(item is not None)
        if names is not None:
            self.name_zh = self.field("name_zh", N_("Chinese name:"),
                                      line_edit(names[0], self._of("name_zh")))
            self.name_en = self.field("name_en", N_("English name:"),
                                      line_edit(names[1], self._of("name_en")))

    def _of(self, name: str) -> str:
        return getattr(self.item, name) if self.item is not None else ""

    def add_active(self, msgid: str) -> QCheckBox:
        """Whether the item is in use (a new one is)."""
        box = self.check("active", msgid)
        box.setChecked(self.item is None or self.item.active)
        return box

    def code_and_names(self) -> dict:
        return dict(code=self.code.text().strip(), name_zh=self.name_zh.text(),
                    name_en=self.name_en.text())
