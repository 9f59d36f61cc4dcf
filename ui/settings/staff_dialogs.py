"""The small dialogs of Settings › Staff: a department, a user, a new password."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLineEdit, QWidget

from services import settings
from services.i18n import N_, _
from services.people import ROLES, users
from ui.settings.common import STAFF_CHANGED, CodedDialog, role_name
from ui.widgets.fields import fill_combo, line_edit, select_data
from ui.widgets.form_dialog import FormDialog


@dataclass(frozen=True)
class StaffRow:
    """A user as the staff table shows it (UserInfo plus phone and department code)."""

    login: str
    name: str
    roles: tuple[str, ...]
    department_code: str
    department_name: str
    phone: str
    active: bool


@dataclass(frozen=True)
class DepartmentRow:
    code: str
    name: str
    is_hr: bool
    active: bool


class DepartmentDialog(CodedDialog):
    """Add or change a department → services.settings.save_department."""

    changes = STAFF_CHANGED
    titles = (N_("Add department"), N_("Edit department"))

    def __init__(self, session, department: DepartmentRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, department, parent, service=settings.save_department,
                         code_length=30)
        self.name = self.field("name", N_("Name:"), line_edit(100, self._of("name")))
        # Employee complaints are visible to HR, managers and the owner only (docs/rules.md).
        self.is_hr = self.check("is_hr", N_("HR department"), tip=N_(
            "Its staff see employee complaints (internal complaints)."))
        self.is_hr.setChecked(department is not None and department.is_hr)
        self.active = self.add_active(N_("Active"))
        self.active.setVisible(department is not None)  # a new department is active
        self.retranslate()
        self.setMinimumWidth(380)

    def kwargs(self) -> dict:
        return dict(code=self.code.text().strip(), name=self.name.text(),
                    is_hr=self.is_hr.isChecked(), active=self.active.isChecked())


class RolesBox(QWidget):
    """One check box per role of services.people.ROLES."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes = {role: QCheckBox() for role in ROLES}
        for i, box in enumerate(self.boxes.values()):
            grid.addWidget(box, i // 3, i % 3)
        self.retranslate()

    def set_value(self, roles) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)

    def value(self) -> list[str]:
        return [role for role, box in self.boxes.items() if box.isChecked()]

    def setFocus(self) -> None:  # noqa: N802 - Qt's name; FieldErrors focuses the field
        next(iter(self.boxes.values())).setFocus()

    def retranslate(self) -> None:
        for role, box in self.boxes.items():
            box.setText(role_name(role))


def _password_pair(dialog: FormDialog) -> tuple[QLineEdit, QLineEdit]:
    password, confirm = QLineEdit(), QLineEdit()
    for edit in (password, confirm):
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    dialog.field("password", N_("Password:"), password)
    dialog.field("confirm", N_("Password again:"), confirm)
    return password, confirm


def _passwords_match(dialog: FormDialog, password: QLineEdit, confirm: QLineEdit) -> bool:
    if password.text() != confirm.text():
        dialog.errors.show_text("confirm", lambda: _("The two passwords differ."))
        return False
    return True


class UserDialog(FormDialog):
    """Add a user (people.users.create_user) or change one (services.settings.update_user)."""

    changes = STAFF_CHANGED

    def __init__(self, session, departments: list[DepartmentRow], user: StaffRow | None = None,
                 parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = settings.update_user if user else users.create_user
        self.title = N_("Edit user") if user else N_("Add user")
        self.user = user
        self.departments = departments
        self.login = self.field("login", N_("Login:"), line_edit(50))
        self.name = self.field("name", N_("Full name:"), line_edit(100))
        self.password = self.confirm = None
        if user is None:
            self.password, self.confirm = _password_pair(self)
            self.texts.tip(self.password, N_("At least 6 characters."))
        self.roles = self.field("roles", N_("Roles:"), RolesBox())
        self.department = self.field("department", N_("Department:"), QComboBox())
        self.phone = self.field("phone", N_("Phone:"), line_edit(50))
        self.active = self.check("active", N_("Active (may log in)"))
        self.texts.tip(self.login, N_("Letters, digits, '.', '-' and '_'; cannot be changed "
                                      "later."))
        self.retranslate()
        self.active.setChecked(True)
        if user is None:
            self.active.setVisible(False)  # a new user is active
        else:
            self.login.setText(user.login)
            self.login.setReadOnly(True)  # the login is how the timeline names a user
            self.name.setText(user.name)
            self.roles.set_value(user.roles)
            select_data(self.department, user.department_code)
            self.phone.setText(user.phone)
            self.active.setChecked(user.active)
        self.setMinimumWidth(460)

    def kwargs(self) -> dict | None:
        values = dict(login=self.login.text().strip(), name=self.name.text(),
                      roles=self.roles.value(), phone=self.phone.text())
        department = self.department.currentData() or ""
        if self.user is None:
            if not _passwords_match(self, self.password, self.confirm):
                return None
            values.update(password=self.password.text(), department=department or None)
        else:
            # None: unchanged (update_user leaves the department alone).
            values.update(active=self.active.isChecked(),
                          department=None if department == self.user.department_code
                          else department)
        return values

    def retranslate(self) -> None:
        super().retranslate()
        self.roles.retranslate()
        items = [("", _("(none)"))] + [(d.code, d.name) for d in self.departments]
        if self.user is not None and self.user.department_code and not any(
                d.code == self.user.department_code for d in self.departments):
            # An inactive department is not offered, but the user still belongs to it.
            items.append((self.user.department_code, self.user.department_name))
        fill_combo(self.department, items)


class PasswordDialog(FormDialog):
    """Give a user a new password → services.settings.reset_password."""

    def __init__(self, session, login: str, parent: QWidget | None = None):
        super().__init__(session, parent)
        self.service = settings.reset_password
        self.title = N_("New password")
        self.user_login = login
        self.login = QLineEdit(login)
        self.login.setReadOnly(True)
        self.field("login", N_("Login:"), self.login)
        self.password, self.confirm = _password_pair(self)
        self.retranslate()
        self.setMinimumWidth(380)

    def kwargs(self) -> dict | None:
        if not _passwords_match(self, self.password, self.confirm):
            return None
        return dict(login=self.user_login, password=self.password.text())
