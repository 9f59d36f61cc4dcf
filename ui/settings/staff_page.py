"""Settings › Staff: departments and users (docs/rules.md: users are the owner's)."""
from __future__ import annotations

from operator import attrgetter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QSplitter, QTableWidget, QWidget

from services.i18n import N_, _, format_datetime
from services.people import logins, users
from ui.settings.common import (
    SettingsPage,
    fill_rows,
    role_name,
    select_key,
    selected_key,
    set_headers,
)
from ui.settings.staff_dialogs import (
    DepartmentDialog,
    DepartmentRow,
    PasswordDialog,
    StaffRow,
    UserDialog,
)
from ui.widgets.form_dialog import FormDialog
from ui.widgets.layouts import STRETCH, group, hbox, vbox
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


def _user_cells(u: StaffRow) -> tuple:
    return (u.login, u.name, ", ".join(role_name(x) for x in u.roles), u.department_name,
            u.phone, u.active)


class StaffPage(SettingsPage):
    follows = "users"

    def __init__(self, session, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.departments: list[DepartmentRow] = []
        self.staff: list[StaffRow] = []
        self._select_next: dict[QTableWidget, str | None] = {}

        self.add_department_button = self._button(N_("Add department…"),
                                                  self.open_add_department)
        self.edit_department_button = self._button(N_("Edit department…"), self.edit_department)
        self.department_table, self.department_box = self._list(
            DEPARTMENT_COLUMNS, self.edit_department,
            (self.add_department_button, self.edit_department_button))
        self.add_user_button = self._button(N_("Add user…"), self.open_add_user)
        self.edit_user_button = self._button(N_("Edit user…"), self.edit_user)
        self.password_button = self._button(N_("New password…"), self.reset_password)
        # docs/rules.md §10: a login that failed too often waits or is locked; the owner lifts it
        self.unlock_button = self._button(N_("Unlock log-in"), self.unlock_login)
        self.blocked: dict = {}
        self.blocked_label = QLabel()
        self.blocked_label.setWordWrap(True)
        self.user_table, self.user_box = self._list(
            USER_COLUMNS, self.edit_user,
            (self.add_user_button, self.edit_user_button, self.password_button,
             self.unlock_button))
        self.texts.add(self.department_box.setTitle, N_("Departments"))
        self.texts.add(self.user_box.setTitle, N_("Users"))

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.department_box)
        splitter.addWidget(self.user_box)
        splitter.setStretchFactor(1, 2)
        vbox(self.note, self.errors.general, self.errors.info, (splitter, 1), self.blocked_label,
             parent=self)
        self.start()

    def _button(self, msgid: str, slot) -> QPushButton:
        button = self.texts.button(msgid, slot)
        button.setEnabled(self.editable)
        return button

    def _list(self, columns, open_row, buttons) -> tuple[QTableWidget, QGroupBox]:
        """A table (double-click: ``open_row``) with its buttons under it, in a box."""
        table = small_table(len(columns), stretch=1)
        table.doubleClicked.connect(lambda *_a: open_row())
        return table, group((table, 1), hbox(*buttons, STRETCH))

    # --- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        self.read(load_staff, self._loaded)
        self.read(logins.throttled, self._blocked_loaded)

    def _blocked_loaded(self, blocked: dict) -> None:
        self.blocked = blocked
        self._show_blocked()

    def _show_blocked(self) -> None:
        parts = [(_("{login} (locked until {until})") if st.locked else
                  _("{login} (waits until {until})")).format(login=login,
                                                            until=format_datetime(st.until))
                 for login, st in sorted(self.blocked.items())]
        self.blocked_label.setText(_("Too many failed log-ins: {logins}.").format(
            logins=", ".join(parts)) if parts else "")
        self.blocked_label.setVisible(bool(parts))

    def _loaded(self, result) -> None:
        self.departments, self.staff = result
        self._fill()

    def _fill(self) -> None:
        for table, items, cells, key in (
                (self.department_table, self.departments,
                 lambda d: (d.code, d.name, d.is_hr, d.active), attrgetter("code")),
                (self.user_table, self.staff, _user_cells, attrgetter("login"))):
            keep = self._select_next.pop(table, None) or selected_key(table)
            fill_rows(table, items, cells, key=key)
            select_key(table, keep)

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

    def unlock_login(self) -> bool:
        """The owner lets the selected login, locked after failed log-ins, log in again."""
        row = self._selected_user()
        if not self.editable or row is None:
            return False

        def done(was: bool) -> None:
            self.errors.show_info(lambda: (_("{login} may log in again.") if was else
                                           _("{login} was neither waiting nor locked."))
                                  .format(login=row.login))
            self.read(logins.throttled, self._blocked_loaded)

        self.read(logins.unlock, done, login=row.login, actor=self.session.user)
        return True

    # --- language ---------------------------------------------------------------------------

    def retranslate(self) -> None:
        super().retranslate()
        set_headers(self.department_table, DEPARTMENT_COLUMNS)
        set_headers(self.user_table, USER_COLUMNS)
        self._fill()
        self._show_blocked()
