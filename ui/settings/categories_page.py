"""Settings › Categories: the profile's complaint categories, added and edited, never deleted."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from services import settings
from services.i18n import N_, _
from services.people import has_role
from ui.settings.common import (
    KIND_CHOICES,
    OWNER_OR_MANAGER,
    SETTINGS_CHANGED,
    ReadOnlyNote,
    check_item,
    kind_name,
    lay_out_table_page,
    select_key,
    selected_key,
    set_headers,
    text_item,
)
from ui.tasks import run_service
from ui.widgets.fields import fill_combo, select_data
from ui.widgets.form_dialog import FieldErrors, FormDialog
from ui.widgets.tables import small_table

COLUMNS = (N_("Code"), N_("Chinese name"), N_("English name"), N_("Kind"),
           N_("May be answered on the spot"), N_("Active"))


class CategoryDialog(FormDialog):
    """Add or change one category → services.settings.save_category."""

    changes = SETTINGS_CHANGED

    def __init__(self, session, category: settings.CategoryInfo | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = settings.save_category
        self.title = N_("Edit category") if category else N_("Add category")
        self.code = QLineEdit()
        self.code.setMaxLength(40)
        self.name_zh = QLineEdit()
        self.name_zh.setMaxLength(60)
        self.name_en = QLineEdit()
        self.name_en.setMaxLength(80)
        self.kind = QComboBox()
        self.simple = QCheckBox()
        self.active = QCheckBox()
        self.field("code", N_("Code:"), self.code)
        self.field("name_zh", N_("Chinese name:"), self.name_zh)
        self.field("name_en", N_("English name:"), self.name_en)
        self.field("kind", N_("Kind:"), self.kind)
        self.form.addRow("", self.errors.wrap("simple", self.simple))
        self.form.addRow("", self.errors.wrap("active", self.active))
        self.retranslate()
        if category is None:
            self.active.setChecked(True)
            select_data(self.kind, "customer")
        else:
            # The code is how complaints refer to the category: fixed once made.
            self.code.setText(category.code)
            self.code.setReadOnly(True)
            self.name_zh.setText(category.name_zh)
            self.name_en.setText(category.name_en)
            select_data(self.kind, category.kind)
            self.simple.setChecked(category.simple)
            self.active.setChecked(category.active)
        self.setMinimumWidth(420)

    def kwargs(self) -> dict:
        return dict(code=self.code.text().strip(), name_zh=self.name_zh.text(),
                    name_en=self.name_en.text(), kind=self.kind.currentData(),
                    simple=self.simple.isChecked(), active=self.active.isChecked())

    def retranslate(self) -> None:
        super().retranslate()
        self.code.setToolTip(_("Lower-case letters, digits and '_'; cannot be changed later."))
        fill_combo(self.kind, [(k, kind_name(k)) for k in KIND_CHOICES])
        self.simple.setText(_("May be answered on the spot"))
        self.simple.setToolTip(_("Grumbles and simple questions: a receiver may answer them at "
                                 "once, without an approved decision."))
        self.active.setText(_("Active (offered for new complaints)"))


class CategoriesPage(QWidget):
    """The category list; owner or manager may change it."""

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editable = has_role(session.user, "owner", "manager")
        self._rows: list[settings.CategoryInfo] = []
        self._select_next: str | None = None

        self.note = ReadOnlyNote(OWNER_OR_MANAGER, self)
        self.note.setVisible(not self.editable)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.errors = FieldErrors()
        self.table = small_table(len(COLUMNS), stretch=2)
        self.table.doubleClicked.connect(lambda *_a: self.edit_selected())
        lay_out_table_page(self, (self.note, self.hint))

        session.changed.connect(self._on_session_changed)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        run_service(self.session, settings.categories, on_done=self._loaded,
                    on_domain_error=self.errors.show, parent=self, include_inactive=True)

    def _loaded(self, rows: list[settings.CategoryInfo]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        keep = self._select_next or selected_key(self.table)
        self._select_next = None
        self.table.setRowCount(len(self._rows))
        for r, c in enumerate(self._rows):
            on = c.active
            self.table.setItem(r, 0, text_item(c.code, key=c.code, enabled=on))
            self.table.setItem(r, 1, text_item(c.name_zh, enabled=on))
            self.table.setItem(r, 2, text_item(c.name_en, enabled=on))
            self.table.setItem(r, 3, text_item(kind_name(c.kind), enabled=on))
            self.table.setItem(r, 4, check_item(c.simple, enabled=on))
            self.table.setItem(r, 5, check_item(c.active, enabled=on))
        select_key(self.table, keep)

    def _on_session_changed(self, changes) -> None:
        if changes.settings:
            self.reload()

    def _find(self, code: str | None) -> settings.CategoryInfo | None:
        return next((c for c in self._rows if c.code == code), None)

    def open_add_dialog(self) -> CategoryDialog | None:
        return self._open(None)

    def edit_selected(self) -> CategoryDialog | None:
        category = self._find(selected_key(self.table))
        if category is None:
            return None
        return self._open(category)

    def _open(self, category) -> CategoryDialog | None:
        if not self.editable:
            return None
        dialog = CategoryDialog(self.session, category, self)
        dialog.accepted.connect(lambda: self._saved(dialog.result_value))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _saved(self, category: settings.CategoryInfo) -> None:
        self._select_next = category.code  # the dialog tells the session: this page reloads

    def retranslate(self) -> None:
        set_headers(self.table, COLUMNS)
        self.hint.setText(_("Categories are never deleted: complaints keep theirs. Make one "
                            "inactive to stop offering it."))
        self.add_button.setText(_("&Add…"))
        self.edit_button.setText(_("&Edit…"))
        self.note.retranslate()
        self.errors.retranslate()
        self._fill()
