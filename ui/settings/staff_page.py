"""Settings › Staff: departments and users (docs/rules.md: users are the owner's)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from services.i18n import N_, _
from services.people import has_role, users
from ui.settings.common import (
    OWNER_ONLY,
    ReadOnlyNote,
    check_item,
    role_name,
    select_key,
    selected_key,
    set_headers,
    text_item,
)
from ui.settings.staff_dialogs import (
    DepartmentDialog,
    DepartmentRow,
    PasswordDialog,
    StaffRow,
    UserDialog,
)
from ui.tasks import run_service
from ui.widgets.form_dialog import FieldErrors, FormDialog
from ui.widgets.tables import small_table

DEPARTMENT_COLUMNS = (N_("Code"), N_("Name"), N_("HR department"), N_("Active"))
USER_COLUMNS = (N_("Login"), N_("Full name"), N_("Roles"), N_("Department"), N_("Phone"),
                N_("Active"))


def load_staff() -> tuple[list[DepartmentRow], list[StaffRow]]:
    """Departments and every user (inactive ones too), through the public services.

    Runs on the worker. UserInfo has neither phone nor department code, so each user is
    looked up once more; a firm has tens of users, not thousands.
    """
    departments = users.list_departments()
    code_of = {d.id: d.code for d in departments}
    rows = []
    for info in users.list_users(active_only=False):
        user = users.get_user(info.login)
        rows.append(StaffRow(info.login, info.name, info.roles,
                             code_of.get(user.department_id, ""), info.department,
                             user.phone, info.active))
    return [DepartmentRow(d.code, d.name, d.is_hr, d.active) for d in departments], rows


class StaffPage(QWidget):
    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.editable = has_role(session.user, "owner")
        self.departments: list[DepartmentRow] = []
        self.staff: list[StaffRow] = []
        self._select_next: dict[QTableWidget, str | None] = {}

        self.note = ReadOnlyNote(OWNER_ONLY, self)
        self.note.setVisible(not self.editable)
        self.errors = FieldErrors()

        self.department_box = QGroupBox()
        self.department_table = small_table(len(DEPARTMENT_COLUMNS), stretch=1)
        self.department_table.doubleClicked.connect(lambda *_a: self.edit_department())
        self.add_department_button = QPushButton()
        self.add_department_button.clicked.connect(self.open_add_department)
        self.edit_department_button = QPushButton()
        self.edit_department_button.clicked.connect(self.edit_department)
        self._box(self.department_box, self.department_table,
                  (self.add_department_button, self.edit_department_button))

        self.user_box = QGroupBox()
        self.user_table = small_table(len(USER_COLUMNS), stretch=1)
        self.user_table.doubleClicked.connect(lambda *_a: self.edit_user())
        self.add_user_button = QPushButton()
        self.add_user_button.clicked.connect(self.open_add_user)
        self.edit_user_button = QPushButton()
        self.edit_user_button.clicked.connect(self.edit_user)
        self.password_button = QPushButton()
        self.password_button.clicked.connect(self.reset_password)
        self._box(self.user_box, self.user_table,
                  (self.add_user_button, self.edit_user_button, self.password_button))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.department_box)
        splitter.addWidget(self.user_box)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.errors.info)
        layout.addWidget(splitter, 1)

        session.changed.connect(self._on_session_changed)
        self.retranslate()
        self.reload()

    def _box(self, box: QGroupBox, table: QTableWidget, buttons: tuple[QPushButton, ...]) -> None:
        row = QHBoxLayout()
        for b in buttons:
            b.setEnabled(self.editable)
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(table, 1)
        layout.addLayout(row)

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        run_service(self.session, load_staff, on_done=self._loaded,
                    on_domain_error=self.errors.show, parent=self)

    def _loaded(self, result) -> None:
        self.departments, self.staff = result
        self._fill()

    def _keep(self, table: QTableWidget) -> str | None:
        return self._select_next.pop(table, None) or selected_key(table)

    def _fill(self) -> None:
        table, keep = self.department_table, self._keep(self.department_table)
        table.setRowCount(len(self.departments))
        for r, d in enumerate(self.departments):
            table.setItem(r, 0, text_item(d.code, key=d.code, enabled=d.active))
            table.setItem(r, 1, text_item(d.name, enabled=d.active))
            table.setItem(r, 2, check_item(d.is_hr, enabled=d.active))
            table.setItem(r, 3, check_item(d.active, enabled=d.active))
        select_key(table, keep)

        table, keep = self.user_table, self._keep(self.user_table)
        table.setRowCount(len(self.staff))
        for r, u in enumerate(self.staff):
            cells = (u.login, u.name, ", ".join(role_name(x) for x in u.roles),
                     u.department_name, u.phone)
            for c, text in enumerate(cells):
                table.setItem(r, c, text_item(text, key=u.login if c == 0 else None,
                                              enabled=u.active))
            table.setItem(r, 5, check_item(u.active, enabled=u.active))
        select_key(table, keep)

    def _on_session_changed(self, changes) -> None:
        if changes.users:
            self.reload()

    # --- dialogs ----------------------------------------------------------------------------

    def _open(self, dialog: FormDialog, table: QTableWidget, key_of) -> FormDialog:
        def saved() -> None:  # then the dialog tells the session: this page reloads
            key = key_of(dialog.result_value)
            if key:
                self._select_next[table] = key

        dialog.accepted.connect(saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_add_department(self) -> DepartmentDialog | None:
        if not self.editable:
            return None
        return self._open(DepartmentDialog(self.session, None, self), self.department_table,
                          lambda d: d.code)

    def edit_department(self) -> DepartmentDialog | None:
        code = selected_key(self.department_table)
        row = next((d for d in self.departments if d.code == code), None)
        if not self.editable or row is None:
            return None
        return self._open(DepartmentDialog(self.session, row, self), self.department_table,
                          lambda d: d.code)

    def open_add_user(self) -> UserDialog | None:
        if not self.editable:
            return None
        return self._open(UserDialog(self.session, self.departments, None, self),
                          self.user_table, lambda u: u.login)

    def _selected_user(self) -> StaffRow | None:
        login = selected_key(self.user_table)
        return next((u for u in self.staff if u.login == login), None)

    def edit_user(self) -> UserDialog | None:
        row = self._selected_user()
        if not self.editable or row is None:
            return None
        return self._open(UserDialog(self.session, self.departments, row, self),
                          self.user_table, lambda u: u.login)

    def reset_password(self) -> PasswordDialog | None:
        row = self._selected_user()
        if not self.editable or row is None:
            return None
        dialog = PasswordDialog(self.session, row.login, self)
        dialog.accepted.connect(lambda: self.errors.show_info(
            lambda: _("{login} has a new password.").format(login=row.login)))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.department_box.setTitle(_("Departments"))
        self.user_box.setTitle(_("Users"))
        set_headers(self.department_table, DEPARTMENT_COLUMNS)
        set_headers(self.user_table, USER_COLUMNS)
        self.add_department_button.setText(_("Add department…"))
        self.edit_department_button.setText(_("Edit department…"))
        self.add_user_button.setText(_("Add user…"))
        self.edit_user_button.setText(_("Edit user…"))
        self.password_button.setText(_("New password…"))
        self.note.retranslate()
        self.errors.retranslate()
        self._fill()
